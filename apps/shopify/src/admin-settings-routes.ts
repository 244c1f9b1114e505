/**
 * @module The embedded admin's settings and test send, registered inside the session-token
 * protected scope of `admin-api-routes.ts`: channel set-up with live credential checks, the
 * customer channel order, compliance settings (quiet hours, explicit-consent channels,
 * restricted categories, cancel URL, default time zone; the jurisdiction rules core enforces,
 * read-only), and a test send that goes through the engine like any order update.
 */
import { randomUUID } from 'node:crypto';
import {
  CANONICAL_STATUSES,
  CHANNEL_KINDS,
  CUSTOMER_CHANNELS,
  type CustomerChannel,
  JURISDICTION_RULES,
  OVERLAY_KINDS,
  parseOrderEvent,
  type TenantConfig,
  type TenantConfigInput,
} from '@tidings/core';
import type { AppContext } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminCaller } from './admin-api-routes.ts';
import { checkCredentials, fieldProblems, PROVIDERS, providerSetup } from './channel-setup.ts';
import type { FetchLike } from './shopify-library.ts';

export interface SettingsDeps {
  context: AppContext;
  fetch: FetchLike;
  caller(req: FastifyRequest): AdminCaller;
  configOf(shop: string): Promise<TenantConfig>;
  saveConfig(
    shop: string,
    patch: (c: TenantConfigInput) => TenantConfigInput,
  ): Promise<TenantConfig>;
}

