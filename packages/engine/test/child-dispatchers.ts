/**
 * @module Starting, releasing and killing `dispatcher-child.ts` processes, with a registry so
 * `afterAll` can kill whatever a failed test left running.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./dispatcher-child.ts', import.meta.url));

export interface ChildDispatcher {
  worker: string;
  process: ChildProcess;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Lets it start claiming. */
  go(): void;
  /** SIGTERM, and the child's own summary once it has stopped gracefully. */
  stop(): Promise<string>;
  /** SIGKILL: no exit hooks, no lease released. */
  kill(): Promise<void>;
  /** The last few kilobytes the child wrote to stderr, for a failure message. */
  stderr(): string;
  /** Whether the process has exited. */
  gone(): boolean;
}

const live = new Set<ChildProcess>();

/** Kills every child still running (for `afterAll`). */
export const killAllChildren = async (): Promise<void> => {
  const waits = [...live].map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
  live.clear();
};

/** Spawns one dispatcher child on the current Node and waits for its `ready`. */
export const startChildDispatcher = async (options: {
  databaseUrl: string;
  loopbackUrl: string;
  worker: string;
  leaseMs?: number;
  batchSize?: number;
  concurrency?: number;
  readyTimeoutMs?: number;
}): Promise<ChildDispatcher> => {
  const child = spawn(process.execPath, [CHILD], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      TIDINGS_DATABASE_URL: options.databaseUrl,
      LOOPBACK_URL: options.loopbackUrl,
      DISPATCH_WORKER: options.worker,
      DISPATCH_LEASE_MS: String(options.leaseMs ?? 2_000),
      DISPATCH_BATCH: String(options.batchSize ?? 64),
      DISPATCH_CONCURRENCY: String(options.concurrency ?? 16),
    },
  });
  live.add(child);
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve(signal ?? code);
    });
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4_000);
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.worker} not ready in time:\n${stderr}`)),
      options.readyTimeoutMs ?? 30_000,
    );
    child.stdout?.on('data', (d: string) => {
      stdout += d;
      if (stdout.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`${options.worker} exited (${String(how)}) before ready:\n${stderr}`));
    });
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    worker: options.worker,
    process: child,
    exited,
    go: () => {
      child.stdin?.write('go\n');
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      const line = stdout.split('\n').find((l) => l.startsWith('stopped '));
      return line?.slice('stopped '.length) ?? `(no summary) ${stderr}`;
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stderr: () => stderr,
    gone: () => child.exitCode !== null || child.signalCode !== null,
  };
};
