/**
 * @module The canonical status vocabulary: a ranked progress ladder, overlays that can sit on any
 * rung, and terminal side branches (DESIGN §3).
 */

/** Progress rungs in ladder order; the index is the rank. */
export const PROGRESS_STATUSES = [
  'created',
  'processing',
  'dispatched',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'completed',
] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/** Conditions that sit on top of a rung without moving it ("dispatched, and delayed"). */
export const OVERLAY_KINDS = ['on_hold', 'delayed', 'exception', 'split_shipment'] as const;
export type OverlayKind = (typeof OVERLAY_KINDS)[number];

/** Side branches that end the journey. */
export const TERMINAL_STATUSES = ['cancelled', 'refunded', 'returned'] as const;
export type TerminalStatus = (typeof TERMINAL_STATUSES)[number];

export const CANONICAL_STATUSES = [
  ...PROGRESS_STATUSES,
  ...OVERLAY_KINDS,
  ...TERMINAL_STATUSES,
] as const;
export type CanonicalStatus = (typeof CANONICAL_STATUSES)[number];

export const ON_HOLD_REASONS = [
  'payment',
  'fraud',
  'inventory',
  'regulatory',
  'address',
  'manual',
] as const;
export type OnHoldReason = (typeof ON_HOLD_REASONS)[number];

export const DELAY_REASONS = [
  'carrier',
  'customs',
  'weather',
  'inventory',
  'processing',
  'promised_date_passed',
  'no_carrier_scan',
  'other',
] as const;
export type DelayReason = (typeof DELAY_REASONS)[number];

export const EXCEPTION_REASONS = [
  'failed_attempt',
  'damaged',
  'lost',
  'refused',
  'returned_to_sender',
  'address',
  'pickup_missed',
  'held_by_carrier',
  'no_tracking_updates',
  'fulfillment_failed',
  'other',
] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

/** Why an order has more than one shipment; only one kind today, kept for symmetry. */
export const SPLIT_REASONS = ['partial_fulfillment', 'multiple_shipments'] as const;
export type SplitReason = (typeof SPLIT_REASONS)[number];

export type OverlayReason = OnHoldReason | DelayReason | ExceptionReason | SplitReason;

/** Every reason of every overlay, each once ('inventory' is both a hold and a delay reason). */
export const ALL_OVERLAY_REASONS = [
  ...new Set<OverlayReason>([
    ...ON_HOLD_REASONS,
    ...DELAY_REASONS,
    ...EXCEPTION_REASONS,
    ...SPLIT_REASONS,
  ]),
] as [OverlayReason, ...OverlayReason[]];

/** Which reasons belong to which overlay, for validation and for the UI. */
export const OVERLAY_REASONS = {
  on_hold: ON_HOLD_REASONS,
  delayed: DELAY_REASONS,
  exception: EXCEPTION_REASONS,
  split_shipment: SPLIT_REASONS,
} as const satisfies Record<OverlayKind, readonly string[]>;

const PROGRESS_SET: ReadonlySet<string> = new Set(PROGRESS_STATUSES);
const OVERLAY_SET: ReadonlySet<string> = new Set(OVERLAY_KINDS);
const TERMINAL_SET: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

export const isProgress = (s: string): s is ProgressStatus => PROGRESS_SET.has(s);
export const isOverlay = (s: string): s is OverlayKind => OVERLAY_SET.has(s);
export const isTerminal = (s: string): s is TerminalStatus => TERMINAL_SET.has(s);
export const isCanonicalStatus = (s: string): s is CanonicalStatus =>
  isProgress(s) || isOverlay(s) || isTerminal(s);

/** The rung's rank: created 0 … completed 6. */
export const rankOf = (s: ProgressStatus): number => PROGRESS_STATUSES.indexOf(s);

/** The lower of two rungs. */
export const minProgress = (a: ProgressStatus, b: ProgressStatus): ProgressStatus =>
  rankOf(a) <= rankOf(b) ? a : b;

export const isValidReason = (overlay: OverlayKind, reason: string): boolean =>
  (OVERLAY_REASONS[overlay] as readonly string[]).includes(reason);
