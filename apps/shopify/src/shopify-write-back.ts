/**
 * @module The `shopify` write-back target: a status that came from elsewhere (a carrier, a
 * manual override) becomes a fulfillment event on the shipment, and every status a
 * `tidings:<status>` order tag. What Shopify will echo back is fingerprinted.
 */
import type { CanonicalStatus } from '@tidings/core';
import type { WriteBackJob, WriteBackResult, WriteBackTarget } from '@tidings/engine';
import type { Store } from '@tidings/store';
import { adminGraphql } from './admin-graphql.ts';
import { FULFILLMENT_EVENT_CREATE, TAGS_ADD } from './graphql-documents.ts';
import { idString } from './json-ids.ts';
import { loadSession, shopDomain } from './shop-tenants.ts';
import type { FetchLike } from './shopify-library.ts';
import { fulfillmentEventFingerprint, orderEchoFingerprint } from './shopify-normalizer.ts';

/** The prefix of every tag we write, so merchants (and we) can tell ours apart. */
export const TAG_PREFIX = 'tidings:';

/** How long a fingerprint is kept: Shopify retries a delivery for up to 4 hours. */
export const FINGERPRINT_TTL_MS = 24 * 60 * 60 * 1000;

/** Canonical status → `FulfillmentEventStatus` valid in 2025-01 (no CARRIER_PICKED_UP there). */
export const FULFILLMENT_EVENT_STATUS: Partial<Record<CanonicalStatus, string>> = {
  dispatched: 'CONFIRMED',
  in_transit: 'IN_TRANSIT',
  out_for_delivery: 'OUT_FOR_DELIVERY',
  delivered: 'DELIVERED',
  delayed: 'DELAYED',
  exception: 'FAILURE',
};

export interface ShopifyWriteBackOptions {
  store: Store;
  fetch: FetchLike;
  apiVersion: string;
}

interface FulfillmentEventData {
  fulfillmentEventCreate: {
    fulfillmentEvent: { id: string } | null;
    userErrors: { field: string[] | null; message: string }[];
  } | null;
}
interface TagsAddData {
  tagsAdd: {
    node: { id: string; updatedAt?: string } | null;
    userErrors: { field: string[] | null; message: string }[];
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

/** Creates the target; register it with `context.writeBacks.register(...)`. */
export const createShopifyWriteBack = (options: ShopifyWriteBackOptions): WriteBackTarget => ({
  target: 'shopify',
  async appliesTo(tenantId) {
    const shop = shopDomain(tenantId);
    return shop !== undefined && (await loadSession(options.store, shop)) !== undefined;
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
    const gql = { fetch: options.fetch, apiVersion: options.apiVersion };
    const fingerprints: string[] = [];
    const events = await deps.store.listEvents(job.tenantId, job.orderRef);
    const source = events.find((e) => e.sourceEventId === job.eventId)?.source;
    const eventStatus = FULFILLMENT_EVENT_STATUS[job.status];
    if (source !== 'shopify' && job.shipmentId && eventStatus) {
      const r = await adminGraphql<FulfillmentEventData>(gql, session, FULFILLMENT_EVENT_CREATE, {
        fulfillmentEvent: {
          fulfillmentId: `gid://shopify/Fulfillment/${job.shipmentId}`,
          status: eventStatus,
          happenedAt: job.at,
          message: job.note.slice(0, 255),
        },
      });
      if (!r.ok) return r;
      const payload = r.data.fulfillmentEventCreate;
      if (payload?.userErrors.length)
        return userErrorFailure('fulfillment event', payload.userErrors);
      const id = idString(payload?.fulfillmentEvent?.id);
      if (id) fingerprints.push(fulfillmentEventFingerprint(id));
    }
    const t = await adminGraphql<TagsAddData>(gql, session, TAGS_ADD, {
      id: `gid://shopify/Order/${job.orderRef}`,
      tags: [`${TAG_PREFIX}${job.status}`],
    });
    if (!t.ok) return t;
    const tagged = t.data.tagsAdd;
    if (tagged?.userErrors.length) return userErrorFailure('tag', tagged.userErrors);
    const echo = tagged?.node?.updatedAt
      ? orderEchoFingerprint(job.orderRef, tagged.node.updatedAt)
      : undefined;
    if (echo) fingerprints.push(echo);
    const expiresAt = new Date(deps.clock.now().getTime() + FINGERPRINT_TTL_MS).toISOString();
    // Kept here as well as by the engine, so the echo is recognised whoever stores first.
    await deps.store.transaction(async (tx) => {
      for (const fingerprint of fingerprints)
        await tx.putFingerprint({
          tenantId: job.tenantId,
          target: 'shopify',
          fingerprint,
          expiresAt,
        });
    });
    return { ok: true, fingerprints };
  },
});
