/**
 * @module SQLite through `node:sqlite` (`DatabaseSync`): WAL, `busy_timeout`, foreign keys, cached
 * statements, and one connection whose calls are queued so an open transaction is never
 * interleaved with another caller's statements.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import type { Row, SqlDriver, SqlSession, SqlValue } from '../sql/sql-driver.ts';

export interface SqliteOptions {
  /** A file path, or `:memory:`. */
  path: string;
  /** How long to wait for another process's write lock before failing (default 5 s). */
  busyTimeoutMs?: number;
  /** `full` (default) syncs every commit; `normal` may lose the last commits on power loss (never
   * on a process crash) for much higher write rates. */
  synchronous?: 'full' | 'normal';
}

// SQLite speaks `?NNN` for numbered parameters; the shared SQL is written with `$N`.
const toSqlite = (sql: string): string => sql.replace(/\$(\d+)/g, '?$1');

const bindable = (value: SqlValue): SQLInputValue =>
  typeof value === 'boolean' ? (value ? 1 : 0) : value;

/** SQLite's primary result code for "database is locked" (extended codes keep it in the low byte). */
const SQLITE_BUSY = 5;

const isBusy = (error: unknown): boolean => {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' && (code & 0xff) === SQLITE_BUSY;
};

/**
 * Runs `attempt` until it stops failing with SQLITE_BUSY or `timeoutMs` has passed, waiting on a
 * timer between tries. SQLite's own busy handler sleeps on the calling thread, which in Node is
 * the event loop: a process waiting for another process's write lock (a web process behind a
 * dispatcher's commit) answered no request and sent nothing while it slept.
 */
const whenFree = async <T>(attempt: () => T | Promise<T>, timeoutMs: number): Promise<T> => {
  const deadline = performance.now() + timeoutMs;
  let wait = 1;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || performance.now() >= deadline) throw error;
    }
    // Jittered, so processes waiting for the same lock do not retry in step; the last try is
    // made at the deadline.
    const pause = Math.min(wait * (0.5 + Math.random()), deadline - performance.now());
    await new Promise((r) => setTimeout(r, Math.max(0, pause)));
    wait = Math.min(wait * 2, 16);
  }
};

/** Compiled statements kept per connection. */
const STATEMENT_CACHE_SIZE = 64;

/** Opens (creating if needed) a SQLite database and configures it for Tidings. */
export const openSqlite = (options: SqliteOptions): SqlDriver => {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const db = new DatabaseSync(options.path, { enableForeignKeyConstraints: true });
  const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
  // Opening may wait in SQLite's handler (nothing else runs yet); afterwards `whenFree` waits.
  db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec(`PRAGMA synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
  db.exec('PRAGMA foreign_keys = ON');
  db.exec('PRAGMA busy_timeout = 0');

  // Most recently used first out of a Map's insertion order. Bounded, because multi-row
  // statements differ by row count: unbounded, a burst left hundreds of large compiled
  // statements in native memory that the JS heap never sees (RSS grew by 100s of MB).
  const statements = new Map<string, StatementSync>();
  const prepare = (sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(toSqlite(sql));
      if (statements.size >= STATEMENT_CACHE_SIZE) {
        const oldest = statements.keys().next().value;
        if (oldest !== undefined) statements.delete(oldest);
      }
    } else {
      statements.delete(sql);
    }
    statements.set(sql, statement);
    return statement;
  };
  // Inside a transaction the write lock is held (BEGIN IMMEDIATE), so its statements run as is;
  // a statement on its own may find another process writing and waits for it.
  const direct: SqlSession = {
    query: async (sql, params = []) => prepare(sql).all(...params.map(bindable)) as Row[],
    run: async (sql, params = []) => Number(prepare(sql).run(...params.map(bindable)).changes),
    exec: async (sql) => {
      db.exec(sql);
    },
  };
  const alone: SqlSession = {
    query: (sql, params) => whenFree(() => direct.query(sql, params), busyTimeoutMs),
    run: (sql, params) => whenFree(() => direct.run(sql, params), busyTimeoutMs),
    exec: (sql) => whenFree(() => direct.exec(sql), busyTimeoutMs),
  };

  // One connection, many async callers: each call waits for the previous one to settle, so the
  // statements of a transaction that awaits between them are never interleaved with others'.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };

  return {
    dialect: 'sqlite',
    query: (sql, params) => exclusive(() => alone.query(sql, params)),
    run: (sql, params) => exclusive(() => alone.run(sql, params)),
    exec: (sql) => exclusive(() => alone.exec(sql)),
    transaction: (fn) =>
      exclusive(async () => {
        let open = true;
        const guard = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => {
          return (...args: A): Promise<R> => {
            if (!open) throw new Error('transaction already finished; use the store instead');
            return f(...args);
          };
        };
        const session: SqlSession = {
          query: guard(direct.query),
          run: guard(direct.run),
          exec: guard(direct.exec),
        };
        await whenFree(() => db.exec('BEGIN IMMEDIATE'), busyTimeoutMs);
        try {
          const result = await fn(session);
          // A COMMIT refused as busy leaves the transaction open, so it may be tried again.
          await whenFree(() => db.exec('COMMIT'), busyTimeoutMs);
          return result;
        } catch (error) {
          if (db.isTransaction) db.exec('ROLLBACK');
          throw error;
        } finally {
          open = false;
        }
      }),
    constraintOf: (error) => {
      const message = error instanceof Error ? error.message : '';
      if (message.includes('FOREIGN KEY constraint failed')) return 'foreign_key';
      if (message.includes('UNIQUE constraint failed')) return 'unique';
      return undefined;
    },
    close: () =>
      exclusive(async () => {
        if (db.isOpen) db.close();
      }),
  };
};
