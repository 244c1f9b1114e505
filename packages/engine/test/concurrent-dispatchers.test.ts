/**
 * @module Four dispatcher processes draining one outbox on one PostgreSQL: `FOR UPDATE SKIP
 * LOCKED` hands each intent to exactly one of them, so with nobody killed the provider sees every
 * intent once and the attempts table holds one attempt per intent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../store/test/embedded-postgres.ts';
import { systemClock } from '../src/engine-context.ts';
import { fillOutbox, putEmailTenant } from './bulk-orders.ts';
import { killAllChildren, startChildDispatcher } from './child-dispatchers.ts';
import { startLoopbackProvider } from './loopback-provider.ts';
import { postgresDatabase } from './test-databases.ts';

const TENANT = 'bulk';
const INTENTS = 2_000;
const PROCESSES = 4;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('four dispatcher processes on one PostgreSQL', () => {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 120_000);
  afterAll(async () => {
    await killAllChildren();
    await server?.stop();
  });

  it('never let two of them claim the same intent', async () => {
    if (!server) throw new Error('no test server');
    const db = await postgresDatabase(server.url);
    const provider = await startLoopbackProvider({ latencyMs: () => Math.random() * 2 });
    try {
      await putEmailTenant(db.store, TENANT);
      expect(
        await fillOutbox(db.store, { tenantId: TENANT, count: INTENTS, clock: systemClock }),
      ).toBe(INTENTS);

      // Small batches, so the four keep coming back to the queue and really compete for rows.
      const children = await Promise.all(
        Array.from({ length: PROCESSES }, (_, i) =>
          startChildDispatcher({
            databaseUrl: db.url,
            loopbackUrl: provider.url,
            worker: `worker-${i + 1}`,
            leaseMs: 60_000,
            batchSize: 16,
            concurrency: 8,
          }),
        ),
      );
      const started = performance.now();
      for (const child of children) child.go();
      const deadline = Date.now() + 60_000;
      while ((await db.store.countByStatus(TENANT)).sent < INTENTS && Date.now() < deadline) {
        await sleep(50);
      }
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(children.map((c) => c.stop()));

      expect(await db.store.countByStatus(TENANT)).toMatchObject({
        sent: INTENTS,
        pending: 0,
        leased: 0,
        parked: 0,
      });
      // The provider saw each intent exactly once.
      expect(provider.seen.size).toBe(INTENTS);
      const twice = provider.repeats();
      expect(twice).toEqual([]);
      expect(provider.requests).toHaveLength(INTENTS);

      // And the attempts table agrees: one attempt per intent, and it succeeded.
      let attempts = 0;
      const perIntent = new Map<string, number>();
      for (let i = 0; i < INTENTS; i++) {
        for (const a of await db.store.listAttempts(TENANT, `order-${i}`)) {
          attempts += 1;
          perIntent.set(a.intentId, (perIntent.get(a.intentId) ?? 0) + 1);
          expect(a).toMatchObject({ attempt: 1, outcome: 'ok' });
        }
      }
      expect(attempts).toBe(INTENTS);
      expect([...perIntent.values()].every((n) => n === 1)).toBe(true);

      // All four took part (otherwise nothing was tested).
      const byWorker = new Map<string, number>();
      for (const r of provider.requests) byWorker.set(r.worker, (byWorker.get(r.worker) ?? 0) + 1);
      expect(byWorker.size).toBeGreaterThan(1);
      const shares = [...byWorker].sort().map(([w, n]) => `${w}=${n}`);
      console.log(
        `concurrency test (postgres): ${INTENTS} intents, ${PROCESSES} dispatcher processes ` +
          `[${shares.join(' ')}], ${twice.length} claimed twice, ${attempts} attempts, ` +
          `drained in ${seconds.toFixed(1)} s`,
      );
    } finally {
      await provider.close();
      await db.dispose();
    }
  }, 120_000);
});
