/**
 * @module Applies numbered migrations once each, recording them in `schema_migrations`. Safe when
 * several processes start at once: SQLite's `BEGIN IMMEDIATE` and a PostgreSQL transaction-scoped
 * advisory lock let one migrate while the others wait, then find nothing left to do.
 */
import type { Migration } from './migration.ts';
import type { SqlDriver, SqlSession } from './sql-driver.ts';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version     integer PRIMARY KEY,
  name        text NOT NULL,
  applied_at  text NOT NULL
)`;

const lock = async (driver: SqlDriver, session: SqlSession): Promise<void> => {
  // Keyed by schema, so databases with one schema per test or per tenant migrate independently.
  if (driver.dialect === 'postgres') {
    await session.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('tidings.schema_migrations:' || current_schema(), 0))`,
    );
  }
};

/** Applies the migrations not yet recorded, in one transaction; returns the versions applied. */
export const applyMigrations = (
  driver: SqlDriver,
  migrations: readonly Migration[],
  at: string,
): Promise<number[]> =>
  driver.transaction(async (session) => {
    await lock(driver, session);
    await session.exec(CREATE_TABLE);
    const rows = await session.query('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => Number(r.version)));
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      await session.exec(migration.sql);
      await session.run(
        'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
        [migration.version, migration.name, at],
      );
      done.push(migration.version);
    }
    return done;
  });

/** The highest applied version, or 0 when the schema has never been migrated. */
export const schemaVersion = async (driver: SqlDriver): Promise<number> => {
  const exists =
    driver.dialect === 'postgres'
      ? await driver.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`)
      : await driver.query(
          `SELECT count(*) > 0 AS present FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`,
        );
  const present = exists[0]?.present;
  if (present !== true && present !== 1) return 0;
  const rows = await driver.query('SELECT max(version) AS version FROM schema_migrations');
  return Number(rows[0]?.version ?? 0);
};
