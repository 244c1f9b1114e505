/**
 * @module The EU right of withdrawal (Directive 2011/83/EU art. 9): 14 days from the day the
 * consumer gets the goods — for an order delivered in several shipments, the last one.
 */
import { DateTime } from 'luxon';
import { activeShipments, type OrderState, reached } from '../order-state.ts';
import { isEeaCountry } from './jurisdictions.ts';

const WITHDRAWAL_DAYS = 14;

/** When the last of the order's goods was delivered, or null while any is still on its way. */
const lastDeliveredAt = (state: OrderState): string | null => {
  const shipments = activeShipments(state);
  if (shipments.length === 0) {
    return reached(state.reportedProgress, 'delivered') ? state.progressAt : null;
  }
  if (!shipments.every((s) => reached(s.progress, 'delivered') && s.progressAt)) return null;
  return shipments
    .flatMap((s) => (s.progressAt ? [s.progressAt] : []))
    .reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b));
};

/**
 * The last day (ISO date, recipient's zone) to withdraw: 14 days after the day the last shipment
 * was delivered (art. 9(2)(b)(i)), moved off a weekend to the Monday as Regulation 1182/71 art.
 * 3(4) does (recital 41). Null outside the EU/EEA or until everything is delivered.
 */
export const euWithdrawalDeadline = (
  state: OrderState,
  country: string | undefined,
  timeZone: string,
): string | null => {
  if (!isEeaCountry(country)) return null;
  const delivered = lastDeliveredAt(state);
  if (!delivered) return null;
  let deadline = DateTime.fromISO(delivered, { zone: timeZone })
    .startOf('day')
    .plus({ days: WITHDRAWAL_DAYS });
  while (deadline.weekday > 5) deadline = deadline.plus({ days: 1 });
  return deadline.toISODate();
};
