import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_CHANNELS } from '../channel-kinds.ts';
import { MESSAGE_CLASSES } from '../message-class.ts';
import { orderEvent, shipmentEvent } from '../testing/events.ts';
import {
  candidate,
  consent,
  FR_PHONE,
  NY_PHONE,
  nyCustomer,
  stateAfter,
} from './candidate-builder.ts';
import { checkCompliance } from './check-compliance.ts';
import type { ComplianceDecision, ComplianceInput } from './compliance-types.ts';

const reasonsOf = (d: ComplianceDecision) => d.reasons;
const rewritesOf = (d: ComplianceDecision) => (d.action === 'suppress' ? [] : d.rewrites);
const frCustomer = nyCustomer({
  country: 'FR',
  region: undefined,
  contacts: { sms: FR_PHONE, email: 'marie@example.fr' },
});
const { region: _drop, ...frNoRegion } = frCustomer;
const flCustomer = nyCustomer({ region: 'US-FL' });
const marketingOptIn = (channel: 'sms' | 'whatsapp' | 'email' = 'sms', contact = NY_PHONE) =>
  consent({ state: 'opted_in', scope: 'marketing', channel, contact });
const noTenantQuiet = {
  quietHours: { transactional: null, marketing: null },
  explicitConsentChannels: [],
  restrictedCategories: [],
};

describe('checkCompliance: who may be told at all', () => {
  it('internal_audience: staff channels skip customer consent and quiet hours', () => {
    const { recipient: _r, ...rest } = candidate({ now: '2026-06-11T03:00:00Z' });
    const d = checkCompliance({ ...rest, audience: 'internal', channel: 'slack' });
    expect(d).toEqual({ action: 'send', rewrites: [], reasons: ['internal_audience'] });
  });

  it('no_contact_point: suppresses a channel the recipient has no address on', () => {
    const d = checkCompliance(
      candidate({ channel: 'push', recipient: nyCustomer({ contacts: { sms: NY_PHONE } }) }),
    );
    expect(d.action).toBe('suppress');
    expect(reasonsOf(d)).toEqual(['no_contact_point']);
  });

  it('consent_implied_by_order: an order update needs no opt-in on SMS by default', () => {
    expect(checkCompliance(candidate())).toEqual({
      action: 'send',
      rewrites: [],
      reasons: ['consent_implied_by_order'],
    });
  });

  it('consent_opted_out: a STOP on the channel suppresses even order updates', () => {
    const d = checkCompliance(
      candidate({
        facts: { consents: [consent({ state: 'opted_out', source: 'keyword' })], recentSends: [] },
      }),
    );
    expect(d.action).toBe('suppress');
    expect(reasonsOf(d)).toEqual(['consent_opted_out']);
  });

  it('consent_missing: channels the tenant marks explicit need an opt-in record', () => {
    const d = checkCompliance(
      candidate({
        channel: 'email',
        settings: { quietHours: {}, explicitConsentChannels: ['email'], restrictedCategories: [] },
      }),
    );
    expect(reasonsOf(d)).toEqual(['consent_missing']);
  });

  it('consent_missing: WhatsApp always needs an opt-in (Meta Business Messaging Policy)', () => {
    const d = checkCompliance(candidate({ channel: 'whatsapp' }));
    expect(d.action).toBe('suppress');
    expect(reasonsOf(d)).toEqual(['consent_missing']);
  });

  it('consent_opted_in: an opt-in on record is the basis of the send', () => {
    const d = checkCompliance(
      candidate({ facts: { consents: [consent({ state: 'opted_in' })], recentSends: [] } }),
    );
    expect(reasonsOf(d)).toEqual(['consent_opted_in']);
  });

  it('consent_missing_marketing: marketing needs an explicit marketing opt-in', () => {
    const d = checkCompliance(candidate({ messageClass: 'marketing' }));
    expect(d.action).toBe('suppress');
    expect(reasonsOf(d)).toEqual(['consent_missing_marketing']);
  });

  it('consent_missing_marketing: marketing templates on WhatsApp need a marketing opt-in too', () => {
    const d = checkCompliance(
      candidate({
        channel: 'whatsapp',
        messageClass: 'marketing',
        facts: {
          consents: [consent({ state: 'opted_in', channel: 'whatsapp', source: 'keyword' })],
          recentSends: [],
        },
      }),
    );
    expect(reasonsOf(d)).toEqual(['consent_missing_marketing']);
  });
});

