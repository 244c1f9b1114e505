/**
 * @module A fresh database per test for the heavier suites: a SQLite file in a temporary
 * directory, or a schema on a test PostgreSQL server; each with its URL (for child processes),
 * an open store (for the test itself) and a way to throw it away.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '@tidings/store';
import { createTestSchema } from '../../store/test/embedded-postgres.ts';

export interface TestDatabase {
  /** What a child process passes to `openStore`. */
  url: string;
  store: Store;
  dispose(): Promise<void>;
}

/** A SQLite file of its own; `synchronous` as `openStore` takes it. */
export const sqliteDatabase = async (
  options: { synchronous?: 'full' | 'normal' } = {},
): Promise<TestDatabase> => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-engine-'));
  const url = join(dir, 'tidings.db');
  const store = await openStore(url, options);
  return {
    url,
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** A schema of its own on the PostgreSQL server at `serverUrl`. */
export const postgresDatabase = async (
  serverUrl: string,
  options: { poolSize?: number } = {},
): Promise<TestDatabase> => {
  const schema = await createTestSchema(serverUrl);
  const store = await openStore(schema.url, options);
  return {
    url: schema.url,
    store,
    dispose: async () => {
      await store.close();
      await schema.drop();
    },
  };
};
