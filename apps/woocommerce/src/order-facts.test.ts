import { describe, expect, it } from 'vitest';
import {
  customerRecipient,
  shipmentOf,
  statusFingerprint,
  toE164,
  toLocale,
  trackingFromMeta,
} from './order-facts.ts';

describe('order facts', () => {
  it('keeps phones that name their country and drops the rest', () => {
    expect(toE164('+33 6 12 34 56 78')).toBe('+33612345678');
    expect(toE164('0044 (20) 7946-0018')).toBe('+442079460018');
    expect(toE164('(555) 555-5555')).toBeUndefined();
    expect(toE164(undefined)).toBeUndefined();
  });

  it('turns WordPress locales into BCP 47 tags', () => {
    expect(toLocale('fr_FR')).toBe('fr-FR');
    expect(toLocale('de_DE_formal')).toBe('de-DE');
    expect(toLocale('en')).toBe('en');
    expect(toLocale('???')).toBeUndefined();
  });

  it('builds a customer only from contacts core will accept', () => {
    expect(
      customerRecipient({ email: 'not-an-email', phone: '555-5555', firstName: 'Ada' }),
    ).toBeUndefined();
    expect(
      customerRecipient({
        email: ' ada@example.com ',
        phone: '+1 415 555 0100',
        firstName: 'Ada',
        lastName: 'Lovelace',
        country: 'us',
        state: 'CA',
        locale: 'en_US',
        customerId: 12,
      }),
    ).toEqual({
      role: 'customer',
      id: '12',
      name: 'Ada Lovelace',
      locale: 'en-US',
      country: 'US',
      region: 'US-CA',
      contacts: { email: 'ada@example.com', sms: '+14155550100' },
    });
  });

  it('reads tracking numbers from the common shipment-tracking meta', () => {
    const tracking = trackingFromMeta([
      { id: 1, key: '_download_permissions_granted', value: 'yes' },
      {
        id: 2,
        key: '_wc_shipment_tracking_items',
        value: [
          { tracking_provider: 'ups', tracking_number: '1Z1', date_shipped: '1700000000' },
          {
            custom_tracking_provider: 'Local Courier',
            custom_tracking_link: 'https://courier.test/2',
            tracking_number: 'LC2',
          },
        ],
      },
      { id: 3, key: '_aftership_tracking_number', value: 'AS3' },
      { id: 4, key: '_aftership_tracking_provider_name', value: 'DHL' },
      { id: 5, key: 'ywot_tracking_code', value: 'LC2' },
    ]);
    expect(tracking).toEqual([
      { number: '1Z1', carrier: 'ups' },
      { number: 'LC2', carrier: 'Local Courier', url: 'https://courier.test/2' },
      { number: 'AS3', carrier: 'DHL' },
    ]);
    expect(shipmentOf(tracking)).toEqual({
      id: 'tracking:AS3',
      trackingNumber: 'AS3',
      carrier: 'DHL',
    });
    expect(shipmentOf([])).toBeUndefined();
  });

  it('fingerprints a status without the wc- prefix', () => {
    expect(statusFingerprint('7', 'wc-completed')).toBe(statusFingerprint('7', 'completed'));
  });
});
