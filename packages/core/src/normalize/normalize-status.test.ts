import { describe, expect, it } from 'vitest';
import { normalizeStatus, type TenantStatusMappings } from './normalize-status.ts';
import { VOCABULARIES } from './vocabularies.ts';

/**
 * The expected meaning of every row, transcribed from `shared/reference/sources.md` (§1.6, 2.6,
 * 3.2, 4.6, 6.4, 7.3, 8.4, 9.4, 10.4), not from the tables under test. Notation:
 * `status[+overlay][/reason] [pickup] [void] [?requires:otherwise]`; an overlay alone
 * (`delayed/carrier`) leaves the rung where it is.
 */
const EXPECTED: ReadonlyArray<readonly [string, string, string, string]> = [
  // Shopify financial_status
  ['shopify', 'financial_status', 'pending', 'created'],
  ['shopify', 'financial_status', 'authorized', 'created'],
  ['shopify', 'financial_status', 'partially_paid', 'processing'],
  ['shopify', 'financial_status', 'paid', 'processing'],
  ['shopify', 'financial_status', 'partially_refunded', 'ignore'],
  ['shopify', 'financial_status', 'refunded', 'refunded'],
  ['shopify', 'financial_status', 'voided', 'cancelled'],
  ['shopify', 'financial_status', 'expired', 'on_hold/payment'],
  // Shopify order fulfillment_status (REST)
  ['shopify', 'fulfillment_status', 'null', 'ignore'],
  ['shopify', 'fulfillment_status', 'partial', 'dispatched+split_shipment/partial_fulfillment'],
  ['shopify', 'fulfillment_status', 'fulfilled', 'dispatched'],
  ['shopify', 'fulfillment_status', 'restocked', 'cancelled'],
  // Shopify displayFulfillmentStatus (GraphQL)
  ['shopify', 'display_fulfillment_status', 'on_hold', 'on_hold/manual'],
  ['shopify', 'display_fulfillment_status', 'scheduled', 'on_hold/manual'],
  ['shopify', 'display_fulfillment_status', 'in_progress', 'processing'],
  ['shopify', 'display_fulfillment_status', 'pending_fulfillment', 'processing'],
  [
    'shopify',
    'display_fulfillment_status',
    'partially_fulfilled',
    'dispatched+split_shipment/partial_fulfillment',
  ],
  ['shopify', 'display_fulfillment_status', 'fulfilled', 'dispatched'],
  ['shopify', 'display_fulfillment_status', 'unfulfilled', 'ignore'],
  ['shopify', 'display_fulfillment_status', 'open', 'ignore'],
  ['shopify', 'display_fulfillment_status', 'restocked', 'cancelled'],
  ['shopify', 'display_fulfillment_status', 'request_declined', 'exception/fulfillment_failed'],
  // Shopify fulfillment status
  ['shopify', 'fulfillment.status', 'pending', 'processing'],
  ['shopify', 'fulfillment.status', 'open', 'processing'],
  ['shopify', 'fulfillment.status', 'success', 'dispatched'],
  ['shopify', 'fulfillment.status', 'cancelled', 'ignore void'],
  ['shopify', 'fulfillment.status', 'error', 'exception/fulfillment_failed'],
  ['shopify', 'fulfillment.status', 'failure', 'exception/fulfillment_failed'],
  // Shopify fulfillment displayStatus (unstable schema in specs/shopify)
  ['shopify', 'fulfillment.display_status', 'submitted', 'processing'],
  ['shopify', 'fulfillment.display_status', 'fulfilled', 'dispatched'],
  ['shopify', 'fulfillment.display_status', 'marked_as_fulfilled', 'dispatched'],
  ['shopify', 'fulfillment.display_status', 'confirmed', 'dispatched'],
  ['shopify', 'fulfillment.display_status', 'label_purchased', 'dispatched'],
  ['shopify', 'fulfillment.display_status', 'label_printed', 'dispatched'],
  ['shopify', 'fulfillment.display_status', 'carrier_picked_up', 'dispatched'],
  ['shopify', 'fulfillment.display_status', 'in_transit', 'in_transit'],
  ['shopify', 'fulfillment.display_status', 'out_for_delivery', 'out_for_delivery'],
  [
    'shopify',
    'fulfillment.display_status',
    'attempted_delivery',
    'out_for_delivery+exception/failed_attempt',
  ],
  ['shopify', 'fulfillment.display_status', 'ready_for_pickup', 'out_for_delivery pickup'],
  ['shopify', 'fulfillment.display_status', 'picked_up', 'delivered pickup'],
  ['shopify', 'fulfillment.display_status', 'delivered', 'delivered'],
  ['shopify', 'fulfillment.display_status', 'delayed', 'delayed/carrier'],
  ['shopify', 'fulfillment.display_status', 'failure', 'exception/other'],
  ['shopify', 'fulfillment.display_status', 'not_delivered', 'exception/other'],
  ['shopify', 'fulfillment.display_status', 'canceled', 'ignore void'],
  ['shopify', 'fulfillment.display_status', 'label_voided', 'ignore void'],
  // Shopify shipment_status / fulfillment event status: the union over API versions
  ['shopify', 'shipment_status', 'label_purchased', 'dispatched'],
  ['shopify', 'shipment_status', 'label_printed', 'dispatched'],
  ['shopify', 'shipment_status', 'confirmed', 'dispatched'],
  ['shopify', 'shipment_status', 'carrier_picked_up', 'dispatched'],
  ['shopify', 'shipment_status', 'in_transit', 'in_transit'],
  ['shopify', 'shipment_status', 'out_for_delivery', 'out_for_delivery'],
  ['shopify', 'shipment_status', 'attempted_delivery', 'out_for_delivery+exception/failed_attempt'],
  ['shopify', 'shipment_status', 'ready_for_pickup', 'out_for_delivery pickup'],
  ['shopify', 'shipment_status', 'ready_for_recipient_pickup', 'out_for_delivery pickup'],
  ['shopify', 'shipment_status', 'picked_up', 'delivered pickup'],
  ['shopify', 'shipment_status', 'delivered', 'delivered'],
  ['shopify', 'shipment_status', 'delayed', 'delayed/carrier'],
  ['shopify', 'shipment_status', 'failure', 'exception/other'],
  ['shopify', 'shipment_status', 'buyer_action_required', 'on_hold/address'],
  ['shopify', 'shipment_status', 'returning_to_sender', 'exception/returned_to_sender'],
  // Shopify cancel / close
  ['shopify', 'order_lifecycle', 'cancelled', 'cancelled'],
  ['shopify', 'order_lifecycle', 'closed', 'completed ?all_delivered:ignore'],
  ['shopify', 'order_lifecycle', 'open', 'ignore'],
  // WooCommerce
  ['woocommerce', 'status', 'pending', 'created'],
  ['woocommerce', 'status', 'failed', 'on_hold/payment'],
  ['woocommerce', 'status', 'on-hold', 'on_hold/payment'],
  ['woocommerce', 'status', 'processing', 'processing'],
  ['woocommerce', 'status', 'ready-for-pickup', 'out_for_delivery pickup'],
  ['woocommerce', 'status', 'completed', 'completed'],
  ['woocommerce', 'status', 'cancelled', 'cancelled'],
  ['woocommerce', 'status', 'refunded', 'refunded'],
  ['woocommerce', 'status', 'trash', 'ignore'],
  ['woocommerce', 'status', 'draft', 'ignore'],
  ['woocommerce', 'status', 'auto-draft', 'ignore'],
  ['woocommerce', 'status', 'new', 'ignore'],
  ['woocommerce', 'status', 'checkout-draft', 'ignore'],
  // Salesforce
  ['salesforce', 'Status', 'draft', 'ignore'],
  ['salesforce', 'Status', 'activated', 'created'],
  // HubSpot default deal pipeline
  ['hubspot', 'dealstage', 'appointmentscheduled', 'ignore'],
  ['hubspot', 'dealstage', 'qualifiedtobuy', 'ignore'],
  ['hubspot', 'dealstage', 'presentationscheduled', 'ignore'],
  ['hubspot', 'dealstage', 'decisionmakerboughtin', 'ignore'],
  ['hubspot', 'dealstage', 'contractsent', 'ignore'],
  ['hubspot', 'dealstage', 'closedwon', 'created'],
  ['hubspot', 'dealstage', 'closedlost', 'cancelled ?prior_progress:ignore'],
  // NetSuite
  ['netsuite', 'orderstatus', 'a', 'created'],
  ['netsuite', 'orderstatus', 'b', 'processing'],
  ['netsuite', 'orderstatus', 'c', 'cancelled'],
  ['netsuite', 'orderstatus', 'd', 'dispatched+split_shipment/partial_fulfillment'],
  ['netsuite', 'orderstatus', 'e', 'dispatched+split_shipment/partial_fulfillment'],
  ['netsuite', 'orderstatus', 'f', 'dispatched'],
  ['netsuite', 'orderstatus', 'g', 'dispatched'],
  ['netsuite', 'orderstatus', 'h', 'completed ?any_shipped:cancelled'],
  ['netsuite', 'shipstatus', 'a', 'processing'],
  ['netsuite', 'shipstatus', 'b', 'processing'],
  ['netsuite', 'shipstatus', 'c', 'dispatched'],
  // SAP S/4HANA
  ['sap', 'OverallSDProcessStatus', '', 'ignore'],
  ['sap', 'OverallSDProcessStatus', 'a', 'created'],
  ['sap', 'OverallSDProcessStatus', 'b', 'processing'],
  ['sap', 'OverallSDProcessStatus', 'c', 'completed ?all_dispatched:ignore'],
  ['sap', 'OverallTotalDeliveryStatus', '', 'ignore'],
  ['sap', 'OverallTotalDeliveryStatus', 'a', 'ignore'],
  ['sap', 'OverallTotalDeliveryStatus', 'b', 'split_shipment/partial_fulfillment'],
  ['sap', 'OverallTotalDeliveryStatus', 'c', 'ignore'],
  ['sap', 'OverallSDDocumentRejectionSts', '', 'ignore'],
  ['sap', 'OverallSDDocumentRejectionSts', 'a', 'ignore'],
  ['sap', 'OverallSDDocumentRejectionSts', 'b', 'ignore'],
  ['sap', 'OverallSDDocumentRejectionSts', 'c', 'cancelled'],
  ['sap', 'TotalCreditCheckStatus', '', 'ignore'],
  ['sap', 'TotalCreditCheckStatus', 'a', 'ignore'],
  ['sap', 'TotalCreditCheckStatus', 'b', 'on_hold/payment'],
  ['sap', 'TotalCreditCheckStatus', 'c', 'ignore'],
  ['sap', 'TotalCreditCheckStatus', 'd', 'ignore'],
  ['sap', 'DeliveryBlockReason', '', 'ignore'],
  ['sap', 'DeliveryBlockReason', '01', 'on_hold/manual'],
  ['sap', 'HeaderBillingBlockReason', '', 'ignore'],
  ['sap', 'HeaderBillingBlockReason', '02', 'on_hold/payment'],
  ['sap', 'OverallPickingStatus', '', 'ignore'],
  ['sap', 'OverallPickingStatus', 'a', 'ignore'],
  ['sap', 'OverallPickingStatus', 'b', 'processing'],
  ['sap', 'OverallPickingStatus', 'c', 'processing'],
  ['sap', 'OverallPackingStatus', '', 'ignore'],
  ['sap', 'OverallPackingStatus', 'a', 'ignore'],
  ['sap', 'OverallPackingStatus', 'b', 'processing'],
  ['sap', 'OverallPackingStatus', 'c', 'processing'],
  ['sap', 'OverallGoodsMovementStatus', '', 'ignore'],
  ['sap', 'OverallGoodsMovementStatus', 'a', 'ignore'],
  ['sap', 'OverallGoodsMovementStatus', 'b', 'ignore'],
  ['sap', 'OverallGoodsMovementStatus', 'c', 'dispatched'],
  // Pipedrive
  ['pipedrive', 'status', 'open', 'ignore'],
  ['pipedrive', 'status', 'won', 'created'],
  ['pipedrive', 'status', 'lost', 'cancelled ?prior_progress:ignore'],
  ['pipedrive', 'status', 'deleted', 'ignore'],
  // AfterShip tags
  ['aftership', 'tag', 'pending', 'dispatched'],
  ['aftership', 'tag', 'inforeceived', 'dispatched'],
  ['aftership', 'tag', 'intransit', 'in_transit'],
  ['aftership', 'tag', 'outfordelivery', 'out_for_delivery'],
  ['aftership', 'tag', 'attemptfail', 'out_for_delivery+exception/failed_attempt'],
  ['aftership', 'tag', 'availableforpickup', 'out_for_delivery pickup'],
  ['aftership', 'tag', 'delivered', 'delivered'],
  ['aftership', 'tag', 'exception', 'exception/other'],
  ['aftership', 'tag', 'expired', 'exception/no_tracking_updates'],
  // AfterShip subtags that refine their tag
  ['aftership', 'subtag', 'delivered_002', 'delivered pickup'],
  ['aftership', 'subtag', 'exception_002', 'exception/address'],
  ['aftership', 'subtag', 'exception_003', 'exception/refused'],
  ['aftership', 'subtag', 'exception_004', 'delayed/customs'],
  ['aftership', 'subtag', 'exception_005', 'delayed/other'],
  ['aftership', 'subtag', 'exception_006', 'exception/held_by_carrier'],
  ['aftership', 'subtag', 'exception_007', 'exception/address'],
  ['aftership', 'subtag', 'exception_008', 'exception/pickup_missed'],
  ['aftership', 'subtag', 'exception_009', 'exception/held_by_carrier'],
  ['aftership', 'subtag', 'exception_010', 'exception/returned_to_sender'],
  ['aftership', 'subtag', 'exception_011', 'exception/returned_to_sender'],
  ['aftership', 'subtag', 'exception_012', 'exception/damaged'],
  ['aftership', 'subtag', 'exception_013', 'exception/lost'],
  ['aftership', 'subtag', 'exception_016', 'delayed/processing'],
  ['aftership', 'subtag', 'exception_017', 'delayed/weather'],
  ['aftership', 'subtag', 'exception_018', 'exception/held_by_carrier'],
  // EasyPost status
  ['easypost', 'status', 'unknown', 'ignore'],
  ['easypost', 'status', 'pre_transit', 'dispatched'],
  ['easypost', 'status', 'in_transit', 'in_transit'],
  ['easypost', 'status', 'out_for_delivery', 'out_for_delivery'],
  ['easypost', 'status', 'available_for_pickup', 'out_for_delivery pickup'],
  ['easypost', 'status', 'delivered', 'delivered'],
  ['easypost', 'status', 'return_to_sender', 'exception/returned_to_sender'],
  ['easypost', 'status', 'failure', 'exception/other'],
  ['easypost', 'status', 'cancelled', 'ignore void'],
  ['easypost', 'status', 'error', 'ignore'],
  // EasyPost status_detail
  ['easypost', 'status_detail', 'weather_delay', 'delayed/weather'],
  ['easypost', 'status_detail', 'delayed', 'delayed/carrier'],
  ['easypost', 'status_detail', 'held', 'on_hold/manual'],
  ['easypost', 'status_detail', 'awaiting_information', 'on_hold/manual'],
  ['easypost', 'status_detail', 'address_correction', 'on_hold/address'],
  ['easypost', 'status_detail', 'damaged', 'exception/damaged'],
  ['easypost', 'status_detail', 'lost', 'exception/lost'],
  ['easypost', 'status_detail', 'refused', 'exception/refused'],
  ['easypost', 'status_detail', 'delivery_exception', 'exception/other'],
  ['easypost', 'status_detail', 'transit_exception', 'exception/other'],
  ['easypost', 'status_detail', 'missorted', 'exception/other'],
  ['easypost', 'status_detail', 'failure', 'exception/other'],
  ['easypost', 'status_detail', 'return', 'exception/returned_to_sender'],
  ['easypost', 'status_detail', 'expired', 'exception/no_tracking_updates'],
  ['easypost', 'status_detail', 'cancelled', 'ignore'],
  ['easypost', 'status_detail', 'arrived_at_destination', 'ignore'],
  ['easypost', 'status_detail', 'arrived_at_facility', 'ignore'],
  ['easypost', 'status_detail', 'arrived_at_pickup_location', 'ignore'],
  ['easypost', 'status_detail', 'departed_facility', 'ignore'],
  ['easypost', 'status_detail', 'departed_origin_facility', 'ignore'],
  ['easypost', 'status_detail', 'in_transit', 'ignore'],
  ['easypost', 'status_detail', 'label_created', 'ignore'],
  ['easypost', 'status_detail', 'out_for_delivery', 'ignore'],
  ['easypost', 'status_detail', 'received_at_destination_facility', 'ignore'],
  ['easypost', 'status_detail', 'received_at_origin_facility', 'ignore'],
  ['easypost', 'status_detail', 'status_update', 'ignore'],
  ['easypost', 'status_detail', 'transferred_to_destination_carrier', 'ignore'],
  ['easypost', 'status_detail', 'unknown', 'ignore'],
];

