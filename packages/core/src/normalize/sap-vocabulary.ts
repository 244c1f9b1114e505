/**
 * @module SAP S/4HANA SD status fields (sources.md §7.3): sales-order header statuses and outbound
 * delivery statuses, on the blank/A/B/C domain (not relevant / not yet / partially / completely).
 * Block reasons are free codes, so any non-blank value is a hold.
 */
import { ignore, overlayOnly, type StatusMapping, to } from './status-mapping.ts';
import type { PlatformVocabulary } from './vocabulary.ts';

const notRelevant = ignore('blank: not relevant');
const API = 'API_SALES_ORDER_SRV / API_OUTBOUND_DELIVERY_SRV status fields (sources.md §7.3)';

/** A block reason is a customer-defined code: blank means no block, anything else holds. */
const blockField = (reason: 'payment' | 'manual', note: string) => ({
  scope: 'order' as const,
  source: `${API}; any non-blank block code holds the order`,
  rows: { '': ignore('no block') },
  openFamily: {
    describe: `any block code (1–4 letters or digits) holds the order: on_hold (${reason})`,
    resolve: (value: string): StatusMapping | undefined =>
      /^[a-z0-9]{1,4}$/.test(value) ? overlayOnly('on_hold', reason, { note }) : undefined,
  },
});

export const sapVocabulary: PlatformVocabulary = {
  platform: 'sap',
  label: 'SAP S/4HANA',
  primaryField: 'OverallSDProcessStatus',
  fields: {
    OverallSDProcessStatus: {
      scope: 'order',
      source: API,
      rows: {
        '': notRelevant,
        a: to('created', { note: 'not yet processed' }),
        b: to('processing', { note: 'partially processed' }),
        c: to('completed', {
          guard: { requires: 'all_dispatched', otherwise: 'ignore' },
          note: 'completely processed: only once every delivery is goods-issued, else keep the rank',
        }),
      },
    },
    OverallTotalDeliveryStatus: {
      scope: 'order',
      source: API,
      rows: {
        '': notRelevant,
        a: ignore('nothing delivered yet'),
        b: overlayOnly('split_shipment', 'partial_fulfillment', { note: 'partially delivered' }),
        c: ignore('fully delivered: progress comes from the deliveries themselves'),
      },
    },
    OverallSDDocumentRejectionSts: {
      scope: 'order',
      source: API,
      rows: {
        '': notRelevant,
        a: ignore('nothing rejected'),
        b: ignore('some items rejected'),
        c: to('cancelled', { note: 'all items rejected' }),
      },
    },
    TotalCreditCheckStatus: {
      scope: 'order',
      source: `${API}; value meanings UNVERIFIED (sources.md §13)`,
      rows: {
        '': ignore('credit check not performed'),
        a: ignore('credit check OK'),
        b: overlayOnly('on_hold', 'payment', { note: 'credit check not OK' }),
        c: ignore('partially released'),
        d: ignore('released'),
      },
    },
    DeliveryBlockReason: blockField('manual', 'delivery block'),
    HeaderBillingBlockReason: blockField('payment', 'billing block'),
    OverallPickingStatus: {
      scope: 'shipment',
      source: API,
      rows: {
        '': notRelevant,
        a: ignore('not yet picked'),
        b: to('processing', { note: 'picking in progress' }),
        c: to('processing', { note: 'picked' }),
      },
    },
    OverallPackingStatus: {
      scope: 'shipment',
      source: API,
      rows: {
        '': notRelevant,
        a: ignore('not yet packed'),
        b: to('processing', { note: 'packing in progress' }),
        c: to('processing', { note: 'packed' }),
      },
    },
    OverallGoodsMovementStatus: {
      scope: 'shipment',
      source: API,
      rows: {
        '': notRelevant,
        a: ignore('goods issue not yet posted'),
        b: ignore('goods issue partially posted'),
        c: to('dispatched', { note: 'goods issue posted' }),
      },
    },
  },
};
