/**
 * @module `npm run bench` (`node bench/ingest.bench.ts`): signed `orders/updated` webhooks at 50
 * connections through the full path — HMAC verify → normalize → plan → durable commit on SQLite
 * → 200 — against a bare endpoint that only answers 200, both started the same way (the hub's
 * Fastify factory, same logger and level, own child process, loopback) in the same run. Every
 * request is a different order with its own webhook id, so neither dedupe nor the stale check
 * short-circuits it, and its HMAC is computed over its own body. Ends with one line
 * `shopify ingest bench: per_s=… bare_per_s=… ratio=… p99_ms=…`.
 *
 * Knobs: `BENCH_DURATION` (seconds, default 10), `BENCH_CONNECTIONS` (default 50),
 * `BENCH_LOG_LEVEL` (default `info`, the hub's default), `BENCH_PROFILE=1` (the full-path server
 * writes a `--cpu-prof` profile into `$TMPDIR/tidings-shopify-bench-profiles/`).
 */
import { spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createServer } from '@tidings/http';
import { openStore } from '@tidings/store';
import autocannon, { type Result } from 'autocannon';
import { buildHub } from '../../hub/src/build-hub.ts';
import { createShopifyApp } from '../src/shopify-app.ts';
import { readShopifyConfig } from '../src/shopify-config.ts';
import { createShopifyLibrary } from '../src/shopify-library.ts';
import { verifyWebhook } from '../src/webhook-routes.ts';
import { API_KEY, API_SECRET, installShop, SHOP } from '../test/shopify-harness.ts';

const HERE = fileURLToPath(import.meta.url);
const number = (name: string, fallback: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const DURATION = number('BENCH_DURATION', 10);
const CONNECTIONS = number('BENCH_CONNECTIONS', 50);
const WARMUP = 2;
/** The hub's default level unless told; both servers log alike, the lines serialised then dropped. */
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const discard = () =>
  new Writable({
    write(_chunk, _enc, done) {
      done();
    },
  });

type Kind = 'full' | 'bare' | 'verify';

/** The environment both Shopify servers run with. */
const SHOPIFY_ENV = {
  SHOPIFY_API_KEY: API_KEY,
  SHOPIFY_API_SECRET: API_SECRET,
  SHOPIFY_APP_URL: 'https://tidings.example',
};

/** Child process: one of the servers, printing its URL once listening. */
const serve = async (kind: Kind): Promise<void> => {
  if (kind === 'verify') {
    // The bare endpoint plus the official library's webhook check, exactly as the route calls it.
    const read = readShopifyConfig(SHOPIFY_ENV, 'http://127.0.0.1');
    if (!read.ok) throw new Error(read.error.message);
    const library = createShopifyLibrary(read.config);
    const app = createServer({ logLevel: LOG_LEVEL, logStream: discard() });
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) =>
        done(null, body),
      );
      scope.post('/shopify/webhooks', async (req) => {
        await verifyWebhook(library, req.raw, req.body as Buffer);
        return { outcome: 'accepted' };
      });
    });
    console.log(`listening ${await app.listen({ port: 0, host: '127.0.0.1' })}`);
    process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
    return;
  }
  if (kind === 'bare') {
    const app = createServer({ logLevel: LOG_LEVEL, logStream: discard() });
    app.post('/shopify/webhooks', async () => ({ outcome: 'accepted' }));
    console.log(`listening ${await app.listen({ port: 0, host: '127.0.0.1' })}`);
    process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tidings-shopify-bench-'));
  const store = await openStore(`sqlite:${join(dir, 'tidings.db')}`, {
    secretKey: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  });
  const hub = await buildHub({
    store,
    clock: { now: () => new Date() },
    adminKey: `tdo_${randomUUID().replaceAll('-', '')}`,
    // Ingest only: sending is the dispatcher's job, measured by the engine's own bench.
    dispatcher: false,
    logLevel: LOG_LEVEL,
    logStream: discard(),
    publicUrl: 'http://127.0.0.1',
    env: SHOPIFY_ENV,
    // Nothing on the webhook path calls Shopify; a call would be a bug the bench should show.
    apps: [
      (context) =>
        createShopifyApp(context, {
          fetch: async () => {
            throw new Error('the webhook path must not call Shopify');
          },
        }),
    ],
  });
  await installShop(store);
  console.log(`listening ${await hub.app.listen({ port: 0, host: '127.0.0.1' })}`);
  process.once('SIGTERM', () => {
    void hub.close().then(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  });
};

/** Starts `kind` in its own process (so the load generator does not share its event loop). */
const start = async (kind: Kind) => {
  const profile = process.env.BENCH_PROFILE === '1' && kind === 'full';
  const profiles = join(tmpdir(), 'tidings-shopify-bench-profiles');
  if (profile) {
    mkdirSync(profiles, { recursive: true });
    console.log(`cpu profile of the full-path server: ${profiles}`);
  }
  const child = spawn(
    process.execPath,
    [...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : []), HERE, 'serve', kind],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('listening ')) resolve(line.slice('listening '.length));
    });
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

