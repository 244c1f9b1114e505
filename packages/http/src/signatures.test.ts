import { describe, expect, it } from 'vitest';
import { hmacSha256Base64, hmacSha256Hex, isFresh, safeEqual } from './signatures.ts';

describe('signatures', () => {
  it('computes the RFC 4231 test case 2 HMAC-SHA256', () => {
    expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(hmacSha256Base64('Jefe', 'what do ya want for nothing?')).toBe(
      'W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=',
    );
  });

  it('compares in constant time and rejects different lengths', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('accepts timestamps in seconds, milliseconds or ISO within the tolerance, both sides', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(isFresh('1795867200', now, 300_000)).toBe(true);
    expect(isFresh(String(now - 299_000), now, 300_000)).toBe(true);
    expect(isFresh(String(now + 299_000), now, 300_000)).toBe(true);
    expect(isFresh(String(now - 301_000), now, 300_000)).toBe(false);
    expect(isFresh('2026-11-28T11:56:00Z', now, 300_000)).toBe(true);
    expect(isFresh('yesterday', now, 300_000)).toBe(false);
    expect(isFresh('', now, 300_000)).toBe(false);
  });
});
