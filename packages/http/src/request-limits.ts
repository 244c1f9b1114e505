/**
 * @module Per-key request limits that answer at once (429 with `Retry-After`) instead of
 * queueing: a token bucket per tenant, so one merchant's flood cannot starve the others.
 */
import { HttpError } from './http-error.ts';

export interface RequestLimit {
  /** Sustained requests per second. */
  perSecond: number;
  /** Requests allowed at once after a quiet spell. */
  burst: number;
}

export interface RequestLimiter {
  /** Takes a token for `key`, or throws 429 `rate_limited` with the wait in `Retry-After`. */
  take(key: string): void;
}

/** A token bucket per key on an injectable monotonic clock (milliseconds). */
export const createRequestLimiter = (
  limit: RequestLimit,
  now: () => number = () => performance.now(),
): RequestLimiter => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
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
      const waitSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
      throw new HttpError('rate_limited', `Too many requests; retry in ${waitSeconds} s.`, {
        headers: { 'retry-after': String(waitSeconds) },
      });
    },
  };
};
