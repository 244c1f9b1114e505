/**
 * @module A hub with the sources mounted, on SQLite in a temp dir and a loopback port, with a
 * tenant whose every channel is the dev sink and a fixed clock; for the sources' HTTP tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TenantConfigInput } from '@tidings/core';
import type { AppContext } from '@tidings/engine';
import { openStore, type Store } from '@tidings/store';
import { buildHub, type Hub } from '../../../apps/hub/src/build-hub.ts';
import { createSourcesApp, type SourcesOptions } from '../src/sources-app.ts';

export interface SourcesHub {
  url: string;
  hub: Hub;
  store: Store;
  tenantId: string;
  now: { value: Date };
  context: () => AppContext;
  post(
    path: string,
    body: string | Buffer,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  stop(): Promise<void>;
}

const SECRET_KEY = `k1:${Buffer.alloc(32, 9).toString('base64')}`;

export const startSourcesHub = async (
  options: SourcesOptions & { config?: Partial<TenantConfigInput>; at?: string } = {},
): Promise<SourcesHub> => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-sources-'));
  const store = await openStore(`sqlite:${join(dir, 'tidings.db')}`, { secretKey: SECRET_KEY });
  const now = { value: new Date(options.at ?? '2026-01-01T15:00:00Z') };
  const clock = { now: () => new Date(now.value) };
  let captured: AppContext | undefined;
  const hub = await buildHub({
    store,
    clock,
    adminKey: 'tdo_sources-test-operator-key-0123',
    dispatcher: false,
    logLevel: 'warn',
    apps: [
      (context) => {
        captured = context;
        return createSourcesApp(context, options);
      },
    ],
  });
  const tenantId = 'acme';
  await store.putTenant(
    {
      id: tenantId,
      name: 'Acme Mugs',
      active: true,
      config: {
        tenantId,
        name: 'Acme Mugs',
        channelPreferences: { customer: ['email'], internal: [] },
        compliance: {
          quietHours: { critical: null, transactional: null, marketing: null },
        },
        ...options.config,
      } as TenantConfigInput,
    },
    clock.now().toISOString(),
  );
  const url = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url,
    hub,
    store,
    tenantId,
    now,
    context: () => {
      if (!captured) throw new Error('sources app not mounted');
      return captured;
    },
    async post(path, body, headers = {}) {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      const text = await res.text();
      return {
        status: res.status,
        json: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      };
    },
    async stop() {
      await hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
