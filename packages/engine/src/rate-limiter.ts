/**
 * @module Token buckets per provider account, so a burst of 10 000 orders drains at the
 * provider's pace instead of failing with 429s.
 */

export interface RateLimit {
  /** Sustained messages per second. */
  perSecond: number;
  /** How many may go at once after a quiet spell. */
  burst: number;
}

export interface RateLimiter {
  /** Resolves when a token is available for `key` (waits, never rejects). */
  take(key: string, limit: RateLimit): Promise<void>;
}

/**
 * A token-bucket limiter on an injectable monotonic clock (ms) and sleep. A taker reserves its
 * token at once (the bucket may go below zero) and sleeps until that token is due, so the slots
 * are fixed when taken: a timer that fires late delays that one send but not the ones after it.
 * (Sleeping first and taking on waking, as this once did, lost each wake-up's lateness to the
 * burst cap: 100/s with burst 1 ran at 95/s on a busy machine.) This is how Go's
 * `x/time/rate` waits, and it has the same edge: sends whose timers fired late go together, so
 * a window may see one timer's lateness worth of sends above `burst + rate × window`.
 */
export const createRateLimiter = (
  now: () => number = () => performance.now(),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): RateLimiter => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(key, limit) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = { tokens: limit.burst, at: t };
        buckets.set(key, bucket);
      }
      // Refill for the time passed; only a bucket at rest is capped at the burst.
      bucket.tokens = Math.min(
        limit.burst,
        bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond,
      );
      bucket.at = t;
      bucket.tokens -= 1;
      if (bucket.tokens >= 0) return;
      await sleep((-bucket.tokens / limit.perSecond) * 1000);
    },
  };
};
