/**
 * @module `npm run bench`: ingest with group commit against one transaction per event, dispatch
 * to a loopback HTTP provider, RSS after a 100 000-intent burst has drained, and token-bucket
 * exactness — on SQLite and on an embedded PostgreSQL — ending with one `engine bench:` line per
 * database. Sizes: `BENCH_INGEST`, `BENCH_DISPATCH`, `BENCH_BURST`, `BENCH_PG_BURST` (100 000 each by default); dispatcher processes: `BENCH_PROCESSES` (`1,2`); burst process flags: `BENCH_NODE_FLAGS`; databases:
 * `BENCH_DB=sqlite,postgres`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type Channel, type OrderEvent, renderTemplate } from '@tidings/core';
import { openStore, type Store } from '@tidings/store';
import { startTestPostgres, type TestPostgres } from '../../store/test/embedded-postgres.ts';
import { createDispatcher } from '../src/dispatcher.ts';
import { createTenantConfigs, silentLogger, systemClock } from '../src/engine-context.ts';
import { createIngest, type IngestResult } from '../src/ingest.ts';
import { createRateLimiter, type RateLimit } from '../src/rate-limiter.ts';
import { fillOutbox, orderEvent, putEmailTenant } from '../test/bulk-orders.ts';
import { startChildDispatcher } from '../test/child-dispatchers.ts';
import {
  createLoopbackChannel,
  type LoopbackRequest,
  loopbackResolver,
  startLoopbackProvider,
} from '../test/loopback-provider.ts';
import { postgresDatabase, sqliteDatabase, type TestDatabase } from '../test/test-databases.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const size = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const INGEST = size('BENCH_INGEST', 10_000);
const DISPATCH = size('BENCH_DISPATCH', 20_000);
const BURST = size('BENCH_BURST', 100_000);
const PG_BURST = size('BENCH_PG_BURST', 100_000);
const DATABASES = (process.env.BENCH_DB ?? 'sqlite,postgres').split(',');
/** Where the provider stub runs: its own process (default, as a real provider) or this one. */
const STUB = process.env.BENCH_STUB === 'inprocess' ? 'inprocess' : 'child';
/** `per-send` gives the adapter a fresh `AbortSignal.timeout` per send (the old way), for comparison. */
const TIMEOUTS = process.env.BENCH_TIMEOUTS === 'per-send' ? 'per-send' : 'shared';
/** Concurrent webhooks in flight, as several busy web workers would have. */
const IN_FLIGHT = 512;
/**
 * V8 flags for the burst process, as the README says to start a dispatcher process
 * (`BENCH_NODE_FLAGS`). V8 keeps the pages of its peak heap resident after they are free (a
 * 10-line script that peaks at 230 MB of heap stays at 280 MB RSS with 6 MB in use), and by
 * default lets the young generation grow with the machine's memory; `--optimize-for-size` makes
 * it collect before growing, which is what bounds RSS after a burst.
 */
const BURST_NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? '--optimize-for-size')
  .split(' ')
  .filter((f) => f !== '');
/** Dispatcher process counts to measure (`BENCH_PROCESSES`, e.g. `1,2,4`). */
const DISPATCH_PROCESSES = (process.env.BENCH_PROCESSES ?? '1,2')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);
/** Events built at a time while filling the outbox. */
const FILL_CHUNK = 2_000;

const rssMb = (): number => {
  gc();
  gc();
  return Math.round(process.memoryUsage().rss / 1_048_576);
};
const round = (n: number): number => Math.round(n);
const say = (line: string): void => console.log(line);

let tenantSeq = 0;
const events = (tenantId: string, count: number): OrderEvent[] =>
  Array.from({ length: count }, (_, i) =>
    orderEvent(tenantId, i, { status: 'processing', sourceEventId: `${tenantId}-${i}` }),
  );

