/** @module An order's people and facts as its earlier events told them, for sources that carry neither. */
import type { OrderFacts, Recipient } from '@tidings/core';
import type { Store } from '@tidings/store';

/** The latest event's order facts and the latest recipients any event named. */
export const priorFacts = async (
  store: Store,
  tenantId: string,
  orderRef: string,
  fallbackNumber = orderRef,
): Promise<{ order: OrderFacts; recipients: Recipient[] }> => {
  const events = await store.listEventsOfOrders(tenantId, [orderRef]);
  const withPeople = events.findLast((e) => e.event.recipients.length > 0)?.event;
  const last = events.at(-1)?.event;
  return {
    order: last?.order ?? { number: fallbackNumber, lineItems: [], tags: [] },
    recipients: withPeople?.recipients ?? [],
  };
};
