/** @module The OAuth 2.0 JWT bearer assertion Salesforce exchanges for an access token (RS256). */
import { createSign } from 'node:crypto';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');

/** A signed assertion: `iss` consumer key, `sub` username, `aud` login URL, valid three minutes. */
export const jwtBearerAssertion = (
  claims: { consumerKey: string; username: string; loginUrl: string },
  privateKeyPem: string,
  now: Date,
): string => {
  const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const payload = b64url(
    JSON.stringify({
      iss: claims.consumerKey,
      sub: claims.username,
      aud: claims.loginUrl,
      exp: Math.floor(now.getTime() / 1000) + 180,
    }),
  );
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKeyPem);
  return `${header}.${payload}.${b64url(signature)}`;
};