const OVERLAYS = new Set(['on_hold', 'delayed', 'exception', 'split_shipment']);

/** Turns the notation above into the fields `normalizeStatus` must return. */
const expectation = (notation: string): Record<string, unknown> => {
  const [main = '', ...flags] = notation.split(' ');
  const [head = '', reason] = main.split('/');
  const [status = '', alongside] = head.split('+');
  const overlay = alongside ?? (OVERLAYS.has(status) ? status : undefined);
  const guard = flags.find((f) => f.startsWith('?'));
  const [requires, otherwise] = guard ? guard.slice(1).split(':') : [];
  return {
    status,
    overlay,
    reason,
    pickup: flags.includes('pickup') ? true : undefined,
    voidShipment: flags.includes('void') ? true : undefined,
    guard: guard ? { requires, otherwise } : undefined,
  };
};

const pick = (r: Record<string, unknown>) => ({
  status: r.status,
  overlay: r.overlay,
  reason: r.reason,
  pickup: r.pickup,
  voidShipment: r.voidShipment,
  guard: r.guard,
});

describe('normalizeStatus, row by row', () => {
  it.each(EXPECTED)('%s %s "%s" means %s', (platform, field, value, notation) => {
    const result = normalizeStatus(platform, value, field);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(pick(result)).toEqual(expectation(notation));
    expect(result.mappedBy).toBe('default');
  });

  it('has an expectation for every row of every built-in table', () => {
    const expected = new Set(EXPECTED.map(([p, f, v]) => `${p}|${f}|${v}`));
    const missing = Object.values(VOCABULARIES).flatMap((vocabulary) =>
      Object.entries(vocabulary.fields).flatMap(([field, table]) =>
        Object.keys(table.rows)
          .map((value) => `${vocabulary.platform}|${field}|${value}`)
          .filter((key) => !expected.has(key)),
      ),
    );
    expect(missing).toEqual([]);
  });
});

