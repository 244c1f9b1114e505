/**
 * @module Shopify's status vocabularies (sources.md §1.6): order financial and fulfillment
 * status, fulfillments, fulfillment events across API versions, and order cancel/close.
 */
import { ignore, overlayOnly, type StatusMapping, to } from './status-mapping.ts';
import type { PlatformVocabulary } from './vocabulary.ts';

const DOCS = 'https://shopify.dev/docs/api/admin-graphql';

/**
 * Fulfillment event statuses are the union over API versions: 2024-04 base, DELAYED (2025-01),
 * CARRIER_PICKED_UP (2025-10), PICKED_UP (unstable), and the Customer API's extra three.
 */
const shipmentRows: Record<string, StatusMapping> = {
  label_purchased: to('dispatched'),
  label_printed: to('dispatched'),
  confirmed: to('dispatched', { note: 'the default when nothing else is known' }),
  carrier_picked_up: to('dispatched'),
  in_transit: to('in_transit'),
  out_for_delivery: to('out_for_delivery'),
  attempted_delivery: to('out_for_delivery', { overlay: 'exception', reason: 'failed_attempt' }),
  ready_for_pickup: to('out_for_delivery', { pickup: true }),
  ready_for_recipient_pickup: to('out_for_delivery', { pickup: true }),
  picked_up: to('delivered', { pickup: true }),
  delivered: to('delivered'),
  delayed: overlayOnly('delayed', 'carrier'),
  failure: overlayOnly('exception', 'other'),
  buyer_action_required: overlayOnly('on_hold', 'address'),
  returning_to_sender: overlayOnly('exception', 'returned_to_sender'),
};

export const shopifyVocabulary: PlatformVocabulary = {
  platform: 'shopify',
  label: 'Shopify',
  fields: {
    financial_status: {
      aliases: ['displayFinancialStatus', 'display_financial_status'],
      scope: 'order',
      source: `${DOCS}/latest/enums/OrderDisplayFinancialStatus`,
      rows: {
        pending: to('created', { note: 'payment not yet complete (manual methods)' }),
        authorized: to('created', { note: 'manual capture pending' }),
        partially_paid: to('processing'),
        paid: to('processing'),
        partially_refunded: ignore('record the amount; not a terminal'),
        refunded: to('refunded'),
        voided: to('cancelled', { note: 'unpaid order manually cancelled' }),
        expired: overlayOnly('on_hold', 'payment', { note: 'authorization lapsed' }),
      },
    },
    fulfillment_status: {
      scope: 'order',
      source: `${DOCS}/latest/enums/OrderCreateFulfillmentStatus (REST: null, partial, fulfilled, restocked)`,
      valueAliases: { '': 'null' },
      rows: {
        null: ignore('unfulfilled: no change'),
        partial: to('dispatched', {
          overlay: 'split_shipment',
          reason: 'partial_fulfillment',
          note: 'for the shipped part',
        }),
        fulfilled: to('dispatched', { note: 'all lines shipped' }),
        restocked: to('cancelled', { note: 'all lines restocked and the order cancelled' }),
      },
    },
    display_fulfillment_status: {
      aliases: ['displayFulfillmentStatus'],
      scope: 'order',
      source: `${DOCS}/2024-04/enums/OrderDisplayFulfillmentStatus`,
      rows: {
        on_hold: overlayOnly('on_hold', 'manual'),
        scheduled: overlayOnly('on_hold', 'manual', { note: 'scheduled for later' }),
        in_progress: to('processing'),
        pending_fulfillment: to('processing'),
        partially_fulfilled: to('dispatched', {
          overlay: 'split_shipment',
          reason: 'partial_fulfillment',
          note: 'same meaning as REST `partial`',
        }),
        fulfilled: to('dispatched'),
        unfulfilled: ignore('no change'),
        open: ignore('no change'),
        restocked: to('cancelled'),
        request_declined: overlayOnly('exception', 'fulfillment_failed', {
          note: 'the fulfillment service declined; staff must act',
        }),
      },
    },
    'fulfillment.status': {
      aliases: ['fulfillment_status.status'],
      scope: 'shipment',
      source: `${DOCS}/latest/enums/FulfillmentStatus`,
      rows: {
        pending: to('processing', { note: 'deprecated value' }),
        open: to('processing', { note: 'deprecated value' }),
        success: to('dispatched'),
        cancelled: {
          status: 'ignore',
          voidShipment: true,
          note: 'shipment voided; the order rank is re-evaluated without it',
        },
        error: overlayOnly('exception', 'fulfillment_failed'),
        failure: overlayOnly('exception', 'fulfillment_failed'),
      },
    },
    'fulfillment.display_status': {
      aliases: ['displayStatus', 'fulfillment.displayStatus'],
      scope: 'shipment',
      source: `${DOCS}/unstable/enums/FulfillmentDisplayStatus (specs/shopify)`,
      rows: {
        submitted: to('processing'),
        fulfilled: to('dispatched'),
        marked_as_fulfilled: to('dispatched'),
        confirmed: to('dispatched'),
        label_purchased: to('dispatched'),
        label_printed: to('dispatched'),
        carrier_picked_up: to('dispatched'),
        in_transit: to('in_transit'),
        out_for_delivery: to('out_for_delivery'),
        attempted_delivery: to('out_for_delivery', {
          overlay: 'exception',
          reason: 'failed_attempt',
        }),
        ready_for_pickup: to('out_for_delivery', { pickup: true }),
        picked_up: to('delivered', { pickup: true }),
        delivered: to('delivered'),
        delayed: overlayOnly('delayed', 'carrier'),
        failure: overlayOnly('exception', 'other'),
        not_delivered: overlayOnly('exception', 'other'),
        canceled: { status: 'ignore', voidShipment: true, note: 'fulfillment cancelled' },
        label_voided: { status: 'ignore', voidShipment: true, note: 'label voided' },
      },
    },
    shipment_status: {
      aliases: ['fulfillment_event.status', 'FulfillmentEventStatus', 'event_status'],
      scope: 'shipment',
      source: `${DOCS}/{2024-04,2025-01,2025-10,unstable}/enums/FulfillmentEventStatus; customer/unstable`,
      rows: shipmentRows,
    },
    order_lifecycle: {
      aliases: ['cancelled_at', 'closed_at'],
      scope: 'order',
      source: 'orders/cancelled topic, `cancelled_at` and `closed_at` (sources.md §1.6)',
      rows: {
        cancelled: to('cancelled'),
        closed: to('completed', {
          guard: { requires: 'all_delivered', otherwise: 'ignore' },
          note: 'archived: completed only when every active shipment is delivered',
        }),
        open: ignore('neither cancelled nor closed'),
      },
    },
  },
};
