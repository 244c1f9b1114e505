/**
 * @module An access token for a Google service account: a self-signed RS256 JWT exchanged at
 * `oauth2.googleapis.com/token` (the JWT bearer grant), cached until shortly before it expires.
 */
import { createSign } from 'node:crypto';
import type { AbortSignalLike, SendFailure } from '../core-contract.ts';
import type { ResolvedDeps } from '../http/channel-deps.ts';
import { encodeForm } from '../http/form-encoding.ts';
import { classifyHttpStatus } from '../http/http-classification.ts';
import { callProvider } from '../http/provider-call.ts';
import { sendFailure } from '../http/send-failures.ts';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const CHAT_BOT_SCOPE = 'https://www.googleapis.com/auth/chat.bot';

export interface ServiceAccount {
  clientEmail: string;
  /** The PEM private key from the service account's JSON key file. */
  privateKey: string;
}

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The signed assertion for the JWT bearer grant. */
export const serviceAccountAssertion = (
  account: ServiceAccount,
  now: Date,
  scope: string = CHAT_BOT_SCOPE,
): string => {
  const iat = Math.floor(now.getTime() / 1000);
  const unsigned = `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64({ iss: account.clientEmail, scope, aud: GOOGLE_TOKEN_URL, iat, exp: iat + 3600 })}`;
  const signature = createSign('RSA-SHA256')
    .update(unsigned)
    .sign(account.privateKey)
    .toString('base64url');
  return `${unsigned}.${signature}`;
};

/** Mints tokens per service account and reuses each until a minute before it expires. */
export const serviceAccountTokens = (deps: ResolvedDeps, label: string) => {
  const cache = new Map<string, { token: string; expiresAt: number }>();
  return async (
    account: ServiceAccount,
    timeoutMs: number,
    signal: AbortSignalLike | undefined,
  ): Promise<{ ok: true; token: string } | { ok: false; error: SendFailure }> => {
    const now = deps.clock.now();
    const cached = cache.get(account.clientEmail);
    if (cached !== undefined && cached.expiresAt - 60_000 > now.getTime())
      return { ok: true, token: cached.token };
    let assertion: string;
    try {
      assertion = serviceAccountAssertion(account, now);
    } catch {
      return {
        ok: false,
        error: sendFailure({ label, code: 'provider_auth', class: 'permanent' }),
      };
    }
    const outcome = await callProvider(
      deps,
      {
        method: 'POST',
        url: GOOGLE_TOKEN_URL,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: encodeForm([
          ['grant_type', 'urn:ietf:params:oauth:grant-type:jwt-bearer'],
          ['assertion', assertion],
        ]),
      },
      { label, timeoutMs, signal },
    );
    if (!outcome.ok) return outcome;
    const { response } = outcome;
    const json = response.json as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (response.status === 200 && typeof json?.access_token === 'string') {
      const ttl = typeof json.expires_in === 'number' ? json.expires_in : 3600;
      cache.set(account.clientEmail, {
        token: json.access_token,
        expiresAt: now.getTime() + ttl * 1000,
      });
      return { ok: true, token: json.access_token };
    }
    // invalid_grant / invalid_client: the key is wrong or revoked; the operator must fix it.
    if (response.status === 400) {
      return {
        ok: false,
        error: sendFailure({
          label,
          code: 'provider_auth',
          class: 'permanent',
          providerStatus: 400,
          providerBody: response.text,
        }),
      };
    }
    return { ok: false, error: classifyHttpStatus(label, response, deps) };
  };
};
