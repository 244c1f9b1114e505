/** @module Which rules an event matches, judged only on the event, the order and the recipient. */
import type { OrderEvent, Recipient } from '../order-event.ts';
import { isSplit, type OrderState } from '../order-state.ts';
import type { CanonicalStatus } from '../statuses.ts';
import type { Rule, RuleCondition } from './rule-schema.ts';

export interface RuleSubject {
  event: OrderEvent;
  /** The status after the lifecycle resolved guards. */
  status: CanonicalStatus;
  /** The order after the event. */
  state: OrderState;
  /** The first customer recipient, whose country, region and consent conditions test. */
  customer: Recipient | undefined;
  consent: (
    channel: NonNullable<RuleCondition['consent']>['channel'],
  ) => 'opted_in' | 'opted_out' | 'unknown';
}

type SetTest = {
  any?: string[] | undefined;
  all?: string[] | undefined;
  none?: string[] | undefined;
};

const setMatches = (test: SetTest, values: readonly string[]): boolean => {
  const has = (v: string) => values.includes(v);
  return (
    (test.any === undefined || test.any.some(has)) &&
    (test.all === undefined || test.all.every(has)) &&
    (test.none === undefined || !test.none.some(has))
  );
};

/** Whether every condition the rule states holds; an absent condition always holds. */
export const conditionHolds = (when: RuleCondition, s: RuleSubject): boolean => {
  const overlay = s.event.overlay;
  if (
    when.statuses &&
    !when.statuses.includes(s.status) &&
    !(overlay && when.statuses.includes(overlay.kind))
  ) {
    return false;
  }
  if (when.reasons) {
    const reason = overlay?.reason;
    if (when.reasons.any && !(reason && (when.reasons.any as string[]).includes(reason)))
      return false;
    if (when.reasons.none && reason && (when.reasons.none as string[]).includes(reason))
      return false;
  }
  if (when.sources && !when.sources.includes(s.event.source)) return false;
  if (when.shipment === 'present' && !s.event.shipment) return false;
  if (when.shipment === 'absent' && s.event.shipment) return false;
  if (when.split !== undefined && when.split !== isSplit(s.state)) return false;
  if (when.countries && !(s.customer?.country && when.countries.includes(s.customer.country)))
    return false;
  if (when.regions && !(s.customer?.region && when.regions.includes(s.customer.region)))
    return false;
  if (when.orderTotal) {
    const total = s.event.order.total;
    if (!total) return false;
    if (when.orderTotal.currency && when.orderTotal.currency !== total.currency) return false;
    const amount = Number(total.amount);
    if (when.orderTotal.min !== undefined && amount < Number(when.orderTotal.min)) return false;
    if (when.orderTotal.max !== undefined && amount > Number(when.orderTotal.max)) return false;
  }
  if (when.tags && !setMatches(when.tags, s.event.order.tags)) return false;
  if (when.categories) {
    const categories = s.event.order.lineItems.flatMap((i) => i.categories);
    if (!setMatches(when.categories, categories)) return false;
  }
  if (when.consent) {
    const consent = s.consent(when.consent.channel);
    if (when.consent.state === 'opted_in' ? consent !== 'opted_in' : consent === 'opted_out')
      return false;
  }
  return true;
};

/** The enabled rules whose conditions hold, in the order the tenant listed them. */
export const matchingRules = (rules: readonly Rule[], subject: RuleSubject): Rule[] =>
  rules.filter((r) => r.enabled && conditionHolds(r.when, subject));
