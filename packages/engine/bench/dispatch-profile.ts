/**
 * @module `node bench/dispatch-profile.ts`: one dispatcher draining `N` intents (20 000) to the
 * loopback stub in a process of its own, timed from the first claim; prints intents/s and CPU per
 * intent, and the stub's CPU. `DB=postgres` drains an embedded PostgreSQL instead of SQLite,
 * `SYNC=normal` opens SQLite with `synchronous=normal`, `BATCH` / `CONC` set the batch size (256)
 * and sends in flight (64), and `PROF=1` writes a CPU profile of the drain to
 * `/tmp/dispatch.cpuprofile`.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startTestPostgres } from '../../store/test/embedded-postgres.ts';
import { createDispatcher } from '../src/dispatcher.ts';
import { createTenantConfigs, silentLogger, systemClock } from '../src/engine-context.ts';
import { fillOutbox, putEmailTenant } from '../test/bulk-orders.ts';
import {
  createLoopbackChannel,
  loopbackResolver,
  startLoopbackProvider,
} from '../test/loopback-provider.ts';
import { postgresDatabase, sqliteDatabase } from '../test/test-databases.ts';

if (process.env.MODE === 'stub') {
  const p = await startLoopbackProvider({ keepLog: false });
  process.stdout.write(`${p.url}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    const c = process.cpuUsage();
    process.stderr.write(`stub cpu ${((c.user + c.system) / 1e6).toFixed(2)} s\n`);
    p.close().then(() => process.exit(0));
  });
} else {
  const N = Number(process.env.N ?? 20000);
  const pg = process.env.DB === 'postgres' ? await startTestPostgres() : undefined;
  const db = pg
    ? await postgresDatabase(pg.url)
    : await sqliteDatabase(process.env.SYNC === 'normal' ? { synchronous: 'normal' } : {});
  await putEmailTenant(db.store, 't');
  await fillOutbox(db.store, { tenantId: 't', count: N, clock: systemClock, inFlight: 512 });
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, MODE: 'stub' },
  });
  const url = await new Promise<string>((r) =>
    createInterface({ input: child.stdout }).once('line', r),
  );
  const channel = createLoopbackChannel({ url, kind: 'email', worker: 'p' });
  const dispatcher = createDispatcher({
    store: db.store,
    clock: systemClock,
    tenants: createTenantConfigs(db.store, systemClock, 600_000),
    channels: loopbackResolver(channel),
    logger: silentLogger,
    batchSize: Number(process.env.BATCH ?? 256),
    concurrency: Number(process.env.CONC ?? 64),
    leaseMs: 120_000,
  });
  const session = new Session();
  session.connect();
  if (process.env.PROF) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await dispatcher.drain();
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    `drained ${N} in ${s.toFixed(2)} s: ${Math.round(N / s)}/s; cpu ${(cpu.user / 1e6).toFixed(2)}u ${(cpu.system / 1e6).toFixed(2)}s => ${Math.round((cpu.user + cpu.system) / N)} µs/intent`,
  );
  if (process.env.PROF) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync('/tmp/dispatch.cpuprofile', JSON.stringify(profile));
  }
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  await db.dispose();
  await pg?.stop();
}
