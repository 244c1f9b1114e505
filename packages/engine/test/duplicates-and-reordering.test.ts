/**
 * @module 1 000 webhooks over 160 orders, 20 % of them exact redeliveries (same source event id)
 * and 10 % of the orders with two rungs swapped, ingested concurrently on SQLite and PostgreSQL:
 * one intent per (order, shipment, status, audience, channel), none for a redelivery, none for an
 * event the lifecycle calls stale.
 */
import {
  advance,
  emptyOrderState,
  fixedClock,
  type OrderEvent,
  type OrderState,
  type Verdict,
} from '@tidings/core';
import type { Store } from '@tidings/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../store/test/embedded-postgres.ts';
import { createTenantConfigs, silentLogger } from '../src/engine-context.ts';
import { createIngest, type IngestResult } from '../src/ingest.ts';
import { orderEvent, putEmailTenant } from './bulk-orders.ts';
import { postgresDatabase, sqliteDatabase, type TestDatabase } from './test-databases.ts';

const TENANT = 'dupes';
const ORDERS = 160;
const DUPLICATES = 200;
const SWAPPED_ORDERS = 80;
const LANES = 16;

/** A small seeded PRNG (mulberry32), so a failure can be replayed. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

type Step = [OrderEvent['status'], string | undefined];
/** Three in four orders ship in one parcel; the fourth in two. */
const stepsOf = (i: number): Step[] =>
  i % 4 === 3
    ? [
        ['processing', undefined],
        ['dispatched', 's1'],
        ['dispatched', 's2'],
        ['delivered', 's1'],
        ['delivered', 's2'],
      ]
    : [
        ['processing', undefined],
        ['dispatched', 's1'],
        ['in_transit', 's1'],
        ['out_for_delivery', 's1'],
        ['delivered', 's1'],
      ];

/** The webhooks in the order they are delivered, and what was done to them. */
const webhooks = (random: () => number) => {
  const perOrder: OrderEvent[][] = [];
  for (let i = 0; i < ORDERS; i++) {
    perOrder.push(
      stepsOf(i).map(([status, shipment], k) =>
        orderEvent(TENANT, i, {
          status,
          sourceEventId: `wh-${i}-${k}`,
          occurredAt: new Date(Date.UTC(2026, 10, 28, 12, k * 7)).toISOString(),
          ...(shipment ? { shipment: { id: shipment, carrier: 'UPS' } } : {}),
        }),
      ),
    );
  }
  // Reordering: in 80 orders a later rung of a parcel overtakes an earlier rung of the same
  // parcel (two-parcel orders: "delivered s1" before "dispatched s1"; others: two adjacent rungs).
  const swapped = new Set<number>();
  while (swapped.size < SWAPPED_ORDERS) swapped.add(Math.floor(random() * ORDERS));
  for (const i of swapped) {
    const events = perOrder[i] ?? [];
    const later = i % 4 === 3 ? 3 : 2 + Math.floor(random() * 3);
    const earlier = i % 4 === 3 ? 1 : later - 1;
    const [a, b] = [events[earlier], events[later]];
    if (a && b) {
      events[earlier] = b;
      events[later] = a;
    }
  }
  // Interleave the orders at random, keeping each order's own (possibly swapped) sequence.
  const cursors = perOrder.map(() => 0);
  const unique: OrderEvent[] = [];
  while (unique.length < ORDERS * 5) {
    const i = Math.floor(random() * ORDERS);
    const events = perOrder[i] ?? [];
    const next = events[cursors[i] ?? 0];
    if (next) {
      unique.push(next);
      cursors[i] = (cursors[i] ?? 0) + 1;
    }
  }
  // Exact redeliveries: 200 distinct events delivered a second time, somewhere after the first.
  const delivered = [...unique];
  const repeated = new Set<number>();
  while (repeated.size < DUPLICATES) repeated.add(Math.floor(random() * unique.length));
  for (const index of repeated) {
    const event = unique[index];
    if (!event) continue;
    const at = delivered.indexOf(event);
    const position = at + 1 + Math.floor(random() * (delivered.length - at));
    delivered.splice(position, 0, event);
  }
  return { delivered, unique, swapped: swapped.size };
};

/** The verdict the lifecycle gives each stored event, replayed in the order they were stored. */
const replayVerdicts = async (store: Store): Promise<Map<string, Verdict>> => {
  const verdicts = new Map<string, Verdict>();
  for (let i = 0; i < ORDERS; i++) {
    const stored = (await store.listEvents(TENANT, `order-${i}`)).sort((a, b) => a.seq - b.seq);
    let state: OrderState = emptyOrderState(TENANT, `order-${i}`);
    for (const { event } of stored) {
      const next = advance(state, event);
      state = next.state;
      verdicts.set(event.sourceEventId, next.outcome.verdict);
    }
  }
  return verdicts;
};

