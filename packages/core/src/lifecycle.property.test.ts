/**
 * Property tests of the lifecycle over random event sequences (fast-check): stale progress is
 * never notifiable, reordering a journey never adds notifications, every override is audited.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, type LifecycleOutcome } from './lifecycle.ts';
import { type OrderEvent, type OrderEventInput, OrderEventSchema } from './order-event.ts';
import { emptyOrderState } from './order-state.ts';
import {
  CANONICAL_STATUSES,
  DELAY_REASONS,
  EXCEPTION_REASONS,
  isProgress,
  ON_HOLD_REASONS,
  PROGRESS_STATUSES,
  type ProgressStatus,
  rankOf,
} from './statuses.ts';

const T0 = Date.UTC(2026, 10, 1, 8, 0, 0);
const minute = (i: number) => new Date(T0 + i * 60_000).toISOString();

type Draft = Omit<
  OrderEventInput,
  'tenantId' | 'orderRef' | 'order' | 'raw' | 'occurredAt' | 'sourceEventId'
>;

/** Gives drafts ids and timestamps in the order they are listed: that order is "in order". */
const stamp = (drafts: Draft[]): OrderEvent[] =>
  drafts.map((d, i) =>
    OrderEventSchema.parse({
      tenantId: 'shop-1',
      orderRef: 'order-1',
      order: { number: '#1' },
      raw: { value: d.status },
      occurredAt: minute(i),
      sourceEventId: `e${i}`,
      ...d,
    }),
  );

const replay = (events: OrderEvent[]) => {
  let state = emptyOrderState('shop-1', 'order-1');
  const outcomes: LifecycleOutcome[] = [];
  for (const e of events) {
    const next = advance(state, e);
    state = next.state;
    outcomes.push(next.outcome);
  }
  return { state, outcomes, notified: outcomes.filter((o) => o.verdict === 'notify').length };
};

const shipmentIds = fc.constantFrom('s1', 's2', 's3');
const staff = fc.record({
  actor: fc.record({
    id: fc.constantFrom('agent-1', 'agent-2'),
    name: fc.constantFrom('Ana', 'Bo'),
  }),
  reason: fc.constantFrom('customer called', 'carrier error', 'fraud review cleared'),
  notify: fc.boolean(),
});

const overlayDraft = fc.oneof(
  fc.record({
    status: fc.constant('delayed' as const),
    overlay: fc.record({
      kind: fc.constant('delayed' as const),
      reason: fc.constantFrom(...DELAY_REASONS),
      promisedDate: fc.constantFrom('2026-11-05', '2026-11-09'),
    }),
  }),
  fc.record({
    status: fc.constant('exception' as const),
    overlay: fc.record({
      kind: fc.constant('exception' as const),
      reason: fc.constantFrom(...EXCEPTION_REASONS),
    }),
  }),
  fc.record({
    status: fc.constant('on_hold' as const),
    overlay: fc.record({
      kind: fc.constant('on_hold' as const),
      reason: fc.constantFrom(...ON_HOLD_REASONS),
    }),
  }),
);

/** Anything at all: any status, scope, source, guard or override, in any order. */
const anyDraft: fc.Arbitrary<Draft> = fc
  .record({
    status: fc.constantFrom(...CANONICAL_STATUSES, 'ignore' as const),
    shipment: fc.option(shipmentIds, { nil: undefined }),
    source: fc.constantFrom('shopify' as const, 'aftership' as const, 'netsuite' as const),
    override: fc.option(staff, { nil: undefined, freq: 4 }),
    guard: fc.option(
      fc.record({
        requires: fc.constantFrom(
          'prior_progress' as const,
          'any_shipped' as const,
          'all_dispatched' as const,
          'all_delivered' as const,
        ),
        otherwise: fc.constantFrom('ignore' as const, 'cancelled' as const),
      }),
      { nil: undefined, freq: 5 },
    ),
    voidShipment: fc.option(fc.constant(true as const), { nil: undefined, freq: 10 }),
  })
  .map(({ shipment, override, guard, voidShipment, ...rest }) => ({
    ...rest,
    ...(shipment ? { shipment: { id: shipment } } : {}),
    ...(override ? { source: 'manual' as const, override } : {}),
    ...(guard ? { guard } : {}),
    ...(voidShipment && shipment ? { voidShipment } : {}),
  }));

const rungsFrom = (from: ProgressStatus) =>
  fc.subarray(
    PROGRESS_STATUSES.filter((p) => rankOf(p) >= rankOf(from) && p !== 'completed'),
    {
      minLength: 1,
    },
  );

/**
 * A coherent journey listed in the order things happen: the order is created and paid (maybe
 * held on the way), one to three shipments climb their ladders (maybe delayed or failing on the
 * way, maybe reported twice by two sources), their events interleaved, and at the end the order
 * may close, be refunded or returned.
 */
