import { describe, expect, it } from 'vitest';
import { nyCustomer } from './candidate-builder.ts';
import {
  isEeaCountry,
  isFrenchPublicHoliday,
  jurisdictionRules,
  recipientJurisdiction,
} from './jurisdictions.ts';

describe('jurisdictions', () => {
  it('reads the jurisdiction from region, country, then phone', () => {
    expect(recipientJurisdiction(nyCustomer({ region: 'US-FL' }))).toEqual({
      country: 'US',
      region: 'US-FL',
    });
    expect(recipientJurisdiction({ role: 'customer', contacts: { sms: '+33612345678' } })).toEqual({
      country: 'FR',
    });
  });

  it('stacks a state’s rules on the federal ones', () => {
    expect(jurisdictionRules({ country: 'US', region: 'US-FL' }).map((r) => r.id)).toEqual([
      'US',
      'US-FL',
    ]);
    expect(jurisdictionRules({ country: 'US', region: 'US-OK' })[1]?.frequencyCap).toEqual({
      max: 3,
      hours: 24,
    });
    expect(jurisdictionRules({ country: 'DE' })).toEqual([]);
  });

  it('knows the French public holidays, fixed and movable', () => {
    expect(isFrenchPublicHoliday({ year: 2026, month: 7, day: 14 })).toBe(true);
    expect(isFrenchPublicHoliday({ year: 2026, month: 4, day: 6 })).toBe(true); // Easter Monday
    expect(isFrenchPublicHoliday({ year: 2026, month: 5, day: 14 })).toBe(true); // Ascension
    expect(isFrenchPublicHoliday({ year: 2026, month: 5, day: 25 })).toBe(true); // Whit Monday
    expect(isFrenchPublicHoliday({ year: 2026, month: 7, day: 15 })).toBe(false);
  });

  it('treats EU and EEA countries as covered by EU consumer law', () => {
    expect(isEeaCountry('FR')).toBe(true);
    expect(isEeaCountry('NO')).toBe(true);
    expect(isEeaCountry('GB')).toBe(false);
    expect(isEeaCountry(undefined)).toBe(false);
  });
});
