/**
 * @module Starts a real hub with the Salesforce app mounted, on SQLite in a temporary directory,
 * with one org set up as a tenant (its signing secret stored), and signs requests as Salesforce does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TenantConfigInput } from '@tidings/core';
import { openStore, type Store } from '@tidings/store';
import { buildHub, type Hub } from '../../hub/src/build-hub.ts';
import { signBody } from '../src/request-signing.ts';
import { createSalesforceApp } from '../src/salesforce-app.ts';

export const ORG_ID = '00D5e000000AbCdEAK';
export const SECRET = 'org-signing-secret-0123456789';
const KEY = `k1:${Buffer.alloc(32, 9).toString('base64')}`;

export interface RunningSalesforceHub {
  url: string;
  hub: Hub;
  store: Store;
  logs: string[];
  /** POSTs a body (object or exact string) signed with the org secret unless `signature` is given. */
  post(
    body: unknown,
    init?: { signature?: string | null; secret?: string; contentType?: string },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export const statusMappings: TenantConfigInput['statusMappings'] = {
  salesforce: {
    Status: {
      Shipped: { status: 'dispatched' },
      Delivered: { status: 'delivered' },
      Cancelled: { status: 'cancelled' },
    },
  },
};

export const startSalesforceHub = async (
  options: {
    secret?: string;
    now?: () => Date;
    /** Replaces parts of the org tenant's config (rules, channel preferences, …). */
    config?: Partial<TenantConfigInput>;
  } = {},
): Promise<RunningSalesforceHub> => {
  const secret = options.secret ?? SECRET;
  const dir = mkdtempSync(join(tmpdir(), 'tidings-sf-'));
  const store = await openStore(`sqlite:${join(dir, 'tidings.db')}`, { secretKey: KEY });
  const at = new Date().toISOString();
  await store.putTenant(
    {
      id: ORG_ID,
      name: 'Acme (Salesforce)',
      active: true,
      config: {
        tenantId: ORG_ID,
        name: 'Acme (Salesforce)',
        statusMappings,
        compliance: { quietHours: { transactional: null, marketing: null } },
        ...options.config,
      },
    },
    at,
  );
  const stored = await store.putCredential(ORG_ID, 'salesforce', { signingSecret: secret }, at);
  if (!stored.ok) throw new Error(stored.error.message);
  const logs: string[] = [];
  const hub = await buildHub({
    store,
    clock: { now: options.now ?? (() => new Date()) },
    adminKey: 'tdo_test-operator-key-0123456789',
    dispatcher: false,
    logLevel: 'debug',
    logStream: new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    }),
    apps: [createSalesforceApp],
  });
  const url = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    hub,
    store,
    logs,
    async post(body, init = {}) {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const signature =
        init.signature === undefined ? signBody(init.secret ?? secret, raw) : init.signature;
      return fetch(`${url}/salesforce/events`, {
        method: 'POST',
        headers: {
          'content-type': init.contentType ?? 'application/json',
          ...(signature === null ? {} : { 'x-tidings-signature': signature }),
        },
        body: raw,
      });
    },
    async stop() {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
