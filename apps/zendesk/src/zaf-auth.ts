/**
 * @module How the sidebar app proves who calls `/zendesk/app/*`, the Zendesk way: the app calls
 * `client.request({ jwt: { algorithm: 'HS256', secret_key: '{{setting.shared_secret}}', … } })`,
 * and Zendesk's proxy signs the claims with the installation's secure setting, which agents never
 * see (hosts.md §3.1: secure parameter scope `jwt_secret_key`). We verify with the same secret,
 * stored per subdomain as `appSecret`. The token's `iss` names the subdomain whose secret must verify.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '@tidings/http';

/** The audience the sidebar puts in every token. */
export const ZAF_AUDIENCE = 'tidings';
/** Longest lifetime accepted, whatever `exp` says (the app asks for 5 minutes). */
export const ZAF_MAX_LIFETIME_S = 3600;

export interface ZafClaims {
  /** The Zendesk subdomain (tenant). */
  subdomain: string;
  /** The agent's Zendesk user id. */
  agentId: string;
  agentName?: string;
}

export type ZafAuth =
  | { ok: true; claims: ZafClaims }
  | { ok: false; code: 'unauthorized' | 'stale_request'; message: string };

const b64url = (buf: Buffer): string => buf.toString('base64url');
const json = (part: string): unknown => {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
};
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const idText = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

/** Signs claims as Zendesk's proxy does (tests and local runs). */
export const signZafToken = (claims: Record<string, unknown>, secret: string): string => {
  const head = b64url(Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })));
  const body = b64url(Buffer.from(JSON.stringify(claims)));
  const sig = b64url(createHmac('sha256', secret).update(`${head}.${body}`).digest());
  return `${head}.${body}.${sig}`;
};

const deny = (message: string): ZafAuth => ({ ok: false, code: 'unauthorized', message });

/** Verifies a sidebar token; `secretFor` returns the subdomain's app secret (or undefined). */
export const verifyZafToken = async (
  authorization: string | undefined,
  secretFor: (subdomain: string) => Promise<string | undefined>,
  nowMs: number,
): Promise<ZafAuth> => {
  const token = authorization?.match(/^Bearer\s+([\w-]+\.[\w-]+\.[\w-]+)$/i)?.[1];
  if (!token) return deny('Send the sidebar app’s signed token as "Authorization: Bearer <jwt>".');
  const [head = '', body = '', sig = ''] = token.split('.');
  const header = json(head);
  // Only HS256: never `none`, never an algorithm the token picks for itself.
  if (!isObj(header) || header.alg !== 'HS256') return deny('The token must be HS256.');
  const claims = json(body);
  if (!isObj(claims)) return deny('The token is malformed.');
  const subdomain = typeof claims.iss === 'string' ? claims.iss.toLowerCase() : undefined;
  const secret = subdomain ? await secretFor(subdomain) : undefined;
  // Unknown subdomains cost the same HMAC as known ones.
  const expected = b64url(
    createHmac('sha256', secret ?? 'tidings-absent-app-secret')
      .update(`${head}.${body}`)
      .digest(),
  );
  if (!safeEqual(expected, sig) || !secret || !subdomain) {
    return deny('The token’s signature does not match this Zendesk account’s app secret.');
  }
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audience.includes(ZAF_AUDIENCE))
    return deny(`The token's audience must be "${ZAF_AUDIENCE}".`);
  const nowS = nowMs / 1000;
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  const iat = typeof claims.iat === 'number' ? claims.iat : undefined;
  if (exp === undefined || exp < nowS - 30 || exp > nowS + ZAF_MAX_LIFETIME_S + 30) {
    return {
      ok: false,
      code: 'stale_request',
      message: 'The token has expired or lives too long.',
    };
  }
  if (iat !== undefined && iat > nowS + 30) {
    return { ok: false, code: 'stale_request', message: 'The token was issued in the future.' };
  }
  const agentId = idText(claims.sub);
  if (!agentId) return deny('The token names no agent (`sub`).');
  const agentName = typeof claims.name === 'string' && claims.name !== '' ? claims.name : undefined;
  return { ok: true, claims: { subdomain, agentId, ...(agentName ? { agentName } : {}) } };
};