describe('checkCompliance: WhatsApp', () => {
  const optedIn = consent({ state: 'opted_in', channel: 'whatsapp' });

  it('whatsapp_outside_window: more than 24 hours after the last inbound, only a template', () => {
    const d = checkCompliance(
      candidate({
        channel: 'whatsapp',
        facts: {
          consents: [optedIn],
          recentSends: [],
          whatsappLastInboundAt: '2026-06-08T10:00:00Z',
        },
      }),
    );
    expect(d).toMatchObject({ action: 'send', rewrites: ['whatsapp_template_only'] });
    expect(reasonsOf(d)).toContain('whatsapp_outside_window');
  });

  it('whatsapp_customer_initiated: inside the window a customer who wrote first can be answered', () => {
    const d = checkCompliance(
      candidate({
        channel: 'whatsapp',
        facts: { consents: [], recentSends: [], whatsappLastInboundAt: '2026-06-10T14:00:00Z' },
      }),
    );
    expect(d).toEqual({ action: 'send', rewrites: [], reasons: ['whatsapp_customer_initiated'] });
  });
  it('consent_missing: a reply that quiet hours would push past the window needs an opt-in', () => {
    const d = checkCompliance(
      candidate({
        channel: 'whatsapp',
        now: '2026-03-05T02:00:00Z', // 21:00 EST: held until 08:00, when the window has closed
        facts: { consents: [], recentSends: [], whatsappLastInboundAt: '2026-03-04T13:00:00Z' },
      }),
    );
    expect(reasonsOf(d)).toEqual(['consent_missing']);
  });

  it('whatsapp_outside_window: judged at release, so a held free-form reply becomes a template', () => {
    const d = checkCompliance(
      candidate({
        channel: 'whatsapp',
        now: '2026-03-05T02:00:00Z',
        facts: {
          consents: [optedIn],
          recentSends: [],
          whatsappLastInboundAt: '2026-03-04T13:00:00Z',
        },
      }),
    );
    expect(d).toMatchObject({ action: 'defer', rewrites: ['whatsapp_template_only'] });
  });
});

describe('checkCompliance: restricted goods', () => {
  const wine = {
    status: 'dispatched' as const,
    order: {
      number: '#1001',
      lineItems: [{ id: 'l1', title: 'Château Margaux 2015', quantity: 1, categories: ['Wine'] }],
    },
  };

  it('restricted_goods_generic: no item names on SMS, WhatsApp or push', () => {
    for (const channel of ['sms', 'push'] as const) {
      const d = checkCompliance(candidate({ channel, event: wine }));
      expect(d).toMatchObject({ action: 'send', rewrites: ['generic_items'] });
      expect(reasonsOf(d)).toContain('restricted_goods_generic');
    }
    expect(rewritesOf(checkCompliance(candidate({ channel: 'email', event: wine })))).toEqual([]);
  });

  it('restricted_goods_generic: the tenant list counts as well as the built-in families', () => {
    const d = checkCompliance(
      candidate({
        event: {
          status: 'dispatched',
          order: { number: '#1', lineItems: [{ id: 'x', quantity: 1, categories: ['Knives'] }] },
        },
        settings: { quietHours: {}, explicitConsentChannels: [], restrictedCategories: ['knives'] },
      }),
    );
    expect(rewritesOf(d)).toEqual(['generic_items']);
  });

  it('shaft_content_sms: US marketing SMS about alcohol is suppressed so email can carry it', () => {
    const base = {
      messageClass: 'marketing' as const,
      event: wine,
      facts: {
        consents: [marketingOptIn(), marketingOptIn('email', 'ana@example.com')],
        recentSends: [],
      },
    };
    const sms = checkCompliance(candidate(base));
    expect(sms.action).toBe('suppress');
    expect(reasonsOf(sms)).toEqual(['shaft_content_sms']);
    expect(checkCompliance(candidate({ ...base, channel: 'email' })).action).toBe('send');
    expect(checkCompliance(candidate({ ...base, messageClass: 'transactional' })).action).toBe(
      'send',
    );
  });
});

