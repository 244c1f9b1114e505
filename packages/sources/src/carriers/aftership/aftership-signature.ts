/**
 * @module AfterShip's webhook signature: `aftership-hmac-sha256` is base64(HMAC-SHA256(webhook
 * secret, raw body)) (aftership.com/docs/tracking/webhook/webhook-signature).
 */
import { hmacSha256Base64, safeEqual } from '@tidings/http';

export const AFTERSHIP_SIGNATURE_HEADER = 'aftership-hmac-sha256';

/** The header value AfterShip sends for `rawBody` under `secret`. */
export const aftershipSignature = (secret: string, rawBody: Buffer | string): string =>
  hmacSha256Base64(secret, rawBody);

/** Whether `header` is the signature of `rawBody` under any of `secrets` (current, previous). */
export const verifyAftership = (
  secrets: readonly string[],
  rawBody: Buffer,
  header: string | undefined,
): 'ok' | 'missing_signature' | 'bad_signature' => {
  if (header === undefined || header.trim() === '') return 'missing_signature';
  let ok = false;
  // Every secret is tried, so the time taken does not say which one matched.
  for (const s of secrets) ok = safeEqual(aftershipSignature(s, rawBody), header.trim()) || ok;
  return ok ? 'ok' : 'bad_signature';
};
