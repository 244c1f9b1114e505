/**
 * @module Which order and shipment a tracking number belongs to, and the carrier updates that
 * arrived before we knew. Carriers send tracking numbers, never our order refs, so a number is
 * bound to an order when a source tells us (a fulfillment with tracking from the events API or
 * NetSuite, or a carrier payload whose order field the merchant set); updates for a number not
 * yet bound are parked and replayed when the binding arrives.
 *
 * The default directory keeps its records in the store's encrypted per-tenant documents (the
 * credentials table), hashed over 64 slots per tenant so each read and write stays small. The
 * store has no index of shipments by tracking number yet; when it gains one, implement
 * `TrackingDirectory` over it and pass that to `createSourcesApp`.
 */
import type { Clock } from '@tidings/core';
import type { Store } from '@tidings/store';

export interface TrackingBinding {
  orderRef: string;
  shipmentId: string;
  carrier?: string;
  boundAt: string;
}

/** A carrier update kept until its tracking number is bound; only normalized facts, no PII. */
export interface ParkedUpdate {
  /** `<source>:<event id>`, so a redelivered update is parked once. */
  key: string;
  parkedAt: string;
  update: unknown;
}

export interface TrackingDirectory {
  find(tenantId: string, trackingNumber: string): Promise<TrackingBinding | undefined>;
  /** Binds a number (the latest binding wins) and hands back the updates parked for it. */
  bind(
    tenantId: string,
    trackingNumber: string,
    binding: Omit<TrackingBinding, 'boundAt'>,
  ): Promise<ParkedUpdate[]>;
  /** Parks an update (stamped with the directory's clock); `known` when its key is parked already. */
  park(
    tenantId: string,
    trackingNumber: string,
    update: Omit<ParkedUpdate, 'parkedAt'>,
  ): Promise<'parked' | 'known'>;
}

/** Carriers print numbers with spaces and dashes; "1z 999-aa1" and "1Z999AA1" are one parcel. */
export const trackingKey = (trackingNumber: string): string =>
  trackingNumber.replace(/[\s-]/g, '').toUpperCase();

interface Slot {
  bindings: Record<string, TrackingBinding>;
  parked: Record<string, ParkedUpdate[]>;
}

/** Where slots live: the store by default, a map in tests. */
export interface SlotStorage {
  read(tenantId: string, slot: number): Promise<Slot | undefined>;
  write(tenantId: string, slot: number, value: Slot): Promise<void>;
}

export interface DirectoryLimits {
  slots: number;
  bindingsPerSlot: number;
  parkedPerSlot: number;
  parkedTtlMs: number;
}

const DEFAULT_LIMITS: DirectoryLimits = {
  slots: 64,
  bindingsPerSlot: 1_000,
  parkedPerSlot: 100,
  parkedTtlMs: 14 * 24 * 3600 * 1000,
};

const slotOf = (key: string, slots: number): number => {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % slots;
};

/** The credential name of one slot; listed by the admin API beside real credentials. */
export const slotCredential = (slot: number): string =>
  `tracking-directory-${String(slot).padStart(2, '0')}`;

/** Slots in the store's encrypted per-tenant documents. */
export const storeSlots = (store: Store, clock: Clock): SlotStorage => ({
  async read(tenantId, slot) {
    const got = await store.getCredential(tenantId, slotCredential(slot));
    if (!got.ok) {
      if (got.error.code === 'not_found') return undefined;
      throw new Error(`tracking directory unreadable: ${got.error.code}`, { cause: got.error });
    }
    return got.value as Slot;
  },
  async write(tenantId, slot, value) {
    const put = await store.putCredential(
      tenantId,
      slotCredential(slot),
      value,
      clock.now().toISOString(),
    );
    if (!put.ok)
      throw new Error(`tracking directory not saved: ${put.error.code}`, { cause: put.error });
  },
});

/** Slots in memory, for tests. */
export const memorySlots = (): SlotStorage => {
  const map = new Map<string, Slot>();
  return {
    read: async (tenantId, slot) => structuredClone(map.get(`${tenantId}/${slot}`)),
    write: async (tenantId, slot, value) => {
      map.set(`${tenantId}/${slot}`, structuredClone(value));
    },
  };
};

