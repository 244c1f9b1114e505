/**
 * @module How SAP Event Mesh proves itself to us. Basic: the webhook's user and password. OAuth
 * client credentials: Event Mesh fetches a token from `POST /sources/sap/:tenantId/oauth/token`
 * (client id and secret as Basic or form fields) and sends it as `Bearer`; the token is a signed,
 * expiring statement of the tenant, so nothing needs storing.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '@tidings/http';
import { basicAuthMatches } from '../shared/basic-auth.ts';
import type { SapCredential } from './sap-credential.ts';

type Inbound = SapCredential['inbound'];

const b64url = (s: string | Buffer): string => Buffer.from(s).toString('base64url');
const mac = (secret: string, payload: string): string =>
  createHmac('sha256', secret).update(payload).digest('base64url');

/** A bearer token for `tenantId`, valid `ttlSeconds` from `nowMs`. */
export const issueSapToken = (
  tenantId: string,
  secret: string,
  nowMs: number,
  ttlSeconds: number,
): string => {
  const payload = b64url(
    JSON.stringify({ t: tenantId, exp: Math.floor(nowMs / 1000) + ttlSeconds }),
  );
  return `v1.${payload}.${mac(secret, payload)}`;
};

const bearerValid = (token: string, tenantId: string, secret: string, nowMs: number): boolean => {
  const [version, payload, signature] = token.split('.');
  if (version !== 'v1' || !payload || !signature) return false;
  if (!safeEqual(mac(secret, payload), signature)) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      t?: unknown;
      exp?: unknown;
    };
    return claims.t === tenantId && typeof claims.exp === 'number' && claims.exp * 1000 > nowMs;
  } catch {
    return false;
  }
};

/** Whether the request's Authorization header satisfies the tenant's inbound setting. */
export const sapInboundAllowed = (
  inbound: Inbound,
  authorization: string | undefined,
  tenantId: string,
  nowMs: number,
): boolean => {
  switch (inbound.kind) {
    case 'basic':
      return basicAuthMatches(authorization, inbound.username, inbound.password);
    case 'oauth': {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
      return token !== undefined && bearerValid(token, tenantId, inbound.clientSecret, nowMs);
    }
    default:
      return inbound satisfies never;
  }
};

/** The client credentials of a token request: Basic header first, else form fields. */
export const clientCredentialsOf = (
  authorization: string | undefined,
  form: Record<string, unknown>,
): { clientId: string; clientSecret: string } | undefined => {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '')?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    if (at < 0) return undefined;
    return {
      clientId: decodeURIComponent(decoded.slice(0, at)),
      clientSecret: decodeURIComponent(decoded.slice(at + 1)),
    };
  }
  const { client_id: id, client_secret: secret } = form;
  return typeof id === 'string' && typeof secret === 'string'
    ? { clientId: id, clientSecret: secret }
    : undefined;
};