describe('checkCompliance: regulatory holds', () => {
  const hold = {
    status: 'on_hold' as const,
    overlay: { kind: 'on_hold' as const, reason: 'regulatory' },
  };

  it('regulatory_hold_neutral: the customer hears a neutral message', () => {
    const d = checkCompliance(candidate({ event: hold, messageClass: 'critical' }));
    expect(d).toMatchObject({ action: 'send', rewrites: ['neutral_hold'] });
    expect(reasonsOf(d)).toContain('regulatory_hold_neutral');
  });

  it('regulatory_hold_detail: staff hear the detail, even when the hold is only in the state', () => {
    const event = orderEvent({
      status: 'on_hold',
      overlay: { kind: 'on_hold', reason: 'regulatory' },
    });
    const later = orderEvent({ status: 'processing' });
    const input = candidate({ audience: 'internal', channel: 'slack' });
    const d = checkCompliance({
      ...input,
      event: later,
      state: { ...stateAfter(event), lastEventAt: null },
    });
    expect(d).toEqual({
      action: 'send',
      rewrites: [],
      reasons: ['internal_audience', 'regulatory_hold_detail'],
    });
  });
});

describe('checkCompliance: timing', () => {
  it('quiet_hours_tenant: an order update at 23:00 waits for 08:00 in the recipient zone', () => {
    const d = checkCompliance(candidate({ now: '2026-06-11T03:00:00Z' }));
    expect(d).toMatchObject({ action: 'defer', until: '2026-06-11T12:00:00.000Z' });
    expect(reasonsOf(d)).toContain('quiet_hours_tenant');
  });

  it('quiet_hours_tenant: a critical message is never held by tenant quiet hours', () => {
    const d = checkCompliance(candidate({ now: '2026-06-11T03:00:00Z', messageClass: 'critical' }));
    expect(d.action).toBe('send');
  });

  it('quiet_hours_jurisdiction: Florida marketing texts stop at 20:00 (not 21:00)', () => {
    const d = checkCompliance(
      candidate({
        now: '2026-06-11T00:30:00Z', // 20:30 EDT
        recipient: flCustomer,
        messageClass: 'marketing',
        settings: noTenantQuiet,
        facts: { consents: [marketingOptIn()], recentSends: [] },
      }),
    );
    expect(d).toMatchObject({ action: 'defer', until: '2026-06-11T13:00:00.000Z' });
    expect(reasonsOf(d)).toContain('quiet_hours_jurisdiction');
  });

  it('quiet_hours_jurisdiction: does not apply to order updates or to e-mail', () => {
    const at = { now: '2026-06-11T00:30:00Z', recipient: flCustomer, settings: noTenantQuiet };
    expect(checkCompliance(candidate(at)).action).toBe('send');
    const email = checkCompliance(
      candidate({
        ...at,
        channel: 'email',
        messageClass: 'marketing',
        facts: { consents: [marketingOptIn('email', 'ana@example.com')], recentSends: [] },
      }),
    );
    expect(email.action).toBe('send');
  });

  it('jurisdiction_forbidden_day: French marketing SMS wait out Sundays and public holidays', () => {
    const fr = {
      recipient: frNoRegion,
      messageClass: 'marketing' as const,
      settings: noTenantQuiet,
      facts: { consents: [marketingOptIn('sms', FR_PHONE)], recentSends: [] },
    };
    const sunday = checkCompliance(candidate({ ...fr, now: '2026-06-14T10:00:00Z' }));
    expect(sunday).toMatchObject({ action: 'defer', until: '2026-06-15T06:00:00.000Z' });
    expect(reasonsOf(sunday)).toContain('jurisdiction_forbidden_day');
    const bastille = checkCompliance(candidate({ ...fr, now: '2026-07-14T10:00:00Z' }));
    expect(bastille).toMatchObject({ action: 'defer', until: '2026-07-15T06:00:00.000Z' });
  });

  it('frequency_cap: a fourth Florida marketing text in 24 hours waits until the cap frees', () => {
    const sent = (at: string) => ({ at, channel: 'sms' as const, class: 'marketing' as const });
    const d = checkCompliance(
      candidate({
        now: '2026-06-10T16:00:00Z',
        recipient: flCustomer,
        messageClass: 'marketing',
        settings: noTenantQuiet,
        facts: {
          consents: [marketingOptIn()],
          recentSends: [
            sent('2026-06-09T18:00:00Z'),
            sent('2026-06-10T09:00:00Z'),
            sent('2026-06-10T14:00:00Z'),
          ],
        },
      }),
    );
    expect(d).toMatchObject({ action: 'defer', until: '2026-06-10T18:00:00.000Z' });
    expect(reasonsOf(d)).toContain('frequency_cap');
  });

  it('a deferred intent re-checked at its release time is sent, not deferred again', () => {
    const sent = (at: string) => ({ at, channel: 'sms' as const, class: 'marketing' as const });
    const cases: ComplianceInput[] = [
      candidate({ now: '2026-06-11T03:00:00Z' }),
      candidate({
        now: '2026-06-13T19:30:00Z', // Saturday 21:30 in Paris
        recipient: frNoRegion,
        messageClass: 'marketing',
        facts: { consents: [marketingOptIn('sms', FR_PHONE)], recentSends: [] },
      }),
      candidate({
        // Capped until 23:30 EDT, which is quiet: released the next morning.
        now: '2026-06-11T00:00:00Z',
        recipient: flCustomer,
        messageClass: 'marketing',
        facts: {
          consents: [marketingOptIn()],
          recentSends: [
            sent('2026-06-10T03:30:00Z'),
            sent('2026-06-10T12:00:00Z'),
            sent('2026-06-10T13:00:00Z'),
          ],
        },
      }),
    ];
    for (const input of cases) {
      const d = checkCompliance(input);
      if (d.action !== 'defer') throw new Error(`expected a deferral, got ${d.action}`);
      expect(Date.parse(d.until)).toBeGreaterThan(Date.parse(input.now));
      const again = checkCompliance({ ...input, now: d.until });
      expect(again.action).toBe('send');
    }
  });
});