const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/;
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
const COMPLIANCE_KEYS = [
  'defaultTimeZone',
  'quietHours',
  'explicitConsentChannels',
  'restrictedCategories',
  'cancelUrl',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const validTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const provider = (req: FastifyRequest) => {
  const name = (req.params as { provider: string }).provider;
  const setup = providerSetup(name);
  if (!setup) throw new HttpError('not_found', `No provider "${name}".`);
  return setup;
};

/** The jurisdiction rules core applies by itself, as the admin shows them. */
const jurisdictions = () =>
  JURISDICTION_RULES.map((r) => ({
    id: r.id,
    ...(r.marketingWindow ? { marketingWindow: r.marketingWindow } : {}),
    ...(r.frequencyCap ? { frequencyCap: r.frequencyCap } : {}),
    ...(r.forbiddenDays ? { forbiddenDays: r.forbiddenDays.describe } : {}),
    source: r.source,
    verified: r.verified,
  }));

export const registerSettingsRoutes = (scope: FastifyInstance, deps: SettingsDeps): void => {
  const { context, caller, configOf, saveConfig } = deps;
  const { store } = context;
  const now = () => context.clock.now().toISOString();
  const audit = (shop: string, actor: string, action: string, detail: Record<string, unknown>) =>
    store.transaction((tx) => tx.appendAudit({ tenantId: shop, at: now(), actor, action, detail }));

  const storedValues = async (shop: string, name: string) => {
    const setup = providerSetup(name);
    const got = await store.getCredential(shop, name);
    return setup && got.ok && isObject(got.value) ? setup.fromCredential(got.value) : undefined;
  };

  scope.get('/shopify/api/channels', async (req) => {
    const shop = caller(req).shop;
    const config = await configOf(shop);
    const stored = new Map((await store.listCredentials(shop)).map((c) => [c.provider, c]));
    const providers = await Promise.all(
      PROVIDERS.map(async (p) => {
        const info = stored.get(p.provider);
        const values = info ? await storedValues(shop, p.provider) : undefined;
        return {
          provider: p.provider,
          channel: p.channel,
          label: p.label,
          liveCheck: p.check !== undefined,
          fields: p.fields.map((f) => ({
            key: f.key,
            label: f.label,
            secret: f.secret === true,
            optional: f.optional === true,
            ...(f.options ? { options: f.options } : {}),
            ...(f.format ? { format: f.format } : {}),
          })),
          configured: info !== undefined,
          ...(info ? { updatedAt: info.updatedAt } : {}),
          // Secrets never leave the server; the browser learns only that they are set.
          values: Object.fromEntries(
            p.fields.map((f) => [f.key, f.secret ? '' : (values?.[f.key] ?? '')]),
          ),
          secretsSet: p.fields.filter((f) => f.secret && values?.[f.key]).map((f) => f.key),
        };
      }),
    );
    return { customerChannels: config.channelPreferences.customer, providers };
  });

  scope.put('/shopify/api/channels/:provider', async (req) => {
    const setup = provider(req);
    const { shop, userId } = caller(req);
    const body = req.body as { values?: unknown } | undefined;
    if (!isObject(body?.values))
      throw new HttpError('invalid_request', 'Body must be { values: { field: text } }.', {
        status: 422,
      });
    // A secret left empty keeps the one stored (the browser never sees it to send it back).
    const previous = (await storedValues(shop, setup.provider)) ?? {};
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(body.values)) if (v !== '') values[k] = v as string;
    for (const f of setup.fields)
      if (f.secret && values[f.key] === undefined && previous[f.key])
        values[f.key] = previous[f.key] ?? '';
    const problems = fieldProblems(setup, values);
    if (Object.keys(problems).length > 0)
      throw new HttpError(
        'invalid_credentials',
        `Check these fields: ${Object.entries(problems)
          .map(([k, m]) => `${k} ${m}`)
          .join('; ')}.`,
        { status: 422, details: { fields: problems } },
      );
    const check = await checkCredentials(setup, values, deps.fetch);
    if (!check.ok)
      throw new HttpError(check.code, check.detail, {
        status: check.code === 'provider_unreachable' ? 502 : 422,
        ...(check.providerStatus ? { details: { providerStatus: check.providerStatus } } : {}),
      });
    const saved = await store.putCredential(
      shop,
      setup.provider,
      setup.toCredential(values),
      now(),
    );
    if (!saved.ok)
      throw new HttpError(
        'store_unavailable',
        `Cannot store the credentials: ${saved.error.code}.`,
      );
    await audit(shop, `shopify-user:${userId}`, 'channel_credentials_saved', {
      provider: setup.provider,
      check: check.status,
    });
    return { provider: setup.provider, check };
  });

  scope.post('/shopify/api/channels/:provider/check', async (req) => {
    const setup = provider(req);
    const values = await storedValues(caller(req).shop, setup.provider);
    if (!values) throw new HttpError('not_found', `${setup.label} is not set up.`);
    return { provider: setup.provider, check: await checkCredentials(setup, values, deps.fetch) };
  });

  scope.delete('/shopify/api/channels/:provider', async (req, reply) => {
    const setup = provider(req);
    const { shop, userId } = caller(req);
    if (!(await store.deleteCredential(shop, setup.provider)))
      throw new HttpError('not_found', `${setup.label} is not set up.`);
    await audit(shop, `shopify-user:${userId}`, 'channel_credentials_removed', {
      provider: setup.provider,
    });
    return reply.status(204).send();
  });

  scope.put('/shopify/api/channel-preferences', async (req) => {
    const customer = (req.body as { customer?: unknown } | undefined)?.customer;
    if (
      !Array.isArray(customer) ||
      customer.length === 0 ||
      new Set(customer).size !== customer.length ||
      !customer.every((c) => (CUSTOMER_CHANNELS as readonly unknown[]).includes(c))
    )
      throw new HttpError(
        'invalid_request',
        `customer must list one or more of ${CUSTOMER_CHANNELS.join(', ')}, each once.`,
        { status: 422 },
      );
    const saved = await saveConfig(caller(req).shop, (c) => ({
      ...c,
      channelPreferences: {
        customer: customer as CustomerChannel[],
        internal: c.channelPreferences?.internal ?? [],
      },
    }));
    return { customerChannels: saved.channelPreferences.customer };
  });

  const complianceView = (config: TenantConfig) => ({
    defaultTimeZone: config.defaultTimeZone,
    quietHours: config.compliance.quietHours,
    explicitConsentChannels: config.compliance.explicitConsentChannels,
    restrictedCategories: config.compliance.restrictedCategories,
    ...(config.compliance.cancelUrl ? { cancelUrl: config.compliance.cancelUrl } : {}),
    channels: CHANNEL_KINDS,
    jurisdictions: jurisdictions(),
  });

  scope.get('/shopify/api/compliance', async (req) =>
    complianceView(await configOf(caller(req).shop)),
  );

  scope.put('/shopify/api/compliance', async (req) => {
    const body = req.body;
    if (!isObject(body))
      throw new HttpError('invalid_request', 'Body must be a JSON object.', { status: 422 });
    const unknown = Object.keys(body).filter(
      (k) => !(COMPLIANCE_KEYS as readonly string[]).includes(k),
    );
    if (unknown.length > 0)
      throw new HttpError('invalid_request', `Unknown settings: ${unknown.join(', ')}.`, {
        status: 422,
      });
    if (
      body.defaultTimeZone !== undefined &&
      (typeof body.defaultTimeZone !== 'string' || !validTimeZone(body.defaultTimeZone))
    )
      throw new HttpError('invalid_config', 'defaultTimeZone must be an IANA time zone.', {
        status: 422,
      });
    const { shop, userId } = caller(req);
    const saved = await saveConfig(shop, (c) => {
      const compliance = { ...(c.compliance ?? {}) } as Record<string, unknown>;
      for (const key of COMPLIANCE_KEYS)
        if (key !== 'defaultTimeZone' && key in body) compliance[key] = body[key];
      // An empty cancel URL removes it.
      if (body.cancelUrl === '' || body.cancelUrl === null) delete compliance.cancelUrl;
      return {
        ...c,
        ...(typeof body.defaultTimeZone === 'string'
          ? { defaultTimeZone: body.defaultTimeZone }
          : {}),
        compliance: compliance as TenantConfigInput['compliance'],
      };
    });
    await audit(shop, `shopify-user:${userId}`, 'compliance_settings_saved', {
      keys: Object.keys(body),
    });
    return complianceView(saved);
  });

  scope.post('/shopify/api/test-send', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { shop, userId } = caller(req);
    const key = typeof body.templateKey === 'string' ? body.templateKey : '';
    const channel = typeof body.channel === 'string' ? body.channel : '';
    const locale = typeof body.locale === 'string' && LOCALE.test(body.locale) ? body.locale : 'en';
    const to = typeof body.to === 'string' ? body.to.trim() : '';
    if (!(CANONICAL_STATUSES as readonly string[]).includes(key))
      throw new HttpError('invalid_request', 'templateKey must be an order status.', {
        status: 422,
      });
    if (channel !== 'sms' && channel !== 'whatsapp' && channel !== 'email')
      throw new HttpError('invalid_request', 'A test goes to sms, whatsapp or email.', {
        status: 422,
      });
    if (channel === 'email' ? !EMAIL.test(to) : !E164.test(to))
      throw new HttpError(
        'invalid_recipient',
        channel === 'email'
          ? '"to" must be an e-mail address.'
          : '"to" must be a phone number in E.164 form, like +14155550100.',
        { status: 422 },
      );
    // Its own order, so the test never touches a real order's state or timeline.
    const orderRef = `test-${randomUUID()}`;
    const parsed = parseOrderEvent({
      tenantId: shop,
      source: 'manual',
      sourceEventId: `test-send:${orderRef}`,
      orderRef,
      occurredAt: now(),
      status: key,
      raw: { value: key },
      ...((OVERLAY_KINDS as readonly string[]).includes(key) ? { overlay: { kind: key } } : {}),
      shipment: {
        id: 'test-shipment',
        carrier: 'UPS',
        trackingNumber: '1Z999AA10123456784',
        trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      },
      recipients: [
        { role: 'customer', name: 'Test recipient', locale, contacts: { [channel]: to } },
      ],
      order: {
        number: '#TEST',
        total: { amount: '42.50', currency: 'USD' },
        lineItems: [{ id: 'l1', title: 'Blue Ceramic Mug', quantity: 2, categories: [] }],
      },
      override: {
        actor: { id: `shopify-user:${userId}` },
        reason: 'Test send from the template editor',
        notify: true,
      },
      notify: { template: key, channels: [channel] },
    });
    if (!parsed.ok)
      throw new HttpError('invalid_event', parsed.error.message, {
        details: { issues: parsed.error.issues },
      });
    const result = await context.ingest({
      event: parsed.event,
      rawBody: JSON.stringify({ templateKey: key, channel, locale }),
      headers: {},
    });
    if (result.outcome !== 'accepted')
      throw new HttpError(
        'test_send_refused',
        result.outcome === 'rejected' ? result.message : `The test was ${result.outcome}.`,
        { status: 409 },
      );
    return reply.status(202).send({
      orderRef,
      intents: result.intents,
      decisions: result.decisions.map((d) => ({
        action: d.action,
        reason: d.reason,
        ...(d.channel ? { channel: d.channel } : {}),
        ...(d.until ? { until: d.until } : {}),
        detail: d.detail,
      })),
    });
  });
};
