/**
 * @module `POST /zendesk/webhooks?subdomain=<subdomain>`: the target a trigger's webhook calls.
 * Verify (signature, freshness) → map → one ingest → answer. Anything that can never succeed gets
 * a 4xx, never a 5xx or 409 (Zendesk retries those and its circuit breaker counts errors).
 */
import type { AppContext, IngestResult } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { mapZendeskPayload, tenantMappings } from './trigger-payload.ts';
import {
  DEFAULT_TOLERANCE_MS,
  TIMESTAMP_HEADER,
  verifyZendeskSignature,
} from './webhook-signature.ts';
import { loadZendeskCredential, SUBDOMAIN_PATTERN } from './zendesk-credentials.ts';

/** The header under which the ticket id is kept with each stored event (write-back reads it). */
export const TICKET_HEADER = 'x-tidings-zendesk-ticket';

/** Trigger bodies are a few hundred bytes; anything near this limit is not one of ours. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

const KEPT_HEADERS = [
  'x-zendesk-account-id',
  'x-zendesk-webhook-id',
  'x-zendesk-webhook-invocation-id',
  TIMESTAMP_HEADER,
] as const;

// A constant stand-in so an unknown subdomain costs the same HMAC work as a known one.
const ABSENT_SECRET = 'tidings-absent-zendesk-secret-0000';

export interface WebhookRouteOptions {
  toleranceMs?: number;
}

const answer = (reply: FastifyReply, result: IngestResult) => {
  switch (result.outcome) {
    case 'accepted':
      return reply
        .status(202)
        .send({ outcome: 'accepted', verdict: result.verdict, intents: result.intents });
    case 'duplicate':
    case 'echo':
      return reply.status(200).send({ outcome: result.outcome });
    case 'rejected':
      if (result.code === 'unknown_tenant') throw new HttpError('not_found', result.message);
      if (result.code === 'tenant_inactive') throw new HttpError('forbidden', result.message);
      throw new HttpError('invalid_config', result.message, { status: 422 });
    default:
      return result satisfies never;
  }
};

/** Registers the trigger target on `server`. */
export const registerWebhookRoute = (
  server: FastifyInstance,
  context: AppContext,
  options: WebhookRouteOptions = {},
): void => {
  const toleranceMs = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  server.post('/zendesk/webhooks', { bodyLimit: WEBHOOK_BODY_LIMIT }, async (req, reply) => {
    const query = req.query as Record<string, unknown>;
    const subdomain = typeof query.subdomain === 'string' ? query.subdomain.toLowerCase() : '';
    if (!SUBDOMAIN_PATTERN.test(subdomain)) {
      throw new HttpError(
        'missing_tenant',
        'The webhook URL must end in ?subdomain=<your Zendesk subdomain>.',
        { status: 400 },
      );
    }
    const rawBody = req.rawBody;
    if (!rawBody) {
      throw new HttpError('unsupported_media_type', 'Send the body as application/json.');
    }
    const lookup = await loadZendeskCredential(context.store, subdomain);
    const now = context.clock.now();
    const check = verifyZendeskSignature(
      req.headers,
      rawBody,
      lookup.ok ? [lookup.credential.signingSecret] : [ABSENT_SECRET],
      now.getTime(),
      toleranceMs,
    );
    if (!check.ok) throw new HttpError(check.code, check.message);
    if (!lookup.ok) {
      req.log.warn({ code: lookup.code }, 'zendesk webhook for a subdomain without credentials');
      throw new HttpError('bad_signature', 'The webhook signature does not match.');
    }
    const tenant = await context.tenants.get(subdomain);
    if (!tenant.ok) {
      if (tenant.code === 'unknown_tenant') throw new HttpError('not_found', tenant.message);
      throw new HttpError('invalid_config', tenant.message, { status: 422 });
    }
    const mapped = mapZendeskPayload(req.body, rawBody, {
      tenantId: subdomain,
      mappings: tenantMappings(tenant.config.statusMappings),
      statusFieldId: lookup.credential.statusFieldId,
      signedAt:
        typeof req.headers[TIMESTAMP_HEADER] === 'string'
          ? req.headers[TIMESTAMP_HEADER]
          : undefined,
      now: now.toISOString(),
    });
    if (!mapped.ok) {
      throw new HttpError(mapped.error.code, mapped.error.message, {
        status: 422,
        ...(mapped.error.issues ? { details: { issues: mapped.error.issues } } : {}),
      });
    }
    if (mapped.kind === 'ignored') {
      return reply.status(200).send({ outcome: 'ignored', reason: mapped.reason });
    }
    const headers: Record<string, string> = { [TICKET_HEADER]: mapped.ticketId };
    for (const name of KEPT_HEADERS) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const result = await context.ingest({
      event: mapped.event,
      rawBody,
      headers,
      echoFingerprint: mapped.echoKey,
    });
    return answer(reply, result);
  });
};
