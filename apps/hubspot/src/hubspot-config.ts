/**
 * @module The HubSpot app's settings, read from its own environment variables; problems are
 * returned as sentences naming the variable, never thrown.
 */

export interface HubspotConfig {
  clientId: string;
  clientSecret: string;
  /** Only the registration script needs it. */
  appId?: number;
  apiBaseUrl: string;
  authorizeUrl: string;
  scopes: string;
  optionalScopes?: string;
  /** How long the action endpoint waits for a due message to be sent before answering BLOCK. */
  syncWaitMs: number;
  /** Concurrent executions in progress before new ones get 429. */
  maxInFlight: number;
  callbackPollMs: number;
  allowSignatureV2: boolean;
  timelineNotes: boolean;
}

export const DEFAULT_SCOPES = 'oauth automation crm.objects.contacts.write';

type Env = Readonly<Record<string, string | undefined>>;

const int = (
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}.`);
    return fallback;
  }
  return n;
};

const flag = (env: Env, name: string, fallback: boolean, problems: string[]): boolean => {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false.`);
  return fallback;
};

/** Reads `HUBSPOT_*`; `ok: false` lists every problem at once. */
export const readHubspotConfig = (
  env: Env,
): { ok: true; config: HubspotConfig } | { ok: false; problems: string[] } => {
  const problems: string[] = [];
  const clientId = env.HUBSPOT_CLIENT_ID?.trim() ?? '';
  const clientSecret = env.HUBSPOT_CLIENT_SECRET?.trim() ?? '';
  if (clientId === '') problems.push('HUBSPOT_CLIENT_ID is not set (the app’s client id).');
  if (clientSecret === '')
    problems.push('HUBSPOT_CLIENT_SECRET is not set (the app’s client secret; it signs requests).');
  let appId: number | undefined;
  const rawAppId = env.HUBSPOT_APP_ID?.trim();
  if (rawAppId) {
    appId = Number(rawAppId);
    if (!Number.isSafeInteger(appId) || appId <= 0)
      problems.push('HUBSPOT_APP_ID must be a number.');
  }
  const url = (name: string, fallback: string): string => {
    const raw = env[name]?.trim() || fallback;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'https:' && u.hostname !== '127.0.0.1' && u.hostname !== 'localhost')
        problems.push(`${name} must be https (plain http only on loopback).`);
    } catch {
      problems.push(`${name} is not a URL.`);
    }
    return raw.replace(/\/+$/, '');
  };
  const config: HubspotConfig = {
    clientId,
    clientSecret,
    ...(appId === undefined ? {} : { appId }),
    apiBaseUrl: url('HUBSPOT_API_BASE_URL', 'https://api.hubapi.com'),
    authorizeUrl: url('HUBSPOT_AUTHORIZE_URL', 'https://app.hubspot.com/oauth/authorize'),
    scopes: env.HUBSPOT_SCOPES?.trim() || DEFAULT_SCOPES,
    ...(env.HUBSPOT_OPTIONAL_SCOPES?.trim()
      ? { optionalScopes: env.HUBSPOT_OPTIONAL_SCOPES.trim() }
      : {}),
    syncWaitMs: int(env, 'HUBSPOT_SYNC_WAIT_MS', 2_500, 0, 20_000, problems),
    maxInFlight: int(env, 'HUBSPOT_MAX_IN_FLIGHT', 64, 1, 10_000, problems),
    callbackPollMs: int(env, 'HUBSPOT_CALLBACK_POLL_MS', 2_000, 10, 600_000, problems),
    // HubSpot's custom-action guide says action requests carry v2; v3 is verified whenever sent.
    allowSignatureV2: flag(env, 'HUBSPOT_ALLOW_SIGNATURE_V2', true, problems),
    timelineNotes: flag(env, 'HUBSPOT_TIMELINE_NOTES', true, problems),
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
};