const journey: fc.Arbitrary<Draft[]> = fc
  .record({
    opening: fc.subarray(['created', 'processing'] as const),
    hold: fc.option(overlayDraft, { nil: undefined }),
    shipments: fc.array(
      fc.record({
        rungs: rungsFrom('dispatched'),
        overlay: fc.option(fc.tuple(overlayDraft, fc.nat()), { nil: undefined }),
        echo: fc.option(fc.nat(), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    interleave: fc.array(fc.nat({ max: 2 }), { maxLength: 30 }),
    closing: fc.constantFrom(undefined, 'completed', 'refunded', 'returned'),
  })
  .map(({ opening, hold, shipments, interleave, closing }) => {
    const drafts: Draft[] = opening.map((status) => ({ status, source: 'shopify' as const }));
    if (hold && drafts.length > 0) drafts.splice(1, 0, { ...hold, source: 'shopify' });
    const queues = shipments.map(({ rungs, overlay, echo }, i) => {
      const id = `s${i + 1}`;
      // A platform closes an order once everything has arrived; closing earlier is not a journey.
      const ladder: ProgressStatus[] =
        closing === 'completed' && !rungs.includes('delivered') ? [...rungs, 'delivered'] : rungs;
      const q: Draft[] = ladder.map((status) => ({
        status,
        source: 'aftership',
        shipment: { id },
      }));
      if (overlay) {
        const [draft, at] = overlay;
        // An overlay is news only before the parcel arrives.
        const beforeDelivery = q.findIndex((d) => d.status === 'delivered');
        const room = beforeDelivery < 0 ? q.length : beforeDelivery;
        q.splice(at % (room + 1), 0, { ...draft, source: 'aftership', shipment: { id } });
      }
      if (echo !== undefined) {
        const original = q[echo % q.length];
        if (original) q.splice((echo % q.length) + 1, 0, { ...original, source: 'shopify' });
      }
      return q;
    });
    for (const pick of interleave) {
      const next = queues[pick % queues.length]?.shift();
      if (next) drafts.push(next);
    }
    for (const q of queues) drafts.push(...q);
    if (closing === 'completed') {
      drafts.push({
        status: 'completed',
        source: 'shopify',
        guard: { requires: 'all_delivered', otherwise: 'ignore' },
      });
    } else if (closing) {
      drafts.push({ status: closing, source: 'shopify' });
    }
    return drafts;
  });

describe('lifecycle properties', () => {
  it('never marks a stale progress event notifiable, whatever arrives in whatever order', () => {
    fc.assert(
      fc.property(fc.array(anyDraft, { minLength: 1, maxLength: 40 }), (drafts) => {
        const events = stamp(drafts);
        // An independent model of "the highest rung already reached" per scope.
        const highest = new Map<string, number>();
        let state = emptyOrderState('shop-1', 'order-1');
        for (const e of events) {
          const scope = e.shipment?.id ?? 'order';
          const before = new Set(state.notified);
          const { state: next, outcome } = advance(state, e);
          state = next;
          if (e.override) {
            if (isProgress(outcome.status)) {
              const r = rankOf(outcome.status);
              highest.set(scope, r);
              if (scope === 'order') {
                for (const [k, v] of highest) highest.set(k, Math.min(v, r));
              }
            }
            continue;
          }
          if (isProgress(outcome.status)) {
            const top = highest.get(scope) ?? -1;
            if (rankOf(outcome.status) < top) {
              expect(outcome.verdict).not.toBe('notify');
              expect(outcome.notificationKeys).toEqual([]);
            }
            if (outcome.verdict !== 'stale' && outcome.verdict !== 'ignored') {
              highest.set(scope, Math.max(top, rankOf(outcome.status)));
            }
          }
          if (outcome.verdict === 'stale') {
            expect(outcome.notificationKeys).toEqual([]);
            expect(new Set(state.notified)).toEqual(before);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('marks no more notifications for any permutation of a journey than for the journey in order', () => {
    fc.assert(
      fc.property(
        journey.chain((drafts) =>
          fc.tuple(
            fc.constant(drafts),
            fc.shuffledSubarray(drafts, { minLength: drafts.length, maxLength: drafts.length }),
          ),
        ),
        ([drafts, shuffledDrafts]) => {
          const inOrder = stamp(drafts);
          // Same events (same ids and timestamps), delivered in another order.
          const byDraft = new Map(drafts.map((d, i) => [d, inOrder[i]]));
          const shuffled = shuffledDrafts
            .map((d) => byDraft.get(d))
            .filter((e): e is OrderEvent => e !== undefined);
          expect(shuffled).toHaveLength(inOrder.length);
          const expected = replay(inOrder);
          const actual = replay(shuffled);
          expect(actual.notified).toBeLessThanOrEqual(expected.notified);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('tells every rung of an in-order journey exactly once', () => {
    fc.assert(
      fc.property(journey, (drafts) => {
        const { outcomes } = replay(stamp(drafts));
        expect(outcomes.filter((o) => o.verdict === 'stale')).toEqual([]);
        const keys = outcomes.flatMap((o) => o.notificationKeys);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 500 },
    );
  });

  it('audits every override with who, why, from and to, and nothing else', () => {
    fc.assert(
      fc.property(fc.array(anyDraft, { minLength: 1, maxLength: 40 }), (drafts) => {
        const events = stamp(drafts);
        const { outcomes } = replay(events);
        events.forEach((e, i) => {
          const audit = outcomes[i]?.audit;
          if (!e.override) {
            expect(audit).toBeUndefined();
            return;
          }
          expect(audit).toMatchObject({
            eventId: e.sourceEventId,
            at: e.occurredAt,
            actor: e.override.actor,
            reason: e.override.reason,
            notify: e.override.notify,
            status: e.status,
          });
          expect(audit?.from).toBeDefined();
          expect(audit?.to).toBeDefined();
        });
      }),
      { numRuns: 500 },
    );
  });
});
