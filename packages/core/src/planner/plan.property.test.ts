/**
 * Property tests of the planner over random events, orders, configurations and times: it is
 * deterministic, it never plans a customer message for a stale event, and every suppression
 * carries a known reason code.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_CHANNELS, INTERNAL_CHANNELS } from '../channel-kinds.ts';
import { COMPLIANCE_REASONS, type ConsentRecord } from '../compliance/compliance-types.ts';
import { OUTCOME_REASONS } from '../lifecycle.ts';
import { type OrderEvent, OrderEventSchema } from '../order-event.ts';
import { emptyOrderState, type OrderState } from '../order-state.ts';
import { CANONICAL_STATUSES } from '../statuses.ts';
import type { TenantConfigInput } from '../tenant-config.ts';
import { PLANNER_REASONS, type PlanResult } from './intent.ts';
import { plan } from './plan.ts';

const KNOWN = new Set<string>([...PLANNER_REASONS, ...COMPLIANCE_REASONS, ...OUTCOME_REASONS]);

const people = [
  {
    role: 'customer',
    locale: 'en-US',
    region: 'US-FL',
    country: 'US',
    contacts: { sms: '+13055550100', email: 'a@example.com' },
  },
  {
    role: 'customer',
    locale: 'fr-FR',
    country: 'FR',
    timeZone: 'Europe/Paris',
    contacts: { whatsapp: '+33612345678', email: 'b@example.fr' },
  },
  { role: 'customer', locale: 'de', contacts: { push: 'user-9' } },
  { role: 'customer', locale: 'es-MX', country: 'MX', contacts: { sms: '+525512345678' } },
  { role: 'account_owner', contacts: { email: 'owner@example.com' } },
] as const;

const eventArb = fc
  .record({
    status: fc.constantFrom(...CANONICAL_STATUSES, 'ignore' as const),
    shipment: fc.option(fc.constantFrom('s1', 's2'), { nil: undefined }),
    reason: fc.option(fc.constantFrom('regulatory', 'payment', 'weather', 'failed_attempt'), {
      nil: undefined,
    }),
    recipients: fc.subarray([...people]),
    categories: fc.subarray(['alcohol', 'books', 'pharmacy']),
    minute: fc.nat({ max: 60 * 24 * 40 }),
    notify: fc.option(
      fc.record(
        {
          template: fc.constantFrom('delivered', 'order_update', 'no_such_template'),
          channels: fc.shuffledSubarray([...CUSTOMER_CHANNELS], { minLength: 1 }),
        },
        { requiredKeys: [] },
      ),
      { nil: undefined },
    ),
  })
  .map(({ status, shipment, reason, recipients, categories, minute, notify }) => {
    const choice =
      notify && (notify.template !== undefined || notify.channels !== undefined)
        ? notify
        : undefined;
    const overlayReason =
      status === 'on_hold' && (reason === 'regulatory' || reason === 'payment')
        ? reason
        : status === 'delayed' && reason === 'weather'
          ? reason
          : status === 'exception' && reason === 'failed_attempt'
            ? reason
            : undefined;
    const overlay =
      status === 'on_hold' || status === 'delayed' || status === 'exception'
        ? { kind: status, ...(overlayReason ? { reason: overlayReason } : {}) }
        : undefined;
    return (i: number): OrderEvent =>
      OrderEventSchema.parse({
        tenantId: 'shop-1',
        source: 'shopify',
        sourceEventId: `e${i}`,
        orderRef: 'order-1',
        occurredAt: new Date(Date.UTC(2026, 2, 1) + minute * 60_000).toISOString(),
        status,
        raw: { value: status },
        ...(overlay ? { overlay } : {}),
        ...(shipment ? { shipment: { id: shipment } } : {}),
        recipients,
        ...(choice ? { notify: choice } : {}),
        order: {
          number: '#1',
          total: { amount: '19.90', currency: 'USD' },
          lineItems: [{ id: 'l1', title: 'Thing', quantity: 1, categories }],
        },
      });
  });

const configArb: fc.Arbitrary<TenantConfigInput> = fc
  .record({
    customer: fc.shuffledSubarray([...CUSTOMER_CHANNELS], { minLength: 1 }),
    internal: fc.shuffledSubarray([...INTERNAL_CHANNELS]),
    quiet: fc.option(fc.constantFrom(['21:00', '08:00'], ['22:00', '07:30'], ['00:00', '06:00']), {
      nil: null,
    }),
    explicit: fc.subarray(['sms', 'email', 'push'] as const),
    zone: fc.constantFrom('UTC', 'America/New_York', 'Europe/Paris', 'Australia/Sydney'),
  })
  .map(({ customer, internal, quiet, explicit, zone }) => ({
    tenantId: 'shop-1',
    name: 'Acme',
    defaultTimeZone: zone,
    channelPreferences: { customer, internal },
    compliance: {
      quietHours: {
        transactional: quiet ? { start: quiet[0], end: quiet[1] } : null,
        marketing: quiet ? { start: quiet[0], end: quiet[1] } : null,
      },
      explicitConsentChannels: [...explicit],
      restrictedCategories: ['pharmacy'],
    },
    templates: { order_update: { sms: { en: { text: 'Order {{ order.number }} updated' } } } },
  }));

const consentArb = fc.array(
  fc.record({
    tenantId: fc.constant('shop-1'),
    channel: fc.constantFrom('sms' as const, 'email' as const, 'whatsapp' as const),
    contact: fc.constantFrom('+13055550100', 'a@example.com', '+33612345678'),
    state: fc.constantFrom('opted_in' as const, 'opted_out' as const),
    scope: fc.constantFrom('marketing' as const, 'all' as const),
    at: fc.constantFrom('2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'),
    source: fc.constant('admin' as const),
  }),
  { maxLength: 4 },
) as fc.Arbitrary<ConsentRecord[]>;

const nowArb = fc
  .nat({ max: 60 * 24 * 300 })
  .map((m) => new Date(Date.UTC(2026, 0, 1) + m * 60_000).toISOString());

/** What compliance and contact points decided for customers, per channel, without the choice's own codes. */
const customerVerdicts = (result: PlanResult) => ({
  deliveries: result.intents
    .filter((i) => i.audience === 'customer')
    .map((i) => [i.recipientIndex, [i.delivery, ...i.fallbacks]]),
  suppressed: result.decisions
    .filter((d) => d.audience === 'customer' && d.channel !== undefined)
    .map((d) => [
      d.recipientIndex,
      d.channel,
      d.action,
      d.reasons.filter((r) => r !== 'event_template' && r !== 'event_channels'),
    ]),
});

