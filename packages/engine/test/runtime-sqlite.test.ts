import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@tidings/store';
import { runtimeSuite } from './runtime-suite.ts';

runtimeSuite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-runtime-'));
  const store = await openStore(join(dir, 'tidings.db'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
