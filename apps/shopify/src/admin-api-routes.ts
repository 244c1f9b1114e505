/**
 * @module `/shopify/api/*`: the embedded admin's API. Every call carries an App Bridge session
 * token, verified by the library; the first call from a shop exchanges it for an offline access
 * token (stored encrypted) and installs the shop as a tenant.
 */
import { RequestedTokenType, type Shopify } from '@shopify/shopify-api';
import {
  buildTemplateContext,
  CANONICAL_STATUSES,
  defaultTemplateParts,
  emptyOrderState,
  type OrderEvent,
  OrderEventSchema,
  parseOrderEvent,
  parseTenantConfig,
  RuleSetSchema,
  renderTemplate,
  TEMPLATE_CHANNELS,
  type TemplateChannel,
  type TenantConfigInput,
} from '@tidings/core';
import { type AppContext, orderTimeline } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { registerActivityRoutes } from './admin-activity-routes.ts';
import { registerSettingsRoutes } from './admin-settings-routes.ts';
import { DATA_REQUEST_PREFIX } from './compliance-webhooks.ts';
import { activateShop, loadSession, SESSION_CREDENTIAL, shopDomain } from './shop-tenants.ts';
import type { ShopifyConfig } from './shopify-config.ts';
import { type FetchLike, withFetch } from './shopify-library.ts';

export interface AdminApiDeps {
  context: AppContext;
  library: Shopify;
  config: ShopifyConfig;
  fetch: FetchLike;
}

/** Who is calling: the shop (tenant) and the staff member (`sub`) from the session token. */
export interface AdminCaller {
  shop: string;
  userId: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    shopifyCaller: AdminCaller | undefined;
  }
}

const KEY = /^[a-z0-9_.]{1,64}$/;
const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/;

const isChannel = (c: string): c is TemplateChannel =>
  (TEMPLATE_CHANNELS as readonly string[]).includes(c);

const caller = (req: FastifyRequest): AdminCaller => {
  if (!req.shopifyCaller) throw new Error('bug: admin route without a verified caller');
  return req.shopifyCaller;
};

/** A realistic event to preview templates against (no real customer in it). */
const sampleEvent = (shop: string, status: string): OrderEvent =>
  OrderEventSchema.parse({
    tenantId: shop,
    source: 'shopify',
    sourceEventId: 'preview',
    orderRef: 'preview-order',
    occurredAt: '2026-11-28T14:30:00Z',
    status: (CANONICAL_STATUSES as readonly string[]).includes(status) ? status : 'dispatched',
    raw: { value: 'preview' },
    shipment: {
      id: 's1',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
    },
    recipients: [{ role: 'customer', name: 'Camille Dupont', contacts: {} }],
    order: {
      number: '#1001',
      total: { amount: '42.50', currency: 'USD' },
      lineItems: [{ id: 'l1', title: 'Blue Ceramic Mug', quantity: 2, categories: [] }],
    },
  });

const stringRecord = (v: unknown): Record<string, string> | undefined =>
  typeof v === 'object' &&
  v !== null &&
  !Array.isArray(v) &&
  Object.values(v).every((x) => typeof x === 'string' && x.length <= 20_000)
    ? (v as Record<string, string>)
    : undefined;

