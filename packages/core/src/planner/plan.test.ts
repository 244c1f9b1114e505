import { describe, expect, it } from 'vitest';
import type { ConsentRecord } from '../compliance/compliance-types.ts';
import { advance } from '../lifecycle.ts';
import { parseOrderEvent } from '../order-event.ts';
import { emptyOrderState, type OrderState } from '../order-state.ts';
import type { TenantConfigInput } from '../tenant-config.ts';
import { orderEvent, shipmentEvent } from '../testing/events.ts';
import { explain } from './explain.ts';
import { plan } from './plan.ts';

const config: TenantConfigInput = {
  tenantId: 'shop-1',
  name: 'Acme',
  defaultTimeZone: 'America/New_York',
  channelPreferences: { customer: ['email', 'sms'], internal: ['slack'] },
};

const customer = {
  role: 'customer' as const,
  name: 'Ana Tremblay',
  locale: 'fr-CA',
  timeZone: 'America/Toronto',
  country: 'CA',
  region: 'CA-ON',
  contacts: { email: 'ana@example.com', sms: '+14165550100' },
};

/** The customer texted STOP to the shop's SMS number. */
const stop: ConsentRecord = {
  tenantId: 'shop-1',
  channel: 'sms',
  contact: '+14165550100',
  state: 'opted_out',
  scope: 'all',
  at: '2026-11-01T00:00:00Z',
  source: 'keyword',
};

/** Noon in Toronto, a Saturday. */
const NOON = '2026-11-28T17:00:00Z';
const start = () => emptyOrderState('shop-1', 'order-1001');

const dispatched = (patch: Parameters<typeof shipmentEvent>[1] = { status: 'dispatched' }) =>
  shipmentEvent('f1', { recipients: [customer], ...patch });

