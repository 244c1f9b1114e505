import { describe, expect, it } from 'vitest';
import { orderEvent } from '../testing/events.ts';
import { stateAfter } from './candidate-builder.ts';
import { ftcDelayNotice } from './ftc-mail-order.ts';

const delay = (promisedDate?: string, order: { promisedDate?: string; placedAt?: string } = {}) =>
  orderEvent({
    status: 'delayed',
    overlay: { kind: 'delayed', reason: 'inventory', ...(promisedDate ? { promisedDate } : {}) },
    order: { number: '#1001', ...order },
  });
const now = '2026-06-10T16:00:00Z';

describe('ftcDelayNotice (16 CFR 435.2(b))', () => {
  it('ftc_delay_deemed_consent: a definite date ≤ 30 days late lets silence count as consent', () => {
    const e = delay('2026-07-10', { promisedDate: '2026-06-12' });
    expect(ftcDelayNotice(e, stateAfter(e), now)).toEqual({
      revisedDate: '2026-07-10',
      cancelOption: true,
      requiresConsent: false,
      renewed: false,
      reason: 'ftc_delay_deemed_consent',
    });
  });

  it('ftc_delay_consent_required: more than 30 days late needs the customer’s express consent', () => {
    const e = delay('2026-07-20', { promisedDate: '2026-06-12' });
    expect(ftcDelayNotice(e, stateAfter(e), now)).toMatchObject({
      requiresConsent: true,
      reason: 'ftc_delay_consent_required',
    });
  });

  it('measures from 30 days after the order when no time was promised (435.1(a)(1))', () => {
    const e = delay('2026-07-20', { placedAt: '2026-06-01T10:00:00Z' });
    expect(ftcDelayNotice(e, stateAfter(e), now).requiresConsent).toBe(false);
  });

  it('ftc_delay_date_unknown: no revised date says so and needs consent', () => {
    const e = delay(undefined, { promisedDate: '2026-06-12' });
    expect(ftcDelayNotice(e, stateAfter(e), now)).toMatchObject({
      revisedDate: 'unknown',
      requiresConsent: true,
      reason: 'ftc_delay_date_unknown',
    });
  });

  it('ftc_delay_renewed: a second delay past an earlier revised date is a renewed option', () => {
    const first = delay('2026-06-05', { promisedDate: '2026-06-01' });
    const second = delay('2026-06-20', { promisedDate: '2026-06-01' });
    const state = stateAfter(first, second);
    expect(ftcDelayNotice(second, state, now)).toEqual({
      revisedDate: '2026-06-20',
      cancelOption: true,
      requiresConsent: true,
      renewed: true,
      reason: 'ftc_delay_renewed',
    });
  });
});
