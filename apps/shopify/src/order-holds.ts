/**
 * @module Order holds (`fulfillment_orders/placed_on_hold`, `…/hold_released`): the payload
 * names only the fulfillment order, so its order is looked up through the Admin API before the
 * hold becomes an `on_hold` overlay (or its release lifts it).
 */
import type { OnHoldReason, OrderEventInput } from '@tidings/core';
import type { HoldTopic, NormalizedDelivery } from './shopify-normalizer.ts';

/** Finds the order of a fulfillment order (GID), e.g. through GraphQL with the shop's session. */
export type HoldLookup = (
  shop: string,
  fulfillmentOrderId: string,
) => Promise<
  { ok: true; orderRef: string } | { ok: false; error: { code: string; message: string } }
>;

/** Shopify's `FulfillmentHoldReason` (lower-case in webhook payloads) → our hold reason. */
export const HOLD_REASONS: Readonly<Record<string, OnHoldReason>> = {
  awaiting_payment: 'payment',
  high_risk_of_fraud: 'fraud',
  incorrect_address: 'address',
  inventory_out_of_stock: 'inventory',
  unknown_delivery_date: 'manual',
  awaiting_return_items: 'manual',
  online_store_post_purchase_cross_sell: 'manual',
  other: 'manual',
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export interface HoldInput {
  tenantId: string;
  topic: HoldTopic;
  deliveryId: string;
  payload: Json;
  at: string;
}

/** Turns a hold delivery into a draft for the order it belongs to. */
export const holdDrafts = async (
  lookup: HoldLookup,
  input: HoldInput,
): Promise<
  { ok: true; value: NormalizedDelivery } | { ok: false; error: { code: string; message: string } }
> => {
  const fo = isObject(input.payload.fulfillment_order)
    ? input.payload.fulfillment_order
    : undefined;
  const foId = typeof fo?.id === 'string' ? fo.id : undefined;
  if (!foId)
    return { ok: false, error: { code: 'invalid_payload', message: 'No fulfillment_order.id.' } };
  const found = await lookup(input.tenantId, foId);
  if (!found.ok) return found;
  const holds = Array.isArray(fo?.fulfillment_holds) ? fo.fulfillment_holds : [];
  const first = holds.find(isObject);
  const reason =
    HOLD_REASONS[typeof first?.reason === 'string' ? first.reason.toLowerCase() : 'other'] ??
    'manual';
  const base = {
    tenantId: input.tenantId,
    source: 'shopify' as const,
    orderRef: found.orderRef,
    occurredAt: input.at,
    sourceEventId: `${input.deliveryId}#hold`,
    recipients: [],
    order: { number: `#${found.orderRef}` },
  };
  const draft: OrderEventInput =
    input.topic === 'FULFILLMENT_ORDERS_PLACED_ON_HOLD'
      ? {
          ...base,
          status: 'on_hold',
          overlay: { kind: 'on_hold', reason },
          raw: { value: 'on_hold', field: 'fulfillment_order.status' },
        }
      : {
          ...base,
          status: 'ignore',
          clear: ['on_hold'],
          raw: { value: 'hold_released', field: 'fulfillment_order.status' },
        };
  return {
    ok: true,
    value: {
      orderRef: found.orderRef,
      snapshot: { kind: 'event', at: input.at },
      drafts: [draft],
      needsContext: true,
    },
  };
};
