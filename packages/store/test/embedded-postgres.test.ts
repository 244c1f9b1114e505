/** @module The test-server helper cleans up after crashed runs without touching live ones. */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeOrphanDataDirs } from './embedded-postgres.ts';

describe('removeOrphanDataDirs', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tidings-orphans-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const dataDir = async (name: string, owner?: number, ageMs = 0): Promise<void> => {
    const dir = join(root, name);
    await mkdir(dir);
    await writeFile(join(dir, 'PG_VERSION'), '18\n');
    if (owner !== undefined) await writeFile(join(dir, 'tidings-owner.pid'), `${owner}\n`);
    const when = new Date(Date.now() - ageMs);
    await utimes(dir, when, when);
  };

  it('removes directories whose test process died, and keeps those of live runs', async () => {
    // A pid that certainly belonged to a process that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    await dataDir('tidings-pg-dead', dead);
    await dataDir('tidings-pg-live', process.pid);
    await dataDir('tidings-pg-starting');
    await dataDir('tidings-pg-abandoned', undefined, 60 * 60_000);
    await dataDir('unrelated', dead);
    await removeOrphanDataDirs(root);
    expect((await readdir(root)).sort()).toEqual([
      'tidings-pg-live',
      'tidings-pg-starting',
      'unrelated',
    ]);
  });
});
