/**
 * @module What Tidings keeps per Zendesk account (tenant = subdomain), encrypted in the store under
 * the credential name `zendesk`: the webhook's signing secret, the API user that writes back, the
 * sidebar app's shared secret, and which custom ticket fields hold the order number and status.
 */
import type { Store } from '@tidings/store';

/** The credential name in the store. */
export const ZENDESK_CREDENTIAL = 'zendesk';

/** Zendesk subdomains: letters, digits and hyphens (`acme` in `acme.zendesk.com`). */
export const SUBDOMAIN_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

export interface ZendeskCredential {
  /** The signing secret of the webhook the triggers call (`GET /api/v2/webhooks/{id}/signing_secret`). */
  signingSecret: string;
  /** The webhook's id, kept so `setup remove` can delete it. */
  webhookId?: string;
  /** The example trigger's id, kept so `setup remove` can delete it. */
  triggerId?: string;
  /** API token auth for write-back: `{email}/token:{apiToken}`. */
  apiEmail?: string;
  apiToken?: string;
  /** The HS256 secret the sidebar app's secure setting holds; Zendesk's proxy signs JWTs with it. */
  appSecret?: string;
  /** Custom ticket field holding the order number (else the ticket's `external_id` is used). */
  orderFieldId?: string;
  /** Custom ticket field (dropdown) holding the order status value tag. */
  statusFieldId?: string;
  /** API base for tests and proxies; `https://{subdomain}.zendesk.com` when absent. */
  apiBaseUrl?: string;
}

export type CredentialLookup =
  | { ok: true; credential: ZendeskCredential }
  | { ok: false; code: 'not_configured' | 'invalid_credential'; message: string };

const OPTIONAL_KEYS = [
  'webhookId',
  'triggerId',
  'apiEmail',
  'apiToken',
  'appSecret',
  'orderFieldId',
  'statusFieldId',
  'apiBaseUrl',
] as const;

/** Checks a stored value has the shape of a `ZendeskCredential` (it was written by an older version, or by hand). */
export const parseZendeskCredential = (value: unknown): ZendeskCredential | undefined => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.signingSecret !== 'string' || record.signingSecret.length < 16)
    return undefined;
  const credential: ZendeskCredential = { signingSecret: record.signingSecret };
  for (const key of OPTIONAL_KEYS) {
    const v = record[key];
    if (v === undefined) continue;
    if (typeof v !== 'string' || v.length === 0) return undefined;
    credential[key] = v;
  }
  return credential;
};

/** Reads and checks a tenant's Zendesk credential. */
export const loadZendeskCredential = async (
  store: Store,
  tenantId: string,
): Promise<CredentialLookup> => {
  const stored = await store.getCredential(tenantId, ZENDESK_CREDENTIAL);
  if (!stored.ok) {
    return {
      ok: false,
      code: 'not_configured',
      message: `Zendesk is not set up for "${tenantId}" (${stored.error.code}).`,
    };
  }
  const credential = parseZendeskCredential(stored.value);
  return credential
    ? { ok: true, credential }
    : {
        ok: false,
        code: 'invalid_credential',
        message: `The stored Zendesk credential for "${tenantId}" is malformed.`,
      };
};

/** The REST API base of an account. */
export const apiBaseOf = (subdomain: string, credential: Pick<ZendeskCredential, 'apiBaseUrl'>) =>
  credential.apiBaseUrl ?? `https://${subdomain}.zendesk.com`;
