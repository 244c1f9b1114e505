/**
 * @module HubSpot request signatures: v3 (HMAC-SHA256 over method, URI, raw body and timestamp,
 * base64, 5-minute window) verified in constant time, and v2 (SHA-256 hex) only when allowed.
 * The SDK's `Signature.isValid` compares with `===`, so it is not used (sources.md §4.2).
 */
import { createHash } from 'node:crypto';
import { hmacSha256Base64, isFresh, safeEqual } from '@tidings/http';

/** HubSpot rejects, and so do we, a v3 timestamp more than five minutes away from now. */
export const HUBSPOT_SIGNATURE_MAX_AGE_MS = 300_000;

export const SIGNATURE_ERROR_CODES = [
  'missing_signature',
  'stale_request',
  'bad_signature',
] as const;
export type SignatureErrorCode = (typeof SIGNATURE_ERROR_CODES)[number];

export type SignatureCheck =
  | { ok: true; version: 'v3' | 'v2' }
  | { ok: false; error: { code: SignatureErrorCode; message: string } };

/** What verification needs from a request; header names are lower-case as Node gives them. */
export interface SignedRequest {
  method: string;
  /** The full URL HubSpot called: scheme, host, path and query as sent. */
  uri: string;
  rawBody: Buffer;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface VerifyOptions {
  clientSecret: string;
  now: number;
  /**
   * Accept the older `X-HubSpot-Signature` v2 (no timestamp, so no replay window) when no v3
   * header is present. Off unless configured; `callbackId` dedupe still stops double sends.
   */
  allowV2?: boolean;
}

// HubSpot asks for these percent-encodings to be decoded in the URI before hashing (v3 docs).
const DECODED: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** The URI as HubSpot hashes it: the listed percent-encodings decoded, nothing else touched. */
export const hubspotSignedUri = (uri: string): string =>
  uri.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (m) => DECODED[m.toUpperCase()] ?? m);

/** The v3 signature HubSpot would send for this request (also what tests sign with). */
export const hubspotSignatureV3 = (
  clientSecret: string,
  method: string,
  uri: string,
  rawBody: Buffer | string,
  timestamp: string,
): string =>
  hmacSha256Base64(
    clientSecret,
    Buffer.concat([
      Buffer.from(method.toUpperCase() + uri, 'utf8'),
      typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody,
      Buffer.from(timestamp, 'utf8'),
    ]),
  );

/** The v2 signature: SHA-256 hex of client secret + method + URI + body. */
export const hubspotSignatureV2 = (
  clientSecret: string,
  method: string,
  uri: string,
  rawBody: Buffer | string,
): string =>
  createHash('sha256')
    .update(Buffer.from(clientSecret + method.toUpperCase() + uri, 'utf8'))
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .digest('hex');

const header = (req: SignedRequest, name: string): string | undefined => {
  const value = req.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
};

const fail = (code: SignatureErrorCode, message: string): SignatureCheck => ({
  ok: false,
  error: { code, message },
});

/** Whether any of the URI's accepted spellings carries the given signature (constant-time each). */
const matchesAny = (given: string, candidates: (uri: string) => string, uri: string): boolean => {
  const spellings = [...new Set([uri, hubspotSignedUri(uri)])];
  let matched = false;
  for (const spelling of spellings) {
    if (safeEqual(candidates(spelling), given)) matched = true;
  }
  return matched;
};

/** Verifies a request from HubSpot; every failure has a stable code and names no secret. */
export const verifyHubspotRequest = (
  req: SignedRequest,
  options: VerifyOptions,
): SignatureCheck => {
  const v3 = header(req, 'x-hubspot-signature-v3');
  if (v3 !== undefined) {
    const timestamp = header(req, 'x-hubspot-request-timestamp');
    if (timestamp === undefined || !/^\d{10,16}$/.test(timestamp)) {
      return fail('missing_signature', 'X-HubSpot-Request-Timestamp is missing or not a number.');
    }
    if (!isFresh(timestamp, options.now, HUBSPOT_SIGNATURE_MAX_AGE_MS)) {
      return fail('stale_request', 'The request timestamp is more than five minutes away.');
    }
    const ok = matchesAny(
      v3,
      (uri) => hubspotSignatureV3(options.clientSecret, req.method, uri, req.rawBody, timestamp),
      req.uri,
    );
    return ok
      ? { ok: true, version: 'v3' }
      : fail('bad_signature', 'X-HubSpot-Signature-v3 does not match the request.');
  }
  const v2 = header(req, 'x-hubspot-signature');
  const version = header(req, 'x-hubspot-signature-version');
  if (v2 !== undefined && version === 'v2' && options.allowV2) {
    const ok = matchesAny(
      v2.toLowerCase(),
      (uri) => hubspotSignatureV2(options.clientSecret, req.method, uri, req.rawBody),
      req.uri,
    );
    return ok
      ? { ok: true, version: 'v2' }
      : fail('bad_signature', 'X-HubSpot-Signature (v2) does not match the request.');
  }
  return fail(
    'missing_signature',
    'X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are required.',
  );
};