describe('normalizeStatus, the spellings platforms actually send', () => {
  it('reads GraphQL upper-case enums the same as REST lower-case', () => {
    const r = normalizeStatus('shopify', 'CARRIER_PICKED_UP', 'FulfillmentEventStatus');
    expect(r).toMatchObject({ ok: true, status: 'dispatched', field: 'shipment_status' });
    expect(normalizeStatus('shopify', 'PAID', 'displayFinancialStatus')).toMatchObject({
      ok: true,
      status: 'processing',
    });
  });

  it('treats a JSON null fulfillment_status as "unfulfilled, no change"', () => {
    expect(normalizeStatus('shopify', null, 'fulfillment_status')).toMatchObject({
      ok: true,
      status: 'ignore',
    });
  });

  it('accepts the stored wc- prefix of WooCommerce statuses', () => {
    expect(normalizeStatus('woocommerce', 'wc-on-hold', 'status')).toMatchObject({
      ok: true,
      status: 'on_hold',
      overlay: 'on_hold',
      reason: 'payment',
    });
  });

  it('accepts NetSuite letters, SalesOrd:X search forms and labels alike', () => {
    for (const value of ['B', 'SalesOrd:B', 'Pending Fulfillment']) {
      expect(normalizeStatus('netsuite', value, 'orderstatus')).toMatchObject({
        ok: true,
        status: 'processing',
      });
    }
    expect(normalizeStatus('netsuite', 'ItemShip:C', 'shipstatus')).toMatchObject({
      ok: true,
      status: 'dispatched',
      scope: 'shipment',
    });
  });

  it('reads AfterShip tags in their CamelCase and subtags it has not documented yet', () => {
    expect(normalizeStatus('aftership', 'OutForDelivery', 'tag')).toMatchObject({
      ok: true,
      status: 'out_for_delivery',
    });
    expect(normalizeStatus('aftership', 'InTransit_042', 'subtag')).toMatchObject({
      ok: true,
      status: 'in_transit',
    });
    expect(normalizeStatus('aftership', 'Teleported_001', 'subtag')).toMatchObject({
      ok: false,
      error: { code: 'unknown_status' },
    });
  });

  it('rejects a SAP block reason that is not a block code', () => {
    expect(normalizeStatus('sap', 'not a code', 'DeliveryBlockReason')).toMatchObject({
      ok: false,
      error: { code: 'unknown_status' },
    });
  });
});

