import { describe, expect, it } from 'vitest';
import { shipmentEvent } from '../testing/events.ts';
import { stateAfter } from './candidate-builder.ts';
import { euWithdrawalDeadline } from './eu-withdrawal.ts';

const paris = 'Europe/Paris';

describe('euWithdrawalDeadline (Directive 2011/83/EU art. 9(2)(b))', () => {
  it('eu_withdrawal_notice: counts 14 days from the delivery day in the recipient zone', () => {
    // 23:30 UTC on 9 June is 10 June in Paris.
    const state = stateAfter(
      shipmentEvent('s1', { status: 'delivered', occurredAt: '2026-06-09T23:30:00Z' }),
    );
    expect(euWithdrawalDeadline(state, 'FR', paris)).toBe('2026-06-24');
  });

  it('counts from the last of several shipments, and waits until all are delivered', () => {
    const s1 = shipmentEvent('s1', { status: 'delivered', occurredAt: '2026-06-02T10:00:00Z' });
    const s2 = shipmentEvent('s2', { status: 'in_transit', occurredAt: '2026-06-03T10:00:00Z' });
    const s2Done = shipmentEvent('s2', { status: 'delivered', occurredAt: '2026-06-08T10:00:00Z' });
    expect(euWithdrawalDeadline(stateAfter(s1, s2), 'DE', 'Europe/Berlin')).toBeNull();
    expect(euWithdrawalDeadline(stateAfter(s1, s2, s2Done), 'DE', 'Europe/Berlin')).toBe(
      '2026-06-22',
    );
  });

  it('moves a deadline that falls on a weekend to the Monday (Regulation 1182/71)', () => {
    const state = stateAfter(
      shipmentEvent('s1', { status: 'delivered', occurredAt: '2026-06-06T10:00:00Z' }),
    );
    expect(euWithdrawalDeadline(state, 'FR', paris)).toBe('2026-06-22');
  });

  it('is null outside the EU/EEA', () => {
    const state = stateAfter(
      shipmentEvent('s1', { status: 'delivered', occurredAt: '2026-06-09T10:00:00Z' }),
    );
    expect(euWithdrawalDeadline(state, 'US', 'America/New_York')).toBeNull();
    expect(euWithdrawalDeadline(state, undefined, paris)).toBeNull();
  });
});