const duplicateRun = async (name: string, db: TestDatabase): Promise<void> => {
  const clock = fixedClock('2026-11-28T17:00:00Z');
  await putEmailTenant(db.store, TENANT);
  const tenants = createTenantConfigs(db.store, clock, 60_000);
  await tenants.get(TENANT);
  const ingest = createIngest({ store: db.store, clock, tenants, logger: silentLogger });
  const { delivered, unique, swapped } = webhooks(prng(20261128));
  expect(delivered).toHaveLength(1_000);

  // Sixteen concurrent senders, like a platform's webhook workers hitting several web processes.
  const results = new Map<string, IngestResult[]>();
  let next = 0;
  const lane = async () => {
    while (next < delivered.length) {
      const event = delivered[next++];
      if (!event) break;
      const result = await ingest({ event, rawBody: JSON.stringify(event.raw) });
      const list = results.get(event.sourceEventId) ?? [];
      list.push(result);
      results.set(event.sourceEventId, list);
    }
  };
  await Promise.all(Array.from({ length: LANES }, lane));

  // Each redelivery answered `duplicate`, each event stored once.
  const outcomes = [...results.values()].flat().map((r) => r.outcome);
  expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(DUPLICATES);
  expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(unique.length);
  for (const list of results.values()) {
    expect(list.filter((r) => r.outcome === 'accepted')).toHaveLength(1);
  }

  // The verdicts match a replay of the lifecycle over the stored order of events.
  const expected = await replayVerdicts(db.store);
  expect(expected.size).toBe(unique.length);
  const actual = new Map<string, Verdict>();
  for (const [id, list] of results) {
    const accepted = list.find((r) => r.outcome === 'accepted');
    if (accepted?.outcome === 'accepted') actual.set(id, accepted.verdict);
  }
  expect(actual).toEqual(expected);
  const stale = [...expected].filter(([, v]) => v === 'stale').map(([id]) => id);
  const notify = [...expected].filter(([, v]) => v === 'notify').map(([id]) => id);
  expect(stale.length).toBeGreaterThan(0);

  // One intent per (order, shipment, status, audience, channel); one per news event; none else.
  const keys = new Map<string, number>();
  const byEvent = new Map<string, number>();
  let intents = 0;
  for (let i = 0; i < ORDERS; i++) {
    for (const { intent, delivery } of await db.store.listIntents(TENANT, `order-${i}`)) {
      intents += 1;
      const key = [
        intent.orderRef,
        intent.shipmentId ?? '-',
        intent.status,
        intent.audience,
        delivery.channel,
      ].join('|');
      keys.set(key, (keys.get(key) ?? 0) + 1);
      byEvent.set(intent.eventId, (byEvent.get(intent.eventId) ?? 0) + 1);
    }
  }
  expect([...keys].filter(([, n]) => n > 1)).toEqual([]);
  expect(stale.filter((id) => byEvent.has(id))).toEqual([]);
  expect([...byEvent.keys()].filter((id) => expected.get(id) !== 'notify')).toEqual([]);
  expect(notify.filter((id) => byEvent.get(id) !== 1)).toEqual([]);
  expect(intents).toBe(notify.length);

  const semantic = [...expected.values()].filter((v) => v === 'duplicate').length;
  console.log(
    `duplicate test (${name}): ${delivered.length} webhooks, ${DUPLICATES} redeliveries → ` +
      `${DUPLICATES} duplicate answers; ${swapped} orders reordered → ${stale.length} stale; ` +
      `${semantic} same-news; ${notify.length} news → ${intents} intents`,
  );
};

describe('redelivered and reordered webhooks, ingested concurrently', () => {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 120_000);
  afterAll(async () => server?.stop());

  it('make one intent per news on SQLite, and none for redeliveries or stale events', async () => {
    const db = await sqliteDatabase();
    try {
      await duplicateRun('sqlite', db);
    } finally {
      await db.dispose();
    }
  }, 60_000);

  it('make one intent per news on PostgreSQL, and none for redeliveries or stale events', async () => {
    if (!server) throw new Error('no test server');
    const db = await postgresDatabase(server.url);
    try {
      await duplicateRun('postgres', db);
    } finally {
      await db.dispose();
    }
  }, 60_000);
});
