/**
 * @module The FTC Mail, Internet, or Telephone Order Merchandise Rule (16 CFR 435): when a US
 * order cannot ship on time, the customer gets a delay option notice with a revised date (or
 * "unknown") and a way to cancel for a prompt refund (16 CFR 435.2(b)).
 */
import { DateTime } from 'luxon';
import type { OrderEvent } from '../order-event.ts';
import type { OrderState } from '../order-state.ts';
import type { ComplianceReason } from './compliance-types.ts';

export type FtcDelayReason = Extract<
  ComplianceReason,
  | 'ftc_delay_deemed_consent'
  | 'ftc_delay_consent_required'
  | 'ftc_delay_date_unknown'
  | 'ftc_delay_renewed'
>;

export interface FtcDelayNotice {
  /** The definite revised shipping date, or 'unknown' (435.2(b)(1)(i)). */
  revisedDate: string | 'unknown';
  /** The notice always offers cancellation with a prompt refund (435.2(b)(1)). */
  cancelOption: true;
  /**
   * The customer must expressly consent or the order is cancelled: a delay of more than 30 days
   * beyond the original time, an unknown date (435.2(b)(1)(iii)), or a renewed notice
   * (435.2(b)(2)), where silence is never consent. Otherwise silence is consent (435.2(b)(1)(ii)).
   */
  requiresConsent: boolean;
  /** A delay beyond a revised date already notified: the renewed option of 435.2(b)(2). */
  renewed: boolean;
  reason: FtcDelayReason;
}

/** Without a stated time the rule gives the seller 30 days (435.1(a)(1)). */
const DEFAULT_SHIPPING_DAYS = 30;
const CONSENT_THRESHOLD_DAYS = 30;
const DELAY_KEY = /:delayed:(\d{4}-\d{2}-\d{2})$/;

const dayDiff = (later: string, earlier: string): number =>
  DateTime.fromISO(later, { zone: 'utc' }).diff(DateTime.fromISO(earlier, { zone: 'utc' }), 'days')
    .days;

/** True when the event tells the customer about a delay. */
export const isDelayEvent = (event: OrderEvent): boolean =>
  event.status === 'delayed' || event.overlay?.kind === 'delayed';

/**
 * The delay option notice a delayed US order needs: revised date, cancel option, whether the
 * customer must consent, and whether it renews an earlier notice. `order.promisedDate` is the
 * original promise; without it, 30 days after `placedAt`.
 */
export const ftcDelayNotice = (
  event: OrderEvent,
  state: OrderState,
  now: string,
): FtcDelayNotice => {
  const fromEvent = event.overlay?.kind === 'delayed' ? event.overlay.promisedDate : undefined;
  const overlays = [...state.overlays, ...state.shipments.flatMap((s) => s.overlays)];
  const fromState = overlays
    .filter((o) => o.kind === 'delayed' && o.promisedDate !== undefined)
    .sort((a, b) => a.since.localeCompare(b.since))
    .at(-1)?.promisedDate;
  const revised = fromEvent ?? fromState;
  const placed = event.order.placedAt
    ? DateTime.fromISO(event.order.placedAt, { zone: 'utc' })
        .plus({ days: DEFAULT_SHIPPING_DAYS })
        .toISODate()
    : null;
  const original =
    event.order.promisedDate !== undefined && event.order.promisedDate !== revised
      ? event.order.promisedDate
      : placed;
  const today = DateTime.fromISO(now, { zone: 'utc' }).toISODate() ?? now.slice(0, 10);
  const previous = state.notified
    .map((k) => DELAY_KEY.exec(k)?.[1])
    .filter((d): d is string => d !== undefined && d !== revised);
  const renewed = previous.some((d) => revised === undefined || d < revised || d < today);
  const tooLong =
    revised === undefined || !original || dayDiff(revised, original) > CONSENT_THRESHOLD_DAYS;
  const reason: FtcDelayReason = renewed
    ? 'ftc_delay_renewed'
    : revised === undefined
      ? 'ftc_delay_date_unknown'
      : tooLong
        ? 'ftc_delay_consent_required'
        : 'ftc_delay_deemed_consent';
  return {
    revisedDate: revised ?? 'unknown',
    cancelOption: true,
    requiresConsent: renewed || tooLong,
    renewed,
    reason,
  };
};