describe('normalizeStatus without a field', () => {
  it('finds the one field a value belongs to', () => {
    expect(normalizeStatus('shopify', 'paid')).toMatchObject({
      ok: true,
      status: 'processing',
      field: 'financial_status',
    });
  });

  it('accepts a value that means the same in every field it appears in', () => {
    expect(normalizeStatus('shopify', 'delivered')).toMatchObject({
      ok: true,
      status: 'delivered',
    });
  });

  it('refuses to guess when a value means different things in different fields', () => {
    const r = normalizeStatus('shopify', 'pending');
    expect(r).toMatchObject({ ok: false, error: { code: 'ambiguous_status', value: 'pending' } });
    if (!r.ok) expect(r.error.fields).toEqual(['financial_status', 'fulfillment.status']);
  });
});

describe('normalizeStatus errors', () => {
  it('names the value, field and platform of an unknown status', () => {
    const r = normalizeStatus('woocommerce', 'awaiting-shipment', 'status');
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'unknown_status',
        message: 'Unknown WooCommerce status value "awaiting-shipment".',
        platform: 'woocommerce',
        value: 'awaiting-shipment',
        field: 'status',
      },
    });
  });

  it('rejects an unknown platform', () => {
    expect(normalizeStatus('magento', 'pending')).toMatchObject({
      ok: false,
      error: { code: 'unknown_platform', platform: 'magento' },
    });
  });

  it('rejects an unknown field and lists the real ones', () => {
    const r = normalizeStatus('zendesk', 'open', 'status');
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_field', field: 'status' } });
    if (!r.ok) expect(r.error.fields).toEqual(['order_status', 'tag']);
  });

  it('tells the operator that tenant-configured fields need a mapping', () => {
    const r = normalizeStatus('hubspot', '1234567', 'hs_pipeline_stage');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/configured per tenant/);
  });

  it.each([
    ['shopify', 'shipped', 'shipment_status'],
    ['woocommerce', 'shipped', 'status'],
    ['salesforce', 'Shipped', 'Status'],
    ['hubspot', 'closedmaybe', 'dealstage'],
    ['netsuite', 'Z', 'orderstatus'],
    ['netsuite', 'D', 'shipstatus'],
    ['sap', 'X', 'OverallSDProcessStatus'],
    ['pipedrive', 'archived', 'status'],
    ['pipedrive', '7', 'stage_id'],
    ['aftership', 'Lost', 'tag'],
    ['easypost', 'teleported', 'status'],
    ['easypost', 'abducted', 'status_detail'],
    ['zendesk', 'order_shipped', 'order_status'],
  ])('fails on unknown %s value "%s" in %s', (platform, value, field) => {
    expect(normalizeStatus(platform, value, field)).toMatchObject({
      ok: false,
      error: { code: 'unknown_status', platform, value },
    });
  });
});

