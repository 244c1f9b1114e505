import { openStore } from '@tidings/store';
import { afterAll, beforeAll } from 'vitest';
import {
  createTestSchema,
  startTestPostgres,
  type TestPostgres,
} from '../../store/test/embedded-postgres.ts';
import { runtimeSuite } from './runtime-suite.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
}, 120_000);
afterAll(async () => server?.stop());

runtimeSuite('PostgreSQL', async () => {
  const schema = await createTestSchema(server.url);
  const store = await openStore(schema.url);
  return {
    store,
    dispose: async () => {
      await store.close();
      await schema.drop();
    },
  };
});
