/**
 * @module The background loop the dispatcher and the write-back worker share: run a batch, rest
 * when there was nothing to do, survive a failing batch, and stop only after the batch in hand.
 */
import type { EngineLogger } from './engine-context.ts';

export interface PollingLoop {
  /** Runs batches until one finds nothing due (tests and the CLI); returns how many were handled. */
  drain(): Promise<number>;
  start(): void;
  /** Stops claiming and waits for the batch in hand, so no lease is left to expire. */
  stop(): Promise<void>;
}

/** Wraps `runOnce` (which reports how many items it claimed) in a start/stop/drain loop. */
export const createPollingLoop = (
  runOnce: () => Promise<{ claimed: number }>,
  options: { idleMs: number; logger: EngineLogger; name: string },
): PollingLoop => {
  let running = false;
  let loop: Promise<void> | undefined;
  return {
    async drain() {
      let total = 0;
      for (;;) {
        const { claimed } = await runOnce();
        total += claimed;
        if (claimed === 0) return total;
      }
    },
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          const { claimed } = await runOnce().catch((err: unknown) => {
            options.logger.error({ err: (err as Error).message }, `${options.name} loop failed`);
            return { claimed: 0 };
          });
          if (claimed === 0 && running) await new Promise((r) => setTimeout(r, options.idleMs));
        }
      })();
    },
    async stop() {
      running = false;
      await loop;
    },
  };
};
