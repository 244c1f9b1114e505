/**
 * @module `POST /sources/pipedrive/:tenantId`: Pipedrive webhooks v2 for deals (Basic auth with
 * the credentials set on the webhook) → an order event. A stage change maps through the tenant's
 * stage table (`statusMappings.pipedrive.stage_id`), a status change through core's table; other
 * edits are acknowledged and not stored.
 */
import { createHash } from 'node:crypto';
import type { OrderEvent, Recipient } from '@tidings/core';
import { HttpError } from '@tidings/http';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { basicAuthMatches } from '../shared/basic-auth.ts';
import type { SourceDeps } from '../shared/source-deps.ts';
import {
  answerIngest,
  headerOf,
  requirePayload,
  SOURCE_BODY_LIMIT,
} from '../shared/source-http.ts';
import { combineStatuses, normalizeFields, type StatusField } from '../shared/status-fields.ts';
import { verifiedSourceBody } from '../shared/verified-body.ts';
import {
  dealOrderRef,
  type PipedriveCredential,
  PipedriveCredentialSchema,
} from './pipedrive-credential.ts';

const id = z.union([z.number().int().nonnegative(), z.string().regex(/^\d{1,15}$/)]);
const DealSchema = z.looseObject({
  id,
  title: z.string().nullish(),
  status: z.string().max(32).nullish(),
  stage_id: id.nullish(),
  person_id: id.nullish(),
  value: z.number().nullish(),
  currency: z.string().nullish(),
  update_time: z.string().nullish(),
});
export const PipedriveWebhookSchema = z.looseObject({
  meta: z.looseObject({
    action: z.string().min(1).max(32),
    entity: z.string().min(1).max(32),
    version: z.string(),
    entity_id: id.optional(),
    id: id.optional(),
    webhook_id: id.optional(),
    company_id: id.optional(),
    timestamp: z.union([z.number(), z.string()]).optional(),
    change_source: z.string().optional(),
  }),
  data: z.unknown(),
  previous: z.unknown(),
});
export type PipedriveWebhook = z.infer<typeof PipedriveWebhookSchema>;
type Deal = z.infer<typeof DealSchema>;

const instant = (value: unknown): string | undefined => {
  if (typeof value === 'number') return new Date(value < 1e12 ? value * 1000 : value).toISOString();
  if (typeof value !== 'string') return undefined;
  const iso = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)
    ? `${value.replace(' ', 'T')}Z`
    : value;
  return Number.isNaN(Date.parse(iso)) ? undefined : new Date(iso).toISOString();
};

/** Which status fields a delivery changes; empty when it changes neither stage nor status. */
export const changedStatusFields = (body: PipedriveWebhook, deal: Deal): StatusField[] => {
  const previous = (body.previous ?? {}) as Record<string, unknown>;
  if (body.meta.action === 'delete') return [{ field: 'status', value: 'deleted' }];
  const fields: StatusField[] = [];
  const stageChanged = 'stage_id' in previous && previous.stage_id !== deal.stage_id;
  if ((stageChanged || body.meta.action === 'create') && deal.stage_id != null) {
    fields.push({ field: 'stage_id', value: String(deal.stage_id) });
  }
  const statusChanged = 'status' in previous && previous.status !== deal.status;
  if ((statusChanged || body.meta.action === 'create') && deal.status) {
    fields.push({ field: 'status', value: deal.status });
  }
  return fields;
};

const E164 = /^\+[1-9]\d{6,14}$/;

