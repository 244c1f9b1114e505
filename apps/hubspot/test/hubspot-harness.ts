/**
 * @module Starts a real hub (SQLite in a temp dir, dispatcher on, dev-sink channels) with the
 * HubSpot app mounted and its API pointed at a local HubSpot stub, and signs requests the way
 * HubSpot does. The hub's public URL is a proxy-style https origin; requests go to loopback.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, TenantConfigInput } from '@tidings/core';
import { openStore, type Store } from '@tidings/store';
import { buildHub, type Hub } from '../../hub/src/build-hub.ts';
import { type HubspotAppHandle, makeHubspotApp } from '../src/hubspot-app.ts';
import { HUBSPOT_CREDENTIAL } from '../src/portal-tokens.ts';
import { hubspotSignatureV3 } from '../src/request-signature.ts';
import { type HubspotStub, startHubspotStub } from './hubspot-stub.ts';

export const PUBLIC_URL = 'https://tidings.example.com';
export const CLIENT_SECRET = 'client-secret';
const SECRET_KEY = `k1:${Buffer.alloc(32, 9).toString('base64')}`;

export interface PortalSetup {
  portalId: number;
  config?: Partial<TenantConfigInput>;
  installed?: boolean;
}

export interface RunningHubspotHub {
  url: string;
  hub: Hub;
  store: Store;
  stub: HubspotStub;
  handle: HubspotAppHandle;
  /** Moves the hub's clock forward (the dispatcher and completer see it at once). */
  advance(ms: number): void;
  clock: Clock;
  /** POSTs to a HubSpot route signed with v3 (or as told). */
  post(
    path: string,
    body: unknown,
    options?: {
      at?: number;
      signWith?: string;
      raw?: string;
      tamper?: (raw: string) => string;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
  stop(): Promise<void>;
}

export const startHubspotHub = async (
  portals: PortalSetup[],
  env: Record<string, string> = {},
): Promise<RunningHubspotHub> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-hubspot-'));
  const store = await openStore(`sqlite:${join(dataDir, 'hub.db')}`, { secretKey: SECRET_KEY });
  const stub = await startHubspotStub();
  let offset = 0;
  const clock: Clock = { now: () => new Date(Date.now() + offset) };
  const at = clock.now().toISOString();
  for (const p of portals) {
    const id = String(p.portalId);
    await store.putTenant(
      {
        id,
        name: `Portal ${id}`,
        active: true,
        config: {
          tenantId: id,
          name: `Portal ${id}`,
          compliance: { quietHours: { transactional: null, marketing: null, critical: null } },
          ...p.config,
        },
      },
      at,
    );
    if (p.installed !== false) {
      await store.putCredential(
        id,
        HUBSPOT_CREDENTIAL,
        {
          accessToken: 'access-0',
          refreshToken: 'refresh-1',
          expiresAt: Date.now() + 3_600_000,
          hubId: p.portalId,
          scopes: ['oauth', 'automation'],
          installedAt: at,
        },
        at,
      );
    }
  }
  let handle: HubspotAppHandle | undefined;
  const hub = await buildHub({
    store,
    clock,
    adminKey: 'tdo_test-operator-key-0123456789',
    dispatcher: true,
    dispatchIdleMs: 20,
    logLevel: 'silent',
    publicUrl: PUBLIC_URL,
    env: {
      HUBSPOT_CLIENT_ID: 'client-id',
      HUBSPOT_CLIENT_SECRET: CLIENT_SECRET,
      HUBSPOT_API_BASE_URL: stub.url,
      HUBSPOT_AUTHORIZE_URL: `${stub.url}/oauth/authorize`,
      HUBSPOT_CALLBACK_POLL_MS: '40',
      ...env,
    },
    apps: [makeHubspotApp({ onReady: (h) => (handle = h) })],
  });
  const url = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  if (!handle) throw new Error('the HubSpot app did not mount');
  const ready = handle;
  return {
    url,
    hub,
    store,
    stub,
    handle: ready,
    clock,
    advance(ms) {
      offset += ms;
    },
    async post(path, body, options = {}) {
      const raw = options.raw ?? JSON.stringify(body);
      const ts = String(options.at ?? clock.now().getTime());
      const signature = hubspotSignatureV3(
        options.signWith ?? CLIENT_SECRET,
        'POST',
        `${PUBLIC_URL}${path}`,
        raw,
        ts,
      );
      return fetch(`${url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hubspot-signature-v3': signature,
          'x-hubspot-request-timestamp': ts,
          ...options.headers,
        },
        body: options.tamper ? options.tamper(raw) : raw,
      });
    },
    async stop() {
      await hub.close();
      await stub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** HubSpot's published example execution request (custom-action reference), with our inputs. */
export const executionRequest = (
  over: {
    callbackId?: string;
    portalId?: number;
    inputFields?: Record<string, unknown>;
    objectType?: string;
    objectId?: number;
  } = {},
) => ({
  callbackId: over.callbackId ?? 'ap-102670506-56777914962-11-0',
  origin: {
    portalId: over.portalId ?? 102670506,
    actionDefinitionId: 10860211,
    actionDefinitionVersion: 1,
    extensionDefinitionId: 10860211,
    extensionDefinitionVersionId: 1,
  },
  context: { source: 'WORKFLOWS', workflowId: 192814114 },
  object: { objectId: over.objectId ?? 614, objectType: over.objectType ?? 'DEAL' },
  inputFields: over.inputFields ?? {
    status: 'dispatched',
    recipient_email: 'ada@example.com',
    order_reference: 'SO-1001',
  },
});

/** Waits until `check` passes or the time runs out. */
export const eventually = async (check: () => Promise<boolean> | boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};
