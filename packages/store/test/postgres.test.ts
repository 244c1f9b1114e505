/**
 * @module The store conformance suite on a real PostgreSQL: the embedded server started here, or
 * `TIDINGS_TEST_DATABASE_URL`. Each test gets its own schema, dropped afterwards.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStoreError, openStore, type Store } from '../src/index.ts';
import { defineStoreConformance, type StoreHarness } from './conformance.ts';
import { createTestSchema, startTestPostgres, type TestPostgres } from './embedded-postgres.ts';

let server: TestPostgres | undefined;

beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

const postgresHarness = async (): Promise<StoreHarness> => {
  if (server === undefined) throw new Error('the test server did not start');
  const schema = await createTestSchema(server.url);
  const stores: Store[] = [];
  const client = new pg.Client({ connectionString: schema.url });
  await client.connect();
  return {
    dialect: 'postgres',
    url: schema.url,
    open: async (options) => {
      const store = await openStore(schema.url, options);
      stores.push(store);
      return store;
    },
    sql: async (text, params = []) => (await client.query(text, [...params])).rows,
    dispose: async () => {
      for (const store of stores) await store.close();
      await client.end();
      await schema.drop();
    },
  };
};

defineStoreConformance('PostgreSQL', postgresHarness);

describe('PostgreSQL specifics', () => {
  it('rejects TRUNCATE of the audit log too', async () => {
    const h = await postgresHarness();
    try {
      await h.open();
      await expect(h.sql('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    } finally {
      await h.dispose();
    }
  });

  it('fails to open with unreachable, without printing the password', async () => {
    const error = await openStore('postgres://tidings:hunter2@127.0.0.1:1/none', {
      secretKey: '',
    }).catch((e: unknown) => e);
    expect(isStoreError(error, 'unreachable')).toBe(true);
    expect(String((error as Error).message)).not.toContain('hunter2');
  });
});