describe('checkCompliance: mandated notices', () => {
  it('ftc_delay_deemed_consent: a US delay of ≤ 30 days carries the FTC delay notice', () => {
    const d = checkCompliance(
      candidate({
        messageClass: 'critical',
        event: {
          status: 'delayed',
          overlay: { kind: 'delayed', reason: 'inventory', promisedDate: '2026-06-25' },
          order: { number: '#1001', promisedDate: '2026-06-12' },
        },
        settings: { ...noTenantQuiet, cancelUrl: 'https://shop.example/cancel' },
      }),
    );
    expect(d).toMatchObject({
      action: 'send',
      rewrites: ['ftc_delay_notice'],
      notices: {
        ftcDelay: {
          revisedDate: '2026-06-25',
          cancelOption: true,
          requiresConsent: false,
          renewed: false,
          cancelUrl: 'https://shop.example/cancel',
        },
      },
    });
    expect(reasonsOf(d)).toContain('ftc_delay_deemed_consent');
  });

  it('ftc_delay_date_unknown: no revised date means the customer must consent', () => {
    const d = checkCompliance(
      candidate({
        messageClass: 'critical',
        event: { status: 'delayed', overlay: { kind: 'delayed', reason: 'customs' } },
      }),
    );
    expect(reasonsOf(d)).toContain('ftc_delay_date_unknown');
    expect(d).toMatchObject({
      notices: { ftcDelay: { revisedDate: 'unknown', requiresConsent: true } },
    });
  });

  it('does not add the FTC notice outside the US', () => {
    const d = checkCompliance(
      candidate({
        recipient: frNoRegion,
        channel: 'email',
        event: { status: 'delayed', overlay: { kind: 'delayed', reason: 'customs' } },
      }),
    );
    expect(rewritesOf(d)).toEqual([]);
  });

  it('eu_withdrawal_notice: an EU customer told of delivery hears the withdrawal deadline', () => {
    const delivered = shipmentEvent('s1', {
      status: 'delivered',
      occurredAt: '2026-06-10T09:00:00Z',
      recipients: [frNoRegion],
    });
    const input = candidate({ recipient: frNoRegion, channel: 'email' });
    const d = checkCompliance({ ...input, event: delivered, state: stateAfter(delivered) });
    expect(d).toMatchObject({
      action: 'send',
      rewrites: ['eu_withdrawal_notice'],
      notices: { euWithdrawalDeadline: '2026-06-24' },
    });
    expect(reasonsOf(d)).toContain('eu_withdrawal_notice');
  });
});

