/**
 * @module Our NetSuite signature (the user event script signs with `N/crypto`):
 * `X-Tidings-Signature` = base64(HMAC-SHA256(secret, `<X-Tidings-Timestamp>.<raw body>`)), the
 * timestamp in Unix seconds within five minutes of our clock.
 */
import { hmacSha256Base64, isFresh, safeEqual } from '@tidings/http';

export const NETSUITE_TOLERANCE_MS = 5 * 60 * 1000;

export const netsuiteSignature = (
  secret: string,
  timestamp: string,
  rawBody: Buffer | string,
): string =>
  hmacSha256Base64(
    secret,
    Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), Buffer.from(rawBody)]),
  );

export const verifyNetsuite = (
  secrets: readonly string[],
  rawBody: Buffer,
  timestamp: string | undefined,
  signature: string | undefined,
  nowMs: number,
): 'ok' | 'missing_signature' | 'bad_signature' | 'stale_request' => {
  if (!timestamp || !signature) return 'missing_signature';
  if (!/^\d{9,11}$/.test(timestamp) || !isFresh(timestamp, nowMs, NETSUITE_TOLERANCE_MS)) {
    return 'stale_request';
  }
  let ok = false;
  for (const s of secrets)
    ok = safeEqual(netsuiteSignature(s, timestamp, rawBody), signature.trim()) || ok;
  return ok ? 'ok' : 'bad_signature';
};
