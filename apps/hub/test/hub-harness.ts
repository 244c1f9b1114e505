/**
 * @module Starts a real hub on a random loopback port over a given store URL, with the demo
 * tenant and captured logs, for the end-to-end tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { openStore, type Store } from '@tidings/store';
import { buildHub, type Hub } from '../src/build-hub.ts';
import { ensureDemoTenant } from '../src/demo-tenant.ts';
import { readHubConfig } from '../src/hub-config.ts';

export interface RunningHub {
  url: string;
  hub: Hub;
  store: Store;
  apiKey: string;
  adminKey: string;
  tenantId: string;
  logs: string[];
  /** The directory holding the SQLite database (unless another URL was given). */
  dataDir: string;
  stop(): Promise<void>;
}

const SECRET = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

export const startHub = async (
  databaseUrl?: string,
  extra: Partial<
    Pick<
      Parameters<typeof buildHub>[0],
      'ingestLimit' | 'apps' | 'env' | 'publicUrl' | 'devSink' | 'providers'
    >
  > = {},
): Promise<RunningHub> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-hub-'));
  const read = readHubConfig(
    {
      TIDINGS_DATA_DIR: dataDir,
      PORT: '0',
      ...(databaseUrl ? { TIDINGS_DATABASE_URL: databaseUrl } : {}),
    },
    dataDir,
  );
  if (!read.ok) throw new Error(read.problems.join('; '));
  const store = await openStore(read.config.databaseUrl, { secretKey: SECRET });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const adminKey = 'tdo_test-operator-key-0123456789';
  const hub = await buildHub({
    store,
    clock: { now: () => new Date() },
    adminKey,
    dispatcher: true,
    dispatchIdleMs: 20,
    logLevel: 'debug',
    logStream,
    ...extra,
  });
  const demo = await ensureDemoTenant(store, read.config);
  const address = await hub.app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: address,
    hub,
    store,
    apiKey: demo.apiKey,
    adminKey,
    tenantId: demo.tenantId,
    logs,
    dataDir,
    async stop() {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
};
