/**
 * @module Many orders at once for the process, duplicate and benchmark suites: an e-mail-only
 * tenant without quiet hours (so nothing is deferred, whatever the wall clock says), order events,
 * and a helper that fills the outbox through `createIngest`.
 */
import { type Clock, type OrderEvent, type OrderEventInput, OrderEventSchema } from '@tidings/core';
import type { Store } from '@tidings/store';
import { createTenantConfigs, silentLogger } from '../src/engine-context.ts';
import { createIngest, type IngestResult } from '../src/ingest.ts';

/** Stores a tenant whose only customer channel is e-mail and whose quiet hours are off. */
export const putEmailTenant = async (store: Store, tenantId: string): Promise<void> => {
  await store.putTenant(
    {
      id: tenantId,
      name: 'Bulk Goods',
      active: true,
      config: {
        tenantId,
        name: 'Bulk Goods',
        channelPreferences: { customer: ['email'], internal: [] },
        compliance: { quietHours: { critical: null, transactional: null, marketing: null } },
      },
    },
    '2026-01-01T00:00:00Z',
  );
};

/** An order event for order `i`; every order has its own customer, so no frequency cap bites. */
export const orderEvent = (
  tenantId: string,
  i: number,
  patch: Partial<OrderEventInput> & Pick<OrderEventInput, 'status' | 'sourceEventId'>,
): OrderEvent =>
  OrderEventSchema.parse({
    tenantId,
    source: 'shopify',
    orderRef: `order-${i}`,
    occurredAt: '2026-11-28T16:00:00Z',
    raw: { value: patch.status },
    recipients: [
      {
        role: 'customer',
        name: `Customer ${i}`,
        locale: 'en',
        timeZone: 'UTC',
        country: 'CA',
        contacts: { email: `customer-${i}@example.com` },
      },
    ],
    order: {
      number: `#${1000 + i}`,
      lineItems: [{ id: 'l1', title: 'Mug', quantity: 1, categories: [] }],
    },
    ...patch,
  });

/**
 * Ingests one `processing` event for each of `count` orders (numbered from `from`), `inFlight`
 * at a time so group commit has company; returns how many intents were written.
 */
export const fillOutbox = async (
  store: Store,
  options: {
    tenantId: string;
    count: number;
    clock: Clock;
    from?: number;
    inFlight?: number;
    maxBatch?: number;
  },
): Promise<number> => {
  const tenants = createTenantConfigs(store, options.clock, 60_000);
  const ingest = createIngest({
    store,
    clock: options.clock,
    tenants,
    logger: silentLogger,
    ...(options.maxBatch !== undefined ? { maxBatch: options.maxBatch } : {}),
  });
  const from = options.from ?? 0;
  const inFlight = options.inFlight ?? 256;
  let intents = 0;
  for (let start = 0; start < options.count; start += inFlight) {
    const size = Math.min(inFlight, options.count - start);
    const results: IngestResult[] = await Promise.all(
      Array.from({ length: size }, (_, k) => {
        const i = from + start + k;
        const event = orderEvent(options.tenantId, i, {
          status: 'processing',
          sourceEventId: `bulk-${i}`,
        });
        return ingest({ event, rawBody: '{}' });
      }),
    );
    for (const r of results) if (r.outcome === 'accepted') intents += r.intents;
  }
  return intents;
};
