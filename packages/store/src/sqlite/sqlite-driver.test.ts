import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SqlDriver } from '../sql/sql-driver.ts';
import { openSqlite } from './sqlite-driver.ts';

/** Two connections to one file: two processes sharing the embedded database, in one test. */
describe('SQLite driver: waiting for another connection’s write lock', () => {
  let dir: string;
  let first: SqlDriver;
  let second: SqlDriver;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /**
   * The first connection writes 1 and holds its transaction (and the write lock) open across an
   * await, as a dispatcher's batch does between sends, until `release`; `done` is its commit.
   */
  const holdWriteLock = async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const done = first.transaction(async (s) => {
      await s.run('INSERT INTO t (x) VALUES (1)');
      await held;
    });
    await sleep(5);
    return { release, done };
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidings-sqlite-busy-'));
    const path = join(dir, 'busy.db');
    first = openSqlite({ path, busyTimeoutMs: 2_000 });
    await first.exec('CREATE TABLE t (x INTEGER NOT NULL)');
    second = openSqlite({ path, busyTimeoutMs: 2_000 });
  });

  afterEach(async () => {
    await first.close();
    await second.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('waits on a timer, so the event loop keeps running and the holder can finish', async () => {
    const lock = await holdWriteLock();
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
    }, 2);
    const waiting = second.transaction((s) => s.run('INSERT INTO t (x) VALUES (2)'));
    const alone = second.run('INSERT INTO t (x) VALUES (3)');
    // SQLite's own busy handler would sleep right here, on this thread, and this timer and the
    // release below could not run until it gave up.
    try {
      await sleep(60);
    } finally {
      clearInterval(ticker);
      lock.release();
      await lock.done;
    }
    expect(ticks).toBeGreaterThan(5);
    expect(await waiting).toBe(1);
    expect(await alone).toBe(1);
    expect(await first.query('SELECT x FROM t ORDER BY x')).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
  });

  it('gives up with "database is locked" once the busy timeout has passed', async () => {
    const short = openSqlite({ path: join(dir, 'busy.db'), busyTimeoutMs: 100 });
    const lock = await holdWriteLock();
    try {
      await expect(short.transaction((s) => s.run('INSERT INTO t (x) VALUES (2)'))).rejects.toThrow(
        /database is locked/,
      );
      await expect(short.run('INSERT INTO t (x) VALUES (3)')).rejects.toThrow(/database is locked/);
    } finally {
      lock.release();
      await lock.done;
      await short.close();
    }
    // Nothing of the refused writes landed; the holder's did.
    expect(await first.query('SELECT x FROM t')).toEqual([{ x: 1 }]);
  });

  it('reads while another connection writes (WAL), without waiting', async () => {
    const lock = await holdWriteLock();
    try {
      expect(await second.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
    } finally {
      lock.release();
      await lock.done;
    }
  });
});
