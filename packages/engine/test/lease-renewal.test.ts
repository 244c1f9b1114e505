/**
 * A batch held up by a slow rate limit outlives one lease; its leases are renewed, so a second
 * dispatcher does not re-claim and re-send what the first is still sending.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderEventSchema } from '@tidings/core';
import { openStore, type Store } from '@tidings/store';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createDispatcher } from '../src/dispatcher.ts';
import { createTenantConfigs, silentLogger, systemClock } from '../src/engine-context.ts';
import { createIngest } from '../src/ingest.ts';
import { createRecordingChannel } from './recording-channel.ts';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-lease-'));
  store = await openStore(join(dir, 'tidings.db'));
  await store.putTenant(
    {
      id: 'shop-1',
      name: 'Shop',
      active: true,
      config: {
        tenantId: 'shop-1',
        name: 'Shop',
        channelPreferences: { customer: ['email'], internal: [] },
        compliance: { quietHours: { transactional: null, marketing: null } },
      },
    },
    new Date().toISOString(),
  );
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

it('renews the leases of a batch slower than one lease, so no other dispatcher sends it again', async () => {
  const tenants = createTenantConfigs(store, systemClock, 0);
  const ingest = createIngest({ store, clock: systemClock, tenants, logger: silentLogger });
  for (let i = 0; i < 6; i++) {
    await ingest({
      event: OrderEventSchema.parse({
        tenantId: 'shop-1',
        source: 'api',
        sourceEventId: `e${i}`,
        orderRef: `o${i}`,
        occurredAt: new Date().toISOString(),
        status: 'processing',
        raw: { value: 'processing' },
        recipients: [{ role: 'customer', contacts: { email: `c${i}@example.com` } }],
        order: { number: `#${i}` },
      }),
      rawBody: '{}',
    });
  }
  const email = createRecordingChannel('email');
  const slow = {
    async resolve() {
      return {
        channel: email,
        credentials: {},
        accountKey: 'email-account',
        rateLimit: { perSecond: 2, burst: 1 },
      };
    },
  };
  const dispatcher = (workerId: string) =>
    createDispatcher({
      store,
      clock: systemClock,
      tenants,
      channels: slow,
      logger: silentLogger,
      workerId,
      leaseMs: 1_000,
      concurrency: 1,
    });
  const first = dispatcher('w1');
  const second = dispatcher('w2');
  const running = first.runOnce();
  await new Promise((r) => setTimeout(r, 1_600)); // past the first lease
  const stolen = await second.runOnce();
  const done = await running;
  expect(done.claimed).toBe(6);
  expect(stolen.claimed).toBe(0);
  expect(email.sent.map((s) => s.message.intentId).length).toBe(6);
  expect(new Set(email.sent.map((s) => s.message.intentId)).size).toBe(6);
}, 30_000);
