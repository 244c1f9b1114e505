import { describe, expect, it } from 'vitest';
import { combineStatuses, normalizeFields } from '../shared/status-fields.ts';
import { aftershipUpdate } from './aftership/aftership-webhook.ts';
import { easypostUpdate } from './easypost/easypost-webhook.ts';

const now = new Date('2026-01-01T00:00:00Z');

const aftership = (tag: string, subtag?: string) => {
  const update = aftershipUpdate(
    {
      event: 'tracking_update',
      event_id: 'e',
      msg: { tracking_number: 'T', tag, ...(subtag ? { subtag } : {}) },
    },
    { orderRefField: 'order_id' },
    now,
  );
  const n = normalizeFields('aftership', update.statuses, {});
  if (!n.ok) throw new Error(n.error.message);
  return combineStatuses(n.parts);
};

const easypost = (status: string, detail?: string) => {
  const update = easypostUpdate(
    { id: 'evt', object: 'Event', description: 'tracker.updated', result: {} },
    {
      object: 'Tracker',
      tracking_code: 'T',
      status,
      ...(detail ? { status_detail: detail } : {}),
    },
    now,
  );
  const n = normalizeFields('easypost', update.statuses, {});
  if (!n.ok) throw new Error(n.error.message);
  return combineStatuses(n.parts);
};

describe('AfterShip tags and subtags', () => {
  it.each([
    ['Pending', undefined, 'dispatched', undefined],
    ['InfoReceived', 'InfoReceived_001', 'dispatched', undefined],
    ['InTransit', 'InTransit_002', 'in_transit', undefined],
    ['OutForDelivery', 'OutForDelivery_001', 'out_for_delivery', undefined],
    ['AttemptFail', 'AttemptFail_001', 'out_for_delivery', 'exception'],
    ['AvailableForPickup', 'AvailableForPickup_001', 'out_for_delivery', undefined],
    ['Delivered', 'Delivered_001', 'delivered', undefined],
    ['Delivered', 'Delivered_002', 'delivered', undefined],
    ['Exception', 'Exception_004', 'delayed', 'delayed'],
    ['Exception', 'Exception_011', 'exception', 'exception'],
    ['Expired', 'Expired_001', 'exception', 'exception'],
  ])('maps %s / %s to %s', (tag, subtag, status, overlay) => {
    const s = aftership(tag, subtag);
    expect(s?.status).toBe(status);
    expect(s?.overlay?.kind).toBe(overlay);
  });

  it('tells a pickup from a delivery', () => {
    expect(aftership('AvailableForPickup')?.pickup).toBe(true);
  });
});

describe('EasyPost status and status_detail', () => {
  it.each([
    ['unknown', undefined, 'ignore', undefined],
    ['pre_transit', 'label_created', 'dispatched', undefined],
    ['in_transit', 'arrived_at_facility', 'in_transit', undefined],
    ['in_transit', 'weather_delay', 'in_transit', 'delayed'],
    ['out_for_delivery', 'out_for_delivery', 'out_for_delivery', undefined],
    ['available_for_pickup', undefined, 'out_for_delivery', undefined],
    ['delivered', undefined, 'delivered', undefined],
    ['return_to_sender', 'return', 'exception', 'exception'],
    ['failure', 'lost', 'exception', 'exception'],
    ['cancelled', undefined, 'ignore', undefined],
    ['error', undefined, 'ignore', undefined],
    ['in_transit', 'address_correction', 'in_transit', 'on_hold'],
  ])('maps %s / %s to %s', (status, detail, expected, overlay) => {
    const s = easypost(status, detail);
    expect(s?.status).toBe(expected);
    expect(s?.overlay?.kind).toBe(overlay);
  });

  it('voids the shipment when the tracker is cancelled', () => {
    expect(easypost('cancelled')?.voidShipment).toBe(true);
  });
});
