/**
 * @module Test builders for compliance candidates: a valid `ComplianceInput` for a US customer
 * in New York by SMS, overridden by what a test cares about. Not part of the public API.
 */
import { advance } from '../lifecycle.ts';
import type { OrderEvent, OrderEventInput, Recipient } from '../order-event.ts';
import { emptyOrderState, type OrderState } from '../order-state.ts';
import { orderEvent } from '../testing/events.ts';
import type { ComplianceInput, ConsentRecord } from './compliance-types.ts';

export const NY_PHONE = '+12125550100';
export const FR_PHONE = '+33612345678';

/** A customer in New York with a US mobile and an e-mail address. */
export const nyCustomer = (patch: Partial<Recipient> = {}): Recipient => ({
  role: 'customer',
  country: 'US',
  region: 'US-NY',
  contacts: { sms: NY_PHONE, whatsapp: NY_PHONE, email: 'Ana@Example.com', push: 'push-1' },
  ...patch,
});

/** The order state after applying events in order, from empty. */
export const stateAfter = (...events: OrderEvent[]): OrderState =>
  events.reduce((s, e) => advance(s, e).state, emptyOrderState('shop-1', 'order-1001'));

/** A consent record for the default tenant. */
export const consent = (patch: Partial<ConsentRecord> & Pick<ConsentRecord, 'state'>) =>
  ({
    tenantId: 'shop-1',
    channel: 'sms',
    contact: NY_PHONE,
    scope: 'all',
    at: '2026-01-01T00:00:00Z',
    source: 'checkout',
    ...patch,
  }) satisfies ConsentRecord;

/** A candidate: a transactional SMS to the NY customer at noon New York time, overridden. */
export const candidate = (
  patch: Partial<Omit<ComplianceInput, 'event'>> & {
    event?: Partial<OrderEventInput> & Pick<OrderEventInput, 'status'>;
  } = {},
): ComplianceInput => {
  const { event: eventPatch, ...rest } = patch;
  const recipient = rest.recipient ?? nyCustomer();
  const event = orderEvent({
    status: 'dispatched',
    occurredAt: '2026-06-10T15:00:00Z',
    recipients: [recipient],
    ...eventPatch,
  });
  return {
    now: '2026-06-10T16:00:00Z',
    channel: 'sms',
    messageClass: 'transactional',
    audience: 'customer',
    recipient,
    event,
    state: stateAfter(event),
    settings: { quietHours: {}, explicitConsentChannels: [], restrictedCategories: [] },
    facts: { consents: [], recentSends: [] },
    tenantTimeZone: 'America/New_York',
    ...rest,
  };
};
