/** @module What every adapter factory takes besides its config: the `fetch` and `Clock` tests replace. */
import type { Clock } from '@tidings/core';

/** The injectable edges of an adapter; both default to the real runtime. */
export interface ChannelDeps {
  fetch?: typeof fetch;
  clock?: Clock;
}

export interface ResolvedDeps {
  fetch: typeof fetch;
  clock: Clock;
}

/** The default request timeout; providers answer in well under a second when healthy. */
export const DEFAULT_TIMEOUT_MS = 10_000;

const systemClock: Clock = { now: () => new Date() };

/** Fills in the runtime's `fetch` and wall clock where a test did not inject its own. */
export const resolveDeps = (deps: ChannelDeps = {}): ResolvedDeps => ({
  fetch: deps.fetch ?? globalThis.fetch,
  clock: deps.clock ?? systemClock,
});
