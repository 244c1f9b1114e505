/**
 * @module A WooCommerce site's credential, stored encrypted with
 * `store.putCredential(tenantId, 'woocommerce', {...})`: the plugin's signing secret, the built-in
 * webhooks' secret, and REST API keys for write-back. The tenant id is the site key.
 */
import type { Store } from '@tidings/store';

export const WOOCOMMERCE_CREDENTIAL = 'woocommerce';

export interface WoocommerceCredential {
  /** The site's home URL, e.g. `https://shop.example.com` (a subdirectory install keeps its path). */
  siteUrl: string;
  /** Signs the plugin's POSTs to `/woocommerce/events`; the plugin's settings page shows it. */
  pluginSecret?: string;
  /** The Secret field of the site's built-in webhooks pointing at `/woocommerce/webhooks`. */
  webhookSecret?: string;
  /** REST API v3 keys (WooCommerce → Settings → Advanced → REST API), read/write, for write-back. */
  consumerKey?: string;
  consumerSecret?: string;
  /** `query` when the site's server strips `Authorization` (then the keys go in the query string). */
  restAuth: 'basic' | 'query';
  /** A WooCommerce status to set when a carrier reports the order delivered, e.g. `completed`. */
  deliveredStatus?: string;
}

export type CredentialResult =
  | { ok: true; credential: WoocommerceCredential }
  | { ok: false; error: { code: 'invalid_credential'; message: string } };

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** HTTPS, or plain HTTP on loopback (tests, a local WordPress); REST keys never cross the network in clear. */
export const isAllowedSiteUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
};

/**
 * The tenant id a site uses unless told otherwise: host (and port) plus path, lower-cased, without
 * scheme or trailing slash — `https://Shop.example.com/` → `shop.example.com`. The plugin computes
 * the same from `home_url()`.
 */
export const siteKeyFromUrl = (value: string): string | undefined => {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
    const path = url.pathname.replace(/\/+$/, '');
    return `${url.host}${path}`.toLowerCase();
  } catch {
    return undefined;
  }
};

const optionalText = (
  record: Record<string, unknown>,
  key: string,
  problems: string[],
): string | undefined => {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problems.push(`${key} must be a string`);
    return undefined;
  }
  return value;
};

/** Validates a stored credential; problems name the field, never its value. */
export const parseWoocommerceCredential = (value: unknown): CredentialResult => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: { code: 'invalid_credential', message: 'The credential is not an object.' },
    };
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const siteUrl = optionalText(record, 'siteUrl', problems);
  if (siteUrl === undefined || !isAllowedSiteUrl(siteUrl)) {
    problems.push('siteUrl must be an https:// URL (http:// only on loopback)');
  }
  const pluginSecret = optionalText(record, 'pluginSecret', problems);
  if (pluginSecret !== undefined && pluginSecret.length < 16) {
    problems.push('pluginSecret must be at least 16 characters');
  }
  const webhookSecret = optionalText(record, 'webhookSecret', problems);
  const consumerKey = optionalText(record, 'consumerKey', problems);
  const consumerSecret = optionalText(record, 'consumerSecret', problems);
  if ((consumerKey === undefined) !== (consumerSecret === undefined)) {
    problems.push('consumerKey and consumerSecret go together');
  }
  const restAuth = record.restAuth ?? 'basic';
  if (restAuth !== 'basic' && restAuth !== 'query')
    problems.push('restAuth must be basic or query');
  const deliveredStatus = optionalText(record, 'deliveredStatus', problems);
  if (deliveredStatus !== undefined && !/^[a-z0-9_-]{1,20}$/.test(deliveredStatus)) {
    problems.push('deliveredStatus must be a WooCommerce status slug like "completed"');
  }
  if (problems.length > 0 || siteUrl === undefined) {
    return {
      ok: false,
      error: {
        code: 'invalid_credential',
        message: `The WooCommerce credential is invalid: ${problems.join('; ')}.`,
      },
    };
  }
  return {
    ok: true,
    credential: {
      siteUrl: siteUrl.replace(/\/+$/, ''),
      restAuth: restAuth === 'query' ? 'query' : 'basic',
      ...(pluginSecret !== undefined ? { pluginSecret } : {}),
      ...(webhookSecret !== undefined ? { webhookSecret } : {}),
      ...(consumerKey !== undefined ? { consumerKey } : {}),
      ...(consumerSecret !== undefined ? { consumerSecret } : {}),
      ...(deliveredStatus !== undefined ? { deliveredStatus } : {}),
    },
  };
};

export type SiteCredentialLookup =
  | { ok: true; credential: WoocommerceCredential }
  | { ok: false; code: 'unknown_site' | 'invalid_credential'; message: string };

/** Reads and validates a site's credential. Store failures (no secret key, tampering) throw: they are bugs or outages. */
export const loadSiteCredential = async (
  store: Store,
  tenantId: string,
): Promise<SiteCredentialLookup> => {
  const stored = await store.getCredential(tenantId, WOOCOMMERCE_CREDENTIAL);
  if (!stored.ok) {
    if (stored.error.code === 'not_found') {
      return {
        ok: false,
        code: 'unknown_site',
        message: `No WooCommerce site "${tenantId}" is set up.`,
      };
    }
    throw new Error(`Cannot read the WooCommerce credential: ${stored.error.code}`);
  }
  const parsed = parseWoocommerceCredential(stored.value);
  return parsed.ok
    ? parsed
    : { ok: false, code: 'invalid_credential', message: parsed.error.message };
};
