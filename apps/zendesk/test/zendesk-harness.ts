/**
 * @module A real hub on a random loopback port with the Zendesk app mounted, a SQLite store in a
 * temporary directory, and a tenant `acme` (the Zendesk subdomain) whose status mappings and
 * Zendesk credential are set up the way `setup install` leaves them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantConfigInput } from '@tidings/core';
import { openStore, type Store } from '@tidings/store';
import { buildHub, type Hub } from '../../hub/src/build-hub.ts';
import { zendeskSignature } from '../src/webhook-signature.ts';
import { createZendeskApp } from '../src/zendesk-app.ts';
import { ZENDESK_CREDENTIAL, type ZendeskCredential } from '../src/zendesk-credentials.ts';

export const TENANT = 'acme';
export const SIGNING_SECRET = 'whsec-acme-0123456789abcdefghijkl';
export const APP_SECRET = 'zaf-acme-shared-secret-0123456789';
export const ORDER_FIELD = '360001';
export const STATUS_FIELD = '360002';
const KEY_RING = `k1:${Buffer.alloc(32, 9).toString('base64')}`;

export const TENANT_CONFIG: TenantConfigInput = {
  tenantId: TENANT,
  name: 'Acme Outfitters',
  channelPreferences: { customer: ['email', 'sms'], internal: [] },
  compliance: { quietHours: { transactional: null, marketing: null } },
  statusMappings: {
    zendesk: {
      order_status: {
        order_processing: { status: 'processing' },
        order_shipped: { status: 'dispatched' },
        order_delivered: { status: 'delivered' },
        order_delayed: { status: 'delayed', overlay: 'delayed', reason: 'carrier' },
        order_cancelled: { status: 'cancelled' },
      },
      tag: {
        shipped: { status: 'dispatched' },
        delayed: { status: 'delayed', overlay: 'delayed', reason: 'carrier' },
      },
    },
  },
};

export interface ZendeskHub {
  url: string;
  hub: Hub;
  store: Store;
  stop(): Promise<void>;
}

export const startZendeskHub = async (
  options: {
    credential?: Partial<ZendeskCredential>;
    dispatcher?: boolean;
    fetch?: typeof fetch;
  } = {},
): Promise<ZendeskHub> => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-zendesk-'));
  const store = await openStore(`sqlite:${join(dir, 'tidings.db')}`, { secretKey: KEY_RING });
  const at = new Date().toISOString();
  await store.putTenant(
    { id: TENANT, name: 'Acme Outfitters', active: true, config: TENANT_CONFIG },
    at,
  );
  const credential: ZendeskCredential = {
    signingSecret: SIGNING_SECRET,
    appSecret: APP_SECRET,
    orderFieldId: ORDER_FIELD,
    statusFieldId: STATUS_FIELD,
    ...options.credential,
  };
  const stored = await store.putCredential(TENANT, ZENDESK_CREDENTIAL, credential, at);
  if (!stored.ok) throw new Error(stored.error.message);
  const hub = await buildHub({
    store,
    clock: { now: () => new Date() },
    adminKey: 'tdo_test-operator-key-0123456789',
    dispatcher: options.dispatcher ?? false,
    dispatchIdleMs: 20,
    logLevel: 'warn',
    apps: [(context) => createZendeskApp(context, options.fetch ? { fetch: options.fetch } : {})],
  });
  const url = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    hub,
    store,
    async stop() {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Posts a body to the trigger target signed as Zendesk signs it. */
export const postSigned = async (
  url: string,
  body: string,
  options: { secret?: string; timestamp?: string; subdomain?: string; signature?: string } = {},
): Promise<{ status: number; json: Record<string, unknown> }> => {
  const timestamp = options.timestamp ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const signature =
    options.signature ??
    zendeskSignature(options.secret ?? SIGNING_SECRET, timestamp, Buffer.from(body));
  const response = await fetch(`${url}/zendesk/webhooks?subdomain=${options.subdomain ?? TENANT}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Zendesk Webhook',
      'x-zendesk-webhook-id': '01GK8E6BKWMJZD2T8Y5AXJQMG5',
      'x-zendesk-webhook-signature': signature,
      'x-zendesk-webhook-signature-timestamp': timestamp,
    },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
};