/** Ingests `list` with `IN_FLIGHT` outstanding at a time; returns events per second. */
const ingestAll = async (store: Store, list: OrderEvent[], maxBatch?: number): Promise<number> => {
  const tenantId = list[0]?.tenantId ?? 'none';
  const ingest = createIngest({
    store,
    clock: systemClock,
    tenants: createTenantConfigs(store, systemClock, 600_000),
    logger: silentLogger,
    ...(maxBatch !== undefined ? { maxBatch } : {}),
  });
  // Warm the tenant cache and the statement cache outside the timing.
  await ingest({
    event: orderEvent(tenantId, -1, { status: 'processing', sourceEventId: `${tenantId}-warm` }),
    rawBody: '{}',
  });
  let next = 0;
  let accepted = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < list.length) {
      const event = list[next++];
      if (!event) break;
      const r: IngestResult = await ingest({ event, rawBody: '{"bench":true}' });
      if (r.outcome === 'accepted') accepted += 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const seconds = (performance.now() - started) / 1000;
  if (accepted !== list.length) throw new Error(`accepted ${accepted} of ${list.length}`);
  return list.length / seconds;
};

const freshTenant = async (store: Store): Promise<string> => {
  tenantSeq += 1;
  const id = `bench-${tenantSeq}`;
  await putEmailTenant(store, id);
  return id;
};

interface Stub {
  url: string;
  /** Distinct intent ids the stub saw. */
  count(): Promise<number>;
  /** Arrivals, when kept (in-process only). */
  requests: LoopbackRequest[];
  close(): Promise<void>;
}

/** The loopback provider in this process, or in a child process of its own. */
const startStub = async (where: 'child' | 'inprocess', keepLog: boolean): Promise<Stub> => {
  if (where === 'inprocess') {
    const p = await startLoopbackProvider({ keepLog });
    return { url: p.url, count: async () => p.seen.size, requests: p.requests, close: p.close };
  }
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, BENCH_MODE: 'stub' },
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((r) => waiting.push(r));
  const url = (await next()).replace(/^stub-url /, '');
  return {
    url,
    count: async () => {
      const answer = next();
      child.stdin.write('count\n');
      return Number((await answer).replace(/^stub-count /, ''));
    },
    requests: [],
    close: async () => {
      child.stdin.end();
      await new Promise((r) => child.once('exit', r));
    },
  };
};

/** In the stub child: serve until stdin closes, answering `count` with the ids seen. */
const stubChild = async (): Promise<void> => {
  const provider = await startLoopbackProvider({ keepLog: false });
  process.stdout.write(`stub-url ${provider.url}\n`);
  const lines = createInterface({ input: process.stdin });
  lines.on('line', () => process.stdout.write(`stub-count ${provider.seen.size}\n`));
  await new Promise((r) => lines.once('close', r));
  await provider.close();
};

/** The old way, for comparison: a fresh `AbortSignal.timeout` per send instead of the given one. */
const perSendTimeouts = (channel: Channel<unknown>, ms: number): Channel<unknown> => ({
  ...channel,
  send: (message, credentials, options) =>
    channel.send(message, credentials, { ...options, signal: AbortSignal.timeout(ms) }),
});

/** Fills the outbox with `count` intents (untimed), drains it to the stub, returns intents/s. */
const dispatchAll = async (
  store: Store,
  count: number,
  options: { batchSize: number; concurrency: number; rateLimit?: RateLimit } = {
    batchSize: 256,
    concurrency: 64,
  },
): Promise<{ perSecond: number; arrivals: number[]; ingestS: number; filledRssMb: number }> => {
  const filling = performance.now();
  const tenantId = await freshTenant(store);
  // Built chunk by chunk: 100 000 parsed events held at once would dwarf what is measured (and
  // V8 keeps the pages of its peak heap resident, so the harness's own peak would show as RSS).
  for (let start = 0; start < count; start += FILL_CHUNK) {
    const chunk = Array.from({ length: Math.min(FILL_CHUNK, count - start) }, (_, k) =>
      orderEvent(tenantId, start + k, {
        status: 'processing',
        sourceEventId: `${tenantId}-${start + k}`,
      }),
    );
    await ingestAll(store, chunk);
  }
  const ingestS = (performance.now() - filling) / 1000;
  const filledRssMb = rssMb();
  // Arrival times for the rate-limit check are only kept by a stub in this process.
  const provider = await startStub(
    options.rateLimit ? 'inprocess' : STUB,
    options.rateLimit !== undefined,
  );
  try {
    const loopback = createLoopbackChannel({ url: provider.url, kind: 'email', worker: 'bench' });
    const channel = TIMEOUTS === 'per-send' ? perSendTimeouts(loopback, 15_000) : loopback;
    const dispatcher = createDispatcher({
      store,
      clock: systemClock,
      tenants: createTenantConfigs(store, systemClock, 600_000),
      channels: loopbackResolver(channel, options.rateLimit),
      logger: silentLogger,
      batchSize: options.batchSize,
      concurrency: options.concurrency,
      leaseMs: 120_000,
    });
    const started = performance.now();
    await dispatcher.drain();
    const seconds = (performance.now() - started) / 1000;
    const counts = await store.countByStatus(tenantId);
    const seen = await provider.count();
    if (counts.sent !== count + 1 || seen !== count + 1) {
      throw new Error(`drained ${counts.sent} sent, stub saw ${seen}`);
    }
    return {
      perSecond: count / seconds,
      arrivals: provider.requests.map((r) => r.at),
      ingestS,
      filledRssMb,
    };
  } finally {
    await provider.close();
  }
};

