import { describe, expect, it } from 'vitest';
import { frequencyCapFreesAt } from './frequency-caps.ts';

const cap = { max: 3, hours: 24 };
const at = Date.parse('2026-06-10T16:00:00Z');
const send = (iso: string, cls: 'marketing' | 'transactional' = 'marketing') => ({
  at: iso,
  channel: 'sms' as const,
  class: cls,
});

describe('frequency_cap', () => {
  it('lets a message through while fewer than three marketing sends fall in 24 hours', () => {
    const facts = {
      consents: [],
      recentSends: [
        send('2026-06-10T10:00:00Z'),
        send('2026-06-10T12:00:00Z'),
        send('2026-06-10T13:00:00Z', 'transactional'),
      ],
    };
    expect(frequencyCapFreesAt(at, cap, facts, ['sms'])).toBe(at);
  });

  it('frees the cap 24 hours after the third-newest marketing send', () => {
    const facts = {
      consents: [],
      recentSends: [
        send('2026-06-09T17:00:00Z'),
        send('2026-06-10T08:00:00Z'),
        send('2026-06-10T12:00:00Z'),
        send('2026-06-10T15:00:00Z'),
      ],
    };
    expect(frequencyCapFreesAt(at, cap, facts, ['sms'])).toBe(Date.parse('2026-06-11T08:00:00Z'));
  });
});
