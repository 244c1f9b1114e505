/**
 * @module EasyPost tracker `status` and `status_detail` (sources.md §10.4;
 * easypost-node `types/Tracker/TrackerStatus.d.ts`, `TrackerStatusDetail.d.ts`).
 */
import { ignore, overlayOnly, to } from './status-mapping.ts';
import type { PlatformVocabulary } from './vocabulary.ts';

const noOverlay = ignore('progress comes from `status`');

export const easypostVocabulary: PlatformVocabulary = {
  platform: 'easypost',
  label: 'EasyPost',
  primaryField: 'status',
  fields: {
    status: {
      aliases: ['tracker.status'],
      scope: 'shipment',
      source: 'EasyPost/easypost-node types/Tracker/TrackerStatus.d.ts',
      rows: {
        unknown: ignore(),
        pre_transit: to('dispatched', { note: 'label created, awaiting first scan' }),
        in_transit: to('in_transit'),
        out_for_delivery: to('out_for_delivery'),
        available_for_pickup: to('out_for_delivery', { pickup: true }),
        delivered: to('delivered'),
        return_to_sender: overlayOnly('exception', 'returned_to_sender'),
        failure: overlayOnly('exception', 'other'),
        cancelled: { status: 'ignore', voidShipment: true, note: 'tracker or label cancelled' },
        error: ignore('tracking error: alert ops, tell no customer'),
      },
    },
    status_detail: {
      aliases: ['tracker.status_detail'],
      scope: 'shipment',
      source: 'EasyPost/easypost-node types/Tracker/TrackerStatusDetail.d.ts',
      rows: {
        weather_delay: overlayOnly('delayed', 'weather'),
        delayed: overlayOnly('delayed', 'carrier'),
        held: overlayOnly('on_hold', 'manual'),
        awaiting_information: overlayOnly('on_hold', 'manual'),
        address_correction: overlayOnly('on_hold', 'address'),
        damaged: overlayOnly('exception', 'damaged'),
        lost: overlayOnly('exception', 'lost'),
        refused: overlayOnly('exception', 'refused'),
        delivery_exception: overlayOnly('exception', 'other'),
        transit_exception: overlayOnly('exception', 'other'),
        missorted: overlayOnly('exception', 'other'),
        failure: overlayOnly('exception', 'other'),
        return: overlayOnly('exception', 'returned_to_sender'),
        expired: overlayOnly('exception', 'no_tracking_updates'),
        cancelled: noOverlay,
        arrived_at_destination: noOverlay,
        arrived_at_facility: noOverlay,
        arrived_at_pickup_location: noOverlay,
        departed_facility: noOverlay,
        departed_origin_facility: noOverlay,
        in_transit: noOverlay,
        label_created: noOverlay,
        out_for_delivery: noOverlay,
        received_at_destination_facility: noOverlay,
        received_at_origin_facility: noOverlay,
        status_update: noOverlay,
        transferred_to_destination_carrier: noOverlay,
        unknown: noOverlay,
      },
    },
  },
};