describe('plan', () => {
  it('tells the customer a dispatch by their first channel, with the second as fallback', () => {
    const result = plan(dispatched(), start(), config, NOON);
    expect(result.intents).toHaveLength(1);
    const [intent] = result.intents;
    expect(intent).toMatchObject({
      audience: 'customer',
      ruleId: 'customer-progress',
      templateKey: 'dispatched',
      locale: 'fr-CA',
      timeZone: 'America/Toronto',
      shipmentId: 'f1',
      delivery: {
        channel: 'email',
        to: 'ana@example.com',
        notBefore: new Date(NOON).toISOString(),
      },
      fallbacks: [{ channel: 'sms', to: '+14165550100' }],
    });
    expect(result.decisions.at(-1)).toMatchObject({ action: 'send', intentId: intent?.id });
    expect(result.state.shipments[0]?.progress).toBe('dispatched');
  });

  it('tells nobody about a stale event, and says why', () => {
    const delivered = advance(start(), dispatched({ status: 'delivered' })).state;
    const result = plan(dispatched({ status: 'dispatched' }), delivered, config, NOON);
    expect(result.intents).toEqual([]);
    expect(result.decisions).toEqual([
      expect.objectContaining({
        action: 'suppress',
        reason: 'stale_event',
        reasons: ['stale_event', 'below_current_rank'],
      }),
    ]);
  });

  it('gives the same intents, ids included, when the same event is planned twice', () => {
    const event = dispatched();
    const a = plan(event, start(), config, NOON);
    const b = plan(event, start(), { ...config }, new Date(NOON));
    expect(b).toEqual(a);
    expect(a.intents[0]?.id).toMatch(/^int_[0-9a-f]{28}$/);
  });

  it('suppresses a channel the customer opted out of, with the reason, and falls back', () => {
    const smsFirst = {
      ...config,
      channelPreferences: { customer: ['sms', 'email'] as ('sms' | 'email')[], internal: [] },
    };
    const result = plan(dispatched(), start(), smsFirst, NOON, { consents: [stop] });
    expect(result.intents[0]?.delivery.channel).toBe('email');
    expect(result.decisions).toContainEqual(
      expect.objectContaining({ action: 'suppress', channel: 'sms', reason: 'consent_opted_out' }),
    );
  });

  it("defers a night-time update to the morning in the customer's own time zone", () => {
    const threeAm = '2026-11-28T08:00:00Z'; // 03:00 in Toronto
    const result = plan(dispatched(), start(), config, threeAm);
    const decision = result.decisions.find((d) => d.intentId);
    expect(decision).toMatchObject({ action: 'defer', reason: 'quiet_hours_tenant' });
    expect(result.intents[0]?.delivery.notBefore).toBe('2026-11-28T13:00:00.000Z'); // 08:00 EST
  });

  it('tells staff about a regulatory hold in detail and the customer in neutral words', () => {
    const hold = orderEvent({
      status: 'on_hold',
      overlay: { kind: 'on_hold', reason: 'regulatory' },
      recipients: [customer],
    });
    const result = plan(hold, start(), config, NOON);
    const staff = result.intents.find((i) => i.audience === 'internal');
    const buyer = result.intents.find((i) => i.audience === 'customer');
    expect(staff).toMatchObject({
      templateKey: 'internal.regulatory_hold',
      delivery: { channel: 'slack' },
    });
    expect(staff?.delivery.reasons).toContain('regulatory_hold_detail');
    expect(buyer?.delivery.rewrites).toContain('neutral_hold');
  });

  it('speaks once to a customer when two rules match: a failed attempt is told as the problem', () => {
    const attempt = dispatched({
      status: 'out_for_delivery',
      overlay: { kind: 'exception', reason: 'failed_attempt' },
    });
    const result = plan(attempt, start(), config, NOON);
    const buyer = result.intents.filter((i) => i.audience === 'customer');
    expect(buyer).toHaveLength(1);
    expect(buyer[0]).toMatchObject({
      ruleId: 'customer-problems',
      templateKey: 'exception',
      class: 'critical',
    });
    expect(result.decisions).toContainEqual(
      expect.objectContaining({
        action: 'skip',
        ruleId: 'customer-progress',
        reason: 'superseded_by_rule',
      }),
    );
  });

  it("waits a rule's delay, and lines digests up on their window", () => {
    const rules: TenantConfigInput['rules'] = [
      {
        id: 'later',
        when: { statuses: ['dispatched'] },
        notify: { audience: 'customer', delayMinutes: 30 },
      },
      {
        id: 'staff-digest',
        when: { statuses: ['dispatched'] },
        notify: { audience: 'internal', digestMinutes: 60 },
      },
    ];
    const result = plan(dispatched(), start(), { ...config, rules }, NOON);
    const [later, digest] = result.intents;
    expect(later?.delivery.notBefore).toBe('2026-11-28T17:30:00.000Z');
    expect(digest?.delivery.notBefore).toBe('2026-11-28T18:00:00.000Z');
    expect(digest?.digestKey).toMatch(/^dig_/);
    expect(result.decisions.find((d) => d.ruleId === 'later')).toMatchObject({
      action: 'defer',
      reason: 'rule_delay',
    });
    expect(result.decisions.find((d) => d.ruleId === 'staff-digest')).toMatchObject({
      reason: 'digest_window',
    });
  });

  it('says when no rule covers the event', () => {
    const result = plan(dispatched(), start(), { ...config, rules: [] }, NOON);
    expect(result.decisions).toEqual([expect.objectContaining({ reason: 'no_matching_rule' })]);
  });

  it('names every missing contact point, then that nothing could be sent', () => {
    const nobody = { ...customer, contacts: {} };
    const result = plan(
      dispatched({ status: 'dispatched', recipients: [nobody] }),
      start(),
      config,
      NOON,
    );
    expect(result.intents).toEqual([]);
    expect(result.decisions.map((d) => [d.channel, d.reason])).toEqual([
      ['email', 'no_contact_point'],
      ['sms', 'no_contact_point'],
      [undefined, 'all_channels_suppressed'],
    ]);
  });

  it('needs a team channel for staff alerts', () => {
    const noTeam = {
      ...config,
      channelPreferences: { customer: ['email' as const], internal: [] },
    };
    const result = plan(
      orderEvent({ status: 'delayed', recipients: [customer] }),
      start(),
      noTeam,
      NOON,
    );
    expect(result.decisions).toContainEqual(
      expect.objectContaining({
        ruleId: 'staff-alerts',
        action: 'suppress',
        reason: 'no_internal_channel',
      }),
    );
  });

  it('needs a recipient to tell', () => {
    const result = plan(
      dispatched({ status: 'dispatched', recipients: [] }),
      start(),
      config,
      NOON,
    );
    expect(result.decisions).toEqual([expect.objectContaining({ reason: 'no_recipient' })]);
  });
});

