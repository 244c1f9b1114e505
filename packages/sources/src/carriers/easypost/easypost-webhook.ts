/**
 * @module `POST /sources/easypost/:tenantId`: EasyPost Events whose `result` is a Tracker
 * (`tracker.created`, `tracker.updated`; easypost-node `types/Event`, `types/Tracker`) → a
 * shipment event. Trackers carry no order field, so the tracking code is looked up in the
 * store's tracking-number index; a `reference` on the result, when present, names the order.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SourceDeps } from '../../shared/source-deps.ts';
import { headerOf, requirePayload, SOURCE_BODY_LIMIT } from '../../shared/source-http.ts';
import { rotatingSecrets, verifiedSourceBody } from '../../shared/verified-body.ts';
import { answerCarrier } from '../carrier-reply.ts';
import { type CarrierUpdate, deliverCarrierUpdate } from '../carrier-update.ts';
import { EASYPOST_SIGNATURE_HEADER, verifyEasypost } from './easypost-signature.ts';

/** Stored with `store.putCredential(tenantId, 'easypost', …)`. */
export const EasypostCredentialSchema = z.object({
  webhookSecret: z.string().min(1),
  previousWebhookSecret: z.string().min(1).optional(),
});
export type EasypostCredential = z.infer<typeof EasypostCredentialSchema>;

const optionalText = z.string().nullish();
const TrackerSchema = z.looseObject({
  id: optionalText,
  object: z.literal('Tracker'),
  tracking_code: z.string().trim().min(1).max(64),
  status: z.string().min(1).max(64),
  status_detail: z.string().max(64).nullish(),
  carrier: optionalText,
  est_delivery_date: optionalText,
  public_url: optionalText,
  updated_at: optionalText,
  reference: optionalText,
});
export const EasypostEventSchema = z.looseObject({
  id: z.string().min(1).max(128),
  object: z.literal('Event'),
  description: z.string().min(1).max(128),
  mode: z.enum(['test', 'production']).optional(),
  created_at: optionalText,
  updated_at: optionalText,
  result: z.unknown(),
});
export type EasypostEvent = z.infer<typeof EasypostEventSchema>;
export type EasypostTracker = z.infer<typeof TrackerSchema>;

const TRACKER_EVENTS = new Set(['tracker.created', 'tracker.updated']);

const instant = (...values: (string | null | undefined)[]): string | undefined => {
  const found = values.find((v) => v && !Number.isNaN(Date.parse(v)));
  return found ? new Date(found).toISOString() : undefined;
};

/** The event in our words; `status` first (the rung), `status_detail` refines the condition. */
export const easypostUpdate = (
  event: EasypostEvent,
  tracker: EasypostTracker,
  now: Date,
): CarrierUpdate => {
  const estimate = tracker.est_delivery_date?.slice(0, 10);
  return {
    source: 'easypost',
    eventId: event.id,
    trackingNumber: tracker.tracking_code,
    ...(tracker.carrier ? { carrier: tracker.carrier } : {}),
    occurredAt:
      instant(tracker.updated_at, event.updated_at, event.created_at) ?? now.toISOString(),
    statuses: [
      { field: 'status', value: tracker.status },
      ...(tracker.status_detail ? [{ field: 'status_detail', value: tracker.status_detail }] : []),
    ],
    ...(estimate && /^\d{4}-\d{2}-\d{2}$/.test(estimate) ? { estimatedDelivery: estimate } : {}),
    ...(tracker.public_url ? { trackingUrl: tracker.public_url } : {}),
    ...(tracker.reference?.trim() ? { orderRef: tracker.reference.trim() } : {}),
  };
};

/** Registers the EasyPost webhook route. */
export const registerEasypost = (server: FastifyInstance, deps: SourceDeps): void => {
  const { context } = deps;
  server.post(
    '/sources/easypost/:tenantId',
    { bodyLimit: SOURCE_BODY_LIMIT },
    async (req, reply) => {
      const { tenantId, raw } = await verifiedSourceBody(req, context.store, {
        provider: 'easypost',
        schema: EasypostCredentialSchema,
        verify: (c, body) =>
          verifyEasypost(
            rotatingSecrets(c.webhookSecret, c.previousWebhookSecret),
            body,
            headerOf(req, EASYPOST_SIGNATURE_HEADER),
          ),
        refusal: () => 'The X-Hmac-Signature header does not verify.',
      });
      const event = requirePayload(EasypostEventSchema, req.body, 'event');
      if (!TRACKER_EVENTS.has(event.description)) {
        return reply.status(200).send({ outcome: 'ignored', event: event.description });
      }
      const tracker = requirePayload(TrackerSchema, event.result, 'event.result');
      const update = easypostUpdate(event, tracker, context.clock.now());
      return answerCarrier(reply, await deliverCarrierUpdate(context, tenantId, update, raw));
    },
  );
};
