/**
 * @module What Tidings keeps per org (tenant = 18-character org id) under the store credential
 * `salesforce`: the signing secret shared with the org's External Credential, and for write-back
 * either a JWT bearer set-up (connected app consumer key, integration username, private key) or,
 * for tests and short trials, an access token and instance URL.
 */
import type { Store } from '@tidings/store';

export const CREDENTIAL_PROVIDER = 'salesforce';

export interface SalesforceJwtConfig {
  /** The connected app's consumer key (`iss`). */
  consumerKey: string;
  /** The integration user's username (`sub`). */
  username: string;
  /** PEM private key whose certificate is uploaded to the connected app. */
  privateKey: string;
  /** `https://login.salesforce.com` (default) or `https://test.salesforce.com` for sandboxes. */
  loginUrl?: string;
}

export interface SalesforceCredential {
  signingSecret: string;
  jwt?: SalesforceJwtConfig;
  accessToken?: string;
  instanceUrl?: string;
}

const str = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Validates a stored credential; undefined when it is unusable. */
export const parseSalesforceCredential = (value: unknown): SalesforceCredential | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (!str(v.signingSecret)) return undefined;
  const credential: SalesforceCredential = { signingSecret: v.signingSecret };
  const jwt = v.jwt as Record<string, unknown> | undefined;
  if (jwt && str(jwt.consumerKey) && str(jwt.username) && str(jwt.privateKey)) {
    credential.jwt = {
      consumerKey: jwt.consumerKey,
      username: jwt.username,
      privateKey: jwt.privateKey,
      ...(str(jwt.loginUrl) ? { loginUrl: jwt.loginUrl } : {}),
    };
  }
  if (str(v.accessToken)) credential.accessToken = v.accessToken;
  if (str(v.instanceUrl)) credential.instanceUrl = v.instanceUrl;
  return credential;
};

/** Reads an org's credential; undefined when none is stored or it cannot be decrypted. */
export const loadSalesforceCredential = async (
  store: Store,
  orgId: string,
): Promise<SalesforceCredential | undefined> => {
  const stored = await store.getCredential(orgId, CREDENTIAL_PROVIDER);
  return stored.ok ? parseSalesforceCredential(stored.value) : undefined;
};
