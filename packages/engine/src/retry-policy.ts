/**
 * @module When to try again: exponential backoff with full jitter (a random wait between zero and
 * the exponential cap, which spreads a thundering herd best), never sooner than a provider's
 * `Retry-After`.
 */

export interface RetryPolicy {
  /** The first retry's cap. */
  baseMs: number;
  /** No wait is longer than this. */
  maxMs: number;
  /** Claims after which an intent still failing is parked for an operator. */
  maxAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 2_000, maxMs: 15 * 60_000, maxAttempts: 8 };

/** The wait before attempt `attempt + 1`; `random` is injectable for tests. */
export const backoffMs = (
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number => {
  const cap = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.floor(random() * cap);
  return Math.max(jittered, retryAfterMs ?? 0);
};