/**
 * Fills the outbox with `count` intents, then drains it with `processes` dispatcher processes on
 * one database (the capacity-math setting: M dispatchers), returning intents/s for the drain.
 */
const dispatchWithProcesses = async (
  db: TestDatabase,
  count: number,
  processes: number,
): Promise<number> => {
  const tenantId = await freshTenant(db.store);
  for (let start = 0; start < count; start += FILL_CHUNK) {
    const chunk = Array.from({ length: Math.min(FILL_CHUNK, count - start) }, (_, k) =>
      orderEvent(tenantId, start + k, {
        status: 'processing',
        sourceEventId: `${tenantId}-${start + k}`,
      }),
    );
    await ingestAll(db.store, chunk);
  }
  const provider = await startStub(STUB, false);
  const children = await Promise.all(
    Array.from({ length: processes }, (_, i) =>
      startChildDispatcher({
        databaseUrl: db.url,
        loopbackUrl: provider.url,
        worker: `bench-${i}`,
        leaseMs: 120_000,
        batchSize: 256,
        concurrency: 64,
      }),
    ),
  );
  try {
    const started = performance.now();
    for (const child of children) child.go();
    for (;;) {
      const counts = await db.store.countByStatus(tenantId);
      if (counts.sent >= count + 1) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - started) / 1000;
    const seen = await provider.count();
    if (seen !== count + 1) throw new Error(`stub saw ${seen} of ${count + 1}`);
    return count / seconds;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await provider.close();
  }
};

/**
 * In a floor child: plans `count` intents into a scratch database (untimed), then on `go` renders
 * each as the dispatcher does and posts it to the stub through the same adapter and transport, 64
 * in flight, with no store in the loop; prints the seconds it took. What `what` leaves out is
 * skipped (`render`, `send`, or `both`).
 */
const floorChild = async (stubUrl: string, count: number, what: string): Promise<void> => {
  const db = await sqliteDatabase({ synchronous: 'normal' });
  try {
    await putEmailTenant(db.store, 'floor');
    await fillOutbox(db.store, { tenantId: 'floor', count, clock: systemClock, inFlight: 512 });
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const items = await db.store.claimDue(later, count, 3_600_000, 'floor');
    const channel = createLoopbackChannel({ url: stubUrl, kind: 'email', worker: 'floor' });
    const signal = AbortSignal.timeout(600_000);
    const lines = createInterface({ input: process.stdin });
    process.stdout.write('floor-ready\n');
    await new Promise((r) => lines.once('line', r));
    const started = performance.now();
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const item = items[next++];
        if (!item) break;
        const { intent, delivery } = item;
        const rendered =
          what === 'send'
            ? undefined
            : renderTemplate({
                templateKey: intent.templateKey,
                channel: 'email',
                locale: intent.locale,
                timeZone: intent.timeZone,
                rewrites: delivery.rewrites,
                context: intent.context ?? {},
              });
        if (rendered && !rendered.ok) throw new Error(rendered.error.message);
        if (what === 'render') {
          // Yield now and then, as the sends would.
          if (next % 64 === 0) await new Promise((r) => setImmediate(r));
          continue;
        }
        const sent = await channel.send(
          {
            intentId: intent.id,
            tenantId: intent.tenantId,
            orderRef: intent.orderRef,
            channel: 'email',
            ...(delivery.to ? { to: delivery.to } : {}),
            ...(rendered ? { rendering: rendered.rendering } : {}),
            status: intent.status,
            templateKey: intent.templateKey,
          } as Parameters<Channel<unknown>['send']>[0],
          {},
          { signal },
        );
        if (!sent.ok) throw new Error(`floor send failed: ${sent.error.code}`);
      }
    };
    await Promise.all(Array.from({ length: 64 }, lane));
    process.stdout.write(`floor-done ${(performance.now() - started) / 1000}\n`);
    lines.close();
  } finally {
    await db.dispose();
  }
};

