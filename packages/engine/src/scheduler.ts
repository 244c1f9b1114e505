/**
 * @module The SLA scheduler: orders that went quiet raise `delayed` themselves. A shipment
 * dispatched with no carrier scan for `slaHours`, and an order whose promised date passed without
 * delivery, each become one `scheduler` event (reason `no_carrier_scan` / `promised_date_passed`)
 * that goes through `ingest` like any other, so the planner, rules and compliance decide who hears.
 */
import {
  activeShipments,
  type Clock,
  type OrderEvent,
  type OrderState,
  orderProgress,
  reached,
} from '@tidings/core';
import type { OrderWatch, SlaCandidate, Store } from '@tidings/store';
import { type EngineLogger, silentLogger } from './engine-context.ts';
import type { IngestInput, IngestResult } from './ingest.ts';

/** Event times are kept as the platform wrote them; compare them as instants. */
const canonical = (at: string): string => new Date(at).toISOString();

/**
 * What the scheduler will need to know about an order, computed at each save of its state;
 * `promisedDate` is the one the latest events carried (`order.promisedDate`), if any.
 */
export const orderWatch = (state: OrderState, promisedDate?: string): OrderWatch => {
  const progress = orderProgress(state);
  const open = state.terminals.length === 0 && !reached(progress, 'delivered');
  const shipments = activeShipments(state);
  const unscanned =
    shipments.length > 0
      ? shipments.flatMap((s) =>
          s.progress === 'dispatched' && s.progressAt ? [s.progressAt] : [],
        )
      : state.reportedProgress === 'dispatched' && state.progressAt
        ? [state.progressAt]
        : [];
  const since = unscanned.sort()[0];
  // A revised date told to the customer (a `delayed` overlay's) replaces the original promise.
  const revised = [...state.overlays, ...shipments.flatMap((s) => s.overlays)]
    .flatMap((o) => (o.kind === 'delayed' && o.promisedDate ? [o.promisedDate] : []))
    .sort()
    .at(-1);
  const promised = revised ?? promisedDate;
  return {
    open,
    ...(since ? { unscannedSince: since } : {}),
    ...(promised ? { promisedDate: promised } : {}),
  };
};

export interface SchedulerOptions {
  store: Store;
  clock: Clock;
  ingest: (input: IngestInput) => Promise<IngestResult>;
  /** Hours a dispatched shipment may go without a carrier scan (default 48). */
  slaHours?: number;
  /** Orders read per page (default 200). */
  batchSize?: number;
  /** Wait between runs when started (default 60 s). */
  intervalMs?: number;
  logger?: EngineLogger;
}

export interface SchedulerRun {
  /** Orders past a line that were looked at. */
  checked: number;
  /** `delayed` events raised that were news (accepted). */
  raised: number;
  /** Raised before (the event id is known): each watch fires once per shipment / date. */
  duplicates: number;
}

const hasDelay = (overlays: OrderState['overlays'], reason: string): boolean =>
  overlays.some((o) => o.kind === 'delayed' && o.reason === reason);

