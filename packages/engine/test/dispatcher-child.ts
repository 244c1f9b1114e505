/**
 * @module A dispatcher in its own process, for the crash and concurrency suites: it opens the
 * store named by `TIDINGS_DATABASE_URL`, prints `ready`, waits for `go` on stdin, then dispatches
 * to the loopback stub at `LOOPBACK_URL` until SIGTERM (graceful) or SIGKILL (the point).
 *
 * Run with Node 24: `node test/dispatcher-child.ts`. Settings (env): `DISPATCH_WORKER`,
 * `DISPATCH_LEASE_MS`, `DISPATCH_BATCH`, `DISPATCH_CONCURRENCY`, `DISPATCH_IDLE_MS`.
 */
import { createInterface } from 'node:readline';
import { openStore } from '@tidings/store';
import { createDispatcher } from '../src/dispatcher.ts';
import { createTenantConfigs, type EngineLogger, systemClock } from '../src/engine-context.ts';
import { createLoopbackChannel, loopbackResolver } from './loopback-provider.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
};
const num = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};

const worker = process.env.DISPATCH_WORKER ?? `child-${process.pid}`;
/** Warnings and errors to stderr, which the parent shows when a test fails. */
const line = (level: string) => (obj: Record<string, unknown>, msg: string) => {
  process.stderr.write(`${JSON.stringify({ level, worker, msg, ...obj })}\n`);
};
const logger: EngineLogger = { info() {}, warn: line('warn'), error: line('error') };
const store = await openStore(env('TIDINGS_DATABASE_URL'));
const channel = createLoopbackChannel({ url: env('LOOPBACK_URL'), kind: 'email', worker });
const outcomes: Record<string, number> = {};
const dispatcher = createDispatcher({
  store,
  clock: systemClock,
  tenants: createTenantConfigs(store, systemClock, 60_000),
  channels: loopbackResolver(channel),
  logger,
  workerId: worker,
  leaseMs: num('DISPATCH_LEASE_MS', 2_000),
  batchSize: num('DISPATCH_BATCH', 64),
  concurrency: num('DISPATCH_CONCURRENCY', 16),
  idleMs: num('DISPATCH_IDLE_MS', 50),
  sendTimeoutMs: 5_000,
  // Retries (none expected from the stub) come back quickly rather than after minutes.
  retry: { baseMs: 100, maxMs: 1_000, maxAttempts: 20 },
  onAttempt: (a) => {
    outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
  },
});

process.once('SIGTERM', () => {
  void (async () => {
    await dispatcher.stop();
    await store.close();
    process.stdout.write(`stopped ${JSON.stringify({ worker, outcomes })}\n`);
    process.exit(0);
  })();
});

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'go') dispatcher.start();
});
process.stdout.write('ready\n');