/**
 * The machine's own ceiling for dispatch: render + provider call with no store at all, in
 * `processes` processes against one stub process, `count` intents each. Whatever the store costs
 * comes on top, so a dispatch target above this cannot be met on this machine.
 */
const floorRate = async (processes: number, count: number, what: string): Promise<number> => {
  const provider = await startStub('child', false);
  try {
    const children = await Promise.all(
      Array.from({ length: processes }, async () => {
        const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
          stdio: ['pipe', 'pipe', 'inherit'],
          env: {
            ...process.env,
            BENCH_MODE: 'floor',
            BENCH_FLOOR_URL: provider.url,
            BENCH_FLOOR_COUNT: String(count),
            BENCH_FLOOR_WHAT: what,
          },
        });
        const exited = new Promise((r) => child.once('exit', r));
        const lines = createInterface({ input: child.stdout });
        const waiting: ((line: string) => void)[] = [];
        lines.on('line', (line) => waiting.shift()?.(line));
        const next = () => new Promise<string>((r) => waiting.push(r));
        const ready = await next();
        if (ready !== 'floor-ready') throw new Error(`floor child said ${ready}`);
        return { child, next, exited };
      }),
    );
    const started = performance.now();
    const done = children.map((c) => c.next());
    for (const { child } of children) child.stdin.write('go\n');
    await Promise.all(done);
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(children.map((c) => c.exited));
    return (processes * count) / seconds;
  } finally {
    await provider.close();
  }
};

/** Takes from one bucket with `takers` concurrent callers for `ms`; measured rate after the burst. */
const limiterRate = async (limit: RateLimit, takers: number, ms: number): Promise<number> => {
  const limiter = createRateLimiter();
  let taken = 0;
  const started = performance.now();
  let last = started;
  const taker = async () => {
    while (performance.now() - started < ms) {
      await limiter.take('account', limit);
      taken += 1;
      last = performance.now();
    }
  };
  await Promise.all(Array.from({ length: takers }, taker));
  return ((taken - limit.burst) / (last - started)) * 1000;
};

interface BurstResult {
  startRssMb: number;
  peakRssMb: number;
  /** After the outbox was filled, before the drain. */
  filledRssMb: number;
  rssMb: number;
  heapMb: number;
  /** V8's reserved heap and memory outside it (buffers, native objects), after draining. */
  heapTotalMb: number;
  externalMb: number;
  ingestS: number;
  drainS: number;
  dispatchPerS: number;
}

/** In the burst child: ingest `count` orders, drain them to a stub, report memory. */
const burstChild = async (url: string, count: number): Promise<void> => {
  const startRssMb = rssMb();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const store = await openStore(url);
  const started = performance.now();
  const { perSecond, ingestS, filledRssMb } = await dispatchAll(store, count);
  const total = (performance.now() - started) / 1000;
  clearInterval(sampler);
  await store.close();
  const rss = rssMb();
  const result: BurstResult = {
    startRssMb,
    peakRssMb: Math.round(Math.max(peak, process.memoryUsage().rss) / 1_048_576),
    filledRssMb,
    rssMb: rss,
    heapMb: Math.round(process.memoryUsage().heapUsed / 1_048_576),
    heapTotalMb: Math.round(process.memoryUsage().heapTotal / 1_048_576),
    externalMb: Math.round(process.memoryUsage().external / 1_048_576),
    ingestS,
    drainS: total - ingestS,
    dispatchPerS: perSecond,
  };
  process.stdout.write(`burst-result ${JSON.stringify(result)}\n`);
};