describe('checkCompliance: properties', () => {
  const recipients = [
    nyCustomer(),
    flCustomer,
    frNoRegion,
    nyCustomer({ region: 'US-OK', timeZone: 'America/Chicago' }),
    nyCustomer({
      region: undefined,
      country: undefined,
      contacts: { sms: '+4915112345678', email: 'k@example.de' },
    }),
  ].map((r) => JSON.parse(JSON.stringify(r)) as typeof frCustomer);

  const inputs = fc
    .record({
      at: fc.integer({
        min: Date.parse('2026-01-01T00:00:00Z'),
        max: Date.parse('2027-01-01T00:00:00Z'),
      }),
      recipient: fc.constantFrom(...recipients),
      channel: fc.constantFrom(...CUSTOMER_CHANNELS),
      messageClass: fc.constantFrom(...MESSAGE_CLASSES),
      optIn: fc.constantFrom('none', 'all', 'marketing', 'stop'),
      sends: fc.array(fc.integer({ min: 0, max: 30 * 3_600_000 }), { maxLength: 5 }),
      inbound: fc.option(fc.integer({ min: 0, max: 48 * 3_600_000 })),
    })
    .map(({ at, recipient, channel, messageClass, optIn, sends, inbound }): ComplianceInput => {
      const contact = channel === 'email' ? recipient.contacts.email : recipient.contacts.sms;
      const consents =
        optIn === 'none' || !contact
          ? []
          : [
              consent({
                channel,
                contact,
                state: optIn === 'stop' ? 'opted_out' : 'opted_in',
                scope: optIn === 'marketing' ? 'marketing' : 'all',
              }),
            ];
      const now = new Date(at).toISOString();
      return {
        ...candidate({ recipient, channel, messageClass, now }),
        ...(contact === undefined ? {} : { contact }),
        facts: {
          consents,
          recentSends: sends.map((s) => ({
            at: new Date(at - s).toISOString(),
            channel: 'sms' as const,
            class: 'marketing' as const,
          })),
          ...(inbound === null
            ? {}
            : { whatsappLastInboundAt: new Date(at - inbound).toISOString() }),
        },
      };
    });

  it('every suppress carries at least one reason code, and every deferral is released cleanly', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const d = checkCompliance(input);
        expect(d.reasons.length).toBeGreaterThan(0);
        if (d.action === 'defer') {
          expect(Date.parse(d.until)).toBeGreaterThan(Date.parse(input.now));
          expect(checkCompliance({ ...input, now: d.until }).action).toBe('send');
        }
      }),
      { numRuns: 300 },
    );
  });
});
