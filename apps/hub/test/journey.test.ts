import { openStore } from '@tidings/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestSchema,
  startTestPostgres,
  type TestPostgres,
} from '../../../packages/store/test/embedded-postgres.ts';
import { simulate } from '../src/simulate.ts';
import { type RunningHub, startHub } from './hub-harness.ts';

const journeyShowsInInbox = async (running: RunningHub) => {
  const result = await simulate({
    baseUrl: running.url,
    tenantId: running.tenantId,
    apiKey: running.apiKey,
    waitMs: 20_000,
  });
  expect(result).toMatchObject({ events: 10, accepted: 10 });
  expect(result.intents).toBeGreaterThanOrEqual(10);
  expect(result.messages).toBe(result.intents);
  const inbox = (await (
    await fetch(`${running.url}/dev/inbox.json?tenant=${running.tenantId}`)
  ).json()) as {
    messages: { orderRef: string; status: string; channel: string; why: string[] }[];
  };
  const mine = inbox.messages.filter((m) => m.orderRef === result.orderRef);
  expect(new Set(mine.map((m) => m.status))).toEqual(
    new Set([
      'created',
      'processing',
      'split_shipment',
      'dispatched',
      'delayed',
      'out_for_delivery',
      'delivered',
    ]),
  );
  for (const m of mine) expect(m.why.length).toBeGreaterThan(0);
  expect(mine.filter((m) => m.channel === 'slack').map((m) => m.status)).toEqual(['delayed']);
  const html = await (await fetch(`${running.url}/dev/inbox`)).text();
  expect(html).toContain('Tidings dev inbox');
  expect(html).toContain(result.orderRef);
  return result;
};

describe('the hub on SQLite (the embedded default)', () => {
  let running: RunningHub;
  beforeAll(async () => {
    running = await startHub();
  });
  afterAll(async () => running?.stop());

  it('shows a simulated journey in the dev inbox, every message with its explanation', async () => {
    const result = await journeyShowsInInbox(running);
    console.log(
      `hub journey (sqlite): ${result.events} events, ${result.intents} messages in the dev inbox`,
    );
  }, 40_000);
});

describe('the hub on PostgreSQL (TIDINGS_DATABASE_URL, nothing else changed)', () => {
  let server: TestPostgres;
  let schema: Awaited<ReturnType<typeof createTestSchema>>;
  let running: RunningHub;
  beforeAll(async () => {
    server = await startTestPostgres();
    schema = await createTestSchema(server.url);
    running = await startHub(schema.url);
  }, 120_000);
  afterAll(async () => {
    await running?.stop();
    await schema?.drop();
    await server?.stop();
  });

  it('shows the same journey in the dev inbox', async () => {
    const result = await journeyShowsInInbox(running);
    const store = await openStore(schema.url);
    expect((await store.listEvents(running.tenantId, result.orderRef)).length).toBe(10);
    await store.close();
    console.log(
      `hub journey (postgres): ${result.events} events, ${result.intents} messages in the dev inbox`,
    );
  }, 40_000);
});