/**
 * An event's channel choice plans exactly what the tenant would plan had it preferred those
 * channels: the same consent, compliance and contact-point verdicts, so the choice can narrow or
 * reorder channels but never let a message through that compliance stops. A template choice is
 * used for every customer message, or, when no template has that key, none is planned.
 */
const expectChoiceHonoured = (
  event: OrderEvent,
  state: OrderState,
  config: TenantConfigInput,
  now: string,
  consents: ConsentRecord[],
  result: PlanResult,
) => {
  const choice = event.notify;
  if (!choice) return;
  const customers = result.intents.filter((i) => i.audience === 'customer');
  if (choice.template === 'no_such_template') {
    expect(customers).toEqual([]);
    return;
  }
  for (const intent of customers) {
    if (choice.template) expect(intent.templateKey).toBe(choice.template);
    for (const d of [intent.delivery, ...intent.fallbacks]) {
      if (choice.channels) expect(choice.channels).toContain(d.channel);
    }
  }
  if (!choice.channels) return;
  const { notify: _chosen, ...plain } = event;
  const preferred = {
    ...config,
    channelPreferences: {
      customer: choice.channels,
      internal: config.channelPreferences?.internal ?? [],
    },
  };
  const twin = plan(plain, state, preferred, now, { consents });
  expect(customerVerdicts(result)).toEqual(customerVerdicts(twin));
};

describe('plan properties', () => {
  it('is deterministic, never tells a customer about a stale event, and explains every suppression', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { minLength: 1, maxLength: 12 }),
        configArb,
        consentArb,
        nowArb,
        (makers, config, consents, now) => {
          let state = emptyOrderState('shop-1', 'order-1');
          makers.forEach((make, i) => {
            const event = make(i);
            const first = plan(event, state, config, now, { consents });
            const again = plan(event, state, JSON.parse(JSON.stringify(config)), now, { consents });
            expect(again).toEqual(first);
            if (first.lifecycle.verdict === 'stale') {
              expect(first.intents.filter((x) => x.audience === 'customer')).toEqual([]);
            }
            for (const d of first.decisions) {
              expect(d.reasons[0]).toBe(d.reason);
              for (const r of d.reasons) expect(KNOWN.has(r), `unknown reason ${r}`).toBe(true);
            }
            for (const intent of first.intents) {
              expect(intent.delivery.notBefore >= new Date(now).toISOString()).toBe(true);
            }
            if (event.notify) expectChoiceHonoured(event, state, config, now, consents, first);
            state = first.state;
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