/** Creates the scheduler; `runOnce` checks every order past a line once. */
export const createScheduler = (options: SchedulerOptions) => {
  const { store, clock, ingest } = options;
  const slaMs = (options.slaHours ?? 48) * 3_600_000;
  const batchSize = options.batchSize ?? 200;
  const logger = options.logger ?? silentLogger;

  /** A `scheduler` event for the order, carrying the recipients and facts of its latest event. */
  const raise = (
    last: OrderEvent,
    sourceEventId: string,
    reason: 'no_carrier_scan' | 'promised_date_passed',
    now: string,
    shipment?: OrderState['shipments'][number],
  ): OrderEvent => {
    const {
      shipment: _shipment,
      overlay: _overlay,
      clear: _clear,
      guard: _guard,
      override: _override,
      previousStatus: _previous,
      pickup: _pickup,
      voidShipment: _void,
      ...base
    } = last;
    return {
      ...base,
      source: 'scheduler',
      sourceEventId,
      occurredAt: now,
      status: 'delayed',
      raw: { value: reason, field: 'sla' },
      overlay: { kind: 'delayed', reason },
      ...(shipment
        ? {
            shipment: {
              id: shipment.id,
              ...(shipment.carrier ? { carrier: shipment.carrier } : {}),
              ...(shipment.trackingNumber ? { trackingNumber: shipment.trackingNumber } : {}),
              ...(shipment.trackingUrl ? { trackingUrl: shipment.trackingUrl } : {}),
            },
          }
        : {}),
    };
  };

  const check = async (
    candidate: SlaCandidate,
    now: Date,
    today: string,
    run: SchedulerRun,
  ): Promise<void> => {
    const { state } = candidate;
    const events = await store.listEventsOfOrders(candidate.tenantId, [candidate.orderRef]);
    const last = events.findLast((e) => e.event.source !== 'scheduler')?.event;
    if (!last) return;
    const iso = now.toISOString();
    const line = new Date(now.getTime() - slaMs).toISOString();
    const raised: OrderEvent[] = [];
    const shipments = activeShipments(state);
    for (const s of shipments) {
      if (s.progress !== 'dispatched' || !s.progressAt) continue;
      const since = canonical(s.progressAt);
      if (since > line || hasDelay(s.overlays, 'no_carrier_scan')) continue;
      // Keyed by when it was dispatched: the same shipment fires once per dispatch.
      raised.push(raise(last, `sla:no_carrier_scan:${s.id}:${since}`, 'no_carrier_scan', iso, s));
    }
    if (
      shipments.length === 0 &&
      state.reportedProgress === 'dispatched' &&
      state.progressAt &&
      canonical(state.progressAt) <= line &&
      !hasDelay(state.overlays, 'no_carrier_scan')
    ) {
      raised.push(
        raise(
          last,
          `sla:no_carrier_scan:order:${canonical(state.progressAt)}`,
          'no_carrier_scan',
          iso,
        ),
      );
    }
    if (
      candidate.promisedDate &&
      candidate.promisedDate < today &&
      !hasDelay(state.overlays, 'promised_date_passed')
    ) {
      // Keyed by the date: a new promise that passes too fires again.
      raised.push(
        raise(
          last,
          `sla:promised_date_passed:${candidate.promisedDate}`,
          'promised_date_passed',
          iso,
        ),
      );
    }
    for (const event of raised) {
      const result = await ingest({
        event,
        rawBody: JSON.stringify({ sla: event.overlay?.reason, sourceEventId: event.sourceEventId }),
        headers: {},
      });
      if (result.outcome === 'accepted') run.raised += 1;
      else if (result.outcome === 'duplicate') run.duplicates += 1;
      else if (result.outcome === 'rejected') {
        logger.warn(
          { tenantId: candidate.tenantId, code: result.code },
          'SLA event rejected by ingest',
        );
      }
    }
  };

  /** Looks at every open order past a line once; returns what it raised. */
  const runOnce = async (): Promise<SchedulerRun> => {
    const now = clock.now();
    // "Passed" means the whole promised day is over, in UTC (tenants' zones are not applied).
    const today = now.toISOString().slice(0, 10);
    const run: SchedulerRun = { checked: 0, raised: 0, duplicates: 0 };
    let after: { tenantId: string; orderRef: string } | undefined;
    for (;;) {
      const page = await store.listSlaCandidates({
        unscannedBefore: new Date(now.getTime() - slaMs).toISOString(),
        promisedBefore: today,
        limit: batchSize,
        ...(after ? { after } : {}),
      });
      for (const candidate of page) {
        run.checked += 1;
        try {
          await check(candidate, now, today, run);
        } catch (err) {
          logger.error(
            { tenantId: candidate.tenantId, err: (err as Error).message },
            'SLA check failed',
          );
        }
      }
      const tail = page.at(-1);
      if (page.length < batchSize || !tail) return run;
      after = { tenantId: tail.tenantId, orderRef: tail.orderRef };
    }
  };

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  return {
    runOnce,
    start(): void {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          await runOnce().catch((err: unknown) => {
            logger.error({ err: (err as Error).message }, 'scheduler run failed');
          });
          if (!running) break;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.intervalMs ?? 60_000);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      })();
    },
    /** Stops after the run in hand. */
    async stop(): Promise<void> {
      running = false;
      wake?.();
      await loop;
    },
  };
};

export type Scheduler = ReturnType<typeof createScheduler>;
