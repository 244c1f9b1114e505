/**
 * @module Each portal's OAuth tokens, encrypted at rest through the store's credentials under
 * provider `hubspot` (tenant = portal id), and refreshed before they expire — once per portal
 * at a time, however many callers ask together.
 */
import type { Clock } from '@tidings/core';
import type { Store } from '@tidings/store';
import type { HubspotApi, HubspotFailure, TokenSet } from './hubspot-api.ts';

export const HUBSPOT_CREDENTIAL = 'hubspot';
/** Refresh when less than this is left; HubSpot access tokens live 30 minutes. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface PortalCredential extends TokenSet {
  hubId: number;
  scopes: string[];
  installedAt: string;
}

export type TokenError =
  | { code: 'portal_not_installed'; message: string }
  | { code: 'credential_unreadable'; message: string }
  | ({ code: 'refresh_failed' } & Omit<HubspotFailure, 'code'>);

export type TokenResult = { ok: true; accessToken: string } | { ok: false; error: TokenError };

const isCredential = (v: unknown): v is PortalCredential => {
  const c = v as Partial<PortalCredential> | null;
  return (
    typeof c === 'object' &&
    c !== null &&
    typeof c.accessToken === 'string' &&
    typeof c.refreshToken === 'string' &&
    typeof c.expiresAt === 'number' &&
    typeof c.hubId === 'number'
  );
};

/** Creates the token keeper the action endpoint and the callback completer share. */
export const createPortalTokens = (deps: { store: Store; clock: Clock; api: HubspotApi }) => {
  const { store, clock, api } = deps;
  const inFlight = new Map<string, Promise<TokenResult>>();

  const read = async (
    tenantId: string,
  ): Promise<{ ok: true; credential: PortalCredential } | { ok: false; error: TokenError }> => {
    const got = await store.getCredential(tenantId, HUBSPOT_CREDENTIAL);
    if (!got.ok) {
      return got.error.code === 'not_found'
        ? {
            ok: false,
            error: {
              code: 'portal_not_installed',
              message: `Portal ${tenantId} has not installed the app.`,
            },
          }
        : { ok: false, error: { code: 'credential_unreadable', message: got.error.message } };
    }
    if (!isCredential(got.value)) {
      return {
        ok: false,
        error: {
          code: 'credential_unreadable',
          message: 'The stored HubSpot credential has an unknown shape.',
        },
      };
    }
    return { ok: true, credential: got.value };
  };

  /** Saves tokens for a portal (at install and after each refresh). */
  const save = async (tenantId: string, credential: PortalCredential): Promise<void> => {
    const stored = await store.putCredential(
      tenantId,
      HUBSPOT_CREDENTIAL,
      credential,
      clock.now().toISOString(),
    );
    if (!stored.ok) throw new Error(`cannot store the HubSpot credential: ${stored.error.code}`);
  };

  const refresh = async (tenantId: string, credential: PortalCredential): Promise<TokenResult> => {
    const renewed = await api.refresh(credential.refreshToken);
    if (!renewed.ok) {
      const { code: _code, ...rest } = renewed.error;
      return { ok: false, error: { code: 'refresh_failed', ...rest } };
    }
    await save(tenantId, { ...credential, ...renewed.tokens });
    return { ok: true, accessToken: renewed.tokens.accessToken };
  };

  return {
    read,
    save,
    /** A usable access token for the portal, refreshed first when it is about to expire. */
    async accessToken(tenantId: string, options: { force?: boolean } = {}): Promise<TokenResult> {
      const found = await read(tenantId);
      if (!found.ok) return found;
      const { credential } = found;
      const fresh = credential.expiresAt - clock.now().getTime() > REFRESH_MARGIN_MS;
      if (fresh && !options.force) return { ok: true, accessToken: credential.accessToken };
      const running = inFlight.get(tenantId);
      if (running) return running;
      const job = refresh(tenantId, credential).finally(() => inFlight.delete(tenantId));
      inFlight.set(tenantId, job);
      return job;
    },
  };
};

export type PortalTokens = ReturnType<typeof createPortalTokens>;
