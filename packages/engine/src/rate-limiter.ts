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

/** A token-bucket limiter on an injectable monotonic clock (ms) and sleep. */
export const createRateLimiter = (
  now: () => number = () => performance.now(),
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): RateLimiter => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    async take(key, limit) {
      for (;;) {
        const t = now();
        const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
        bucket.tokens = Math.min(
          limit.burst,
          bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond,
        );
        bucket.at = t;
        buckets.set(key, bucket);
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          return;
        }
        await sleep(((1 - bucket.tokens) / limit.perSecond) * 1000);
      }
    },
  };
};