/** The deal's person as a customer recipient, read through the API; none without a token. */
const personOf = async (
  deps: SourceDeps,
  credential: PipedriveCredential,
  personId: number | string | null | undefined,
): Promise<Recipient[]> => {
  if (personId == null || !credential.apiToken) return [];
  try {
    const res = await deps.fetch(new URL(`/api/v2/persons/${personId}`, credential.apiBaseUrl), {
      headers: { 'x-api-token': credential.apiToken, accept: 'application/json' },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return [];
    const body = (await res.json()) as {
      data?: {
        name?: string;
        emails?: { value?: string; primary?: boolean }[];
        phones?: { value?: string; primary?: boolean }[];
      };
    };
    const pick = (
      list: { value?: string; primary?: boolean }[] | undefined,
      ok: (v: string) => boolean,
    ) =>
      [...(list ?? [])]
        .sort((a, b) => Number(b.primary ?? false) - Number(a.primary ?? false))
        .map((e) => e.value?.trim() ?? '')
        .find(ok);
    const email = pick(body.data?.emails, (v) => z.email().safeParse(v).success);
    const sms = pick(body.data?.phones, (v) => E164.test(v));
    if (!email && !sms) return [];
    return [
      {
        role: 'customer',
        ...(body.data?.name ? { name: body.data.name } : {}),
        contacts: { ...(email ? { email } : {}), ...(sms ? { sms } : {}) },
      },
    ];
  } catch (err) {
    deps.context.logger.warn({ err: (err as Error).message }, 'pipedrive person look-up failed');
    return [];
  }
};

/** Registers the Pipedrive webhook route. */
export const registerPipedrive = (server: FastifyInstance, deps: SourceDeps): void => {
  const { context } = deps;
  server.post(
    '/sources/pipedrive/:tenantId',
    { bodyLimit: SOURCE_BODY_LIMIT },
    async (req, reply) => {
      const { tenantId, credential, raw } = await verifiedSourceBody(req, context.store, {
        provider: 'pipedrive',
        schema: PipedriveCredentialSchema,
        verify: (c) =>
          basicAuthMatches(headerOf(req, 'authorization'), c.webhookUser, c.webhookPassword)
            ? 'ok'
            : 'unauthorized',
        refusal: () => 'The Basic credentials are not the webhook’s.',
        challenge: 'Basic realm="tidings"',
      });
      const body = requirePayload(PipedriveWebhookSchema, req.body, 'webhook');
      if (body.meta.version !== '2.0') {
        throw new HttpError(
          'unsupported_webhook_version',
          'Create the webhook with version "2.0".',
          { status: 422 },
        );
      }
      if (body.meta.entity !== 'deal') {
        return reply.status(200).send({ outcome: 'ignored', entity: body.meta.entity });
      }
      const deal = requirePayload(DealSchema, body.data ?? body.previous, 'webhook.data');
      const fields = changedStatusFields(body, deal);
      if (fields.length === 0)
        return reply.status(200).send({ outcome: 'ignored', reason: 'no status change' });

      const tenant = await context.tenants.get(tenantId);
      if (!tenant.ok) throw new HttpError('not_found', tenant.message);
      const normalized = normalizeFields('pipedrive', fields, tenant.config.statusMappings);
      if (!normalized.ok) {
        throw new HttpError(normalized.error.code, normalized.error.message, {
          status: 422,
          details: { field: normalized.error.field, value: normalized.error.value },
        });
      }
      const status = combineStatuses(normalized.parts);
      if (!status) throw new Error('bug: no status from changed fields');
      const key = createHash('sha256')
        .update(
          JSON.stringify([
            body.meta.action,
            deal.id,
            body.meta.timestamp ?? null,
            body.previous ?? null,
            fields,
          ]),
        )
        .digest('hex')
        .slice(0, 24);
      const money =
        typeof deal.value === 'number' && deal.currency && /^[A-Z]{3}$/.test(deal.currency)
          ? { total: { amount: deal.value.toFixed(2), currency: deal.currency } }
          : {};
      const event: OrderEvent = {
        tenantId,
        source: 'pipedrive',
        sourceEventId: `${body.meta.webhook_id ?? 'webhook'}:${deal.id}:${key}`,
        orderRef: dealOrderRef(deal.id),
        occurredAt:
          instant(deal.update_time) ??
          instant(body.meta.timestamp) ??
          context.clock.now().toISOString(),
        ...status,
        recipients:
          body.meta.action === 'delete' ? [] : await personOf(deps, credential, deal.person_id),
        order: { number: String(deal.id), lineItems: [], tags: [], ...money },
      };
      return answerIngest(
        reply,
        await context.ingest({ event, rawBody: raw, headers: { 'x-tidings-source': 'pipedrive' } }),
      );
    },
  );
};
