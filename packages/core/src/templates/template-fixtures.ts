/**
 * @module Realistic events, states and contexts for the template tests: a two-line order, a
 * tracked UPS parcel, a customer with contact points (which must never reach the context).
 */
import type { OrderEvent, OrderEventInput } from '../order-event.ts';
import { emptyOrderState, type OrderState, type ShipmentState } from '../order-state.ts';
import type { CanonicalStatus, OverlayKind } from '../statuses.ts';
import { orderEvent } from '../testing/events.ts';
import { buildTemplateContext, type TemplateContext } from './template-context.ts';

export const CUSTOMER = {
  role: 'customer' as const,
  name: 'Camille Dupont',
  locale: 'fr-CA',
  timeZone: 'America/Toronto',
  contacts: { sms: '+15145550100', email: 'camille@example.com' },
};

const OVERLAY_FOR: Partial<Record<CanonicalStatus, { kind: OverlayKind; reason: string }>> = {
  on_hold: { kind: 'on_hold', reason: 'payment' },
  delayed: { kind: 'delayed', reason: 'carrier' },
  exception: { kind: 'exception', reason: 'failed_attempt' },
  split_shipment: { kind: 'split_shipment', reason: 'partial_fulfillment' },
};

/** A valid event of `status` for order #1001 with two lines and parcel s1 (UPS, tracked). */
export const sampleEvent = (
  status: CanonicalStatus,
  patch: Partial<OrderEventInput> = {},
): OrderEvent => {
  const overlay = OVERLAY_FOR[status];
  return orderEvent({
    status,
    occurredAt: '2026-11-28T14:30:00Z',
    recipients: [CUSTOMER],
    order: {
      number: '#1001',
      total: { amount: '1234.50', currency: 'EUR' },
      promisedDate: '2026-12-03',
      lineItems: [
        { id: 'l1', title: 'Blue Ceramic Mug', quantity: 2, categories: ['kitchen'] },
        { id: 'l2', title: 'Loose Leaf Tea', quantity: 1, categories: ['food'] },
      ],
    },
    shipment: {
      id: 's1',
      carrier: 'UPS',
      trackingNumber: '1Z999AA10123456784',
      trackingUrl: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
      items: [{ lineItemId: 'l1', quantity: 2 }],
    },
    ...(overlay === undefined ? {} : { overlay }),
    ...patch,
  });
};

const shipmentState = (
  id: string,
  progress: ShipmentState['progress'],
  extra: Partial<ShipmentState> = {},
): ShipmentState => ({
  id,
  progress,
  progressAt: '2026-11-28T10:00:00Z',
  active: true,
  pickup: false,
  overlays: [],
  ...extra,
});

/** The order's state after `event`: one parcel, or two when `split` says which one is behind. */
export const sampleState = (
  split: 'none' | 'first_of_two' | 'last_of_two' = 'none',
  progress: ShipmentState['progress'] = 'dispatched',
): OrderState => {
  const state = emptyOrderState('shop-1', 'order-1001');
  const s1 = shipmentState('s1', progress, {
    carrier: 'UPS',
    trackingNumber: '1Z999AA10123456784',
  });
  if (split === 'none') return { ...state, shipments: [s1] };
  const other = split === 'first_of_two' ? null : progress;
  return { ...state, shipments: [s1, shipmentState('s2', other)] };
};

/** A context as the planner would build it for `status`. */
export const sampleContext = (
  status: CanonicalStatus,
  options: {
    patch?: Partial<OrderEventInput>;
    split?: 'none' | 'first_of_two' | 'last_of_two';
    extras?: Record<string, unknown>;
  } = {},
): TemplateContext =>
  buildTemplateContext(sampleEvent(status, options.patch), sampleState(options.split), {
    shopName: 'Maison Lumière',
    recipient: CUSTOMER,
    locale: 'fr-CA',
    timeZone: 'America/Toronto',
    extras: {
      cancelUrl: 'https://shop.example/orders/1001/cancel',
      withdrawalDeadline: '2026-12-12',
      ...options.extras,
    },
  });