/** Shopify's published `orders/updated` sample, as an open order; `@ID@` and `@AT@` vary. */
const template = readFileSync(
  new URL('../test/fixtures/orders-cancelled.json', import.meta.url),
  'utf8',
)
  .replace('"id": 820982911946154508', '"id": @ID@')
  .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
  .replace('"financial_status": "voided"', '"financial_status": "paid"')
  .replace('"updated_at": "2021-12-31T19:00:00-05:00"', '"updated_at": "@AT@"');

const run = async (url: string, label: string, seconds: number) => {
  let seq = 0;
  const runId = Date.now();
  const outcomes = new Map<string, number>();
  const result: Result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/shopify/webhooks',
        setupRequest: (req) => {
          seq += 1;
          // A different order each time (64-bit ids, as Shopify's), so every request plans and commits.
          const body = template
            .replace(
              '@ID@',
              String(7_000_000_000_000_000_000n + BigInt(runId) * 1_000_000n + BigInt(seq)),
            )
            .replace('@AT@', new Date().toISOString());
          return {
            ...req,
            body,
            headers: {
              'content-type': 'application/json',
              'x-shopify-hmac-sha256': createHmac('sha256', API_SECRET)
                .update(body)
                .digest('base64'),
              'x-shopify-topic': 'orders/updated',
              'x-shopify-shop-domain': SHOP,
              'x-shopify-api-version': '2025-01',
              'x-shopify-webhook-id': `bench-${runId}-${seq}`,
              'x-shopify-triggered-at': new Date().toISOString(),
            },
          };
        },
        onResponse: (_status, body) => {
          let outcome = 'unparsable';
          try {
            outcome = String((JSON.parse(body) as { outcome?: unknown }).outcome);
          } catch {}
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        },
      },
    ],
  });
  const perS = result.requests.total / seconds;
  if (label)
    console.log(
      `${label}: ${Math.round(perS)}/s over ${seconds} s (${result.requests.total} requests), ` +
        `latency p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, max ${result.latency.max} ms; ` +
        `non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}; ` +
        `outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
    );
  return { perS, p99: result.latency.p99, result, outcomes };
};

const measure = async (kind: Kind, label: string) => {
  const server = await start(kind);
  try {
    await run(server.url, '', WARMUP);
    return await run(server.url, label, DURATION);
  } finally {
    await server.stop();
  }
};

if (process.argv[2] === 'serve') {
  const kind = process.argv[3];
  await serve(kind === 'bare' || kind === 'verify' ? kind : 'full');
} else {
  console.log(
    `shopify ingest bench: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s each, ` +
      `log level ${LOG_LEVEL}, node ${process.version}, servers in child processes on loopback`,
  );
  const bare = await measure('bare', 'bare endpoint (200 only)');
  // What the required library check alone leaves of the bare endpoint: a ceiling for the ratio.
  const verify = await measure('verify', 'library webhook check only (verify → 200)');
  const full = await measure('full', 'full path (verify → normalize → plan → SQLite commit → 200)');
  const bad = full.result.non2xx + full.result.errors + full.result.timeouts;
  const accepted = full.outcomes.get('accepted') ?? 0;
  if (bad > 0 || accepted !== full.result.requests.total)
    console.log(
      `WARNING: ${bad} full-path requests failed and ${full.result.requests.total - accepted} were not "accepted": the figures below are not a clean run.`,
    );
  const ratio = full.perS / bare.perS;
  console.log(
    `ceiling set by the library's check alone: verify_per_s=${Math.round(verify.perS)} ratio=${(verify.perS / bare.perS).toFixed(2)} p99_ms=${verify.p99}`,
  );
  console.log(
    `shopify ingest bench: per_s=${Math.round(full.perS)} bare_per_s=${Math.round(bare.perS)} ratio=${ratio.toFixed(2)} p99_ms=${full.p99}`,
  );
}
