/**
 * @module The order lifecycle (DESIGN §3): applies one canonical event to an order's state and
 * says whether it is news. Stale progress is stored but never notified; the same (order,
 * shipment, status) is notified once; an order is as far along as its slowest active shipment;
 * a manual override may move backwards and always leaves an audit entry.
 */
import type { Guard, OrderEvent, Override } from './order-event.ts';
import {
  type ActiveOverlay,
  activeShipments,
  type OrderState,
  orderProgress,
  reached,
  type ShipmentState,
} from './order-state.ts';
import {
  type CanonicalStatus,
  isOverlay,
  isProgress,
  isTerminal,
  type OverlayKind,
  PROGRESS_STATUSES,
  type ProgressStatus,
  rankOf,
  type TerminalStatus,
} from './statuses.ts';

export const VERDICTS = ['notify', 'stale', 'duplicate', 'ignored', 'silent'] as const;
/** `notify`: news for someone; `stale`: older than what we know; `silent`: an override told to no one. */
export type Verdict = (typeof VERDICTS)[number];

export const OUTCOME_REASONS = [
  'advanced',
  'overlay_raised',
  'terminal_reached',
  'override',
  'below_current_rank',
  'after_terminal',
  'after_delivery',
  'older_than_progress',
  'already_notified',
  'mapped_to_ignore',
  'guard_unmet',
  'shipment_voided',
  'override_silent',
] as const;
export type OutcomeReason = (typeof OUTCOME_REASONS)[number];

/** Where an order or shipment stood, for audit entries and explanations. */
export interface StatusSnapshot {
  progress: ProgressStatus | null;
  terminals: TerminalStatus[];
  overlays: OverlayKind[];
}

/** The audit entry every manual override leaves: who, why, from what, to what. */
export interface OverrideAudit {
  eventId: string;
  at: string;
  actor: Override['actor'];
  reason: string;
  notify: boolean;
  shipmentId?: string;
  status: CanonicalStatus | 'ignore';
  from: StatusSnapshot;
  to: StatusSnapshot;
}

export interface LifecycleOutcome {
  verdict: Verdict;
  reason: OutcomeReason;
  /** The status after resolving the event's guard. */
  status: CanonicalStatus | 'ignore';
  shipmentId?: string;
  /** Keys marked by this event; non-empty exactly when the verdict is `notify`. */
  notificationKeys: string[];
  orderProgress: { before: ProgressStatus | null; after: ProgressStatus | null };
  audit?: OverrideAudit;
}

export interface Advanced {
  state: OrderState;
  outcome: LifecycleOutcome;
}

/** Overlays that moving up a rung resolves: a hold is released, the carrier is moving again. */
const RESOLVED_BY_PROGRESS: readonly OverlayKind[] = ['on_hold', 'exception'];

const ORDER_SCOPE = 'order';

const progressKey = (scope: string, status: CanonicalStatus): string => `${scope}:${status}`;

/** Overlays are keyed with what makes them news again: a new hold reason, a new promised date. */
const overlayKey = (scope: string, overlay: ActiveOverlay): string => {
  const qualifier =
    overlay.kind === 'delayed'
      ? (overlay.promisedDate ?? overlay.reason ?? '-')
      : overlay.kind === 'split_shipment'
        ? '-'
        : (overlay.reason ?? '-');
  return `${scope}:${overlay.kind}:${qualifier}`;
};

const copyShipment = (s: ShipmentState): ShipmentState => ({
  ...s,
  overlays: s.overlays.map((o) => ({ ...o })),
});

const copyState = (s: OrderState): OrderState => ({
  ...s,
  terminals: [...s.terminals],
  overlays: s.overlays.map((o) => ({ ...o })),
  shipments: s.shipments.map(copyShipment),
  notified: [...s.notified],
});

