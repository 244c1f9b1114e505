/**
 * @module The OAuth `state` parameter: `<expiry>.<nonce>.<hmac>`, signed with the client secret
 * and bound to the browser that started the install by a cookie holding the nonce.
 */
import { randomBytes } from 'node:crypto';
import { hmacSha256Base64, safeEqual } from '@tidings/http';

export const STATE_COOKIE = 'tidings_hubspot_oauth';
export const STATE_TTL_MS = 10 * 60_000;

const sign = (secret: string, payload: string) =>
  hmacSha256Base64(secret, `hubspot-oauth-state:${payload}`).replace(/=+$/, '');

/** A fresh state and the nonce to set in the cookie. */
export const issueState = (secret: string, now: number): { state: string; nonce: string } => {
  const nonce = randomBytes(18).toString('base64url');
  const payload = `${now + STATE_TTL_MS}.${nonce}`;
  return { state: `${payload}.${sign(secret, payload)}`, nonce };
};

export type StateCheck =
  | { ok: true }
  | { ok: false; code: 'oauth_state_invalid' | 'oauth_state_expired' };

/** Checks the state's signature, its expiry, and that the browser holds its nonce. */
export const checkState = (
  secret: string,
  state: string | undefined,
  cookieNonce: string | undefined,
  now: number,
): StateCheck => {
  const [expiry, nonce, mac, ...rest] = (state ?? '').split('.');
  if (!expiry || !nonce || !mac || rest.length > 0)
    return { ok: false, code: 'oauth_state_invalid' };
  if (!safeEqual(mac, sign(secret, `${expiry}.${nonce}`)))
    return { ok: false, code: 'oauth_state_invalid' };
  if (cookieNonce === undefined || !safeEqual(cookieNonce, nonce))
    return { ok: false, code: 'oauth_state_invalid' };
  if (!(Number(expiry) > now)) return { ok: false, code: 'oauth_state_expired' };
  return { ok: true };
};

/** One cookie's value from a Cookie header. */
export const cookieValue = (header: string | undefined, name: string): string | undefined => {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
};