/** Registers the admin API; every route below `/shopify/api/` is session-token protected. */
export const registerAdminApi = async (
  server: FastifyInstance,
  deps: AdminApiDeps,
): Promise<void> => {
  const { context, library, config } = deps;
  const { store, tenants } = context;
  const now = () => context.clock.now().toISOString();

  await server.register(async (scope) => {
    scope.decorateRequest('shopifyCaller', undefined);
    scope.addHook('onRequest', async (req) => {
      const header = req.headers.authorization;
      const token =
        typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : '';
      const invalid = () =>
        new HttpError('unauthorized', 'A valid Shopify session token is required.', {
          // App Bridge fetches a fresh session token and retries when it sees this header.
          headers: { 'x-shopify-retry-invalid-session-request': '1' },
        });
      if (!token) throw invalid();
      let payload: Awaited<ReturnType<Shopify['session']['decodeSessionToken']>>;
      try {
        payload = await library.session.decodeSessionToken(token);
      } catch (cause) {
        throw new HttpError('unauthorized', 'The Shopify session token is not valid.', {
          cause,
          headers: { 'x-shopify-retry-invalid-session-request': '1' },
        });
      }
      const shop = shopDomain(payload.dest);
      if (!shop) throw invalid();
      const tenant = await store.getTenant(shop);
      if (!tenant?.active || !(await loadSession(store, shop))) {
        // First request from this shop (or after a reinstall): exchange for an offline token.
        let session: Awaited<ReturnType<Shopify['auth']['tokenExchange']>>['session'];
        try {
          ({ session } = await withFetch(deps.fetch, () =>
            library.auth.tokenExchange({
              shop,
              sessionToken: token,
              requestedTokenType: RequestedTokenType.OfflineAccessToken,
            }),
          ));
        } catch (cause) {
          throw new HttpError(
            'token_exchange_failed',
            'Shopify did not exchange the session token.',
            {
              status: 502,
              cause,
            },
          );
        }
        if (!session.accessToken)
          throw new HttpError('token_exchange_failed', 'Shopify returned no access token.', {
            status: 502,
          });
        await activateShop(context, shop, now());
        const saved = await store.putCredential(
          shop,
          SESSION_CREDENTIAL,
          {
            shop,
            accessToken: session.accessToken,
            scope: session.scope ?? '',
            installedAt: now(),
          },
          now(),
        );
        if (!saved.ok)
          throw new HttpError(
            'store_unavailable',
            `Cannot store the session: ${saved.error.code}.`,
          );
      }
      req.shopifyCaller = { shop, userId: payload.sub ?? 'unknown' };
    });

    const configOf = async (shop: string) => {
      const lookup = await tenants.get(shop);
      if (!lookup.ok) throw new HttpError('not_found', lookup.message);
      return lookup.config;
    };
    const saveConfig = async (shop: string, patch: (c: TenantConfigInput) => TenantConfigInput) => {
      const tenant = await store.getTenant(shop);
      if (!tenant) throw new HttpError('not_found', 'The shop is not installed.');
      const next = { ...patch(tenant.config), tenantId: shop, name: tenant.name };
      const parsed = parseTenantConfig(next);
      if (!parsed.ok) throw new HttpError('invalid_config', parsed.error.message, { status: 422 });
      await store.putTenant(
        { id: shop, name: tenant.name, active: tenant.active, config: next },
        now(),
      );
      tenants.forget(shop);
      return parsed.config;
    };

    registerSettingsRoutes(scope, { context, fetch: deps.fetch, caller, configOf, saveConfig });
    registerActivityRoutes(scope, { context, caller });

    scope.get('/shopify/api/session', async (req) => {
      const c = caller(req);
      return { shop: c.shop, userId: c.userId, apiVersion: config.apiVersion };
    });

    scope.get('/shopify/api/rules', async (req) => (await configOf(caller(req).shop)).rules);

    scope.put('/shopify/api/rules', async (req) => {
      const parsed = RuleSetSchema.safeParse(req.body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map(
          (i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`,
        );
        throw new HttpError('invalid_rules', `The rules are not valid: ${issues.join('; ')}`, {
          status: 422,
        });
      }
      return (await saveConfig(caller(req).shop, (c) => ({ ...c, rules: parsed.data }))).rules;
    });

    const templateParams = (req: FastifyRequest) => {
      const { key, channel, locale } = req.params as {
        key: string;
        channel: string;
        locale: string;
      };
      if (!KEY.test(key) || !isChannel(channel) || !LOCALE.test(locale))
        throw new HttpError('invalid_request', 'Unknown template key, channel or locale.', {
          status: 422,
        });
      return { key, channel, locale };
    };

    scope.get('/shopify/api/templates/:key/:channel/:locale', async (req) => {
      const { key, channel, locale } = templateParams(req);
      const own = (await configOf(caller(req).shop)).templates[key]?.[channel]?.[locale];
      const parts = own ?? defaultTemplateParts(key, channel, locale);
      if (!parts) throw new HttpError('not_found', 'No template for this key, channel and locale.');
      return { key, channel, locale, source: own ? 'shop' : 'default', parts };
    });

    scope.put('/shopify/api/templates/:key/:channel/:locale', async (req) => {
      const { key, channel, locale } = templateParams(req);
      const parts = stringRecord((req.body as { parts?: unknown } | undefined)?.parts);
      if (!parts)
        throw new HttpError('invalid_request', 'Body must be { parts: { name: liquid } }.', {
          status: 422,
        });
      const saved = await saveConfig(caller(req).shop, (c) => {
        const templates = { ...(c.templates ?? {}) };
        templates[key] = {
          ...(templates[key] ?? {}),
          [channel]: { ...(templates[key]?.[channel] ?? {}), [locale]: parts },
        };
        return { ...c, templates };
      });
      return {
        key,
        channel,
        locale,
        source: 'shop',
        parts: saved.templates[key]?.[channel]?.[locale] ?? parts,
      };
    });

    scope.post('/shopify/api/preview', async (req) => {
      const body = (req.body ?? {}) as {
        templateKey?: unknown;
        channel?: unknown;
        locale?: unknown;
        parts?: unknown;
      };
      const key =
        typeof body.templateKey === 'string' && KEY.test(body.templateKey)
          ? body.templateKey
          : undefined;
      const channel =
        typeof body.channel === 'string' && isChannel(body.channel) ? body.channel : undefined;
      const locale =
        typeof body.locale === 'string' && LOCALE.test(body.locale) ? body.locale : 'en';
      if (!key || !channel)
        throw new HttpError('invalid_request', 'templateKey and channel are required.', {
          status: 422,
        });
      const parts = body.parts === undefined ? undefined : stringRecord(body.parts);
      if (body.parts !== undefined && !parts)
        throw new HttpError('invalid_request', 'parts must map part names to Liquid text.', {
          status: 422,
        });
      const shop = caller(req).shop;
      const tenantConfig = await configOf(shop);
      const event = sampleEvent(shop, key);
      const context_ = buildTemplateContext(event, emptyOrderState(shop, event.orderRef), {
        shopName: tenantConfig.name,
        ...(event.recipients[0] ? { recipient: event.recipients[0] } : {}),
        locale,
        timeZone: tenantConfig.defaultTimeZone,
      });
      const overrides = { ...tenantConfig.templates };
      if (parts) overrides[key] = { ...(overrides[key] ?? {}), [channel]: { [locale]: parts } };
      const result = renderTemplate({
        templateKey: key,
        channel,
        locale,
        timeZone: tenantConfig.defaultTimeZone,
        rewrites: [],
        context: context_ as unknown as Record<string, unknown>,
        overrides,
      });
      if (!result.ok) throw new HttpError(result.error.code, result.error.message, { status: 422 });
      return { locale: result.locale, rendering: result.rendering };
    });

    scope.get('/shopify/api/orders/:orderRef/timeline', async (req) => {
      const { orderRef } = req.params as { orderRef: string };
      const entries = await orderTimeline(store, caller(req).shop, orderRef);
      if (entries.length === 0)
        throw new HttpError('not_found', `No order "${orderRef}" for this shop.`);
      return { orderRef, entries };
    });

    scope.post('/shopify/api/orders/:orderRef/override', async (req, reply) => {
      const { orderRef } = req.params as { orderRef: string };
      const { shop, userId } = caller(req);
      const body = (req.body ?? {}) as {
        status?: unknown;
        reason?: unknown;
        notify?: unknown;
        shipmentId?: unknown;
        requestId?: unknown;
      };
      const events = await store.listEventsOfOrders(shop, [orderRef]);
      const last = events.at(-1)?.event;
      if (!last) throw new HttpError('not_found', `No order "${orderRef}" for this shop.`);
      const shipmentId = typeof body.shipmentId === 'string' ? body.shipmentId : undefined;
      const shipment = shipmentId
        ? (events.findLast((e) => e.event.shipment?.id === shipmentId)?.event.shipment ?? {
            id: shipmentId,
          })
        : undefined;
      const status = typeof body.status === 'string' ? body.status : '';
      const isOverlay = status === 'on_hold' || status === 'delayed' || status === 'exception';
      const parsed = parseOrderEvent({
        tenantId: shop,
        source: 'manual',
        sourceEventId: `override:${typeof body.requestId === 'string' && body.requestId ? body.requestId : req.id}`,
        orderRef,
        occurredAt: now(),
        status,
        raw: { value: status },
        ...(isOverlay ? { overlay: { kind: status } } : {}),
        ...(shipment ? { shipment } : {}),
        recipients: last.recipients,
        order: last.order,
        override: {
          actor: { id: `shopify-user:${userId}` },
          reason: typeof body.reason === 'string' ? body.reason : '',
          notify: body.notify !== false,
        },
      });
      if (!parsed.ok)
        throw new HttpError('invalid_event', parsed.error.message, {
          details: { issues: parsed.error.issues },
        });
      const result = await context.ingest({
        event: parsed.event,
        rawBody: req.rawBody ?? JSON.stringify(body),
        headers: {},
      });
      if (result.outcome === 'rejected') throw new HttpError('forbidden', result.message);
      return reply
        .status(result.outcome === 'accepted' ? 202 : 200)
        .send(
          result.outcome === 'accepted'
            ? { outcome: 'accepted', verdict: result.verdict, intents: result.intents }
            : { outcome: result.outcome },
        );
    });

    scope.get('/shopify/api/data-requests/:id', async (req) => {
      const { id } = req.params as { id: string };
      if (!/^\d{1,20}$/.test(id)) throw new HttpError('not_found', 'No such data request.');
      const got = await store.getCredential(caller(req).shop, `${DATA_REQUEST_PREFIX}${id}`);
      if (!got.ok) throw new HttpError('not_found', 'No such data request.');
      return got.value;
    });
  });
};
