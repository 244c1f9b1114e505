/**
 * @module Starts a real hub with the Shopify app mounted on a random loopback port, over a fresh
 * SQLite file, with Shopify's own endpoints (token exchange, GraphQL) answered by a stub `fetch`.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openStore, type Store } from '@tidings/store';
import { buildHub, type Hub } from '../../hub/src/build-hub.ts';
import { SESSION_CREDENTIAL } from '../src/shop-tenants.ts';
import { createShopifyApp } from '../src/shopify-app.ts';

export const API_KEY = 'test-client-id';
export const API_SECRET = 'test-client-secret-0123456789abcdef';
export const SHOP = 'tidings-demo.myshopify.com';
/** The hub's operator key, for its own admin API (`/api/tenants/...`). */
export const OPERATOR_KEY = 'tdo_test-operator-key-0123456789';
const SECRET = `k1:${Buffer.alloc(32, 9).toString('base64')}`;

export interface StubCall {
  url: string;
  body: unknown;
  headers: Record<string, string>;
}

export type StubHandler = (call: StubCall) => {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
};

export interface RunningShopifyHub {
  url: string;
  hub: Hub;
  store: Store;
  logs: string[];
  /** Requests the app made to "Shopify". */
  calls: StubCall[];
  /** Replace to change what "Shopify" answers. */
  setShopify(handler: StubHandler): void;
  stop(): Promise<void>;
}

/** Loads a fixture as the exact text Shopify sends (no re-serialisation). */
export const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** base64(HMAC-SHA256(secret, body)), as Shopify signs a webhook. */
export const sign = (body: string, secret = API_SECRET): string =>
  createHmac('sha256', secret).update(body, 'utf8').digest('base64');

let deliveries = 0;
/** Headers of a classic webhook delivery, signed over `body`. */
export const webhookHeaders = (
  topic: string,
  body: string,
  overrides: Record<string, string> = {},
): Record<string, string> => {
  deliveries += 1;
  return {
    'content-type': 'application/json',
    'x-shopify-hmac-sha256': sign(body),
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': SHOP,
    'x-shopify-api-version': '2025-01',
    'x-shopify-webhook-id': `wh-${Date.now()}-${deliveries}`,
    'x-shopify-event-id': `ev-${deliveries}`,
    'x-shopify-triggered-at': new Date().toISOString(),
    ...overrides,
  };
};

export const defaultShopify: StubHandler = (call) => {
  if (call.url.endsWith('/admin/oauth/access_token'))
    return { body: { access_token: 'shpat_test_offline', scope: 'read_orders,write_orders' } };
  return { status: 404, body: { errors: 'Not Found' } };
};

export const startShopifyHub = async (
  options: {
    env?: Record<string, string>;
    now?: () => Date;
    /** Shopify reached through this instead of the in-process stub (e.g. a local HTTP stub). */
    fetch?: typeof fetch;
  } = {},
): Promise<RunningShopifyHub> => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-shopify-'));
  const store = await openStore(`sqlite:${join(dir, 'tidings.db')}`, { secretKey: SECRET });
  const logs: string[] = [];
  const calls: StubCall[] = [];
  let handler: StubHandler = defaultShopify;
  const stubFetch: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    const text = typeof init?.body === 'string' ? init.body : '';
    const call: StubCall = { url, body: text ? JSON.parse(text) : undefined, headers };
    calls.push(call);
    const r = handler(call);
    return new Response(JSON.stringify(r.body), {
      status: r.status ?? 200,
      headers: { 'content-type': 'application/json', ...(r.headers ?? {}) },
    });
  };
  const hub = await buildHub({
    store,
    clock: { now: options.now ?? (() => new Date()) },
    adminKey: OPERATOR_KEY,
    dispatcher: false,
    logLevel: 'info',
    logStream: new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    }),
    publicUrl: 'http://127.0.0.1',
    env: {
      SHOPIFY_API_KEY: API_KEY,
      SHOPIFY_API_SECRET: API_SECRET,
      SHOPIFY_APP_URL: 'https://tidings.example',
      ...options.env,
    },
    apps: [(context) => createShopifyApp(context, { fetch: options.fetch ?? stubFetch })],
  });
  const url = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    hub,
    store,
    logs,
    calls,
    setShopify(h) {
      handler = h;
    },
    async stop() {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Installs the shop directly (tenant + offline session), as token exchange would. */
export const installShop = async (store: Store, shop = SHOP): Promise<void> => {
  const at = new Date().toISOString();
  await store.putTenant(
    {
      id: shop,
      name: 'Tidings Demo',
      active: true,
      config: {
        tenantId: shop,
        name: 'Tidings Demo',
        channelPreferences: { customer: ['email', 'sms'], internal: [] },
        compliance: { quietHours: { transactional: null, marketing: null } },
      },
    },
    at,
  );
  const saved = await store.putCredential(
    shop,
    SESSION_CREDENTIAL,
    { shop, accessToken: 'shpat_test_offline', scope: 'read_orders,write_orders', installedAt: at },
    at,
  );
  if (!saved.ok) throw new Error(saved.error.message);
};

/** Posts a signed webhook; returns status and JSON body. */
export const postWebhook = async (
  base: string,
  topic: string,
  body: string,
  overrides: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; ms: number }> => {
  const started = performance.now();
  const res = await fetch(`${base}/shopify/webhooks`, {
    method: 'POST',
    headers: webhookHeaders(topic, body, overrides),
    body,
  });
  const ms = performance.now() - started;
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, ms };
};
