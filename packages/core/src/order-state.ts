/**
 * @module `OrderState`: what Tidings knows of one order — its rung, each shipment's rung, active
 * overlays, terminals, and which notifications have been marked. Plain JSON so a store can keep it.
 */
import {
  minProgress,
  type OverlayKind,
  type ProgressStatus,
  rankOf,
  type TerminalStatus,
} from './statuses.ts';

export interface ActiveOverlay {
  kind: OverlayKind;
  reason?: string;
  promisedDate?: string;
  /** `occurredAt` of the event that raised it. */
  since: string;
}

export interface ShipmentState {
  id: string;
  progress: ProgressStatus | null;
  /** `occurredAt` of the event that set `progress`; overlays older than this are stale. */
  progressAt: string | null;
  /** False once the shipment is voided; it then no longer holds the order's rank down. */
  active: boolean;
  /** Collected at a pickup point rather than delivered, for wording. */
  pickup: boolean;
  carrier?: string;
  trackingNumber?: string;
  trackingUrl?: string;
  overlays: ActiveOverlay[];
}

export interface OrderState {
  tenantId: string;
  orderRef: string;
  /** The highest rung reported for the order as a whole (not via a shipment). */
  reportedProgress: ProgressStatus | null;
  progressAt: string | null;
  /** Terminal branches reached, in order (an order can be cancelled, then refunded). */
  terminals: TerminalStatus[];
  /** Order-level overlays; shipment overlays live on their shipment. */
  overlays: ActiveOverlay[];
  shipments: ShipmentState[];
  /** Notification keys already marked, so the same (order, shipment, status) is told once. */
  notified: string[];
  lastEventAt: string | null;
}

export const emptyOrderState = (tenantId: string, orderRef: string): OrderState => ({
  tenantId,
  orderRef,
  reportedProgress: null,
  progressAt: null,
  terminals: [],
  overlays: [],
  shipments: [],
  notified: [],
  lastEventAt: null,
});

export const activeShipments = (state: OrderState): ShipmentState[] =>
  state.shipments.filter((s) => s.active);

/**
 * The order's rung: the minimum over its active shipments (the order is only as far along as
 * its slowest parcel), or the order-level rung when it has none. An order the platform closed
 * (`completed`) sits above its shipments.
 */
export const orderProgress = (state: OrderState): ProgressStatus | null => {
  const rungs = activeShipments(state).flatMap((s) => (s.progress ? [s.progress] : []));
  const [first, ...rest] = rungs;
  if (first === undefined || state.reportedProgress === 'completed') return state.reportedProgress;
  return rest.reduce(minProgress, first);
};

/** True when the order is split over two or more active shipments. */
export const isSplit = (state: OrderState): boolean => activeShipments(state).length >= 2;

export const reached = (progress: ProgressStatus | null, rung: ProgressStatus): boolean =>
  progress !== null && rankOf(progress) >= rankOf(rung);
