/**
 * @module `createShopifyApp`: the Shopify embedded app as a Fastify plugin made from the hub's
 * `AppContext` — webhooks, compliance webhooks, the session-token-protected admin API, the
 * Polaris admin page, and the `shopify` write-back target.
 */
import type { AppContext } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { FastifyPluginAsync } from 'fastify';
import { registerAdminApi } from './admin-api-routes.ts';
import { adminGraphql } from './admin-graphql.ts';
import { registerAdminPage } from './admin-page.ts';
import { FULFILLMENT_ORDER_ORDER } from './graphql-documents.ts';
import { idString } from './json-ids.ts';
import type { HoldLookup } from './order-holds.ts';
import { loadSession } from './shop-tenants.ts';
import { readShopifyConfig } from './shopify-config.ts';
import { createShopifyLibrary, type FetchLike } from './shopify-library.ts';
import { createShopifyWriteBack } from './shopify-write-back.ts';
import { registerWebhookRoutes } from './webhook-routes.ts';

export interface ShopifyAppOptions {
  /** How the app reaches Shopify (token exchange, GraphQL); tests pass a stub. */
  fetch?: FetchLike;
}

/** Every route the app owns (DESIGN §5). */
export const SHOPIFY_ROUTES = ['/shopify/webhooks', '/shopify/app', '/shopify/api/*'] as const;

/** Creates the plugin; the hub mounts it with `await app.register(createShopifyApp(context))`. */
export const createShopifyApp =
  (context: AppContext, options: ShopifyAppOptions = {}): FastifyPluginAsync =>
  async (server) => {
    const read = readShopifyConfig(context.env, context.publicUrl);
    if (!read.ok) {
      // The hub starts without Shopify set up; its routes say why instead of 404.
      context.logger.info(
        { missing: read.error.missing },
        'Shopify app not configured; its routes answer 503',
      );
      const notConfigured = async () => {
        throw new HttpError(read.error.code, read.error.message, { status: 503 });
      };
      server.post('/shopify/webhooks', notConfigured);
      server.get('/shopify/app', notConfigured);
      server.all('/shopify/api/*', notConfigured);
      return;
    }
    const config = read.config;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    const library = createShopifyLibrary(config);
    const gql = { fetch: fetchImpl, apiVersion: config.apiVersion };
    const holdLookup: HoldLookup = async (shop, fulfillmentOrderId) => {
      const session = await loadSession(context.store, shop);
      if (!session)
        return {
          ok: false,
          error: { code: 'shopify_not_installed', message: 'No session for the shop.' },
        };
      const r = await adminGraphql<{ fulfillmentOrder: { orderId: string } | null }>(
        { ...gql, timeoutMs: 2_000 },
        session,
        FULFILLMENT_ORDER_ORDER,
        { id: fulfillmentOrderId },
      );
      if (!r.ok) return { ok: false, error: { code: r.error.code, message: r.error.message } };
      const orderRef = idString(r.data.fulfillmentOrder?.orderId);
      return orderRef
        ? { ok: true, orderRef }
        : {
            ok: false,
            error: { code: 'order_not_found', message: 'The fulfillment order has no order.' },
          };
    };
    context.writeBacks.register(
      createShopifyWriteBack({
        store: context.store,
        fetch: fetchImpl,
        apiVersion: config.apiVersion,
      }),
    );
    await registerWebhookRoutes(server, { context, library, config, holdLookup });
    await registerAdminApi(server, { context, library, config, fetch: fetchImpl });
    registerAdminPage(server, { config });
  };
