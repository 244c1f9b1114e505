/**
 * @module One embedded PostgreSQL for a test file's suites, started before and stopped after
 * them; each test gets a schema of its own (`postgresDatabase`).
 */
import { afterAll, beforeAll } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../store/test/embedded-postgres.ts';
import { postgresDatabase, type TestDatabase } from './test-databases.ts';

/** Registers the server's start and stop; returns the per-test database factory. */
export const postgresPerTest = (): (() => Promise<TestDatabase>) => {
  let server: TestPostgres | undefined;
  beforeAll(async () => {
    server = await startTestPostgres();
  }, 120_000);
  afterAll(async () => server?.stop());
  return () => {
    if (!server) throw new Error('the test PostgreSQL is not running');
    return postgresDatabase(server.url);
  };
};
