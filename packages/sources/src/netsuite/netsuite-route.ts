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
  rawJsonBody,
  requireCredential,
  requirePayload,
  SOURCE_BODY_LIMIT,
  tenantFrom,
} from '../shared/source-http.ts';
import {
  NetsuiteCredentialSchema,
  NetsuitePayloadSchema,
  netsuiteEvent,
  netsuiteOrderRef,
} from './netsuite-payload.ts';
import { verifyNetsuite } from './netsuite-signature.ts';

/** Registers the NetSuite route. */
export const registerNetsuite = (server: FastifyInstance, deps: SourceDeps): void => {
  const { context, directory } = deps;
  server.post(
    '/sources/netsuite/:tenantId',
    { bodyLimit: SOURCE_BODY_LIMIT },
    async (req, reply) => {
      const tenantId = tenantFrom(req);
      const raw = rawJsonBody(req);
      const credential = await requireCredential(
        context.store,
        tenantId,
        'netsuite',
        NetsuiteCredentialSchema,
      );
      const verdict = verifyNetsuite(
        [credential.signingSecret, credential.previousSigningSecret].filter(
          (s): s is string => s !== undefined,
        ),
        raw,
        headerOf(req, 'x-tidings-timestamp'),
        headerOf(req, 'x-tidings-signature'),
        context.clock.now().getTime(),
      );
      if (verdict !== 'ok') throw new HttpError(verdict, 'X-Tidings-Signature does not verify.');
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
      let released = 0;
      if (result.outcome === 'accepted' && event.shipment) {
        for (const trackingNumber of payload.fulfillment?.trackingNumbers ?? []) {
          released += await learnTracking(context, directory, tenantId, {
            trackingNumber,
            orderRef: event.orderRef,
            shipmentId: event.shipment.id,
            ...(event.shipment.carrier ? { carrier: event.shipment.carrier } : {}),
          });
        }
      }
      return answerIngest(reply, result, released > 0 ? { releasedCarrierUpdates: released } : {});
    },
  );
};
