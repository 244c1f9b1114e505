/**
 * @module The `shopify` write-back target: a status that came from elsewhere (a carrier, a
 * manual override) becomes a fulfillment event on the shipment; every status becomes a
 * `tidings:<status>` order tag, the tags of holds and delays that are over are taken off again,
 * and the order's canonical status is kept in the `tidings.status` metafield. What Shopify will
 * echo back is fingerprinted.
 */
import {
  activeShipments,
  type CanonicalStatus,
  type OrderState,
  type OverlayKind,
  orderProgress,
} from '@tidings/core';
import type { WriteBackJob, WriteBackResult, WriteBackTarget } from '@tidings/engine';
import type { Store } from '@tidings/store';
import { adminGraphql } from './admin-graphql.ts';
import {
  FULFILLMENT_EVENT_CREATE,
  METAFIELDS_SET,
  TAGS_ADD,
  TAGS_REMOVE,
} from './graphql-documents.ts';
import { idString } from './json-ids.ts';
import { loadSession, shopDomain } from './shop-tenants.ts';
import type { FetchLike } from './shopify-library.ts';
import { fulfillmentEventFingerprint, orderEchoFingerprint } from './shopify-normalizer.ts';

/** The prefix of every tag we write, so merchants (and we) can tell ours apart. */
export const TAG_PREFIX = 'tidings:';

/**
 * Where the order's canonical status is kept. A merchant pins it in the admin by adding an order
 * metafield definition `tidings.status` (Settings → Custom data → Orders).
 */
export const STATUS_METAFIELD = {
  namespace: 'tidings',
  key: 'status',
  type: 'single_line_text_field',
} as const;

/** How long a fingerprint is kept: Shopify retries a delivery for up to 4 hours. */
export const FINGERPRINT_TTL_MS = 24 * 60 * 60 * 1000;

/** How long "this shop has a session" is trusted without reading it again. */
const APPLIES_TTL_MS = 5_000;

/** Canonical status → `FulfillmentEventStatus` valid in 2025-01 (no CARRIER_PICKED_UP there). */
export const FULFILLMENT_EVENT_STATUS: Partial<Record<CanonicalStatus, string>> = {
  dispatched: 'CONFIRMED',
  in_transit: 'IN_TRANSIT',
  out_for_delivery: 'OUT_FOR_DELIVERY',
  delivered: 'DELIVERED',
  delayed: 'DELAYED',
  exception: 'FAILURE',
};

/** Overlays whose tag says "still the case": taken off once core's state has lifted them. */
const LIFTABLE: readonly OverlayKind[] = ['on_hold', 'delayed', 'exception'];
const isLiftable = (status: string): status is OverlayKind =>
  (LIFTABLE as readonly string[]).includes(status);

/**
 * The order's status now: its last terminal branch, else its newest active overlay (order-level
 * or on an active shipment), else its rung. Read from the state rather than the job, so a job
 * retried after newer news never writes an older status over a newer one.
 */
export const currentStatus = (state: OrderState): CanonicalStatus | undefined => {
  const terminal = state.terminals.at(-1);
  if (terminal) return terminal;
  const overlay = [...state.overlays, ...activeShipments(state).flatMap((s) => s.overlays)]
    .filter((o) => isLiftable(o.kind))
    .sort((a, b) => a.since.localeCompare(b.since))
    .at(-1);
  return overlay?.kind ?? orderProgress(state) ?? undefined;
};

const activeOverlayKinds = (state: OrderState): Set<string> =>
  new Set(
    [...state.overlays, ...activeShipments(state).flatMap((s) => s.overlays)].map((o) => o.kind),
  );

export interface ShopifyWriteBackOptions {
  store: Store;
  fetch: FetchLike;
  apiVersion: string;
}

type UserErrors = { field: string[] | null; message: string }[];
interface FulfillmentEventData {
  fulfillmentEventCreate: {
    fulfillmentEvent: { id: string } | null;
    userErrors: UserErrors;
  } | null;
}
interface TagsData {
  node: { id: string; updatedAt?: string } | null;
  userErrors: UserErrors;
}
interface MetafieldsSetData {
  metafieldsSet: {
    metafields: { id: string; owner?: { updatedAt?: string } | null }[] | null;
    userErrors: UserErrors;
  } | null;
}