describe('tenant mappings', () => {
  const mappings: TenantStatusMappings = {
    salesforce: {
      Status: {
        Shipped: { status: 'dispatched' },
        Draft: { status: 'created' },
      },
    },
    hubspot: { hs_pipeline_stage: { '1234567': { status: 'processing' } } },
    pipedrive: { stage_id: { '7': { status: 'dispatched' } } },
    zendesk: {
      order_status: { order_shipped: { status: 'dispatched' } },
      tag: { delayed: { status: 'delayed', overlay: 'delayed', reason: 'carrier' } },
    },
    woocommerce: {
      status: {
        completed: { status: 'dispatched' },
        'awaiting-shipment': { status: 'processing' },
      },
    },
  };

  it.each([
    ['salesforce', 'Shipped', 'Status', 'dispatched'],
    ['salesforce', 'Draft', 'Status', 'created'],
    ['hubspot', '1234567', 'hs_pipeline_stage', 'processing'],
    ['pipedrive', '7', 'stage_id', 'dispatched'],
    ['zendesk', 'order_shipped', 'custom_field', 'dispatched'],
    ['zendesk', 'delayed', 'tags', 'delayed'],
    ['woocommerce', 'wc-completed', 'status', 'dispatched'],
    ['woocommerce', 'awaiting-shipment', 'status', 'processing'],
  ])('maps %s "%s" (%s) through the tenant table to %s', (platform, value, field, status) => {
    expect(normalizeStatus(platform, value, field, { mappings })).toMatchObject({
      ok: true,
      status,
      mappedBy: 'tenant',
    });
  });

  it('leaves the built-in rows alone where the tenant says nothing', () => {
    expect(normalizeStatus('salesforce', 'Activated', 'Status', { mappings })).toMatchObject({
      ok: true,
      status: 'created',
      mappedBy: 'default',
    });
  });
});

describe('normalizeStatus without a field, on platforms with a primary field', () => {
  it.each([
    ['easypost', 'in_transit', 'in_transit', 'status'],
    ['easypost', 'out_for_delivery', 'out_for_delivery', 'status'],
    ['netsuite', 'C', 'cancelled', 'orderstatus'],
    ['aftership', 'Delivered', 'delivered', 'tag'],
    ['aftership', 'Exception_004', 'delayed', 'subtag'],
    ['sap', 'B', 'processing', 'OverallSDProcessStatus'],
  ])('reads %s "%s" as %s (from %s)', (platform, value, status, field) => {
    expect(normalizeStatus(platform, value)).toMatchObject({ ok: true, status, field });
  });
});
