/**
 * @module `POST /sources/aftership/:tenantId`: AfterShip tracking webhooks (2025-01 webhook
 * specification: `event`, `event_id`, `ts`, `msg` = the tracking) → a shipment event.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SourceDeps } from '../../shared/source-deps.ts';
import { headerOf, requirePayload, SOURCE_BODY_LIMIT } from '../../shared/source-http.ts';
import { rotatingSecrets, verifiedSourceBody } from '../../shared/verified-body.ts';
import { answerCarrier } from '../carrier-reply.ts';
import { type CarrierUpdate, deliverCarrierUpdate } from '../carrier-update.ts';
import { AFTERSHIP_SIGNATURE_HEADER, verifyAftership } from './aftership-signature.ts';

/** Stored with `store.putCredential(tenantId, 'aftership', …)`. */
export const AftershipCredentialSchema = z.object({
  webhookSecret: z.string().min(8),
  /** Accepted too while a rotated secret propagates. */
  previousWebhookSecret: z.string().min(8).optional(),
  /**
   * Where the merchant puts our order ref on the tracking: `order_id` (default),
   * `order_number`, `custom_fields.<key>`, or `none` (match by tracking number only).
   */
  orderRefField: z
    .string()
    .regex(/^(order_id|order_number|none|custom_fields\.[A-Za-z0-9_-]{1,64})$/)
    .default('order_id'),
});
export type AftershipCredential = z.infer<typeof AftershipCredentialSchema>;

/** Events that carry a shipment status; others (pending-time alerts, …) are acknowledged only. */
const STATUS_EVENTS = new Set(['tracking_update', 'edd_revise']);

const optionalText = z.string().nullish();
const TrackingSchema = z.looseObject({
  id: optionalText,
  tracking_number: z.string().trim().min(1).max(64),
  slug: optionalText,
  tag: z.string().min(1).max(64),
  subtag: z.string().max(64).nullish(),
  expected_delivery: optionalText,
  latest_estimated_delivery: z.looseObject({ datetime: optionalText }).nullish(),
  courier_tracking_link: optionalText,
  aftership_tracking_url: optionalText,
  order_id: optionalText,
  order_number: optionalText,
  custom_fields: z.record(z.string(), z.unknown()).nullish(),
  updated_at: optionalText,
});
export const AftershipWebhookSchema = z.looseObject({
  event: z.string().min(1).max(64),
  event_id: z.string().min(1).max(128),
  ts: z.number().int().positive().optional(),
  is_tracking_first_tag: z.boolean().optional(),
  msg: TrackingSchema,
});
export type AftershipWebhook = z.infer<typeof AftershipWebhookSchema>;

const dateOf = (value: string | null | undefined): string | undefined => {
  const day = value?.slice(0, 10);
  return day !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(day) ? day : undefined;
};

const orderRefOf = (msg: AftershipWebhook['msg'], field: string): string | undefined => {
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
  if (field === 'none') return undefined;
  if (field === 'order_id') return text(msg.order_id);
  if (field === 'order_number') return text(msg.order_number);
  return text(msg.custom_fields?.[field.slice('custom_fields.'.length)]);
};

/** The webhook in our words; the subtag is read first because it is the more specific. */
export const aftershipUpdate = (
  body: AftershipWebhook,
  credential: Pick<AftershipCredential, 'orderRefField'>,
  now: Date,
): CarrierUpdate => {
  const { msg } = body;
  const occurredAt =
    body.ts !== undefined
      ? new Date(body.ts * 1000).toISOString()
      : msg.updated_at && !Number.isNaN(Date.parse(msg.updated_at))
        ? new Date(msg.updated_at).toISOString()
        : now.toISOString();
  const estimate = dateOf(msg.latest_estimated_delivery?.datetime) ?? dateOf(msg.expected_delivery);
  const orderRef = orderRefOf(msg, credential.orderRefField);
  const url = msg.courier_tracking_link ?? msg.aftership_tracking_url ?? undefined;
  return {
    source: 'aftership',
    eventId: body.event_id,
    trackingNumber: msg.tracking_number,
    ...(msg.slug ? { carrier: msg.slug } : {}),
    occurredAt,
    statuses: [
      ...(msg.subtag ? [{ field: 'subtag', value: msg.subtag }] : []),
      { field: 'tag', value: msg.tag },
    ],
    ...(estimate ? { estimatedDelivery: estimate } : {}),
    ...(url ? { trackingUrl: url } : {}),
    ...(orderRef ? { orderRef } : {}),
  };
};

/** Registers the AfterShip webhook route. */
export const registerAftership = (server: FastifyInstance, deps: SourceDeps): void => {
  const { context } = deps;
  server.post(
    '/sources/aftership/:tenantId',
    { bodyLimit: SOURCE_BODY_LIMIT },
    async (req, reply) => {
      const { tenantId, credential, raw } = await verifiedSourceBody(req, context.store, {
        provider: 'aftership',
        schema: AftershipCredentialSchema,
        verify: (c, body) =>
          verifyAftership(
            rotatingSecrets(c.webhookSecret, c.previousWebhookSecret),
            body,
            headerOf(req, AFTERSHIP_SIGNATURE_HEADER),
          ),
        refusal: () => `The ${AFTERSHIP_SIGNATURE_HEADER} header does not verify.`,
      });
      const body = requirePayload(AftershipWebhookSchema, req.body, 'webhook');
      if (!STATUS_EVENTS.has(body.event)) {
        return reply.status(200).send({ outcome: 'ignored', event: body.event });
      }
      const update = aftershipUpdate(body, credential, context.clock.now());
      return answerCarrier(reply, await deliverCarrierUpdate(context, tenantId, update, raw));
    },
  );
};
