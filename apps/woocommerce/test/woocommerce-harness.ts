/**
 * @module A real hub on a random loopback port with the WooCommerce app mounted, over SQLite in a
 * temporary directory, with one WooCommerce site set up as a tenant; plus helpers that sign plugin
 * deliveries and built-in webhook deliveries the way the site would.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TenantConfigInput } from '@tidings/core';
import { openStore, type Store } from '@tidings/store';
import { buildHub, type Hub } from '../../hub/src/build-hub.ts';
import { signPluginRequest } from '../src/plugin-signature.ts';
import { wooWebhookSignature } from '../src/webhook-signature.ts';
import { type WoocommerceAppOptions, woocommerceApp } from '../src/woocommerce-app.ts';

export const SITE = 'shop.example.test';
export const SITE_URL = 'https://shop.example.test';
export const PLUGIN_SECRET = 'plugin-secret-0123456789abcdef0123456789abcdef';
export const WEBHOOK_SECRET = 'webhook&secret-with-an-ampersand';

export interface RunningWooHub {
  url: string;
  hub: Hub;
  store: Store;
  logs: string[];
  stop(): Promise<void>;
}

const STORE_KEY = `k1:${Buffer.alloc(32, 9).toString('base64')}`;

export const startWooHub = async (
  options: {
    app?: WoocommerceAppOptions;
    credential?: Record<string, unknown>;
    config?: Partial<TenantConfigInput>;
  } = {},
): Promise<RunningWooHub> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-woo-'));
  const store = await openStore(`sqlite:${join(dataDir, 'tidings.db')}`, { secretKey: STORE_KEY });
  const at = new Date().toISOString();
  await store.putTenant(
    {
      id: SITE,
      name: 'Example Shop',
      active: true,
      config: {
        tenantId: SITE,
        name: 'Example Shop',
        channelPreferences: { customer: ['email', 'sms'], internal: [] },
        compliance: { quietHours: { transactional: null, marketing: null } },
        statusMappings: { woocommerce: { status: { shipped: { status: 'dispatched' } } } },
        ...options.config,
      },
    },
    at,
  );
  const stored = await store.putCredential(
    SITE,
    'woocommerce',
    options.credential ?? {
      siteUrl: SITE_URL,
      pluginSecret: PLUGIN_SECRET,
      webhookSecret: WEBHOOK_SECRET,
    },
    at,
  );
  if (!stored.ok) throw new Error(stored.error.message);
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const hub = await buildHub({
    store,
    clock: { now: () => new Date() },
    adminKey: 'tdo_test-operator-key-0123456789',
    dispatcher: false,
    logLevel: 'info',
    logStream,
    apps: [woocommerceApp(options.app)],
  });
  const url = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    hub,
    store,
    logs,
    async stop() {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

export interface PluginRequest {
  body: string;
  headers: Record<string, string>;
}

/** Signs a plugin delivery exactly as `class-tidings-signer.php` does. */
export const signedPluginRequest = (
  payload: Record<string, unknown> | string,
  options: { secret?: string; timestamp?: number; deliveryId?: string; site?: string } = {},
): PluginRequest => {
  const deliveryId =
    options.deliveryId ??
    (typeof payload === 'object' && typeof payload.delivery_id === 'string'
      ? payload.delivery_id
      : randomUUID());
  const body =
    typeof payload === 'string' ? payload : JSON.stringify({ ...payload, delivery_id: deliveryId });
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-tidings-site': options.site ?? SITE,
      'x-tidings-timestamp': timestamp,
      'x-tidings-delivery': deliveryId,
      'x-tidings-signature': signPluginRequest(
        options.secret ?? PLUGIN_SECRET,
        timestamp,
        deliveryId,
        body,
      ),
    },
  };
};

/** A status-change delivery for order `id`, as the plugin builds it. */
export const statusChange = (
  id: number,
  from: string | null,
  to: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  schema: 1,
  event: from === null ? 'order.created' : 'order.status_changed',
  delivery_id: randomUUID(),
  site_url: SITE_URL,
  order: {
    id,
    number: String(id),
    status_from: from,
    status_to: to,
    changed_at: new Date().toISOString(),
    created_at: '2025-06-01T09:00:00+00:00',
    currency: 'EUR',
    total: '42.50',
    customer: {
      id: 0,
      email: 'ada@example.com',
      phone: '+33 6 12 34 56 78',
      first_name: 'Ada',
      last_name: 'Lovelace',
      country: 'FR',
      state: '',
      locale: 'fr_FR',
    },
    items: [
      {
        id: 7,
        product_id: 5,
        sku: 'WINE-1',
        name: 'Bordeaux 2019',
        quantity: 2,
        total: '40.00',
        categories: ['Wine'],
      },
    ],
    tracking: [],
    ...extra,
  },
});

/** Signs a built-in webhook delivery as `WC_Webhook::deliver()` does. */
export const signedWebhookRequest = (
  body: string,
  options: { secret?: string; topic?: string; source?: string } = {},
): PluginRequest => ({
  body,
  headers: {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/10.4.0 Hookshot (WordPress/6.8.0)',
    'x-wc-webhook-source': options.source ?? `${SITE_URL}/`,
    'x-wc-webhook-topic': options.topic ?? 'order.updated',
    'x-wc-webhook-resource': 'order',
    'x-wc-webhook-event': (options.topic ?? 'order.updated').split('.')[1] ?? 'updated',
    'x-wc-webhook-signature': wooWebhookSignature(options.secret ?? WEBHOOK_SECRET, body),
    'x-wc-webhook-id': '12',
    'x-wc-webhook-delivery-id': 'b1946ac92492d2347c6235b4d2611184',
  },
});

export const post = async (
  url: string,
  request: PluginRequest,
): Promise<{ status: number; json: Record<string, unknown> }> => {
  const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
};

export const errorCode = (json: Record<string, unknown>): unknown =>
  (json.error as { code?: unknown } | undefined)?.code;
