import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@tidings/store';
import { engineSuite } from './engine-suite.ts';

engineSuite('SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tidings-engine-'));
  const store = await openStore(join(dir, 'tidings.db'));
  return {
    store,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
