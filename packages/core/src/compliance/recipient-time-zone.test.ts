import { describe, expect, it } from 'vitest';
import { nyCustomer } from './candidate-builder.ts';
import { recipientTimeZone } from './recipient-time-zone.ts';

describe('recipientTimeZone', () => {
  it('prefers the recipient’s own zone', () => {
    expect(recipientTimeZone(nyCustomer({ timeZone: 'America/Denver' }), 'UTC')).toEqual({
      zone: 'America/Denver',
      source: 'recipient',
      zones: ['America/Denver'],
    });
  });

  it('falls back to the shipping region, listing every zone of a split state', () => {
    expect(recipientTimeZone(nyCustomer({ region: 'US-CA' }), 'UTC').zone).toBe(
      'America/Los_Angeles',
    );
    expect(recipientTimeZone(nyCustomer({ region: 'US-FL' }), 'UTC')).toEqual({
      zone: 'America/New_York',
      source: 'region',
      zones: ['America/New_York', 'America/Chicago'],
    });
    expect(recipientTimeZone(nyCustomer({ region: 'CA-BC' }), 'UTC').zone).toBe(
      'America/Vancouver',
    );
    expect(recipientTimeZone(nyCustomer({ region: 'AU-WA' }), 'UTC').zone).toBe('Australia/Perth');
  });

  it('uses the country, then the phone number’s country, only when it has one zone', () => {
    expect(
      recipientTimeZone({ role: 'customer', country: 'DE', contacts: {} }, 'UTC'),
    ).toMatchObject({
      zone: 'Europe/Berlin',
      source: 'country',
    });
    expect(
      recipientTimeZone({ role: 'customer', contacts: { sms: '+33612345678' } }, 'UTC'),
    ).toMatchObject({ zone: 'Europe/Paris', source: 'phone' });
    expect(
      recipientTimeZone({ role: 'customer', contacts: { sms: '+12125550100' } }, 'America/Chicago'),
    ).toEqual({ zone: 'America/Chicago', source: 'tenant', zones: ['America/Chicago'] });
  });

  it('falls back to the tenant zone when nothing is known', () => {
    expect(recipientTimeZone(undefined, 'Europe/Madrid').source).toBe('tenant');
  });
});
