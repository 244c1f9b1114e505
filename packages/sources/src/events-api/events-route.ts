/**
 * @module `POST /api/events`: canonical order events from any system, signed per tenant, with a
 * timestamp and replay protection; `GET /api/events/schema` serves the body's JSON Schema. A
 * shipment with a tracking number binds that number to the order, releasing parked carrier
 * updates.
 */
import { HttpError } from '@tidings/http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { learnTracking } from '../carriers/carrier-update.ts';
import type { SourceDeps } from '../shared/source-deps.ts';
import {
  answerIngest,
  headerOf,
  requirePayload,
  SOURCE_BODY_LIMIT,
} from '../shared/source-http.ts';
import { rotatingSecrets, verifiedSourceBody } from '../shared/verified-body.ts';
import { EventsApiBodySchema, eventsApiJsonSchema } from './event-body.ts';
import {
  createReplayGuard,
  EVENTS_SIGNATURE_HEADER,
  EVENTS_TENANT_HEADER,
  EVENTS_TIMESTAMP_HEADER,
  verifyEventSignature,
} from './events-signature.ts';

/** Stored with `store.putCredential(tenantId, 'events-api', …)`. */
export const EventsApiCredentialSchema = z.object({
  signingSecret: z.string().min(32),
  previousSigningSecret: z.string().min(32).optional(),
});

const TENANT_ID = /^[A-Za-z0-9._-]{1,128}$/;

/** Registers the generic events API. */
export const registerEventsApi = (server: FastifyInstance, deps: SourceDeps): void => {
  const { context } = deps;
  const replays = createReplayGuard();

  server.get('/api/events/schema', async () => eventsApiJsonSchema());

  server.post('/api/events', { bodyLimit: SOURCE_BODY_LIMIT }, async (req, reply) => {
    const tenantId = headerOf(req, EVENTS_TENANT_HEADER);
    if (tenantId === undefined || !TENANT_ID.test(tenantId)) {
      throw new HttpError('unauthorized', `Send the tenant id in ${EVENTS_TENANT_HEADER}.`);
    }
    const signature = headerOf(req, EVENTS_SIGNATURE_HEADER);
    const nowMs = context.clock.now().getTime();
    const { raw } = await verifiedSourceBody(req, context.store, {
      provider: 'events-api',
      schema: EventsApiCredentialSchema,
      tenantId,
      verify: (c, body) =>
        verifyEventSignature(
          rotatingSecrets(c.signingSecret, c.previousSigningSecret),
          body,
          headerOf(req, EVENTS_TIMESTAMP_HEADER),
          signature,
          nowMs,
        ),
      refusal: (failure) =>
        failure === 'stale_request'
          ? 'X-Tidings-Timestamp is missing its mark by over 5 minutes.'
          : 'X-Tidings-Signature does not verify.',
    });
    if (!replays.first(`${tenantId}:${signature}`, nowMs)) {
      throw new HttpError(
        'replayed_request',
        'This signed request was received already; sign a retry with a new timestamp.',
      );
    }
    const body = requirePayload(EventsApiBodySchema, req.body, 'event');
    const event = { ...body, tenantId, source: 'api' as const };
    const result = await context.ingest({
      event,
      rawBody: raw,
      headers: { 'x-tidings-source': 'api' },
    });
    const { shipment } = event;
    const released =
      result.outcome === 'accepted' && shipment?.trackingNumber
        ? await learnTracking(context, tenantId, [
            {
              trackingNumber: shipment.trackingNumber,
              orderRef: event.orderRef,
              shipmentId: shipment.id,
              ...(shipment.carrier ? { carrier: shipment.carrier } : {}),
            },
          ])
        : 0;
    return answerIngest(reply, result, released > 0 ? { releasedCarrierUpdates: released } : {});
  });
};
