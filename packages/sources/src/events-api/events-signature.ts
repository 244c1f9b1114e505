/**
 * @module The generic events API's signature: `X-Tidings-Signature: v1=<hex>` where hex is
 * HMAC-SHA256(tenant signing secret, `<X-Tidings-Timestamp>.<raw body>`), the timestamp in Unix
 * seconds within five minutes of our clock; the same signed request twice is a replay.
 */
import { hmacSha256Hex, isFresh, safeEqual } from '@tidings/http';

export const EVENTS_TENANT_HEADER = 'x-tidings-tenant';
export const EVENTS_TIMESTAMP_HEADER = 'x-tidings-timestamp';
export const EVENTS_SIGNATURE_HEADER = 'x-tidings-signature';
export const EVENTS_TOLERANCE_MS = 5 * 60 * 1000;

/** What a caller sends in `X-Tidings-Signature` for `rawBody` signed at `timestamp`. */
export const signEvent = (secret: string, timestamp: string, rawBody: Buffer | string): string =>
  `v1=${hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), Buffer.from(rawBody)]))}`;

export type EventsVerdict = 'ok' | 'missing_signature' | 'bad_signature' | 'stale_request';

/** Checks the timestamp's shape and age, then the signature under each secret. */
export const verifyEventSignature = (
  secrets: readonly string[],
  rawBody: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  nowMs: number,
): EventsVerdict => {
  if (!timestamp || !signature) return 'missing_signature';
  if (!/^\d{9,11}$/.test(timestamp) || !isFresh(timestamp, nowMs, EVENTS_TOLERANCE_MS)) {
    return 'stale_request';
  }
  let ok = false;
  for (const s of secrets) ok = safeEqual(signEvent(s, timestamp, rawBody), signature.trim()) || ok;
  return ok ? 'ok' : 'bad_signature';
};

/**
 * Signatures seen within the tolerance window, so a captured request cannot be replayed while
 * its timestamp is still fresh. Per process; the event id dedupe covers the rest.
 */
export const createReplayGuard = (maxEntries = 100_000) => {
  const seen = new Map<string, number>();
  return {
    /** True the first time a signature is seen within the window. */
    first(signature: string, nowMs: number): boolean {
      for (const [sig, until] of seen) {
        if (until > nowMs && seen.size < maxEntries) break;
        seen.delete(sig);
      }
      if ((seen.get(signature) ?? 0) > nowMs) return false;
      seen.set(signature, nowMs + 2 * EVENTS_TOLERANCE_MS);
      return true;
    },
  };
};
