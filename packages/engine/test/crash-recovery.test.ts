/**
 * @module SIGKILL the dispatcher process again and again while it drains 2 000 intents, on SQLite
 * and on PostgreSQL: after the last restart every intent is sent, the provider saw every intent,
 * and the only repeats are sends a killed process made and never committed — each repeated with
 * the same idempotency key.
 */
import type { Store } from '@tidings/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../store/test/embedded-postgres.ts';
import { systemClock } from '../src/engine-context.ts';
import { fillOutbox, putEmailTenant } from './bulk-orders.ts';
import { killAllChildren, startChildDispatcher } from './child-dispatchers.ts';
import { type LoopbackProvider, startLoopbackProvider } from './loopback-provider.ts';
import { postgresDatabase, sqliteDatabase, type TestDatabase } from './test-databases.ts';

const TENANT = 'bulk';
const INTENTS = 2_000;
const MAX_KILLS = 8;
/** Parallel sends per child. */
const CONCURRENCY = 4;
/** Intents claimed per poll. */
const BATCH = 16;
/**
 * Repeats one kill may cause: the sends in flight plus the finished ones not yet committed, which
 * the dispatcher keeps below `concurrency + 2 × settleEvery` (`settleEvery` defaults to the
 * concurrency) — fewer than a whole batch.
 */
const REPEATS_PER_KILL = CONCURRENCY + 2 * CONCURRENCY;
const LEASE_MS = 2_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const allIntentIds = async (store: Store): Promise<string[]> => {
  const ids: string[] = [];
  for (let i = 0; i < INTENTS; i++) {
    for (const item of await store.listIntents(TENANT, `order-${i}`)) ids.push(item.intent.id);
  }
  return ids;
};

const crashRun = async (
  name: string,
  db: TestDatabase,
): Promise<{ kills: number; repeats: number; provider: LoopbackProvider }> => {
  // Latency keeps sends in flight, so a kill usually falls between a provider call and its commit.
  const provider = await startLoopbackProvider({ latencyMs: () => 5 + Math.random() * 10 });
  try {
    await putEmailTenant(db.store, TENANT);
    expect(
      await fillOutbox(db.store, { tenantId: TENANT, count: INTENTS, clock: systemClock }),
    ).toBe(INTENTS);
    const drained = async () => (await db.store.countByStatus(TENANT)).sent === INTENTS;

    const killed = new Set<string>();
    const deadline = Date.now() + 120_000;
    let round = 0;
    while (!(await drained())) {
      if (Date.now() > deadline) throw new Error(`${name}: outbox not drained in time`);
      round += 1;
      const child = await startChildDispatcher({
        databaseUrl: db.url,
        loopbackUrl: provider.url,
        worker: `crash-${round}`,
        leaseMs: LEASE_MS,
        batchSize: BATCH,
        concurrency: CONCURRENCY,
      });
      child.go();
      if (killed.size < MAX_KILLS) {
        await sleep(150 + Math.random() * 500);
        await child.kill();
        killed.add(child.worker);
      } else {
        while (!(await drained()) && Date.now() < deadline) {
          // A last child that died on its own would leave the loop waiting out the deadline.
          if (child.gone())
            throw new Error(`${name}: the last dispatcher died:\n${child.stderr()}`);
          await sleep(100);
        }
        if (!(await drained())) {
          const counts = await db.store.countByStatus(TENANT);
          throw new Error(
            `${name}: outbox not drained in time: ${JSON.stringify(counts)}\n${child.stderr()}`,
          );
        }
        await child.stop();
      }
    }

    // Every intent ends sent, and the provider saw every one of them.
    const counts = await db.store.countByStatus(TENANT);
    expect(counts).toMatchObject({ sent: INTENTS, pending: 0, leased: 0, parked: 0 });
    const ids = await allIntentIds(db.store);
    expect(new Set(ids).size).toBe(INTENTS);
    expect(ids.filter((id) => (provider.seen.get(id) ?? 0) < 1)).toEqual([]);
    expect(provider.seen.size).toBe(INTENTS);

    // Every request carried its intent id as the idempotency key, repeats included.
    expect(provider.requests.filter((r) => r.idempotencyKey !== r.intentId)).toEqual([]);

    // A repeat is a send by a killed process that never committed: every request for a repeated
    // id but the last came from a child that was SIGKILLed.
    const repeated = provider.repeats();
    for (const [id] of repeated) {
      const senders = provider.requests.filter((r) => r.intentId === id).map((r) => r.worker);
      expect(senders.slice(0, -1).every((w) => killed.has(w))).toBe(true);
    }
    const repeats = repeated.reduce((sum, [, n]) => sum + n - 1, 0);
    expect(repeats).toBeLessThanOrEqual(killed.size * REPEATS_PER_KILL);
    console.log(
      `crash test (${name}): ${INTENTS} intents, ${killed.size} kills, ${repeats} repeats` +
        ` (bound ${killed.size * REPEATS_PER_KILL})` +
        ` (${repeated.length} intents sent more than once, ${round} processes)`,
    );
    return { kills: killed.size, repeats, provider };
  } finally {
    await provider.close();
  }
};

describe('a dispatcher killed with SIGKILL again and again', () => {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 120_000);
  afterAll(async () => {
    await killAllChildren();
    await server?.stop();
  });

  it('still delivers every intent on SQLite, repeating only uncommitted sends with the same key', async () => {
    const db = await sqliteDatabase();
    try {
      const { kills } = await crashRun('sqlite', db);
      expect(kills).toBeGreaterThan(0);
    } finally {
      await killAllChildren();
      await db.dispose();
    }
  }, 150_000);

  it('still delivers every intent on PostgreSQL, repeating only uncommitted sends with the same key', async () => {
    if (!server) throw new Error('no test server');
    const db = await postgresDatabase(server.url);
    try {
      const { kills } = await crashRun('postgres', db);
      expect(kills).toBeGreaterThan(0);
    } finally {
      await killAllChildren();
      await db.dispose();
    }
  }, 150_000);
});