const guardMet = (state: OrderState, guard: Guard): boolean => {
  const shipments = activeShipments(state);
  const all = (rung: ProgressStatus) =>
    shipments.length > 0 && shipments.every((s) => reached(s.progress, rung));
  switch (guard.requires) {
    case 'prior_progress':
      return state.reportedProgress !== null || state.shipments.some((s) => s.progress !== null);
    case 'any_shipped':
      return (
        reached(state.reportedProgress, 'dispatched') ||
        state.shipments.some((s) => reached(s.progress, 'dispatched'))
      );
    case 'all_dispatched':
      return all('dispatched');
    case 'all_delivered':
      return all('delivered');
    default:
      return guard.requires satisfies never;
  }
};

const upsertShipment = (state: OrderState, event: OrderEvent): ShipmentState | undefined => {
  const info = event.shipment;
  if (!info) return undefined;
  let shipment = state.shipments.find((s) => s.id === info.id);
  if (!shipment) {
    shipment = {
      id: info.id,
      progress: null,
      progressAt: null,
      active: true,
      pickup: false,
      overlays: [],
    };
    state.shipments.push(shipment);
  }
  if (info.carrier !== undefined) shipment.carrier = info.carrier;
  if (info.trackingNumber !== undefined) shipment.trackingNumber = info.trackingNumber;
  if (info.trackingUrl !== undefined) shipment.trackingUrl = info.trackingUrl;
  return shipment;
};

const snapshot = (state: OrderState, shipment: ShipmentState | undefined): StatusSnapshot => ({
  progress: shipment ? shipment.progress : orderProgress(state),
  terminals: [...state.terminals],
  overlays: (shipment ? shipment.overlays : state.overlays).map((o) => o.kind),
});

const overlayFrom = (event: OrderEvent, kind: OverlayKind): ActiveOverlay => {
  const detail = event.overlay?.kind === kind ? event.overlay : undefined;
  return {
    kind,
    since: event.occurredAt,
    ...(detail?.reason !== undefined ? { reason: detail.reason } : {}),
    ...(detail?.promisedDate !== undefined ? { promisedDate: detail.promisedDate } : {}),
  };
};

const raise = (overlays: ActiveOverlay[], overlay: ActiveOverlay): void => {
  const i = overlays.findIndex((o) => o.kind === overlay.kind);
  if (i >= 0) overlays.splice(i, 1, overlay);
  else overlays.push(overlay);
};

const lift = (overlays: ActiveOverlay[], kinds: readonly OverlayKind[]): ActiveOverlay[] =>
  overlays.filter((o) => !kinds.includes(o.kind));

/**
 * Applies one event. Pure: returns a new state and an outcome, never mutates its input.
 * The engine dedupes on `sourceEventId` before calling this; the notification keys here dedupe
 * on meaning (a second "delivered" from another source is the same news).
 */
