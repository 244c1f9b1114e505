/**
 * @module The write-back port: after Tidings tells a customer something, the host platforms
 * (Shopify, WooCommerce, Salesforce, HubSpot, Zendesk, Pipedrive) are told too, so every
 * touchpoint agrees. Each host app implements one `WriteBackTarget`; what it writes is
 * fingerprinted, so the webhook our own write causes is recognised at ingest and not notified.
 */
import type { Clock, SendFailure } from '@tidings/core';
import type { Store, WriteBackJob } from '@tidings/store';

/** One status to write to one platform for one order (and shipment); queued in the store. */
export type { WriteBackJob } from '@tidings/store';

export type WriteBackResult =
  | {
      ok: true;
      /** What the platform will echo back (event ids, tag values, note markers), kept for `ttlMs`. */
      fingerprints: string[];
    }
  | { ok: false; error: SendFailure };

export interface WriteBackTarget {
  readonly target: string;
  /**
   * The target keeps a mirror of the order's state on its platform (Shopify: our hold and delay
   * tags, the status metafield). It then also gets `kind: 'sync'` jobs when an event lifts a
   * hold, delay or exception without a job of its own for that target — typically because the
   * event came from the target's own platform.
   */
  readonly mirrorsState?: boolean;
  /** Whether this tenant has the target set up (credentials stored, order known there). */
  appliesTo(tenantId: string): Promise<boolean>;
  write(job: WriteBackJob, deps: { store: Store; clock: Clock }): Promise<WriteBackResult>;
}

export interface WriteBackRegistry {
  register(target: WriteBackTarget): void;
  targets(): readonly WriteBackTarget[];
}

/** A plain registry the hub fills with each mounted app's target. */
export const createWriteBackRegistry = (): WriteBackRegistry => {
  const byName = new Map<string, WriteBackTarget>();
  return {
    register(target) {
      if (byName.has(target.target))
        throw new Error(`write-back target "${target.target}" registered twice`);
      byName.set(target.target, target);
    },
    targets: () => [...byName.values()],
  };
};
