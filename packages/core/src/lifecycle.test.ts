import { describe, expect, it } from 'vitest';
import { type Advanced, advance } from './lifecycle.ts';
import type { OrderEvent } from './order-event.ts';
import { emptyOrderState, type OrderState, orderProgress } from './order-state.ts';
import { orderEvent, shipmentEvent } from './testing/events.ts';

const run = (events: OrderEvent[], from: OrderState = emptyOrderState('shop-1', 'order-1001')) => {
  let state = from;
  const outcomes: Advanced['outcome'][] = [];
  for (const e of events) {
    const next = advance(state, e);
    state = next.state;
    outcomes.push(next.outcome);
  }
  return { state, outcomes, verdicts: outcomes.map((o) => o.verdict) };
};

const at = (minute: number) => `2026-11-01T10:${String(minute).padStart(2, '0')}:00Z`;

describe('the progress ladder', () => {
  it('notifies each new rung once, in order', () => {
    const { verdicts, state } = run([
      orderEvent({ status: 'created', occurredAt: at(1) }),
      orderEvent({ status: 'processing', occurredAt: at(2) }),
      shipmentEvent('f1', { status: 'dispatched', occurredAt: at(3) }),
      shipmentEvent('f1', { status: 'in_transit', occurredAt: at(4) }),
      shipmentEvent('f1', { status: 'delivered', occurredAt: at(5) }),
    ]);
    expect(verdicts).toEqual(['notify', 'notify', 'notify', 'notify', 'notify']);
    expect(orderProgress(state)).toBe('delivered');
  });

  it('never tells the customer "dispatched" after "delivered"', () => {
    const { outcomes, state } = run([
      shipmentEvent('f1', { status: 'delivered', occurredAt: at(5) }),
      shipmentEvent('f1', { status: 'dispatched', occurredAt: at(3) }),
    ]);
    expect(outcomes[1]).toMatchObject({ verdict: 'stale', reason: 'below_current_rank' });
    expect(state.shipments[0]?.progress).toBe('delivered');
  });

  it('tells the same (order, shipment, status) once even from two sources', () => {
    const { outcomes } = run([
      shipmentEvent('f1', { status: 'in_transit', source: 'shopify' }),
      shipmentEvent('f1', { status: 'in_transit', source: 'aftership' }),
    ]);
    expect(outcomes.map((o) => o.verdict)).toEqual(['notify', 'duplicate']);
    expect(outcomes[1]?.reason).toBe('already_notified');
  });

  it('treats a sole shipment and its order as one piece of news', () => {
    const { verdicts } = run([
      orderEvent({ status: 'dispatched', raw: { value: 'fulfilled' } }),
      shipmentEvent('f1', { status: 'dispatched' }),
    ]);
    expect(verdicts).toEqual(['notify', 'duplicate']);
  });

  it('marks an order-level rung below the shipments\u2019 rung as stale', () => {
    const { outcomes } = run([
      shipmentEvent('f1', { status: 'in_transit' }),
      orderEvent({ status: 'processing' }),
    ]);
    expect(outcomes[1]).toMatchObject({ verdict: 'stale', reason: 'below_current_rank' });
  });
});

describe('split shipments', () => {
  it('holds the order at its slowest active shipment and lets each shipment notify', () => {
    const { state, verdicts } = run([
      shipmentEvent('f1', { status: 'dispatched' }),
      shipmentEvent('f2', { status: 'dispatched' }),
      shipmentEvent('f1', { status: 'delivered' }),
    ]);
    expect(verdicts).toEqual(['notify', 'notify', 'notify']);
    expect(orderProgress(state)).toBe('dispatched');
  });

  it('re-evaluates the order without a voided shipment', () => {
    const { state, outcomes } = run([
      shipmentEvent('f1', { status: 'delivered' }),
      shipmentEvent('f2', { status: 'dispatched' }),
      shipmentEvent('f2', { status: 'ignore', voidShipment: true }),
    ]);
    expect(outcomes[2]).toMatchObject({
      verdict: 'ignored',
      reason: 'shipment_voided',
      orderProgress: { before: 'dispatched', after: 'delivered' },
    });
    expect(orderProgress(state)).toBe('delivered');
  });

  it('puts a reported partial fulfilment on the order as split_shipment', () => {
    const { state, outcomes } = run([
      orderEvent({
        status: 'dispatched',
        overlay: { kind: 'split_shipment', reason: 'partial_fulfillment' },
      }),
    ]);
    expect(outcomes[0]?.notificationKeys).toEqual(['order:dispatched', 'order:split_shipment:-']);
    expect(state.overlays.map((o) => o.kind)).toEqual(['split_shipment']);
  });
});

