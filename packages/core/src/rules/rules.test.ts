import { describe, expect, it } from 'vitest';
import { emptyOrderState } from '../order-state.ts';
import { CANONICAL_STATUSES } from '../statuses.ts';
import { orderEvent } from '../testing/events.ts';
import { DEFAULT_RULES } from './default-rules.ts';
import { matchingRules, type RuleSubject } from './match-rules.ts';
import { RuleSchema, RuleSetSchema, ruleSetJsonSchema } from './rule-schema.ts';

const subject = (
  patch: Parameters<typeof orderEvent>[0],
  consent: 'opted_in' | 'opted_out' | 'unknown' = 'unknown',
): RuleSubject => {
  const event = orderEvent(patch);
  return {
    event,
    status: event.status === 'ignore' ? 'created' : event.status,
    state: emptyOrderState('shop-1', 'order-1001'),
    customer: event.recipients.find((r) => r.role === 'customer'),
    consent: () => consent,
  };
};

const ids = (s: RuleSubject) => matchingRules(DEFAULT_RULES, s).map((r) => r.id);

describe('the default rule set', () => {
  it.each(CANONICAL_STATUSES)('tells the customer about "%s"', (status) => {
    const matched = matchingRules(DEFAULT_RULES, subject({ status })).filter(
      (r) => r.notify.audience === 'customer',
    );
    expect(matched.length).toBeGreaterThan(0);
  });

  it.each(['on_hold', 'delayed', 'exception'] as const)('alerts staff about "%s"', (status) => {
    expect(ids(subject({ status }))).toContain('staff-alerts');
  });

  it('sends regulatory holds to their own detailed staff alert, not the generic one', () => {
    const matched = ids(
      subject({ status: 'on_hold', overlay: { kind: 'on_hold', reason: 'regulatory' } }),
    );
    expect(matched).toContain('staff-regulatory-hold');
    expect(matched).not.toContain('staff-alerts');
  });

  it('matches a failed delivery attempt as a problem before it matches as progress', () => {
    const matched = ids(
      subject({
        status: 'out_for_delivery',
        overlay: { kind: 'exception', reason: 'failed_attempt' },
      }),
    );
    expect(matched[0]).toBe('customer-problems');
  });

  it('is valid against its own JSON Schema source', () => {
    expect(RuleSetSchema.safeParse(DEFAULT_RULES).success).toBe(true);
  });
});

describe('rule conditions', () => {
  const rule = (when: Record<string, unknown>) =>
    RuleSchema.parse({ id: 'r', when, notify: { audience: 'customer' } });
  const matches = (when: Record<string, unknown>, s: RuleSubject) =>
    matchingRules([rule(when)], s).length === 1;
  const customer = {
    role: 'customer' as const,
    country: 'US',
    region: 'US-FL',
    contacts: { sms: '+13055550100' },
  };

  it('tests source, shipment presence and order total with currency', () => {
    const s = subject({
      status: 'dispatched',
      source: 'netsuite',
      order: { number: '#1', total: { amount: '250.00', currency: 'USD' } },
    });
    expect(matches({ sources: ['netsuite'] }, s)).toBe(true);
    expect(matches({ sources: ['shopify'] }, s)).toBe(false);
    expect(matches({ shipment: 'absent' }, s)).toBe(true);
    expect(matches({ shipment: 'present' }, s)).toBe(false);
    expect(matches({ orderTotal: { min: '100.00', currency: 'USD' } }, s)).toBe(true);
    expect(matches({ orderTotal: { max: '99.99' } }, s)).toBe(false);
    expect(matches({ orderTotal: { min: '1', currency: 'EUR' } }, s)).toBe(false);
  });

  it('tests country, region, tags and item categories', () => {
    const s = subject({
      status: 'created',
      recipients: [customer],
      order: {
        number: '#1',
        tags: ['vip', 'wholesale'],
        lineItems: [{ id: 'l1', quantity: 1, categories: ['alcohol'] }],
      },
    });
    expect(matches({ countries: ['US'], regions: ['US-FL'] }, s)).toBe(true);
    expect(matches({ regions: ['US-CA'] }, s)).toBe(false);
    expect(matches({ tags: { any: ['vip'], none: ['test'] } }, s)).toBe(true);
    expect(matches({ tags: { all: ['vip', 'retail'] } }, s)).toBe(false);
    expect(matches({ categories: { any: ['alcohol'] } }, s)).toBe(true);
    expect(matches({ categories: { none: ['alcohol'] } }, s)).toBe(false);
  });

  it('tests the customer consent on a channel', () => {
    const when = { consent: { channel: 'sms', state: 'opted_in' } };
    expect(matches(when, subject({ status: 'created' }, 'opted_in'))).toBe(true);
    expect(matches(when, subject({ status: 'created' }, 'unknown'))).toBe(false);
    const notOut = { consent: { channel: 'sms', state: 'not_opted_out' } };
    expect(matches(notOut, subject({ status: 'created' }, 'unknown'))).toBe(true);
    expect(matches(notOut, subject({ status: 'created' }, 'opted_out'))).toBe(false);
  });

  it('ignores disabled rules', () => {
    const off = RuleSchema.parse({
      id: 'off',
      enabled: false,
      when: {},
      notify: { audience: 'customer' },
    });
    expect(matchingRules([off], subject({ status: 'created' }))).toEqual([]);
  });
});

describe('rule validation', () => {
  it('rejects unknown condition keys, bad channels and duplicate ids with their paths', () => {
    const bad = RuleSetSchema.safeParse([
      { id: 'a', when: { colour: 'red' }, notify: { audience: 'customer' } },
      { id: 'b', when: {}, notify: { audience: 'customer', channels: ['pigeon'] } },
    ]);
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['0.when', '1.notify.channels.0']));
    const dup = RuleSetSchema.safeParse([
      { id: 'a', when: {}, notify: { audience: 'customer' } },
      { id: 'a', when: {}, notify: { audience: 'internal' } },
    ]);
    expect(dup.success).toBe(false);
  });

  it('exports a JSON Schema the admin UI can build a form from', () => {
    const schema = ruleSetJsonSchema();
    expect(schema.type).toBe('array');
    const text = JSON.stringify(schema);
    for (const key of [
      'statuses',
      'channels',
      'delayMinutes',
      'digestMinutes',
      'audience',
      'critical',
    ]) {
      expect(text).toContain(key);
    }
  });
});
