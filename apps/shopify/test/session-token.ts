/** @module Signs App Bridge-style session tokens (HS256 with the app's secret) for tests. */
import { createHmac, randomUUID } from 'node:crypto';
import { API_KEY, API_SECRET, SHOP } from './shopify-harness.ts';

const b64url = (v: string | Buffer): string => Buffer.from(v).toString('base64url');

/** A session token as App Bridge issues it; `overrides` replace claims. */
export const sessionToken = (
  overrides: Record<string, unknown> = {},
  secret = API_SECRET,
): string => {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: `https://${SHOP}/admin`,
    dest: `https://${SHOP}`,
    aud: API_KEY,
    sub: '42',
    exp: now + 60,
    nbf: now - 5,
    iat: now - 5,
    jti: randomUUID(),
    sid: 'session-1',
    ...overrides,
  };
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const body = b64url(JSON.stringify(claims));
  const sig = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
};
