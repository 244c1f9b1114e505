import { describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimit } from './rate-limiter.ts';

/**
 * Virtual time: sleepers wake in time order, each `lateMs` after it asked for, the way timers on
 * a busy event loop do; `run` advances the clock until nobody sleeps.
 */
const virtualTime = (lateMs: number) => {
  let t = 0;
  const sleepers: { at: number; wake: () => void }[] = [];
  const settle = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  return {
    now: () => t,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        sleepers.push({ at: t + ms + lateMs, wake });
      }),
    run: async () => {
      for (;;) {
        await settle();
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers.shift();
        if (!next) return;
        t = Math.max(t, next.at);
        next.wake();
      }
    },
  };
};

/** Runs `takers` callers that each take `each` tokens; returns every take's time. */
const takeAll = async (limit: RateLimit, takers: number, each: number, lateMs: number) => {
  const time = virtualTime(lateMs);
  const limiter = createRateLimiter(time.now, time.sleep);
  const at: number[] = [];
  const taker = async () => {
    for (let i = 0; i < each; i++) {
      await limiter.take('account', limit);
      at.push(time.now());
    }
  };
  const done = Promise.all(Array.from({ length: takers }, taker));
  await time.run();
  await done;
  return at.sort((a, b) => a - b);
};

describe('createRateLimiter', () => {
  it('lets the burst through at once, then paces at the rate', async () => {
    const at = await takeAll({ perSecond: 100, burst: 10 }, 1, 110, 0);
    expect(at.slice(0, 10)).toEqual(Array(10).fill(0));
    // The 100 after the burst take one second.
    expect(at.at(-1)).toBeCloseTo(1_000, 6);
  });

  it('keeps the rate when every timer fires late (burst 1)', async () => {
    // Half a millisecond late on a 10 ms interval: the old take-on-waking lost 5 %.
    const at = await takeAll({ perSecond: 100, burst: 1 }, 1, 1_001, 0.5);
    const rate = ((at.length - 1) / ((at.at(-1) ?? 0) - (at[0] ?? 0))) * 1_000;
    expect(Math.abs(rate - 100) / 100).toBeLessThan(0.001);
  });

  it('shares one rate among concurrent takers, late timers or not', async () => {
    for (const lateMs of [0, 0.3]) {
      const at = await takeAll({ perSecond: 1_000, burst: 10 }, 8, 250, lateMs);
      const paced = at.slice(10);
      const rate = ((paced.length - 1) / ((paced.at(-1) ?? 0) - (paced[0] ?? 0))) * 1_000;
      expect(Math.abs(rate - 1_000) / 1_000).toBeLessThan(0.002);
    }
  });

  it('never lets more than the burst through in any window', async () => {
    const limit = { perSecond: 50, burst: 5 };
    const at = await takeAll(limit, 4, 50, 0.7);
    // In any window of w ms at most burst + w × rate takes.
    for (let i = 0; i < at.length; i++) {
      for (let j = i; j < at.length; j++) {
        const w = (at[j] ?? 0) - (at[i] ?? 0);
        expect(j - i + 1).toBeLessThanOrEqual(limit.burst + (w / 1_000) * limit.perSecond + 1e-9);
      }
    }
  });

  it('keeps accounts apart', async () => {
    const time = virtualTime(0);
    const limiter = createRateLimiter(time.now, time.sleep);
    const limit = { perSecond: 1, burst: 1 };
    await limiter.take('a', limit);
    await limiter.take('b', limit);
    expect(time.now()).toBe(0);
    const third = limiter.take('a', limit);
    await time.run();
    await third;
    expect(time.now()).toBe(1_000);
  });
});
