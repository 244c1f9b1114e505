/**
 * @module The calls Tidings makes to HubSpot, all through `@hubspot/api-client` pointed at a
 * configurable base path (tests point it at a local stub): OAuth tokens, completing a blocked
 * workflow execution, and a note on the record's timeline. Failures are values with a class.
 */
import { Client } from '@hubspot/api-client';

export const HUBSPOT_API_BASE = 'https://api.hubapi.com';

export type HubspotFailureClass = 'retryable' | 'unauthorized' | 'permanent';

export interface HubspotFailure {
  code:
    | 'hubspot_unreachable'
    | 'hubspot_rejected'
    | 'hubspot_unauthorized'
    | 'hubspot_rate_limited';
  class: HubspotFailureClass;
  /** HubSpot's status, when it answered; its body is never passed on. */
  status?: number;
  message: string;
}

export type HubspotResult<T> = ({ ok: true } & T) | { ok: false; error: HubspotFailure };

export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface HubspotApiConfig {
  clientId: string;
  clientSecret: string;
  /** Default `https://api.hubapi.com`. */
  basePath?: string;
  /** Epoch milliseconds now, for token expiry. */
  now: () => number;
}

/** Output values completing a blocked execution: `outputFields` and `typedOutputs`. */
export type CompletionOutputs = Record<string, string>;

const statusOf = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
};

/** Classifies an HTTP status (or none: the network failed) the way our retries need. */
export const classifyStatus = (status: number | undefined, what: string): HubspotFailure => {
  if (status === undefined)
    return {
      code: 'hubspot_unreachable',
      class: 'retryable',
      message: `${what}: HubSpot unreachable.`,
    };
  if (status === 429)
    return {
      code: 'hubspot_rate_limited',
      class: 'retryable',
      status,
      message: `${what}: rate limited.`,
    };
  if (status === 401)
    return {
      code: 'hubspot_unauthorized',
      class: 'unauthorized',
      status,
      message: `${what}: token rejected.`,
    };
  if (status >= 500)
    return {
      code: 'hubspot_unreachable',
      class: 'retryable',
      status,
      message: `${what}: HubSpot answered ${status}.`,
    };
  return {
    code: 'hubspot_rejected',
    class: 'permanent',
    status,
    message: `${what}: HubSpot answered ${status}.`,
  };
};

/** Creates the HubSpot API surface Tidings uses. */
export const createHubspotApi = (config: HubspotApiConfig) => {
  const basePath = (config.basePath ?? HUBSPOT_API_BASE).replace(/\/+$/, '');
  const client = (accessToken?: string) =>
    new Client({
      basePath,
      numberOfApiCallRetries: 0,
      ...(accessToken === undefined ? {} : { accessToken }),
    });

  const tokens = async (
    what: string,
    call: () => Promise<{ accessToken: string; refreshToken: string; expiresIn: number }>,
  ): Promise<HubspotResult<{ tokens: TokenSet }>> => {
    try {
      const r = await call();
      return {
        ok: true,
        tokens: {
          accessToken: r.accessToken,
          refreshToken: r.refreshToken,
          expiresAt: config.now() + r.expiresIn * 1000,
        },
      };
    } catch (err) {
      return { ok: false, error: classifyStatus(statusOf(err), what) };
    }
  };

  return {
    basePath,
    /** Exchanges an authorization code for tokens (`POST /oauth/v1/token`). */
    exchangeCode: (code: string, redirectUri: string) =>
      tokens('token exchange', () =>
        client().oauth.tokensApi.create(
          'authorization_code',
          code,
          redirectUri,
          config.clientId,
          config.clientSecret,
        ),
      ),

    /** Refreshes an access token (`POST /oauth/v1/token`, grant `refresh_token`). */
    refresh: (refreshToken: string) =>
      tokens('token refresh', () =>
        client().oauth.tokensApi.create(
          'refresh_token',
          undefined,
          undefined,
          config.clientId,
          config.clientSecret,
          refreshToken,
        ),
      ),

    /** Which portal a token belongs to (`GET /oauth/v1/access-tokens/{token}`). */
    async tokenInfo(
      accessToken: string,
    ): Promise<HubspotResult<{ hubId: number; scopes: string[] }>> {
      try {
        const info = await client().oauth.accessTokensApi.get(accessToken);
        return { ok: true, hubId: info.hubId, scopes: info.scopes ?? [] };
      } catch (err) {
        return { ok: false, error: classifyStatus(statusOf(err), 'token info') };
      }
    },

    /**
     * Completes a blocked execution (`POST /automation/v4/actions/callbacks/{callbackId}/complete`).
     * Sent raw through the client's `apiRequest`: the SDK's `CallbackCompletionRequest` model has
     * no `typedOutputs`, which HubSpot's spec requires (sources.md §4.5).
     */
    async completeCallback(
      accessToken: string,
      callbackId: string,
      outputs: CompletionOutputs,
    ): Promise<HubspotResult<object>> {
      try {
        const res = await client(accessToken).apiRequest({
          method: 'POST',
          path: `/automation/v4/actions/callbacks/${encodeURIComponent(callbackId)}/complete`,
          body: { outputFields: outputs, typedOutputs: outputs },
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status >= 200 && res.status < 300) return { ok: true };
        return { ok: false, error: classifyStatus(res.status, 'callback completion') };
      } catch {
        return { ok: false, error: classifyStatus(undefined, 'callback completion') };
      }
    },

    /** Adds a note to a record's timeline and associates it with the record (default type). */
    async createNote(
      accessToken: string,
      note: { objectType: string; objectId: string; body: string; at: string },
    ): Promise<HubspotResult<{ noteId: string }>> {
      const api = client(accessToken);
      try {
        const created = await api.crm.objects.notes.basicApi.create({
          properties: { hs_timestamp: note.at, hs_note_body: note.body },
          associations: [],
        });
        await api.crm.associations.v4.basicApi.createDefault(
          'notes',
          created.id,
          note.objectType.toLowerCase(),
          note.objectId,
        );
        return { ok: true, noteId: created.id };
      } catch (err) {
        return { ok: false, error: classifyStatus(statusOf(err), 'timeline note') };
      }
    },
  };
};

export type HubspotApi = ReturnType<typeof createHubspotApi>;
