/**
 * @module Builders for `OrderEvent`s in tests: only what a test cares about is spelled out,
 * the rest is a valid default, and every event passes the real schema.
 */
import { type OrderEvent, type OrderEventInput, OrderEventSchema } from '../order-event.ts';

let counter = 0;

/** A valid event for order `#1001` of tenant `shop-1`, overridden by `patch`. */
export const orderEvent = (
  patch: Partial<OrderEventInput> & Pick<OrderEventInput, 'status'>,
): OrderEvent => {
  counter += 1;
  return OrderEventSchema.parse({
    tenantId: 'shop-1',
    source: 'shopify',
    sourceEventId: `evt-${counter}`,
    orderRef: 'order-1001',
    occurredAt: `2026-11-01T10:${String(counter % 60).padStart(2, '0')}:00Z`,
    raw: { value: patch.status },
    order: { number: '#1001' },
    ...patch,
  });
};

/** A carrier or fulfilment event for one shipment. */
export const shipmentEvent = (
  shipmentId: string,
  patch: Partial<OrderEventInput> & Pick<OrderEventInput, 'status'>,
): OrderEvent => orderEvent({ ...patch, shipment: { id: shipmentId, ...patch.shipment } });
