import { describe, expect, it } from 'vitest';
import { createReplayCache } from './replay-cache.ts';

describe('the replay cache', () => {
  it('remembers a key for its window, then forgets it', () => {
    const cache = createReplayCache(1000);
    expect(cache.seen('a', 0)).toBe(false);
    expect(cache.seen('a', 999)).toBe(true);
    expect(cache.seen('a', 2500)).toBe(false);
  });

  it('never grows past its bound', () => {
    const cache = createReplayCache(60_000, 100);
    for (let i = 0; i < 1000; i++) cache.seen(`k${i}`, i);
    expect(cache.size()).toBeLessThanOrEqual(101);
  });
});
