/**
 * @module Zendesk webhook signing (sources.md §5.2): `X-Zendesk-Webhook-Signature` is
 * base64(HMAC-SHA256(signing secret, `X-Zendesk-Webhook-Signature-Timestamp` + raw body)), no
 * separator. Zendesk states no replay window, so Tidings enforces its own and dedupes the rest.
 */
import { hmacSha256Base64, isFresh, safeEqual } from '@tidings/http';

export const SIGNATURE_HEADER = 'x-zendesk-webhook-signature';
export const TIMESTAMP_HEADER = 'x-zendesk-webhook-signature-timestamp';

/** How far a signing timestamp may be from our clock, either side. */
export const DEFAULT_TOLERANCE_MS = 5 * 60 * 1000;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; code: 'missing_signature' | 'stale_request' | 'bad_signature'; message: string };

/** The signature Zendesk sends for `rawBody` signed at `timestamp` (also what tests sign with). */
export const zendeskSignature = (secret: string, timestamp: string, rawBody: Buffer): string =>
  hmacSha256Base64(secret, Buffer.concat([Buffer.from(timestamp, 'utf8'), rawBody]));

const header = (headers: Readonly<Record<string, unknown>>, name: string): string | undefined => {
  const v = headers[name];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
};

/**
 * Verifies a delivery. `secrets` may hold more than one (the current and, during a reset, the
 * previous); every one is compared, so timing does not reveal which matched.
 */
export const verifyZendeskSignature = (
  headers: Readonly<Record<string, unknown>>,
  rawBody: Buffer,
  secrets: readonly string[],
  now: number,
  toleranceMs = DEFAULT_TOLERANCE_MS,
): SignatureCheck => {
  const signature = header(headers, SIGNATURE_HEADER);
  const timestamp = header(headers, TIMESTAMP_HEADER);
  if (!signature || !timestamp) {
    return {
      ok: false,
      code: 'missing_signature',
      message:
        'X-Zendesk-Webhook-Signature and X-Zendesk-Webhook-Signature-Timestamp are required.',
    };
  }
  if (!isFresh(timestamp, now, toleranceMs)) {
    return {
      ok: false,
      code: 'stale_request',
      message: `The signature timestamp is more than ${Math.round(toleranceMs / 1000)} s from our clock.`,
    };
  }
  let matched = false;
  for (const secret of secrets) {
    if (safeEqual(zendeskSignature(secret, timestamp, rawBody), signature)) matched = true;
  }
  return matched
    ? { ok: true }
    : { ok: false, code: 'bad_signature', message: 'The webhook signature does not match.' };
};
