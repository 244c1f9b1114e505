/**
 * @module `MessageBird-Signature-JWT`: an HS256/384/512 JWT signed with the signing key whose
 * claims bind the request (issuer, validity window, jti, url_hash, payload_hash), as in
 * messagebird/go-rest-api `signature_jwt`.
 */
import { createHash, createHmac } from 'node:crypto';
import { safeEqual } from '../signatures/constant-time.ts';

const ALGORITHMS = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' } as const;
/** The SDK allows one second of clock skew on nbf/exp. */
const LEEWAY_S = 1;

export type JwtRejection =
  | 'malformed'
  | 'algorithm'
  | 'signature'
  | 'issuer'
  | 'not_yet_valid'
  | 'expired'
  | 'jti'
  | 'url_hash'
  | 'payload_hash';

const sha256Hex = (data: Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex');

const decodePart = (part: string): Record<string, unknown> | undefined => {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** Checks the JWT against the request it arrived with; `ok: false` says which claim failed. */
export const verifyMessagebirdJwt = (input: {
  token: string | undefined;
  signingKey: string;
  url: string;
  body: Uint8Array | string;
  now: Date;
}): { ok: true } | { ok: false; reason: JwtRejection } => {
  const parts = (input.token ?? '').split('.');
  const [head, claimsPart, sig] = parts;
  if (
    parts.length !== 3 ||
    head === undefined ||
    claimsPart === undefined ||
    sig === undefined ||
    input.signingKey === ''
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const header = decodePart(head);
  const claims = decodePart(claimsPart);
  if (header === undefined || claims === undefined) return { ok: false, reason: 'malformed' };
  const alg =
    typeof header.alg === 'string' && header.alg in ALGORITHMS
      ? ALGORITHMS[header.alg as keyof typeof ALGORITHMS]
      : undefined;
  if (alg === undefined) return { ok: false, reason: 'algorithm' };
  const expected = createHmac(alg, input.signingKey)
    .update(`${head}.${claimsPart}`)
    .digest('base64url');
  if (!safeEqual(expected, sig)) return { ok: false, reason: 'signature' };
  if (claims.iss !== 'MessageBird') return { ok: false, reason: 'issuer' };
  const now = input.now.getTime() / 1000;
  if (typeof claims.nbf === 'number' && claims.nbf > now + LEEWAY_S)
    return { ok: false, reason: 'not_yet_valid' };
  if (typeof claims.exp === 'number' && claims.exp < now - LEEWAY_S)
    return { ok: false, reason: 'expired' };
  if (typeof claims.jti !== 'string' || claims.jti === '') return { ok: false, reason: 'jti' };
  if (typeof claims.url_hash !== 'string' || !safeEqual(claims.url_hash, sha256Hex(input.url))) {
    return { ok: false, reason: 'url_hash' };
  }
  const hasBody = input.body.length > 0;
  const payloadHash = claims.payload_hash;
  // payload_hash must be present exactly when there is a body, and match it.
  if (hasBody !== (typeof payloadHash === 'string')) return { ok: false, reason: 'payload_hash' };
  if (typeof payloadHash === 'string' && !safeEqual(payloadHash, sha256Hex(input.body)))
    return { ok: false, reason: 'payload_hash' };
  return { ok: true };
};