const userErrorFailure = (what: string, errors: { message: string }[]): WriteBackResult => ({
  ok: false,
  error: {
    class: 'permanent',
    code: 'user_errors',
    message: `Shopify refused the ${what}: ${errors.map((e) => e.message).join('; ')}`,
  },
});

/**
 * Our overlay tags to take off: each kind whose latest `shopify` job for the order put its tag on,
 * which core's state no longer holds, and which no write since that job has taken off (a marker
 * per tagging job, so later writes do not remove it again and again).
 */
const liftedTags = async (
  store: Store,
  job: WriteBackJob,
  state: OrderState,
  now: Date,
): Promise<{ kind: OverlayKind; marker: string }[]> => {
  const active = activeOverlayKinds(state);
  const jobs = [
    ...(await store.listWriteBacks(job.tenantId, job.orderRef)).map((w) => w.job),
    job,
  ].filter((j) => j.target === 'shopify');
  const candidates = LIFTABLE.flatMap((kind) => {
    if (active.has(kind)) return [];
    const latest = jobs
      .filter((j) => j.status === kind)
      .sort((a, b) => a.at.localeCompare(b.at) || a.id.localeCompare(b.id))
      .at(-1);
    return latest
      ? [{ kind, marker: `shopify:untagged:${job.orderRef}:${kind}:${latest.id}` }]
      : [];
  });
  if (candidates.length === 0) return [];
  const done = await store.transaction(async (tx) =>
    Promise.all(
      candidates.map((c) => tx.hasFingerprint(job.tenantId, c.marker, now.toISOString())),
    ),
  );
  return candidates.filter((_, i) => !done[i]);
};

/** Marks a job's fulfillment event as created, so a retry of the job does not create a second. */
const createdMarker = (jobId: string): string => `shopify:written:${jobId}:fulfillment_event`;