// Read-modify-write of one slot is serialised per process; the hub is one writer per store.
const locks = new WeakMap<SlotStorage, Map<string, Promise<unknown>>>();
const serialised = <T>(storage: SlotStorage, key: string, work: () => Promise<T>): Promise<T> => {
  let byKey = locks.get(storage);
  if (!byKey) {
    byKey = new Map();
    locks.set(storage, byKey);
  }
  const previous = byKey.get(key) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.catch(() => undefined);
  byKey.set(key, settled);
  void settled.then(() => {
    if (byKey.get(key) === settled) byKey.delete(key);
  });
  return next;
};

/** A tracking directory over `storage`. */
export const createTrackingDirectory = (
  storage: SlotStorage,
  clock: Clock,
  limits: Partial<DirectoryLimits> = {},
): TrackingDirectory => {
  const l = { ...DEFAULT_LIMITS, ...limits };
  const empty = (): Slot => ({ bindings: {}, parked: {} });
  const withSlot = <T>(
    tenantId: string,
    key: string,
    change: (slot: Slot, now: Date) => { result: T; dirty: boolean },
  ): Promise<T> => {
    const slot = slotOf(key, l.slots);
    return serialised(storage, `${tenantId}/${slot}`, async () => {
      const current = (await storage.read(tenantId, slot)) ?? empty();
      const { result, dirty } = change(current, clock.now());
      if (dirty) await storage.write(tenantId, slot, current);
      return result;
    });
  };
  const prune = (slot: Slot, now: Date): void => {
    const cutoff = now.getTime() - l.parkedTtlMs;
    for (const [k, list] of Object.entries(slot.parked)) {
      const kept = list.filter((p) => Date.parse(p.parkedAt) >= cutoff);
      if (kept.length > 0) slot.parked[k] = kept;
      else delete slot.parked[k];
    }
    const bound = Object.entries(slot.bindings);
    if (bound.length > l.bindingsPerSlot) {
      bound.sort(([, a], [, b]) => a.boundAt.localeCompare(b.boundAt));
      for (const [k] of bound.slice(0, bound.length - l.bindingsPerSlot)) delete slot.bindings[k];
    }
  };
  return {
    async find(tenantId, trackingNumber) {
      const key = trackingKey(trackingNumber);
      const slot = await storage.read(tenantId, slotOf(key, l.slots));
      return slot?.bindings[key];
    },
    bind(tenantId, trackingNumber, binding) {
      const key = trackingKey(trackingNumber);
      return withSlot(tenantId, key, (slot, now) => {
        const released = slot.parked[key] ?? [];
        const before = slot.bindings[key];
        const same =
          before !== undefined &&
          before.orderRef === binding.orderRef &&
          before.shipmentId === binding.shipmentId;
        if (same && released.length === 0) return { result: [], dirty: false };
        slot.bindings[key] = { ...binding, boundAt: now.toISOString() };
        delete slot.parked[key];
        prune(slot, now);
        return { result: released, dirty: true };
      });
    },
    park(tenantId, trackingNumber, update) {
      const key = trackingKey(trackingNumber);
      return withSlot(tenantId, key, (slot, now) => {
        const list = slot.parked[key] ?? [];
        if (list.some((p) => p.key === update.key))
          return { result: 'known' as const, dirty: false };
        slot.parked[key] = [...list, { ...update, parkedAt: now.toISOString() }];
        prune(slot, now);
        const total = Object.values(slot.parked).reduce((n, ps) => n + ps.length, 0);
        if (total > l.parkedPerSlot) {
          // Oldest first out: a parcel nobody bound for this long is not going to be.
          const all = Object.entries(slot.parked)
            .flatMap(([k, ps]) => ps.map((p) => ({ k, p })))
            .sort((a, b) => a.p.parkedAt.localeCompare(b.p.parkedAt));
          for (const { k, p } of all.slice(0, total - l.parkedPerSlot)) {
            const rest = (slot.parked[k] ?? []).filter((x) => x !== p);
            if (rest.length > 0) slot.parked[k] = rest;
            else delete slot.parked[k];
          }
        }
        return { result: 'parked' as const, dirty: true };
      });
    },
  };
};
