/**
 * @module The Tidings signing scheme for Salesforce: `X-Tidings-Signature: v1=<hex>`, the
 * lower-case hex HMAC-SHA256 of the raw body under the org's secret. The body carries `sentAt`, so
 * the timestamp is signed with it (Salesforce's credential formula sees the body but no clock).
 */
import { hmacSha256Hex, isFresh, safeEqual } from '@tidings/http';

export const SIGNATURE_HEADER = 'x-tidings-signature';
export const ORG_HEADER = 'x-tidings-org-id';
export const SIGNATURE_SCHEME = 'v1';
/** How far `sentAt` may be from our clock, either way. */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000;

const SIGNATURE = /^v1=[0-9a-f]{64}$/;

/** The header value for `rawBody` signed with `secret`, exactly as Salesforce computes it. */
export const signBody = (secret: string, rawBody: string | Buffer): string =>
  `${SIGNATURE_SCHEME}=${hmacSha256Hex(secret, rawBody)}`;

export type SignatureCheck =
  | { ok: true }
  | { ok: false; code: 'missing_signature' | 'bad_signature'; message: string };

/** Checks a signature header against the raw body in constant time. */
export const verifySignature = (
  header: string | undefined,
  secret: string,
  rawBody: Buffer,
): SignatureCheck => {
  if (!header) {
    return { ok: false, code: 'missing_signature', message: 'X-Tidings-Signature is missing.' };
  }
  if (!SIGNATURE.test(header)) {
    return {
      ok: false,
      code: 'bad_signature',
      message: 'X-Tidings-Signature must be "v1=" followed by 64 lower-case hex digits.',
    };
  }
  return safeEqual(header, signBody(secret, rawBody))
    ? { ok: true }
    : { ok: false, code: 'bad_signature', message: 'The signature does not match the body.' };
};

/** Whether `sentAt` is inside the replay window around `now`. */
export const isWithinReplayWindow = (sentAt: string, now: Date): boolean =>
  isFresh(sentAt, now.getTime(), REPLAY_WINDOW_MS);

/**
 * Signatures seen inside the replay window, so a captured request sent again is refused (409).
 * Per process; the durable guard is ingest's dedupe on `orderId:status:LastModifiedDate`.
 */
export const createReplayGuard = (maxEntries = 50_000) => {
  const seen = new Map<string, number>();
  return {
    /** Records the signature; false when it was already seen inside the window. */
    firstSighting(signature: string, now: Date): boolean {
      const at = now.getTime();
      for (const [key, expires] of seen) {
        if (expires > at && seen.size < maxEntries) break;
        seen.delete(key);
      }
      const expires = seen.get(signature);
      if (expires !== undefined && expires > at) return false;
      seen.set(signature, at + 2 * REPLAY_WINDOW_MS);
      return true;
    },
  };
};