describe("the event's own template and channel choice (event.notify)", () => {
  it('uses the chosen template and channel order for the customer, and says so', () => {
    const event = dispatched({
      status: 'dispatched',
      notify: { template: 'delivered', channels: ['sms', 'email'] },
    });
    const result = plan(event, start(), config, NOON);
    expect(result.intents).toEqual([
      expect.objectContaining({
        templateKey: 'delivered',
        delivery: expect.objectContaining({ channel: 'sms', to: '+14165550100' }),
        fallbacks: [expect.objectContaining({ channel: 'email' })],
      }),
    ]);
    const decision = result.decisions.find((d) => d.intentId);
    expect(decision?.reasons.slice(0, 3)).toEqual(['ready', 'event_template', 'event_channels']);
    const lines = explain(result).join('\n');
    expect(lines).toContain(
      'SENT: Rule customer-progress: customer #1 hears "delivered" by sms now, falling back to email; the event chose the template and the channels (sms, email). (ready, event_template, event_channels',
    );
  });

  it("narrows the channels to the chosen ones: no fallback to the tenant's others", () => {
    const event = dispatched({ status: 'dispatched', notify: { channels: ['sms'] } });
    const [intent] = plan(event, start(), config, NOON).intents;
    expect(intent).toMatchObject({ templateKey: 'dispatched', delivery: { channel: 'sms' } });
    expect(intent?.fallbacks).toEqual([]);
  });

  it('accepts a template only the tenant has', () => {
    const withOwn: TenantConfigInput = {
      ...config,
      templates: { order_update: { email: { en: { subject: 'Update', text: 'Hi' } } } },
    };
    const event = dispatched({ status: 'dispatched', notify: { template: 'order_update' } });
    expect(plan(event, start(), withOwn, NOON).intents[0]?.templateKey).toBe('order_update');
  });

  it('plans no customer message for a template nobody has, with a reason, and still alerts staff', () => {
    const event = orderEvent({
      status: 'delayed',
      recipients: [customer],
      notify: { template: 'no_such_template' },
    });
    const result = plan(event, start(), config, NOON);
    expect(result.intents.map((i) => [i.audience, i.templateKey])).toEqual([
      ['internal', 'internal.delayed'],
    ]);
    expect(result.decisions).toContainEqual(
      expect.objectContaining({
        audience: 'customer',
        action: 'suppress',
        reason: 'unknown_template',
        reasons: ['unknown_template'],
      }),
    );
    expect(explain(result).join('\n')).toMatch(
      /NOT SENT: Rule customer-problems: the event asks for template "no_such_template".*\(unknown_template\)/,
    );
  });

  it('never gets past consent: an opted-out channel stays suppressed when it is the one chosen', () => {
    const event = dispatched({ status: 'dispatched', notify: { channels: ['sms'] } });
    const result = plan(event, start(), config, NOON, { consents: [stop] });
    expect(result.intents).toEqual([]);
    expect(result.decisions.map((d) => [d.channel, d.reason, d.reasons])).toEqual([
      ['sms', 'consent_opted_out', ['consent_opted_out']],
      [undefined, 'all_channels_suppressed', ['all_channels_suppressed', 'event_channels']],
    ]);
    expect(explain(result).at(-1)).toContain('among those the event chose (sms)');
  });

  it('never gets past explicit-consent channels, WhatsApp opt-in, or quiet hours', () => {
    const strict = { ...config, compliance: { explicitConsentChannels: ['sms' as const] } };
    const sms = dispatched({ status: 'dispatched', notify: { channels: ['sms'] } });
    expect(plan(sms, start(), strict, NOON).decisions[0]).toMatchObject({
      channel: 'sms',
      reason: 'consent_missing',
    });

    const whatsapp = dispatched({
      status: 'dispatched',
      recipients: [{ ...customer, contacts: { whatsapp: '+14165550100' } }],
      notify: { channels: ['whatsapp'] },
    });
    expect(plan(whatsapp, start(), config, NOON).intents).toEqual([]);

    const threeAm = '2026-11-28T08:00:00Z';
    const night = plan(sms, start(), config, threeAm);
    expect(night.decisions.find((d) => d.intentId)).toMatchObject({
      action: 'defer',
      reason: 'quiet_hours_tenant',
      reasons: expect.arrayContaining(['event_channels']),
    });
  });

  it('names a missing contact point on a chosen channel', () => {
    const event = dispatched({ status: 'dispatched', notify: { channels: ['push'] } });
    const result = plan(event, start(), config, NOON);
    expect(result.decisions.map((d) => [d.channel, d.reason])).toEqual([
      ['push', 'no_contact_point'],
      [undefined, 'all_channels_suppressed'],
    ]);
  });

  it('leaves staff and account owners to their rules', () => {
    const owner = { role: 'account_owner' as const, contacts: { email: 'owner@example.com' } };
    const rules: TenantConfigInput['rules'] = [
      { id: 'owner', when: { statuses: ['delayed'] }, notify: { audience: 'account_owner' } },
      { id: 'staff', when: { statuses: ['delayed'] }, notify: { audience: 'internal' } },
    ];
    const event = orderEvent({
      status: 'delayed',
      recipients: [owner],
      notify: { template: 'no_such_template', channels: ['sms'] },
    });
    const result = plan(event, start(), { ...config, rules }, NOON);
    expect(result.intents.map((i) => [i.audience, i.templateKey, i.delivery.channel])).toEqual([
      ['account_owner', 'delayed', 'email'],
      ['internal', 'internal.delayed', 'slack'],
    ]);
  });

  it('is validated: a choice of nothing, a repeated or team channel, a key with spaces', () => {
    const bad = [
      {},
      { channels: [] },
      { channels: ['sms', 'sms'] },
      { channels: ['slack'] },
      { template: 'two words' },
      { template: 'delivered', colour: 'red' },
    ];
    for (const notify of bad) {
      const parsed = parseOrderEvent({
        tenantId: 'shop-1',
        source: 'shopify',
        sourceEventId: 'e1',
        orderRef: 'o1',
        occurredAt: NOON,
        status: 'dispatched',
        raw: { value: 'fulfilled' },
        order: { number: '#1' },
        notify,
      });
      expect(parsed.ok, JSON.stringify(notify)).toBe(false);
      if (!parsed.ok) expect(parsed.error.issues[0]?.path).toMatch(/^notify/);
    }
  });
});

describe('explain', () => {
  it('answers "why (not)?" in sentences with reason codes and no personal data', () => {
    const state: OrderState = advance(start(), dispatched({ status: 'delivered' })).state;
    const stale = explain(plan(dispatched(), state, config, NOON));
    expect(stale[0]).toContain('stale (below_current_rank)');
    expect(stale[1]).toMatch(/^NOT SENT: .*\(stale_event, below_current_rank\)$/);

    const sent = explain(plan(dispatched(), start(), config, NOON)).join('\n');
    expect(sent).toContain(
      'SENT: Rule customer-progress: customer #1 hears "dispatched" by email now',
    );
    for (const secret of ['ana@example.com', '+14165550100', 'Tremblay'])
      expect(sent).not.toContain(secret);
  });
});
