/**
 * @module AfterShip tracking tags and subtags (sources.md §9.4). Subtags refine a tag; AfterShip
 * adds new ones over time (Exception_016–018 in 2026), so a well-formed subtag of a known tag
 * falls back to its tag's meaning instead of failing.
 */
import { overlayOnly, type StatusMapping, to } from './status-mapping.ts';
import type { PlatformVocabulary } from './vocabulary.ts';

const tagRows: Record<string, StatusMapping> = {
  pending: to('dispatched', { note: 'tracking known, no carrier data yet' }),
  inforeceived: to('dispatched'),
  intransit: to('in_transit'),
  outfordelivery: to('out_for_delivery'),
  attemptfail: to('out_for_delivery', { overlay: 'exception', reason: 'failed_attempt' }),
  availableforpickup: to('out_for_delivery', { pickup: true }),
  delivered: to('delivered'),
  exception: overlayOnly('exception', 'other'),
  expired: overlayOnly('exception', 'no_tracking_updates', {
    note: 'no tracking updates for 30 days',
  }),
};

/** Subtags whose meaning differs from their tag's (delivery sub-statuses enum, 2026-07). */
const subtagRows: Record<string, StatusMapping> = {
  delivered_002: to('delivered', { pickup: true, note: 'picked up by the customer' }),
  exception_002: overlayOnly('exception', 'address', { note: 'customer moved' }),
  exception_003: overlayOnly('exception', 'refused', { note: 'customer refused delivery' }),
  exception_004: overlayOnly('delayed', 'customs', { note: 'delayed (customs clearance)' }),
  exception_005: overlayOnly('delayed', 'other', { note: 'delayed (external factors)' }),
  exception_006: overlayOnly('exception', 'held_by_carrier', { note: 'held for payment' }),
  exception_007: overlayOnly('exception', 'address', { note: 'incorrect address' }),
  exception_008: overlayOnly('exception', 'pickup_missed', { note: 'pick-up missed' }),
  exception_009: overlayOnly('exception', 'held_by_carrier', { note: 'rejected by carrier' }),
  exception_010: overlayOnly('exception', 'returned_to_sender', { note: 'returning to sender' }),
  exception_011: overlayOnly('exception', 'returned_to_sender', { note: 'returned to sender' }),
  exception_012: overlayOnly('exception', 'damaged', { note: 'shipment damaged' }),
  exception_013: overlayOnly('exception', 'lost', { note: 'shipment lost' }),
  exception_016: overlayOnly('delayed', 'processing', { note: 'delayed (processing issue)' }),
  exception_017: overlayOnly('delayed', 'weather', { note: 'delayed (extreme weather)' }),
  exception_018: overlayOnly('exception', 'held_by_carrier', {
    note: 'incorrect or missing documents',
  }),
};

const SUBTAG = /^([a-z]+)_(\d{3})$/;

export const aftershipVocabulary: PlatformVocabulary = {
  platform: 'aftership',
  label: 'AfterShip',
  primaryField: 'tag',
  fields: {
    tag: {
      aliases: ['msg.tag'],
      scope: 'shipment',
      source: 'https://www.aftership.com/docs/tracking/2025-01/enum/delivery-statuses',
      rows: tagRows,
    },
    subtag: {
      aliases: ['msg.subtag'],
      scope: 'shipment',
      source: 'https://www.aftership.com/docs/tracking/2026-07/enum/delivery-sub-statuses',
      rows: subtagRows,
      openFamily: {
        describe: 'any other `<Tag>_<NNN>` of a known tag means what its tag means',
        resolve: (value) => {
          const tag = SUBTAG.exec(value)?.[1];
          return tag === undefined ? undefined : tagRows[tag];
        },
      },
    },
  },
};
