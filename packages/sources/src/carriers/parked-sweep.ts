/**
 * @module The sweep that delivers parked carrier updates once their number is bound by an
 * order state saved elsewhere — a Shopify fulfillment, a WooCommerce order, the SLA scheduler:
 * the store's trigger binds the number in that app's transaction, which the sources never see.
 * (Numbers the sources bind themselves release at once, without waiting for it.) It also drops
 * updates parked for longer than the carriers' own retention makes useful.
 */
import type { AppContext } from '@tidings/engine';
import { releaseParked } from './carrier-update.ts';

/** A parcel nobody bound in two weeks is not going to be. */
export const PARKED_TTL_MS = 14 * 24 * 3_600_000;

export interface ParkedSweep {
  /** One pass: releases what is releasable, purges what expired. */
  runOnce(): Promise<{ released: number; purged: number }>;
  start(): void;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

export const createParkedSweep = (context: AppContext, intervalMs: number): ParkedSweep => {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  const runOnce = async () => {
    const released = await releaseParked(context);
    const purged = await context.store.purgeParkedTrackingUpdates(
      new Date(context.clock.now().getTime() - PARKED_TTL_MS).toISOString(),
    );
    return { released, purged };
  };
  const tick = () => {
    running = runOnce()
      .catch((err: unknown) => {
        context.logger.warn({ err: (err as Error).message }, 'parked carrier update sweep failed');
      })
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, intervalMs).unref();
      });
  };
  return {
    runOnce,
    start() {
      if (!stopped || intervalMs <= 0) return;
      stopped = false;
      timer = setTimeout(tick, intervalMs).unref();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
};
