/** @module `openStore`: the backend a URL names, migrated and ready; and `migrate` on its own. */
import { type KeyRing, parseKeyRing } from './credential-cipher.ts';
import { openPostgres } from './postgres/postgres-driver.ts';
import { POSTGRES_MIGRATIONS } from './postgres/postgres-migrations.ts';
import type { Store } from './repository.ts';
import type { Migration } from './sql/migration.ts';
import { applyMigrations } from './sql/schema-migrator.ts';
import type { SqlDriver } from './sql/sql-driver.ts';
import { createSqlStore } from './sql/sql-store.ts';
import { openSqlite } from './sqlite/sqlite-driver.ts';
import { SQLITE_MIGRATIONS } from './sqlite/sqlite-migrations.ts';
import { StoreError } from './store-error.ts';
import { parseStoreUrl, redactUrl } from './store-url.ts';

export interface OpenStoreOptions {
  /**
   * The key ring, in `TIDINGS_SECRET_KEY` form; defaults to that variable. Without one the store
   * opens, but credential operations answer `secret_key_missing`.
   */
  secretKey?: string | undefined;
  /** Apply pending migrations while opening (default true). */
  migrate?: boolean;
  /** PostgreSQL: connections in the pool (default 10). */
  poolSize?: number;
  /** PostgreSQL: an idle pooled connection failed (the pool replaces it). Default: ignored. */
  onError?: (error: Error) => void;
  /** SQLite: how long to wait for another process's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** SQLite: `full` (default) syncs every commit; `normal` trades the last commits before a
   * power loss for write throughput. */
  synchronous?: 'full' | 'normal';
  /** The instant recorded for applied migrations (default: now). */
  now?: () => Date;
}

interface Opened {
  driver: SqlDriver;
  migrations: readonly Migration[];
}

const openDriver = (url: string, options: OpenStoreOptions): Opened => {
  const target = parseStoreUrl(url);
  if (target.dialect === 'postgres') {
    const pg: Parameters<typeof openPostgres>[0] = { url: target.url };
    if (options.poolSize !== undefined) pg.poolSize = options.poolSize;
    if (options.onError !== undefined) pg.onError = options.onError;
    return { driver: openPostgres(pg), migrations: POSTGRES_MIGRATIONS };
  }
  const sqlite: Parameters<typeof openSqlite>[0] = { path: target.path };
  if (options.busyTimeoutMs !== undefined) sqlite.busyTimeoutMs = options.busyTimeoutMs;
  if (options.synchronous !== undefined) sqlite.synchronous = options.synchronous;
  try {
    return { driver: openSqlite(sqlite), migrations: SQLITE_MIGRATIONS };
  } catch (error) {
    throw new StoreError('unreachable', `cannot open SQLite database ${target.path}`, {
      cause: error,
    });
  }
};

const runMigrations = async (
  url: string,
  opened: Opened,
  options: OpenStoreOptions,
): Promise<number[]> => {
  try {
    return await applyMigrations(
      opened.driver,
      opened.migrations,
      (options.now?.() ?? new Date()).toISOString(),
    );
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    // Connection failures (refused, DNS, auth) surface on the first statement.
    const unreachable =
      typeof code === 'string' &&
      (/^(ECONN|ENOTFOUND|EAI_|ETIMEDOUT)/.test(code) || code === '28P01');
    throw new StoreError(
      unreachable ? 'unreachable' : 'migrations_pending',
      unreachable ? `cannot reach ${redactUrl(url)}` : `migrating ${redactUrl(url)} failed`,
      { cause: error },
    );
  }
};

/**
 * Opens the store a URL names (`postgres://…`, or a SQLite path / `sqlite:` URL / `:memory:`),
 * applying pending migrations unless `migrate: false`. Throws `StoreError` (`invalid_url`,
 * `invalid_secret_key`, `unreachable`, `migrations_pending`).
 */
export const openStore = async (url: string, options: OpenStoreOptions = {}): Promise<Store> => {
  const secret = options.secretKey ?? process.env.TIDINGS_SECRET_KEY;
  const keyRing: KeyRing | undefined =
    secret === undefined || secret.trim() === '' ? undefined : parseKeyRing(secret);
  const opened = openDriver(url, options);
  if (options.migrate !== false) {
    try {
      await runMigrations(url, opened, options);
    } catch (error) {
      await opened.driver.close().catch(() => undefined);
      throw error;
    }
  }
  return createSqlStore({ driver: opened.driver, migrations: opened.migrations, keyRing });
};

/** Applies pending migrations to the database a URL names; returns the versions applied. */
export const migrate = async (
  url: string,
  options: Pick<OpenStoreOptions, 'now' | 'busyTimeoutMs'> = {},
): Promise<number[]> => {
  const opened = openDriver(url, { ...options, poolSize: 1 });
  try {
    return await runMigrations(url, opened, options);
  } finally {
    await opened.driver.close();
  }
};

/** The newest migration this build knows, per dialect. */
export const LATEST_SCHEMA_VERSION = {
  sqlite: Math.max(...SQLITE_MIGRATIONS.map((m) => m.version)),
  postgres: Math.max(...POSTGRES_MIGRATIONS.map((m) => m.version)),
} as const;
