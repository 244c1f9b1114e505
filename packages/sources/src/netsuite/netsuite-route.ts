/**
 * @module `POST /sources/netsuite/:tenantId`: status changes posted by the Tidings user event
 * script, signed with the account's API Secret. Tracking numbers on a fulfillment bind to the
 * order and release carrier updates parked for them.
 */
import { HttpError } from '@tidings/http';
import type { FastifyInstance } from 'fastify';
import { learnTracking } from '../carriers/carrier-update.ts';
import { priorFacts } from '../shared/prior-facts.ts';
import type { SourceDeps } from '../shared/source-deps.ts';
import {
  answerIngest,
  headerOf,
  requirePayload,
  SOURCE_BODY_LIMIT,
} from '../shared/source-http.ts';
import { rotatingSecrets, verifiedSourceBody } from '../shared/verified-body.ts';
import {
  NetsuiteCredentialSchema,
  NetsuitePayloadSchema,
  netsuiteEvent,
  netsuiteOrderRef,
} from './netsuite-payload.ts';
import { verifyNetsuite } from './netsuite-signature.ts';

/** Registers the NetSuite route. */
export const registerNetsuite = (server: FastifyInstance, deps: SourceDeps): void => {
  const { context } = deps;
  server.post(
    '/sources/netsuite/:tenantId',
    { bodyLimit: SOURCE_BODY_LIMIT },
    async (req, reply) => {
      const { tenantId, credential, raw } = await verifiedSourceBody(req, context.store, {
        provider: 'netsuite',
        schema: NetsuiteCredentialSchema,
        verify: (c, body) =>
          verifyNetsuite(
            rotatingSecrets(c.signingSecret, c.previousSigningSecret),
            body,
            headerOf(req, 'x-tidings-timestamp'),
            headerOf(req, 'x-tidings-signature'),
            context.clock.now().getTime(),
          ),
        refusal: (failure) =>
          failure === 'stale_request'
            ? 'X-Tidings-Timestamp is missing its mark by over 5 minutes.'
            : 'X-Tidings-Signature does not verify.',
      });
      const payload = requirePayload(NetsuitePayloadSchema, req.body, 'payload');
      if (credential.accountId !== undefined && credential.accountId !== payload.accountId) {
        throw new HttpError('forbidden', 'The post comes from another NetSuite account.');
      }
      const tenant = await context.tenants.get(tenantId);
      if (!tenant.ok) throw new HttpError('not_found', tenant.message);
      const orderRef = netsuiteOrderRef(payload, credential);
      const built = netsuiteEvent(
        tenantId,
        payload,
        credential,
        tenant.config,
        await priorFacts(context.store, tenantId, orderRef, payload.order.tranId ?? orderRef),
      );
      if (!built.ok) {
        throw new HttpError(built.error.code, built.error.message, {
          status: 422,
          details: { field: built.error.field, value: built.error.value },
        });
      }
      const { event } = built;
      const result = await context.ingest({
        event,
        rawBody: raw,
        headers: { 'x-tidings-source': 'netsuite' },
      });
      // The shipment keeps one number in the order's state (bound by the store as it is saved);
      // every package's number is bound here, so each parcel's carrier updates find the order.
      const { shipment } = event;
      const released =
        result.outcome === 'accepted' && shipment
          ? await learnTracking(
              context,
              tenantId,
              (payload.fulfillment?.trackingNumbers ?? []).map((trackingNumber) => ({
                trackingNumber,
                orderRef: event.orderRef,
                shipmentId: shipment.id,
                ...(shipment.carrier ? { carrier: shipment.carrier } : {}),
              })),
            )
          : 0;
      return answerIngest(reply, result, released > 0 ? { releasedCarrierUpdates: released } : {});
    },
  );
};
