/**
 * @module What every adapter factory takes besides its config: the transport (or a `fetch` a test
 * records with) and the `Clock` tests replace.
 */
import type { Clock } from '@tidings/core';
import { defaultTransport, fetchTransport, type ProviderTransport } from './provider-transport.ts';

/** The injectable edges of an adapter; all default to the real runtime. */
export interface ChannelDeps {
  /** A `fetch` to send through instead of the default transport (tests record with it). */
  fetch?: typeof fetch;
  /** The transport itself; wins over `fetch`. */
  transport?: ProviderTransport;
  clock?: Clock;
}

export interface ResolvedDeps {
  transport: ProviderTransport;
  clock: Clock;
}

/** The default request timeout; providers answer in well under a second when healthy. */
export const DEFAULT_TIMEOUT_MS = 10_000;

const systemClock: Clock = { now: () => new Date() };

/** Fills in the shared keep-alive transport and wall clock where a test did not inject its own. */
export const resolveDeps = (deps: ChannelDeps = {}): ResolvedDeps => ({
  transport:
    deps.transport ?? (deps.fetch === undefined ? defaultTransport : fetchTransport(deps.fetch)),
  clock: deps.clock ?? systemClock,
});