describe('overlays', () => {
  it('says "dispatched, and delayed" and resolves the delay on delivery', () => {
    const { state, verdicts } = run([
      shipmentEvent('f1', { status: 'dispatched', occurredAt: at(1) }),
      shipmentEvent('f1', {
        status: 'delayed',
        occurredAt: at(2),
        overlay: { kind: 'delayed', reason: 'weather', promisedDate: '2026-11-05' },
      }),
    ]);
    expect(verdicts).toEqual(['notify', 'notify']);
    expect(state.shipments[0]).toMatchObject({
      progress: 'dispatched',
      overlays: [{ kind: 'delayed', reason: 'weather', promisedDate: '2026-11-05' }],
    });
    const after = run([shipmentEvent('f1', { status: 'delivered', occurredAt: at(3) })], state);
    expect(after.state.shipments[0]?.overlays).toEqual([]);
  });

  it('tells a second delay with a new promised date, but not the same one twice', () => {
    const delay = (date: string) =>
      shipmentEvent('f1', {
        status: 'delayed',
        overlay: { kind: 'delayed', reason: 'carrier', promisedDate: date },
      });
    const { verdicts } = run([delay('2026-11-05'), delay('2026-11-05'), delay('2026-11-09')]);
    expect(verdicts).toEqual(['notify', 'duplicate', 'notify']);
  });

  it('reports an attempted delivery as one message: out for delivery with an exception', () => {
    const { outcomes, state } = run([
      shipmentEvent('f1', {
        status: 'out_for_delivery',
        overlay: { kind: 'exception', reason: 'failed_attempt' },
      }),
    ]);
    expect(outcomes[0]?.notificationKeys).toEqual([
      'f1:out_for_delivery',
      'order:out_for_delivery',
      'f1:exception:failed_attempt',
    ]);
    expect(state.shipments[0]?.overlays.map((o) => o.kind)).toEqual(['exception']);
  });

  it('releases a hold when the order moves up a rung', () => {
    const { state } = run([
      orderEvent({ status: 'created', occurredAt: at(1) }),
      orderEvent({
        status: 'on_hold',
        occurredAt: at(2),
        overlay: { kind: 'on_hold', reason: 'fraud' },
      }),
      orderEvent({ status: 'processing', occurredAt: at(3) }),
    ]);
    expect(state.overlays).toEqual([]);
  });

  it('ignores a hold older than the rung that released it', () => {
    const { outcomes } = run([
      orderEvent({ status: 'processing', occurredAt: at(3) }),
      orderEvent({
        status: 'on_hold',
        occurredAt: at(2),
        overlay: { kind: 'on_hold', reason: 'payment' },
      }),
    ]);
    expect(outcomes[1]).toMatchObject({ verdict: 'stale', reason: 'older_than_progress' });
  });

  it('does not announce a delay for a parcel already delivered', () => {
    const { outcomes } = run([
      shipmentEvent('f1', { status: 'delivered', occurredAt: at(1) }),
      shipmentEvent('f1', { status: 'delayed', occurredAt: at(2) }),
    ]);
    expect(outcomes[1]).toMatchObject({ verdict: 'stale', reason: 'after_delivery' });
  });

  it('lifts overlays an event clears', () => {
    const { state } = run([
      orderEvent({ status: 'on_hold', overlay: { kind: 'on_hold', reason: 'regulatory' } }),
      orderEvent({ status: 'ignore', clear: ['on_hold'] }),
    ]);
    expect(state.overlays).toEqual([]);
  });
});

describe('terminals', () => {
  it('tells a cancellation once and nothing after it but other terminals', () => {
    const { verdicts, outcomes } = run([
      orderEvent({ status: 'processing' }),
      orderEvent({ status: 'cancelled' }),
      orderEvent({ status: 'cancelled' }),
      shipmentEvent('f1', { status: 'dispatched' }),
      orderEvent({ status: 'refunded' }),
    ]);
    expect(verdicts).toEqual(['notify', 'notify', 'duplicate', 'stale', 'notify']);
    expect(outcomes[3]?.reason).toBe('after_terminal');
  });
});

describe('guards', () => {
  it('treats HubSpot closedlost as a cancellation only after closedwon', () => {
    const lost = () =>
      orderEvent({
        status: 'cancelled',
        guard: { requires: 'prior_progress', otherwise: 'ignore' },
      });
    expect(run([lost()]).outcomes[0]).toMatchObject({
      verdict: 'ignored',
      reason: 'guard_unmet',
      status: 'ignore',
    });
    expect(run([orderEvent({ status: 'created' }), lost()]).verdicts).toEqual(['notify', 'notify']);
  });

  it('closes a NetSuite order as completed if anything shipped, else as cancelled', () => {
    const closed = () =>
      orderEvent({
        status: 'completed',
        guard: { requires: 'any_shipped', otherwise: 'cancelled' },
      });
    expect(run([orderEvent({ status: 'processing' }), closed()]).outcomes[1]?.status).toBe(
      'cancelled',
    );
    expect(run([shipmentEvent('f1', { status: 'dispatched' }), closed()]).outcomes[1]?.status).toBe(
      'completed',
    );
  });

  it('completes a closed Shopify order only when every active shipment is delivered', () => {
    const closed = () =>
      orderEvent({
        status: 'completed',
        guard: { requires: 'all_delivered', otherwise: 'ignore' },
      });
    const partly = run([
      shipmentEvent('f1', { status: 'delivered' }),
      shipmentEvent('f2', { status: 'in_transit' }),
      closed(),
    ]);
    expect(partly.outcomes[2]).toMatchObject({ verdict: 'ignored', reason: 'guard_unmet' });
    const all = run([shipmentEvent('f1', { status: 'delivered' }), closed()]);
    expect(all.outcomes[1]).toMatchObject({ verdict: 'notify', status: 'completed' });
    expect(orderProgress(all.state)).toBe('completed');
  });
});