/** Creates the target; register it with `context.writeBacks.register(...)`. */
export const createShopifyWriteBack = (options: ShopifyWriteBackOptions): WriteBackTarget => {
  // Asked on every ingest batch; loading a session means a read and an AES-GCM decryption. Only
  // "installed" is remembered, briefly: a job queued just after an uninstall fails as
  // `shopify_not_installed`, while a shop just installed is never skipped.
  const installed = new Map<string, number>();
  return {
    target: 'shopify',
    // Our tags and the status metafield mirror the order's state, so an event from Shopify itself
    // that lifts a hold or delay still gets a `sync` job that takes our tag off.
    mirrorsState: true,
    async appliesTo(tenantId) {
      const shop = shopDomain(tenantId);
      if (shop === undefined) return false;
      const now = Date.now();
      if ((installed.get(shop) ?? 0) > now) return true;
      const yes = (await loadSession(options.store, shop)) !== undefined;
      if (yes) installed.set(shop, now + APPLIES_TTL_MS);
      else installed.delete(shop);
      return yes;
    },
    async write(job: WriteBackJob, deps): Promise<WriteBackResult> {
      const session = await loadSession(deps.store, job.tenantId);
      if (!session)
        return {
          ok: false,
          error: {
            class: 'permanent',
            code: 'shopify_not_installed',
            message: 'The shop has no stored session.',
          },
        };
      const fingerprints: string[] = [];
      const expiresAt = () =>
        new Date(deps.clock.now().getTime() + FINGERPRINT_TTL_MS).toISOString();
      // Kept here as well as by the engine (which stores only a success's), so the echo of every
      // write that went through is recognised, even when a later step of the job fails.
      const remember = async (found: readonly (string | undefined)[]) => {
        const kept = found.filter((f): f is string => f !== undefined);
        if (kept.length === 0) return;
        const at = expiresAt();
        await deps.store.transaction(async (tx) => {
          for (const fingerprint of kept)
            await tx.putFingerprint({
              tenantId: job.tenantId,
              target: 'shopify',
              fingerprint,
              expiresAt: at,
            });
        });
      };
      const gql = <T>(query: string, variables: Record<string, unknown>) =>
        adminGraphql<T>(
          { fetch: options.fetch, apiVersion: options.apiVersion },
          session,
          query,
          variables,
        );
      const orderId = `gid://shopify/Order/${job.orderRef}`;

      // A sync job carries no news: no fulfillment event and no new tag, only the mirror's update.
      const news = job.kind !== 'sync';
      if (news) {
        const created = await writeFulfillmentEvent(job, deps.store, deps.clock.now(), gql);
        if (!created.ok) return created.result;
        if (created.fingerprint) {
          fingerprints.push(created.fingerprint);
          await remember([created.fingerprint, createdMarker(job.id)]);
        }
      }

      const tag = async (mutation: 'tagsAdd' | 'tagsRemove', tags: string[]) => {
        const r = await gql<Record<typeof mutation, TagsData | null>>(
          mutation === 'tagsAdd' ? TAGS_ADD : TAGS_REMOVE,
          { id: orderId, tags },
        );
        if (!r.ok) return r;
        const payload = r.data[mutation];
        if (payload?.userErrors.length) return userErrorFailure('tag', payload.userErrors);
        const echo = payload?.node?.updatedAt
          ? orderEchoFingerprint(job.orderRef, payload.node.updatedAt)
          : undefined;
        if (echo) {
          fingerprints.push(echo);
          await remember([echo]);
        }
        return undefined;
      };

      if (news) {
        const added = await tag('tagsAdd', [`${TAG_PREFIX}${job.status}`]);
        if (added) return added;
      }

      const state = (await deps.store.getOrderState(job.tenantId, job.orderRef))?.state;
      if (state) {
        const over = await liftedTags(deps.store, job, state, deps.clock.now());
        if (over.length > 0) {
          const removed = await tag(
            'tagsRemove',
            over.map((o) => `${TAG_PREFIX}${o.kind}`),
          );
          if (removed) return removed;
          await remember(over.map((o) => o.marker));
        }
      }

      const m = await gql<MetafieldsSetData>(METAFIELDS_SET, {
        metafields: [
          {
            ownerId: orderId,
            ...STATUS_METAFIELD,
            value: (state && currentStatus(state)) ?? job.status,
          },
        ],
      });
      if (!m.ok) return m;
      const set = m.data.metafieldsSet;
      if (set?.userErrors.length) return userErrorFailure('status metafield', set.userErrors);
      const ownerUpdated = set?.metafields?.[0]?.owner?.updatedAt;
      const echo = ownerUpdated ? orderEchoFingerprint(job.orderRef, ownerUpdated) : undefined;
      if (echo) {
        fingerprints.push(echo);
        await remember([echo]);
      }
      return { ok: true, fingerprints: [...new Set(fingerprints)] };
    },
  };
};

type Gql = <T>(
  query: string,
  variables: Record<string, unknown>,
) => ReturnType<typeof adminGraphql<T>>;

/**
 * A fulfillment event for a status that did not come from Shopify and names a shipment; skipped
 * when this job already created one (its retry after a later step failed).
 */
const writeFulfillmentEvent = async (
  job: WriteBackJob,
  store: Store,
  now: Date,
  gql: Gql,
): Promise<{ ok: true; fingerprint?: string } | { ok: false; result: WriteBackResult }> => {
  const eventStatus = FULFILLMENT_EVENT_STATUS[job.status];
  if (!job.shipmentId || !eventStatus) return { ok: true };
  const events = await store.listEventsOfOrders(job.tenantId, [job.orderRef]);
  if (events.find((e) => e.sourceEventId === job.eventId)?.source === 'shopify')
    return { ok: true };
  const done = await store.transaction((tx) =>
    tx.hasFingerprint(job.tenantId, createdMarker(job.id), now.toISOString()),
  );
  if (done) return { ok: true };
  const r = await gql<FulfillmentEventData>(FULFILLMENT_EVENT_CREATE, {
    fulfillmentEvent: {
      fulfillmentId: `gid://shopify/Fulfillment/${job.shipmentId}`,
      status: eventStatus,
      happenedAt: job.at,
      message: job.note.slice(0, 255),
    },
  });
  if (!r.ok) return { ok: false, result: r };
  const payload = r.data.fulfillmentEventCreate;
  if (payload?.userErrors.length)
    return { ok: false, result: userErrorFailure('fulfillment event', payload.userErrors) };
  const id = idString(payload?.fulfillmentEvent?.id);
  return id ? { ok: true, fingerprint: fulfillmentEventFingerprint(id) } : { ok: true };
};
