import { describe, expect, it } from 'vitest';
import { consent, NY_PHONE } from './candidate-builder.ts';
import { checkConsent, newestConsent } from './consent.ts';

const ask = (
  messageClass: 'marketing' | 'transactional' | 'critical',
  consents: ReturnType<typeof consent>[],
) =>
  checkConsent({
    tenantId: 'shop-1',
    channel: 'sms',
    contact: NY_PHONE,
    messageClass,
    consents,
    explicitConsentChannels: [],
    whatsappWindowOpen: false,
  });

describe('consent', () => {
  it('lets the newest record per channel, contact and scope win', () => {
    const records = [
      consent({ state: 'opted_out', at: '2026-02-01T00:00:00Z' }),
      consent({ state: 'opted_in', at: '2026-03-01T00:00:00Z' }),
      consent({ state: 'opted_out', at: '2026-01-01T00:00:00Z' }),
    ];
    expect(
      newestConsent(records, {
        tenantId: 'shop-1',
        channel: 'sms',
        contact: '+1 212 555 0100',
        scope: 'all',
      })?.state,
    ).toBe('opted_in');
  });

  it('consent_opted_out: an all-scope opt-out beats a newer marketing opt-in', () => {
    const records = [
      consent({ state: 'opted_out', at: '2026-02-01T00:00:00Z', source: 'keyword' }),
      consent({ state: 'opted_in', scope: 'marketing', at: '2026-03-01T00:00:00Z' }),
    ];
    expect(ask('marketing', records)).toEqual({ allowed: false, reason: 'consent_opted_out' });
    expect(ask('critical', records)).toEqual({ allowed: false, reason: 'consent_opted_out' });
  });

  it('consent_opted_out: a marketing opt-out stops marketing but not order updates', () => {
    const records = [consent({ state: 'opted_out', scope: 'marketing' })];
    expect(ask('marketing', records).reason).toBe('consent_opted_out');
    expect(ask('transactional', records)).toEqual({
      allowed: true,
      reason: 'consent_implied_by_order',
    });
  });

  it('consent_missing_marketing: a START reply lifts a STOP but is not marketing consent', () => {
    const records = [
      consent({ state: 'opted_out', source: 'keyword', at: '2026-02-01T00:00:00Z' }),
      consent({ state: 'opted_in', source: 'keyword', at: '2026-03-01T00:00:00Z' }),
    ];
    expect(ask('transactional', records)).toEqual({ allowed: true, reason: 'consent_opted_in' });
    expect(ask('marketing', records)).toEqual({
      allowed: false,
      reason: 'consent_missing_marketing',
    });
  });

  it('consent_opted_in: a checkout opt-in to everything covers marketing', () => {
    expect(ask('marketing', [consent({ state: 'opted_in' })])).toEqual({
      allowed: true,
      reason: 'consent_opted_in',
    });
  });

  it('ignores records of another tenant or another contact point', () => {
    const records = [
      consent({ state: 'opted_out', tenantId: 'other-shop' }),
      consent({ state: 'opted_out', contact: '+12125550199' }),
    ];
    expect(ask('transactional', records).allowed).toBe(true);
  });
});
