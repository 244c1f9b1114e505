/**
 * @module The admin API under `/api`: tenants, configuration and rules, channel credentials,
 * template previews, consent, order timelines, the generic events endpoint, manual overrides,
 * inventory/regulatory flags, dead letters and their replay, and GDPR export/erase by contact.
 * Bodies are validated; failures answer with a stable code.
 */
import {
  buildTemplateContext,
  type Clock,
  type ConsentRecord,
  emptyOrderState,
  OrderEventSchema,
  parseOrderEvent,
  parseTenantConfig,
  REWRITES,
  RuleSetSchema,
  renderTemplate,
  ruleSetJsonSchema,
  TEMPLATE_CHANNELS,
  type TenantConfigInput,
} from '@tidings/core';
import {
  type createTenantConfigs,
  eraseContact,
  exportContact,
  type IngestInput,
  type IngestResult,
  orderTimeline,
} from '@tidings/engine';
import { createRequestLimiter, HttpError, type RequestLimit, safeEqual } from '@tidings/http';
import type { Store, StoredIntent } from '@tidings/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { API_KEY_CREDENTIAL, hashKey, requireOperator, requireTenant } from './admin-auth.ts';
import { newApiKey } from './local-keys.ts';
import { FlagBodySchema, flagEffect, followUpEvent, OverrideBodySchema } from './order-events.ts';

export interface AdminDeps {
  store: Store;
  clock: Clock;
  tenants: ReturnType<typeof createTenantConfigs>;
  ingest: (input: IngestInput) => Promise<IngestResult>;
  adminKey: string;
  /** Events per tenant per second (sustained and burst) before 429; generous by default. */
  ingestLimit?: RequestLimit;
}

const tenantIdPattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Parses with zod, answering 422 with every path that is wrong. */
const validate = <T>(schema: z.ZodType<T>, body: unknown, code = 'invalid_request'): T => {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.') || '(root)',
    message: i.message,
  }));
  throw new HttpError(
    code,
    `The request body is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    {
      status: 422,
      details: { issues },
    },
  );
};

const answerIngest = (reply: FastifyReply, result: IngestResult) => {
  switch (result.outcome) {
    case 'accepted':
      return reply.status(202).send({
        outcome: 'accepted',
        verdict: result.verdict,
        intents: result.intents,
        decisions: result.decisions.map((d) => ({
          action: d.action,
          reason: d.reason,
          reasons: d.reasons,
          channel: d.channel,
          detail: d.detail,
        })),
      });
    case 'duplicate':
    case 'echo':
      return reply.status(200).send({ outcome: result.outcome });
    case 'rejected':
      throw new HttpError(
        result.code === 'unknown_tenant' ? 'not_found' : 'forbidden',
        result.message,
      );
    default:
      return result satisfies never;
  }
};

const CreateTenantSchema = z
  .object({
    id: z.string().regex(tenantIdPattern, 'letters, digits, . _ - (max 128)'),
    name: z.string().trim().min(1).max(200),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const PreviewSchema = z
  .object({
    templateKey: z.string().min(1),
    channel: z.enum(TEMPLATE_CHANNELS),
    locale: z.string().min(2).default('en'),
    timeZone: z.string().min(1).default('UTC'),
    rewrites: z.array(z.enum(REWRITES)).default([]),
    /** A sample event to render against; a realistic one is used when absent. */
    event: z.unknown().optional(),
    /** Unsaved template sources to try (key → channel → locale → part). */
    overrides: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const ConsentBodySchema = z
  .object({
    channel: z.enum([
      'sms',
      'whatsapp',
      'email',
      'push',
      'intercom',
      'klaviyo',
      'activecampaign',
      'slack',
      'teams',
      'google_chat',
    ]),
    contact: z.string().min(3).max(320),
    state: z.enum(['opted_in', 'opted_out']),
    scope: z.enum(['marketing', 'all']).default('all'),
  })
  .strict();

const ReplayBodySchema = z
  .object({ actor: z.string().trim().min(1).max(200).optional() })
  .strict()
  .default({});

/** A contact point in the body, never in the URL: URLs end up in logs and proxies. */
const ContactBodySchema = z
  .object({
    contact: z.string().trim().min(3).max(320),
    actor: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** Who made an audited change: the operator key, or the tenant's own API key (after auth). */
const actorOf = (req: FastifyRequest, adminKey: string, named: string | undefined): string => {
  if (named) return named;
  const token = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '').trim();
  return safeEqual(hashKey(token), hashKey(adminKey)) ? 'operator' : 'tenant-api-key';
};

/** A dead letter as operators see it: what, where, why; never the contact point. */
const deadLetter = (i: StoredIntent) => ({
  id: i.intent.id,
  orderRef: i.intent.orderRef,
  eventId: i.intent.eventId,
  ruleId: i.intent.ruleId,
  audience: i.intent.audience,
  status: i.intent.status,
  templateKey: i.intent.templateKey,
  channel: i.delivery.channel,
  attempts: i.attempts,
  error: i.lastError ?? null,
  parkedAt: i.updatedAt,
});

const sampleEvent = (tenantId: string, templateKey: string) =>
  OrderEventSchema.parse({
    tenantId,
    source: 'api',
    sourceEventId: 'preview',
    orderRef: 'preview-order',
    occurredAt: '2026-11-28T14:30:00Z',
    status: /^[a-z_]+$/.test(templateKey.replace(/^internal\./, ''))
      ? templateKey.replace(/^internal\./, '').replace('regulatory_hold', 'on_hold')
      : 'dispatched',
    raw: { value: 'preview' },
    shipment: {
      id: 's1',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    },
    recipients: [{ role: 'customer', name: 'Camille Dupont', locale: 'fr-CA', contacts: {} }],
    order: {
      number: '#1001',
      total: { amount: '42.50', currency: 'EUR' },
      lineItems: [{ id: 'l1', title: 'Blue Ceramic Mug', quantity: 2, categories: [] }],
    },
  });

/** Registers every `/api` route on the server. */
export const registerAdminRoutes = (app: FastifyInstance, deps: AdminDeps): void => {
  const { store, clock, tenants, ingest: ingestEvent, adminKey } = deps;
  const limiter = createRequestLimiter(deps.ingestLimit ?? { perSecond: 200, burst: 400 });
  /** Every event entry point shares the tenant's budget, so one merchant cannot flood the rest. */
  const ingest = (input: IngestInput) => {
    limiter.take(input.event.tenantId);
    return ingestEvent(input);
  };
  const now = () => clock.now().toISOString();
  const tenantOf = async (tenantId: string) => {
    const tenant = await store.getTenant(tenantId);
    if (!tenant) throw new HttpError('not_found', `No tenant "${tenantId}".`);
    return tenant;
  };
  const saveConfig = async (
    tenantId: string,
    name: string,
    active: boolean,
    config: TenantConfigInput,
  ) => {
    const parsed = parseTenantConfig({ ...config, tenantId, name });
    if (!parsed.ok) throw new HttpError('invalid_config', parsed.error.message, { status: 422 });
    await store.putTenant(
      { id: tenantId, name, active, config: { ...config, tenantId, name } },
      now(),
    );
    tenants.forget(tenantId);
    return parsed.config;
  };

  app.get('/api/schema/rules', async () => ruleSetJsonSchema());

  app.post('/api/tenants', async (req, reply) => {
    requireOperator(req, adminKey);
    const body = validate(CreateTenantSchema, req.body);
    if (await store.getTenant(body.id))
      throw new HttpError('conflict', `Tenant "${body.id}" exists.`);
    const config = await saveConfig(
      body.id,
      body.name,
      true,
      (body.config ?? {}) as TenantConfigInput,
    );
    const apiKey = newApiKey('tdk');
    const stored = await store.putCredential(
      body.id,
      API_KEY_CREDENTIAL,
      { sha256: hashKey(apiKey) },
      now(),
    );
    if (!stored.ok)
      throw new HttpError('internal_error', `Could not store the API key: ${stored.error.code}`);
    return reply.status(201).send({ id: body.id, name: body.name, apiKey, config });
  });

  app.get('/api/tenants/:tenantId', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    const tenant = await tenantOf(tenantId);
    const credentials = await store.listCredentials(tenantId);
    return { ...tenant, credentials: credentials.filter((c) => c.provider !== API_KEY_CREDENTIAL) };
  });

  app.put('/api/tenants/:tenantId/config', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    const tenant = await tenantOf(tenantId);
    const body = validate(z.record(z.string(), z.unknown()), req.body);
    return saveConfig(tenantId, tenant.name, tenant.active, body as TenantConfigInput);
  });

  app.get('/api/tenants/:tenantId/rules', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    const lookup = await tenants.get(tenantId);
    if (!lookup.ok) throw new HttpError('not_found', lookup.message);
    return lookup.config.rules;
  });

  app.put('/api/tenants/:tenantId/rules', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    const tenant = await tenantOf(tenantId);
    const rules = validate(RuleSetSchema, req.body, 'invalid_rules');
    const config = await saveConfig(tenantId, tenant.name, tenant.active, {
      ...(tenant.config as object),
      rules,
    } as TenantConfigInput);
    return config.rules;
  });

  app.put('/api/tenants/:tenantId/credentials/:provider', async (req, reply) => {
    const { tenantId, provider } = req.params as { tenantId: string; provider: string };
    await requireTenant(req, store, tenantId, adminKey);
    if (provider === API_KEY_CREDENTIAL || !/^[a-z0-9-]{2,40}$/.test(provider)) {
      throw new HttpError('invalid_request', `"${provider}" is not a provider name.`, {
        status: 422,
      });
    }
    const body = validate(
      z.object({ secret: z.record(z.string(), z.unknown()) }).strict(),
      req.body,
    );
    const stored = await store.putCredential(tenantId, provider, body.secret, now());
    if (!stored.ok) {
      throw new HttpError(
        stored.error.code === 'not_found' ? 'not_found' : 'store_unavailable',
        stored.error.message,
      );
    }
    return reply.status(200).send(stored.value);
  });

  app.get('/api/tenants/:tenantId/credentials', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    return (await store.listCredentials(tenantId)).filter((c) => c.provider !== API_KEY_CREDENTIAL);
  });

  app.post('/api/tenants/:tenantId/templates/preview', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    const lookup = await tenants.get(tenantId);
    if (!lookup.ok) throw new HttpError('not_found', lookup.message);
    const body = validate(PreviewSchema, req.body);
    const parsed =
      body.event === undefined
        ? { ok: true as const, event: sampleEvent(tenantId, body.templateKey) }
        : parseOrderEvent(body.event);
    if (!parsed.ok)
      throw new HttpError('invalid_event', parsed.error.message, {
        details: { issues: parsed.error.issues },
      });
    const event = parsed.event;
    const context = buildTemplateContext(event, emptyOrderState(tenantId, event.orderRef), {
      shopName: lookup.config.name,
      ...(event.recipients[0] ? { recipient: event.recipients[0] } : {}),
      locale: body.locale,
      timeZone: body.timeZone,
    });
    const result = renderTemplate({
      templateKey: body.templateKey,
      channel: body.channel,
      locale: body.locale,
      timeZone: body.timeZone,
      rewrites: body.rewrites,
      context: context as unknown as Record<string, unknown>,
      overrides: {
        ...lookup.config.templates,
        ...(body.overrides as typeof lookup.config.templates),
      },
    });
    if (!result.ok) throw new HttpError(result.error.code, result.error.message, { status: 422 });
    return { locale: result.locale, rendering: result.rendering };
  });

  app.get('/api/tenants/:tenantId/consents', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    const { contact } = validate(z.object({ contact: z.string().min(3) }), req.query);
    return store.listConsents(tenantId, [contact]);
  });

  app.post('/api/tenants/:tenantId/consents', async (req, reply) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    await tenantOf(tenantId);
    const body = validate(ConsentBodySchema, req.body);
    const record: ConsentRecord = { tenantId, ...body, at: now(), source: 'admin' };
    const result = await store.transaction((tx) => tx.putConsent(record));
    return reply.status(result === 'stored' ? 201 : 200).send({ result, record });
  });

  app.get('/api/tenants/:tenantId/orders/:orderRef/timeline', async (req) => {
    const { tenantId, orderRef } = req.params as { tenantId: string; orderRef: string };
    await requireTenant(req, store, tenantId, adminKey);
    const timeline = await orderTimeline(store, tenantId, orderRef);
    if (timeline.length === 0)
      throw new HttpError('not_found', `No order "${orderRef}" for this tenant.`);
    return { orderRef, entries: timeline };
  });

  app.post('/api/tenants/:tenantId/events', async (req, reply) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    const body = req.body as Record<string, unknown> | undefined;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new HttpError('invalid_event', 'The body must be a JSON object (an OrderEvent).', {
        status: 422,
      });
    }
    const parsed = parseOrderEvent({ ...body, tenantId });
    if (!parsed.ok) {
      throw new HttpError('invalid_event', parsed.error.message, {
        details: { issues: parsed.error.issues },
      });
    }
    return answerIngest(
      reply,
      await ingest({
        event: parsed.event,
        rawBody: req.rawBody ?? JSON.stringify(body),
        headers: {},
      }),
    );
  });

  const lastEvents = async (tenantId: string, orderRef: string, shipmentId?: string) => {
    const events = await store.listEvents(tenantId, orderRef);
    const last = events.at(-1)?.event;
    if (!last) throw new HttpError('not_found', `No order "${orderRef}" for this tenant.`);
    const withShipment = shipmentId
      ? events.map((e) => e.event).findLast((e) => e.shipment?.id === shipmentId)
      : undefined;
    return { last, withShipment };
  };

  app.post('/api/tenants/:tenantId/orders/:orderRef/override', async (req, reply) => {
    const { tenantId, orderRef } = req.params as { tenantId: string; orderRef: string };
    await requireTenant(req, store, tenantId, adminKey);
    const body = validate(OverrideBodySchema, req.body);
    const { last, withShipment } = await lastEvents(tenantId, orderRef, body.shipmentId);
    const isOverlay =
      body.status === 'on_hold' || body.status === 'delayed' || body.status === 'exception';
    const event = followUpEvent(last, withShipment, {
      source: 'manual',
      sourceEventId: `override:${body.requestId}`,
      occurredAt: now(),
      rawValue: body.status,
      shipmentId: body.shipmentId,
      effect: {
        status: body.status,
        ...(isOverlay
          ? {
              overlay: {
                kind: body.status as 'on_hold' | 'delayed' | 'exception',
                ...(body.overlayReason ? { reason: body.overlayReason } : {}),
                ...(body.promisedDate ? { promisedDate: body.promisedDate } : {}),
              },
            }
          : {}),
        ...(body.clear ? { clear: body.clear } : {}),
      },
      override: { actor: body.actor, reason: body.reason, notify: body.notify },
    });
    return answerIngest(
      reply,
      await ingest({ event, rawBody: req.rawBody ?? JSON.stringify(body), headers: {} }),
    );
  });

  app.post('/api/tenants/:tenantId/orders/:orderRef/flags', async (req, reply) => {
    const { tenantId, orderRef } = req.params as { tenantId: string; orderRef: string };
    await requireTenant(req, store, tenantId, adminKey);
    const body = validate(FlagBodySchema, req.body);
    const { last, withShipment } = await lastEvents(tenantId, orderRef, body.shipmentId);
    const event = followUpEvent(last, withShipment, {
      source: 'api',
      sourceEventId: `flag:${body.flagId}`,
      occurredAt: now(),
      rawValue: body.flag,
      shipmentId: body.shipmentId,
      effect: flagEffect(body),
    });
    return answerIngest(
      reply,
      await ingest({ event, rawBody: req.rawBody ?? JSON.stringify(body), headers: {} }),
    );
  });

  app.get('/api/tenants/:tenantId/dead-letters', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    const { limit } = validate(
      z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      req.query,
    );
    const parked = await store.listIntentsByStatus(tenantId, 'parked', limit);
    return { items: parked.map(deadLetter) };
  });

  app.post('/api/tenants/:tenantId/dead-letters/:intentId/replay', async (req) => {
    const { tenantId, intentId } = req.params as { tenantId: string; intentId: string };
    await requireTenant(req, store, tenantId, adminKey);
    const body = validate(ReplayBodySchema, req.body ?? {});
    const found = await store.getIntent(intentId);
    // Another tenant's intent is as absent as a missing one.
    if (!found || found.intent.tenantId !== tenantId)
      throw new HttpError('not_found', `No intent "${intentId}" for this tenant.`);
    const actor = actorOf(req, adminKey, body.actor);
    const result = await store.requeueIntent(intentId, now(), actor);
    if (!result.ok) {
      throw result.error.code === 'not_parked'
        ? new HttpError(
            'not_parked',
            `${result.error.message}; only parked intents are replayed.`,
            {
              status: 409,
            },
          )
        : new HttpError('not_found', result.error.message);
    }
    return { replayed: deadLetter(result.value), status: result.value.status };
  });

  app.post('/api/tenants/:tenantId/personal-data/export', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    await tenantOf(tenantId);
    const body = validate(ContactBodySchema, req.body);
    return exportContact(store, tenantId, body.contact);
  });

  app.post('/api/tenants/:tenantId/personal-data/erase', async (req) => {
    const { tenantId } = req.params as { tenantId: string };
    await requireTenant(req, store, tenantId, adminKey);
    await tenantOf(tenantId);
    const body = validate(ContactBodySchema, req.body);
    const actor = actorOf(req, adminKey, body.actor);
    return { erased: await eraseContact(store, tenantId, body.contact, { actor, at: now() }) };
  });
};