/** Runs `burstChild` in a fresh Node process against a fresh database of kind `name`. */
const runBurstChild = async (
  name: string,
  count: number,
  flags: readonly string[] = BURST_NODE_FLAGS,
): Promise<BurstResult> => {
  const db = name === 'sqlite' ? await sqliteDatabase() : await openPostgres();
  try {
    const child = spawn(process.execPath, [...flags, fileURLToPath(import.meta.url)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        BENCH_MODE: 'burst',
        BENCH_BURST_URL: db.url,
        BENCH_BURST_COUNT: String(count),
      },
    });
    let out = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      out += d;
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    const line = out.split('\n').find((l) => l.startsWith('burst-result '));
    if (code !== 0 || !line) throw new Error(`burst child failed (${code}): ${out}`);
    return JSON.parse(line.slice('burst-result '.length)) as BurstResult;
  } finally {
    await db.dispose();
  }
};

let pgServer: TestPostgres | undefined;
const openPostgres = async (): Promise<TestDatabase> => {
  pgServer ??= await startTestPostgres();
  return postgresDatabase(pgServer.url);
};

const pct = (measured: number, configured: number): string =>
  `${(((measured - configured) / configured) * 100).toFixed(2)} %`;

const benchDatabase = async (
  name: string,
  open: (options?: { synchronous?: 'full' | 'normal' }) => Promise<TestDatabase>,
  burst: number,
): Promise<string> => {
  say(`\n── ${name} ──`);
  const measure = async (label: string, maxBatch?: number, synchronous?: 'full' | 'normal') => {
    const db = await open(synchronous ? { synchronous } : {});
    try {
      const tenantId = await freshTenant(db.store);
      const rate = await ingestAll(db.store, events(tenantId, INGEST), maxBatch);
      say(`ingest ${label}: ${round(rate)} events/s (${INGEST} events, ${IN_FLIGHT} in flight)`);
      return rate;
    } finally {
      await db.dispose();
    }
  };
  const group = await measure('group commit (maxBatch 256)');
  const single = await measure('one transaction per event (maxBatch 1)', 1);
  say(`ingest group commit / per event: ${(group / single).toFixed(1)}×`);
  if (name === 'sqlite') {
    const g = await measure('group commit, synchronous=normal', undefined, 'normal');
    const s = await measure('per event, synchronous=normal', 1, 'normal');
    say(`ingest group / per event with synchronous=normal: ${(g / s).toFixed(1)}×`);
  }

  let dispatch: number;
  {
    const db = await open();
    try {
      dispatch = (await dispatchAll(db.store, DISPATCH)).perSecond;
      say(
        `dispatch: ${round(dispatch)} intents/s (${DISPATCH} intents, one process, batch 256, 64 in flight)`,
      );
      const small = (
        await dispatchAll(db.store, Math.min(DISPATCH, 10_000), { batchSize: 64, concurrency: 16 })
      ).perSecond;
      say(`dispatch with the defaults (batch 64, 16 in flight): ${round(small)} intents/s`);
    } finally {
      await db.dispose();
    }
  }
  for (const processes of DISPATCH_PROCESSES) {
    const db = await open();
    try {
      const rate = await dispatchWithProcesses(db, DISPATCH, processes);
      say(
        `dispatch with ${processes} dispatcher process${processes === 1 ? '' : 'es'}: ${round(rate)} intents/s (${DISPATCH} intents, batch 256, 64 in flight each)`,
      );
    } finally {
      await db.dispose();
    }
  }
  if (name === 'sqlite') {
    const db = await open({ synchronous: 'normal' });
    try {
      const normal = (await dispatchAll(db.store, DISPATCH)).perSecond;
      say(
        `dispatch with synchronous=normal: ${round(normal)} intents/s (fsync per commit removed)`,
      );
    } finally {
      await db.dispose();
    }
  }

  // The burst runs in a process of its own, so its RSS is a dispatcher's, not this harness's.
  if (name === 'sqlite') {
    const plain = await runBurstChild(name, burst, []);
    say(
      `burst with V8's default flags: RSS ${plain.rssMb} MB after draining (${plain.peakRssMb} MB peak, heap ${plain.heapMb} MB used of ${plain.heapTotalMb} MB), drained at ${round(plain.dispatchPerS)}/s`,
    );
  }
  const burstResult = await runBurstChild(name, burst);
  const rss = burstResult.rssMb;
  say(
    `burst (node ${BURST_NODE_FLAGS.join(' ') || 'with no flags'}): ${burst} intents ingested in ${burstResult.ingestS.toFixed(0)} s and drained in ` +
      `${burstResult.drainS.toFixed(0)} s (${round(burstResult.dispatchPerS)}/s); RSS ${burstResult.startRssMb} MB ` +
      `at start, ${burstResult.filledRssMb} MB once filled, ${burstResult.peakRssMb} MB peak, ${rss} MB after draining (heap ${burstResult.heapMb} MB used of ${burstResult.heapTotalMb} MB, external ${burstResult.externalMb} MB)`,
  );

  {
    const db = await open();
    try {
      // Below what one process dispatches unthrottled, so the bucket and not the store sets the pace.
      const limit: RateLimit = { perSecond: 200, burst: 10 };
      const { arrivals } = await dispatchAll(db.store, 1_200, {
        batchSize: 64,
        concurrency: 16,
        rateLimit: limit,
      });
      const sorted = arrivals.sort((a, b) => a - b);
      const first = sorted[limit.burst] ?? 0;
      const last = sorted[sorted.length - 1] ?? 0;
      const measured = ((sorted.length - 1 - limit.burst) / (last - first)) * 1000;
      say(
        `rate limit through the dispatcher: configured ${limit.perSecond}/s (burst ${limit.burst}), ` +
          `measured ${measured.toFixed(1)}/s at the stub (${pct(measured, limit.perSecond)})`,
      );
    } finally {
      await db.dispose();
    }
  }

  return `engine bench: db=${name} ingest_group_per_s=${round(group)} ingest_single_per_s=${round(single)} dispatch_per_s=${round(dispatch)} rss_mb=${rss}`;
};

