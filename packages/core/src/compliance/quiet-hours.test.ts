import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  brokenRules,
  inWindow,
  nextAllowedInstant,
  type TimingRule,
  tenantAllowedWindow,
} from './quiet-hours.ts';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number, zone: string) => DateTime.fromMillis(t, { zone }).toISO();
const rule = (start: string, end: string): TimingRule => ({
  reason: 'quiet_hours_tenant',
  allowed: { start, end },
});

describe('windows', () => {
  it('wraps midnight when start is after end', () => {
    const night = { start: '21:00', end: '08:00' };
    expect(inWindow(22 * 60, night)).toBe(true);
    expect(inWindow(3 * 60, night)).toBe(true);
    expect(inWindow(8 * 60, night)).toBe(false);
    expect(inWindow(20 * 60 + 59, night)).toBe(false);
  });

  it('turns the tenant quiet window into its complement, and never holds critical', () => {
    const settings = { quietHours: {}, explicitConsentChannels: [], restrictedCategories: [] };
    expect(tenantAllowedWindow(settings, 'transactional')).toEqual({
      start: '08:00',
      end: '21:00',
    });
    expect(tenantAllowedWindow(settings, 'critical')).toBeNull();
    expect(
      tenantAllowedWindow({ ...settings, quietHours: { marketing: null } }, 'marketing'),
    ).toBeNull();
  });
});

describe('nextAllowedInstant', () => {
  const ny = ['America/New_York'];

  it('waits out a window that wraps midnight, to the morning in the recipient zone', () => {
    const at = ms('2026-06-11T02:30:00Z'); // 22:30 EDT
    expect(iso(nextAllowedInstant(at, ny, [rule('08:00', '21:00')]), 'America/New_York')).toBe(
      '2026-06-11T08:00:00.000-04:00',
    );
  });

  it('releases an allowed window that itself wraps midnight (night shift 22:00–06:00)', () => {
    const at = ms('2026-06-11T14:00:00Z'); // 10:00 EDT
    expect(iso(nextAllowedInstant(at, ny, [rule('22:00', '06:00')]), 'America/New_York')).toBe(
      '2026-06-11T22:00:00.000-04:00',
    );
  });

  it('crosses the New York spring-forward night (2026-03-08) at 08:00 EDT, not 08:00 EST', () => {
    const at = ms('2026-03-08T04:00:00Z'); // 23:00 EST on the 7th
    const next = nextAllowedInstant(at, ny, [rule('08:00', '21:00')]);
    expect(iso(next, 'America/New_York')).toBe('2026-03-08T08:00:00.000-04:00');
    expect(next).toBe(ms('2026-03-08T12:00:00Z'));
  });

  it('starts a window that opens inside the spring-forward gap at the end of the gap', () => {
    const at = ms('2026-03-08T05:00:00Z'); // 00:00 EST
    const next = nextAllowedInstant(at, ny, [rule('02:30', '05:00')]);
    expect(iso(next, 'America/New_York')).toBe('2026-03-08T03:00:00.000-04:00');
  });

  it('crosses the New York fall-back night (2026-11-01) at 08:00 EST', () => {
    const at = ms('2026-11-01T03:00:00Z'); // 23:00 EDT on 31 Oct
    const next = nextAllowedInstant(at, ny, [rule('08:00', '21:00')]);
    expect(iso(next, 'America/New_York')).toBe('2026-11-01T08:00:00.000-05:00');
    expect(next).toBe(ms('2026-11-01T13:00:00Z'));
  });

  it('opens at the first 01:30 of the fall-back overlap, and again at the second', () => {
    const window = [rule('01:30', '01:45')];
    const first = nextAllowedInstant(ms('2026-11-01T04:00:00Z'), ny, window); // 00:00 EDT
    expect(iso(first, 'America/New_York')).toBe('2026-11-01T01:30:00.000-04:00');
    const second = nextAllowedInstant(ms('2026-11-01T05:50:00Z'), ny, window); // 01:50 EDT
    expect(iso(second, 'America/New_York')).toBe('2026-11-01T01:30:00.000-05:00');
  });

  it('crosses the Paris spring-forward night (2026-03-29) at 08:00 CEST', () => {
    const at = ms('2026-03-28T22:00:00Z'); // 23:00 CET
    const next = nextAllowedInstant(at, ['Europe/Paris'], [rule('08:00', '20:00')]);
    expect(iso(next, 'Europe/Paris')).toBe('2026-03-29T08:00:00.000+02:00');
  });

  it('skips forbidden days to the next allowed morning', () => {
    const sundays: TimingRule = {
      reason: 'jurisdiction_forbidden_day',
      forbiddenDay: (d) => d.weekday === 7,
    };
    const at = ms('2026-06-13T19:00:00Z'); // Saturday 21:00 CEST
    const next = nextAllowedInstant(at, ['Europe/Paris'], [rule('08:00', '20:00'), sundays]);
    expect(iso(next, 'Europe/Paris')).toBe('2026-06-15T08:00:00.000+02:00');
  });

  it('holds in every zone of a split region (Florida on Eastern and Central)', () => {
    const at = ms('2026-06-10T12:30:00Z'); // 08:30 EDT, 07:30 CDT
    const next = nextAllowedInstant(
      at,
      ['America/New_York', 'America/Chicago'],
      [rule('08:00', '20:00')],
    );
    expect(next).toBe(ms('2026-06-10T13:00:00Z'));
  });

  const ZONES = [
    'America/New_York',
    'Europe/Paris',
    'Australia/Sydney',
    'America/St_Johns',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
  ];
  const clock = fc
    .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

  it('always defers into an allowed instant after now, where checking again gives send', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: ms('2026-01-01T00:00:00Z'), max: ms('2027-12-31T00:00:00Z') }),
        fc.constantFrom(...ZONES),
        clock,
        clock,
        fc.boolean(),
        (at, zone, start, end, noSundays) => {
          const rules: TimingRule[] = [rule(start, end)];
          if (noSundays) {
            rules.push({
              reason: 'jurisdiction_forbidden_day',
              forbiddenDay: (d) => d.weekday === 7,
            });
          }
          const next = nextAllowedInstant(at, [zone], rules);
          expect(next).toBeGreaterThanOrEqual(at);
          expect(brokenRules(next, [zone], rules)).toEqual([]);
          expect(nextAllowedInstant(next, [zone], rules)).toBe(next);
          if (next > at) expect(brokenRules(at, [zone], rules).length).toBeGreaterThan(0);
          // The first such instant: a minute earlier (and still after now) is not allowed.
          if (next - 60_000 > at) {
            expect(brokenRules(next - 60_000, [zone], rules).length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
