/** @module The store conformance suite on SQLite (a temporary file per test), plus `:memory:`. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { openStore, type Store } from '../src/index.ts';
import { defineStoreConformance, type StoreHarness } from './conformance.ts';

const sqliteHarness = async (): Promise<StoreHarness> => {
  const dir = await mkdtemp(join(tmpdir(), 'tidings-store-'));
  const path = join(dir, 'tidings.db');
  const stores: Store[] = [];
  let raw: DatabaseSync | undefined;
  return {
    dialect: 'sqlite',
    url: `sqlite:${path}`,
    open: async (options) => {
      const store = await openStore(`sqlite:${path}`, options);
      stores.push(store);
      return store;
    },
    sql: async (text, params = []) => {
      raw ??= new DatabaseSync(path);
      return raw
        .prepare(text.replace(/\$(\d+)/g, '?$1'))
        .all(...(params as SQLInputValue[])) as Record<string, unknown>[];
    },
    dispose: async () => {
      for (const store of stores) await store.close();
      raw?.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
};

defineStoreConformance('SQLite', sqliteHarness);

describe('SQLite specifics', () => {
  it('opens an in-memory database from sqlite::memory: and :memory:', async () => {
    for (const url of ['sqlite::memory:', ':memory:']) {
      const store = await openStore(url, { secretKey: '' });
      expect((await store.health()).ok).toBe(true);
      await store.close();
    }
  });

  it('keeps the database in WAL mode with foreign keys on', async () => {
    const h = await sqliteHarness();
    try {
      await h.open();
      const [mode] = await h.sql('PRAGMA journal_mode');
      expect(mode?.journal_mode).toBe('wal');
    } finally {
      await h.dispose();
    }
  });
});