const main = async (): Promise<void> => {
  const summary: string[] = [];
  say(`engine bench on Node ${process.version}, ${DATABASES.join(' + ')}`);
  say(
    `provider stub: ${STUB === 'child' ? 'own process' : 'in process'}; send timeouts: ${TIMEOUTS}`,
  );
  say(`start RSS ${rssMb()} MB`);

  // The token bucket alone, with contention and without.
  for (const [limit, takers] of [
    [{ perSecond: 100, burst: 1 }, 1],
    [{ perSecond: 1_000, burst: 10 }, 8],
    [{ perSecond: 5_000, burst: 50 }, 32],
  ] as const) {
    const measured = await limiterRate(limit, takers, 3_000);
    say(
      `token bucket ${limit.perSecond}/s burst ${limit.burst}, ${takers} takers: ` +
        `${measured.toFixed(1)}/s (${pct(measured, limit.perSecond)})`,
    );
  }

  // What this machine allows before any store: render + provider call, no database in the loop.
  say('\n── machine floor: render + provider call, no store ──');
  const floorCount = Math.min(DISPATCH, 20_000);
  say(
    `render only, one process: ${round(await floorRate(1, floorCount, 'render'))} intents/s; ` +
      `provider call only, one process: ${round(await floorRate(1, floorCount, 'send'))} intents/s`,
  );
  let floorBest = 0;
  for (const processes of DISPATCH_PROCESSES) {
    const rate = await floorRate(processes, floorCount, 'both');
    floorBest = Math.max(floorBest, rate);
    say(
      `render + provider call with ${processes} process${processes === 1 ? '' : 'es'}: ${round(rate)} intents/s`,
    );
  }
  summary.push(`engine floor (no store): render_send_per_s=${round(floorBest)}`);

  if (DATABASES.includes('sqlite')) {
    summary.push(await benchDatabase('sqlite', (o) => sqliteDatabase(o ?? {}), BURST));
  }
  if (DATABASES.includes('postgres')) {
    try {
      summary.push(await benchDatabase('postgres', () => openPostgres(), PG_BURST));
    } finally {
      await pgServer?.stop();
    }
  }
  say('');
  for (const line of summary) say(line);
};

const burstUrl = process.env.BENCH_BURST_URL;
if (process.env.BENCH_MODE === 'stub') {
  await stubChild();
} else if (process.env.BENCH_MODE === 'floor' && process.env.BENCH_FLOOR_URL) {
  await floorChild(
    process.env.BENCH_FLOOR_URL,
    size('BENCH_FLOOR_COUNT', 20_000),
    process.env.BENCH_FLOOR_WHAT ?? 'both',
  );
} else if (process.env.BENCH_MODE === 'burst' && burstUrl) {
  await burstChild(burstUrl, size('BENCH_BURST_COUNT', BURST));
} else {
  await main();
}