describe('manual overrides', () => {
  const staff = {
    actor: { id: 'agent-7', name: 'Ana' },
    reason: 'carrier scanned the wrong parcel',
  };

  it('moves a shipment backwards, audits who and why, and lets the real delivery be told', () => {
    const delivered = run([
      shipmentEvent('f1', { status: 'out_for_delivery', occurredAt: at(1) }),
      shipmentEvent('f1', { status: 'delivered', occurredAt: at(2) }),
    ]);
    const corrected = run(
      [
        shipmentEvent('f1', {
          status: 'out_for_delivery',
          occurredAt: at(3),
          source: 'manual',
          override: { ...staff, notify: false },
        }),
        shipmentEvent('f1', { status: 'delivered', occurredAt: at(4) }),
      ],
      delivered.state,
    );
    expect(corrected.outcomes[0]).toMatchObject({
      verdict: 'silent',
      reason: 'override_silent',
      audit: {
        actor: { id: 'agent-7', name: 'Ana' },
        reason: 'carrier scanned the wrong parcel',
        shipmentId: 'f1',
        from: { progress: 'delivered' },
        to: { progress: 'out_for_delivery' },
      },
    });
    expect(corrected.outcomes[1]?.verdict).toBe('notify');
  });

  it('lifts a delay when staff mark the order or the shipment delivered, as a carrier scan would', () => {
    const delayed = run([
      shipmentEvent('f1', { status: 'dispatched', occurredAt: at(1) }),
      shipmentEvent('f1', {
        status: 'delayed',
        occurredAt: at(2),
        overlay: { kind: 'delayed', reason: 'weather', promisedDate: '2026-11-05' },
      }),
      orderEvent({
        status: 'delayed',
        occurredAt: at(2),
        overlay: { kind: 'delayed', reason: 'inventory', promisedDate: '2026-11-06' },
      }),
    ]);
    expect(delayed.state.shipments[0]?.overlays.map((o) => o.kind)).toEqual(['delayed']);
    expect(delayed.state.overlays.map((o) => o.kind)).toEqual(['delayed']);
    const onShipment = run(
      [
        shipmentEvent('f1', {
          status: 'delivered',
          occurredAt: at(3),
          source: 'manual',
          override: staff,
        }),
      ],
      delayed.state,
    );
    expect(onShipment.state.shipments[0]?.overlays).toEqual([]);
    expect(onShipment.state.overlays).toEqual([]);
    const onOrder = run(
      [orderEvent({ status: 'delivered', occurredAt: at(3), source: 'manual', override: staff })],
      delayed.state,
    );
    expect(onOrder.state.overlays).toEqual([]);
  });

  it('reopens a cancelled order when staff set it back to processing', () => {
    const { state, outcomes } = run([
      orderEvent({ status: 'processing' }),
      orderEvent({ status: 'cancelled' }),
      orderEvent({ status: 'processing', source: 'manual', override: staff }),
      shipmentEvent('f1', { status: 'dispatched' }),
    ]);
    expect(outcomes[2]).toMatchObject({
      verdict: 'duplicate',
      audit: { from: { terminals: ['cancelled'] } },
    });
    expect(state.terminals).toEqual([]);
    expect(outcomes[3]?.verdict).toBe('notify');
  });

  it('moves every shipment back when the whole order is overridden', () => {
    const { state } = run([
      shipmentEvent('f1', { status: 'in_transit' }),
      shipmentEvent('f2', { status: 'delivered' }),
      orderEvent({ status: 'processing', source: 'manual', override: staff }),
    ]);
    expect(state.shipments.map((s) => s.progress)).toEqual(['processing', 'processing']);
    expect(orderProgress(state)).toBe('processing');
  });

  it('applies its status even where a guard would not hold', () => {
    const { outcomes } = run([
      orderEvent({
        status: 'cancelled',
        guard: { requires: 'prior_progress', otherwise: 'ignore' },
        override: staff,
      }),
    ]);
    expect(outcomes[0]).toMatchObject({ verdict: 'notify', status: 'cancelled' });
  });
});

it('never mutates the state it is given', () => {
  const start = emptyOrderState('shop-1', 'order-1001');
  const frozen = JSON.stringify(start);
  const first = advance(start, shipmentEvent('f1', { status: 'dispatched' }));
  const snapshot = JSON.stringify(first.state);
  advance(first.state, shipmentEvent('f1', { status: 'delivered' }));
  expect(JSON.stringify(start)).toBe(frozen);
  expect(JSON.stringify(first.state)).toBe(snapshot);
});