export const advance = (previous: OrderState, event: OrderEvent): Advanced => {
  const state = copyState(previous);
  const before = orderProgress(previous);
  if (state.lastEventAt === null || event.occurredAt > state.lastEventAt) {
    state.lastEventAt = event.occurredAt;
  }
  const shipment = upsertShipment(state, event);
  const scope = shipment?.id ?? ORDER_SCOPE;
  // A sole shipment *is* the order, so its news and the order's news are one message.
  const soleShipment =
    shipment !== undefined &&
    activeShipments(state).length === 1 &&
    activeShipments(state)[0]?.id === shipment.id;

  const unguarded = event.status;
  const status: CanonicalStatus | 'ignore' =
    event.guard && !event.override && !guardMet(previous, event.guard)
      ? event.guard.otherwise
      : unguarded;
  const guardFailed = status !== unguarded;

  const finish = (
    verdict: Verdict,
    reason: OutcomeReason,
    keys: string[] = [],
    audit?: OverrideAudit,
  ): Advanced => ({
    state,
    outcome: {
      verdict,
      reason,
      status,
      ...(shipment ? { shipmentId: shipment.id } : {}),
      notificationKeys: keys,
      orderProgress: { before, after: orderProgress(state) },
      ...(audit ? { audit } : {}),
    },
  });

  /**
   * Each item is one piece of news under its equivalent keys (a sole shipment's rung and the
   * order's rung). The event notifies if any item is new, and marks every key of every item.
   */
  const tell = (items: string[][], reason: OutcomeReason, audit?: OverrideAudit): Advanced => {
    const isNew = (keys: string[]) => !keys.some((k) => state.notified.includes(k));
    if (!items.some(isNew)) return finish('duplicate', 'already_notified', [], audit);
    const keys = items.flat();
    for (const k of keys) if (!state.notified.includes(k)) state.notified.push(k);
    return finish('notify', reason, keys, audit);
  };

  const progressKeys = (rung: CanonicalStatus): string[] =>
    soleShipment
      ? [progressKey(scope, rung), progressKey(ORDER_SCOPE, rung)]
      : [progressKey(scope, rung)];

  if (event.clear?.length) {
    state.overlays = lift(state.overlays, event.clear);
    if (shipment) shipment.overlays = lift(shipment.overlays, event.clear);
  }

  if (event.override) {
    const scopes = soleShipment ? [scope, ORDER_SCOPE] : [scope];
    return applyOverride({
      state,
      previous,
      event,
      override: event.override,
      shipment,
      scope,
      scopes,
      status,
      tell,
      finish,
    });
  }

  if (event.voidShipment && shipment) {
    shipment.active = false;
    return finish('ignored', 'shipment_voided');
  }
  if (status === 'ignore')
    return finish('ignored', guardFailed ? 'guard_unmet' : 'mapped_to_ignore');

  if (isTerminal(status)) {
    if (!state.terminals.includes(status)) state.terminals.push(status);
    return tell([[progressKey(ORDER_SCOPE, status)]], 'terminal_reached');
  }
  if (state.terminals.length > 0) return finish('stale', 'after_terminal');

  if (isProgress(status)) {
    const current = shipment ? shipment.progress : highestOrderRung(state);
    if (current !== null && rankOf(status) < rankOf(current)) {
      return finish('stale', 'below_current_rank');
    }
    if (current === null || rankOf(status) > rankOf(current)) {
      if (shipment) {
        shipment.progress = status;
        shipment.progressAt = event.occurredAt;
        shipment.overlays = lift(shipment.overlays, RESOLVED_BY_PROGRESS);
        if (reached(status, 'delivered')) shipment.overlays = lift(shipment.overlays, ['delayed']);
        if (event.pickup) shipment.pickup = true;
      } else {
        state.reportedProgress = status;
        state.progressAt = event.occurredAt;
      }
      state.overlays = lift(state.overlays, RESOLVED_BY_PROGRESS);
      if (reached(orderProgress(state), 'delivered'))
        state.overlays = lift(state.overlays, ['delayed']);
    }
    const items = [progressKeys(status)];
    // "Out for delivery, but the attempt failed": the rung and its overlay are one message.
    const alongside = event.overlay;
    if (alongside) {
      const overlay = overlayFrom(event, alongside.kind);
      const onOrder = alongside.kind === 'split_shipment' || !shipment;
      raise(onOrder ? state.overlays : (shipment?.overlays ?? state.overlays), overlay);
      items.push([overlayKey(onOrder ? ORDER_SCOPE : scope, overlay)]);
    }
    return tell(items, 'advanced');
  }

  if (isOverlay(status)) {
    const onOrder = status === 'split_shipment' || !shipment;
    const rung = shipment && !onOrder ? shipment.progress : orderProgress(state);
    const rungAt = shipment && !onOrder ? shipment.progressAt : state.progressAt;
    if (status !== 'split_shipment' && reached(rung, 'delivered')) {
      return finish('stale', 'after_delivery');
    }
    if (rungAt !== null && event.occurredAt < rungAt) return finish('stale', 'older_than_progress');
    const overlay = overlayFrom(event, status);
    raise(onOrder ? state.overlays : (shipment?.overlays ?? state.overlays), overlay);
    return tell([[overlayKey(onOrder ? ORDER_SCOPE : scope, overlay)]], 'overlay_raised');
  }
  return status satisfies never;
};

/**
 * The rung an order-level event is measured against: what the order as a whole last reported,
 * or its shipments' rung if that is higher. A late order-level "created" after the platform said
 * "out for delivery" is stale even while a shipment lags behind.
 */
