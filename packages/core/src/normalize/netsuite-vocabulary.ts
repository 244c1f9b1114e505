/**
 * @module NetSuite sales-order status letters SalesOrd:A–H and item-fulfillment ship status
 * ItemShip:A–C (sources.md §6.4). SuiteScript may hand us the letter, the `SalesOrd:X` search
 * form or the label, so all three are accepted.
 */
import { to } from './status-mapping.ts';
import type { PlatformVocabulary } from './vocabulary.ts';

const stripPrefix = (value: string): string => value.replace(/^(salesord|itemship):/, '');

export const netsuiteVocabulary: PlatformVocabulary = {
  platform: 'netsuite',
  label: 'NetSuite',
  primaryField: 'orderstatus',
  canonicalizeValue: stripPrefix,
  fields: {
    orderstatus: {
      aliases: ['status', 'transtatus', 'salesorder.status'],
      scope: 'order',
      source: 'SalesOrd status codes (sources.md §6.4, secondary references)',
      valueAliases: {
        'pending approval': 'a',
        'pending fulfillment': 'b',
        cancelled: 'c',
        'partially fulfilled': 'd',
        'pending billing/partially fulfilled': 'e',
        'pending billing': 'f',
        billed: 'g',
        closed: 'h',
      },
      rows: {
        a: to('created', { note: 'Pending Approval' }),
        b: to('processing', { note: 'Pending Fulfillment' }),
        c: to('cancelled', { note: 'Cancelled' }),
        d: to('dispatched', {
          overlay: 'split_shipment',
          reason: 'partial_fulfillment',
          note: 'Partially Fulfilled',
        }),
        e: to('dispatched', {
          overlay: 'split_shipment',
          reason: 'partial_fulfillment',
          note: 'Pending Billing/Partially Fulfilled',
        }),
        f: to('dispatched', { note: 'Pending Billing (fully fulfilled)' }),
        g: to('dispatched', {
          note: 'Billed: ERP-complete; customer progress comes from fulfillments and carriers',
        }),
        h: to('completed', {
          guard: { requires: 'any_shipped', otherwise: 'cancelled' },
          note: 'Closed: completed if anything shipped, else cancelled',
        }),
      },
    },
    shipstatus: {
      aliases: ['itemfulfillment.shipstatus'],
      scope: 'shipment',
      source: 'ItemShip status codes (sources.md §6.4)',
      valueAliases: { picked: 'a', packed: 'b', shipped: 'c' },
      rows: {
        a: to('processing', { note: 'Picked' }),
        b: to('processing', { note: 'Packed' }),
        c: to('dispatched', { note: 'Shipped' }),
      },
    },
  },
};
