/**
 * @module Graceful shutdown: on SIGTERM/SIGINT stop accepting requests, let in-flight requests
 * finish, then run the owner's close steps (dispatcher leases, the store) within a deadline.
 */
import type { FastifyInstance } from 'fastify';

export interface ShutdownOptions {
  /** Run after the server stopped taking requests, in order (e.g. stop the dispatcher, close the store). */
  steps?: Array<() => Promise<void>>;
  timeoutMs?: number;
  signals?: NodeJS.Signals[];
}

/** Closes the server and then each step; resolves when all finished or the deadline passed. */
export const shutDown = async (
  app: FastifyInstance,
  options: ShutdownOptions = {},
): Promise<void> => {
  const deadline = options.timeoutMs ?? 10_000;
  let timer: NodeJS.Timeout | undefined;
  const work = (async () => {
    await app.close();
    for (const step of options.steps ?? []) await step();
  })();
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      app.log.warn(
        { deadlineMs: deadline },
        'shutdown deadline passed; exiting with work unfinished',
      );
      resolve();
    }, deadline);
  });
  await Promise.race([work, timeout]);
  clearTimeout(timer);
};

/** Installs signal handlers that shut down once, then exit the process. */
export const closeOnSignals = (app: FastifyInstance, options: ShutdownOptions = {}): void => {
  let closing = false;
  for (const signal of options.signals ?? ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      void shutDown(app, options).then(() => process.exit(0));
    });
  }
};