const highestOrderRung = (state: OrderState): ProgressStatus | null => {
  const derived = orderProgress(state);
  const reported = state.reportedProgress;
  if (derived === null || reported === null) return derived ?? reported;
  return rankOf(reported) >= rankOf(derived) ? reported : derived;
};

/** Forgets that rungs above `rung` were told, so after a correction they can be told again. */
const forgetAbove = (state: OrderState, scopes: string[], rung: ProgressStatus): void => {
  const above = PROGRESS_STATUSES.filter((p) => rankOf(p) > rankOf(rung));
  const stale = new Set(scopes.flatMap((scope) => above.map((p) => progressKey(scope, p))));
  state.notified = state.notified.filter((k) => !stale.has(k));
};

interface OverrideContext {
  state: OrderState;
  previous: OrderState;
  event: OrderEvent;
  override: Override;
  shipment: ShipmentState | undefined;
  scope: string;
  /** The scopes the override's rung is told in: the shipment, and the order when it is the sole one. */
  scopes: string[];
  status: CanonicalStatus | 'ignore';
  tell: (items: string[][], reason: OutcomeReason, audit?: OverrideAudit) => Advanced;
  finish: (
    verdict: Verdict,
    reason: OutcomeReason,
    keys?: string[],
    audit?: OverrideAudit,
  ) => Advanced;
}

const applyOverride = (ctx: OverrideContext): Advanced => {
  const { state, previous, event, override, shipment, scope, scopes, status, tell, finish } = ctx;
  const previousShipment = shipment
    ? previous.shipments.find((s) => s.id === shipment.id)
    : undefined;
  const from = snapshot(previous, previousShipment);
  let keys: string[] = [];

  if (isProgress(status)) {
    // A correction reopens a closed order and may move it backwards.
    state.terminals = [];
    if (shipment) {
      shipment.progress = status;
      shipment.progressAt = event.occurredAt;
      shipment.active = true;
      shipment.overlays = lift(shipment.overlays, RESOLVED_BY_PROGRESS);
      if (reached(status, 'delivered')) shipment.overlays = lift(shipment.overlays, ['delayed']);
      forgetAbove(state, scopes, status);
    } else {
      state.reportedProgress = status;
      state.progressAt = event.occurredAt;
      for (const s of activeShipments(state)) {
        if (s.progress !== null && rankOf(s.progress) > rankOf(status)) {
          s.progress = status;
          s.progressAt = event.occurredAt;
        }
      }
      forgetAbove(state, [ORDER_SCOPE, ...state.shipments.map((s) => s.id)], status);
    }
    state.overlays = lift(state.overlays, RESOLVED_BY_PROGRESS);
    // As on the carrier path: once delivered, a delay is over, whoever says so. Staff marking
    // the whole order delivered say so for the order, whatever its shipments last reported.
    if (reached(shipment ? orderProgress(state) : status, 'delivered'))
      state.overlays = lift(state.overlays, ['delayed']);
    keys = scopes.map((sc) => progressKey(sc, status));
  } else if (isTerminal(status)) {
    if (!state.terminals.includes(status)) state.terminals.push(status);
    keys = [progressKey(ORDER_SCOPE, status)];
  } else if (isOverlay(status)) {
    const onOrder = status === 'split_shipment' || !shipment;
    const overlay = overlayFrom(event, status);
    raise(onOrder ? state.overlays : (shipment?.overlays ?? state.overlays), overlay);
    keys = [overlayKey(onOrder ? ORDER_SCOPE : scope, overlay)];
  }

  const audit: OverrideAudit = {
    eventId: event.sourceEventId,
    at: event.occurredAt,
    actor: override.actor,
    reason: override.reason,
    notify: override.notify,
    ...(shipment ? { shipmentId: shipment.id } : {}),
    status,
    from,
    to: snapshot(state, shipment),
  };
  if (keys.length === 0 || !override.notify) return finish('silent', 'override_silent', [], audit);
  return tell([keys], 'override', audit);
};
