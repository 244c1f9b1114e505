/**
 * @module `POST /sources/sap/:tenantId` (CloudEvents from SAP Event Mesh, structured, batched or
 * binary) and `POST /sources/sap/:tenantId/oauth/token` (client-credentials tokens for Event
 * Mesh's OAuth webhook authentication).
 */
import { HttpError, safeEqual } from '@tidings/http';
import type { FastifyInstance } from 'fastify';
import type { SourceDeps } from '../shared/source-deps.ts';
import {
  headerOf,
  requireCredential,
  SOURCE_BODY_LIMIT,
  tenantFrom,
} from '../shared/source-http.ts';
import { verifiedSourceBody } from '../shared/verified-body.ts';
import { readCloudEvents } from './cloud-event.ts';
import { SapCredentialSchema } from './sap-credential.ts';
import { planSapEvent } from './sap-events.ts';
import { clientCredentialsOf, issueSapToken, sapInboundAllowed } from './sap-inbound-auth.ts';
import { createSapODataClient } from './sap-odata.ts';

/** Registers the SAP routes. */
export const registerSap = (server: FastifyInstance, deps: SourceDeps): void => {
  const { context } = deps;

  server.post('/sources/sap/:tenantId/oauth/token', async (req, reply) => {
    const tenantId = tenantFrom(req);
    const credential = await requireCredential(context.store, tenantId, 'sap', SapCredentialSchema);
    const form = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Record<
      string,
      unknown
    >;
    const given = clientCredentialsOf(headerOf(req, 'authorization'), form);
    const inbound = credential.inbound;
    const valid =
      inbound.kind === 'oauth' &&
      given !== undefined &&
      // Both compared every time, so timing does not tell which was wrong.
      [
        safeEqual(given.clientId, inbound.clientId),
        safeEqual(given.clientSecret, inbound.clientSecret),
      ].every(Boolean);
    if (form.grant_type !== 'client_credentials') {
      return reply.status(400).send({ error: 'unsupported_grant_type' });
    }
    if (!valid || inbound.kind !== 'oauth') {
      return reply
        .status(401)
        .header('www-authenticate', 'Basic realm="tidings"')
        .send({ error: 'invalid_client' });
    }
    const nowMs = context.clock.now().getTime();
    return reply.header('cache-control', 'no-store').send({
      access_token: issueSapToken(tenantId, inbound.clientSecret, nowMs, inbound.tokenTtlSeconds),
      token_type: 'Bearer',
      expires_in: inbound.tokenTtlSeconds,
    });
  });

  server.post('/sources/sap/:tenantId', { bodyLimit: SOURCE_BODY_LIMIT }, async (req, reply) => {
    const now = context.clock.now();
    const { tenantId, credential, raw } = await verifiedSourceBody(req, context.store, {
      provider: 'sap',
      schema: SapCredentialSchema,
      verify: (c, _body, tenant) =>
        sapInboundAllowed(c.inbound, headerOf(req, 'authorization'), tenant, now.getTime())
          ? 'ok'
          : 'unauthorized',
      refusal: () => 'The request does not carry this tenant’s SAP credentials.',
    });
    const read = readCloudEvents(req);
    if (!read.ok) {
      throw new HttpError(
        'invalid_payload',
        `Not a CloudEvent: ${read.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
        {
          status: 422,
          details: { issues: read.issues },
        },
      );
    }
    const tenant = await context.tenants.get(tenantId);
    if (!tenant.ok) throw new HttpError('not_found', tenant.message);
    const odata = createSapODataClient(credential.odata, deps.fetch, () =>
      context.clock.now().getTime(),
    );

    // Every event is read and normalized before any is ingested, so a bad batch stores nothing.
    const plans = [];
    for (const ce of read.events) {
      const plan = await planSapEvent(ce, {
        tenantId,
        config: tenant.config,
        odata,
        store: context.store,
        now,
      });
      switch (plan.kind) {
        case 'invalid':
          throw new HttpError('invalid_payload', `Event ${ce.id}: ${plan.reason}.`, {
            status: 422,
          });
        case 'invalid_status':
          throw new HttpError(plan.error.code, plan.error.message, {
            status: 422,
            details: { field: plan.error.field, value: plan.error.value },
          });
        case 'unreadable':
          // A reason for Event Mesh to redeliver later; never the SAP response itself.
          throw new HttpError(
            'sap_odata_unavailable',
            `S/4HANA could not be read (${plan.reason}${plan.status ? ` ${plan.status}` : ''}).`,
            {
              status: 502,
            },
          );
        default:
          plans.push({ id: ce.id, plan });
      }
    }
    const results = [];
    for (const { id, plan } of plans) {
      if (plan.kind === 'ignore') {
        results.push({ id, outcome: 'ignored', reason: plan.reason });
        continue;
      }
      if (plan.kind !== 'event') continue;
      const result = await context.ingest({
        event: plan.event,
        rawBody: raw,
        headers: { 'x-tidings-source': 'sap', 'ce-id': id },
      });
      if (result.outcome === 'rejected') throw new HttpError('forbidden', result.message);
      results.push({
        id,
        outcome: result.outcome,
        orderRef: plan.event.orderRef,
        status: plan.event.status,
      });
    }
    const accepted = results.some((r) => r.outcome === 'accepted');
    return reply.status(accepted ? 202 : 200).send({ mode: read.mode, results });
  });
};
