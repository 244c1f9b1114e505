/** @module The Shopify app's settings, read from the environment the hub hands it. */
import { ApiVersion } from '@shopify/shopify-api';

/** Scopes the app asks for: orders and fulfillments to read, fulfillments and tags to write. */
export const DEFAULT_SCOPES = [
  'read_orders',
  'write_orders',
  'read_fulfillments',
  'write_fulfillments',
  'read_merchant_managed_fulfillment_orders',
] as const;

/** The Admin API version requests and `shopify.app.toml` use; its schema is in specs/shopify. */
export const DEFAULT_API_VERSION = ApiVersion.January25;

export interface ShopifyConfig {
  apiKey: string;
  apiSecret: string;
  /** Where Shopify reaches the app (App URL, webhook URLs). */
  appUrl: URL;
  scopes: string[];
  apiVersion: ApiVersion;
  /** A delivery triggered longer ago than this is "late" (logged); older snapshots are "stale". */
  lateAfterMs: number;
}

export type ShopifyConfigResult =
  | { ok: true; config: ShopifyConfig }
  | { ok: false; error: { code: 'shopify_not_configured'; message: string; missing: string[] } };

const VERSIONS: ReadonlySet<string> = new Set(Object.values(ApiVersion));

/** Reads `SHOPIFY_API_KEY`, `SHOPIFY_API_SECRET`, `SHOPIFY_APP_URL`, `SHOPIFY_SCOPES`, `SHOPIFY_API_VERSION`. */
export const readShopifyConfig = (
  env: Readonly<Record<string, string | undefined>>,
  publicUrl: string,
): ShopifyConfigResult => {
  const missing = ['SHOPIFY_API_KEY', 'SHOPIFY_API_SECRET'].filter((k) => !env[k]?.trim());
  const rawUrl = env.SHOPIFY_APP_URL?.trim() || publicUrl;
  let appUrl: URL | undefined;
  try {
    appUrl = new URL(rawUrl);
  } catch {
    missing.push('SHOPIFY_APP_URL');
  }
  const version = env.SHOPIFY_API_VERSION?.trim() || DEFAULT_API_VERSION;
  if (!VERSIONS.has(version)) missing.push('SHOPIFY_API_VERSION');
  if (missing.length > 0 || !appUrl) {
    return {
      ok: false,
      error: {
        code: 'shopify_not_configured',
        message: `The Shopify app is not configured: set ${missing.join(', ')}.`,
        missing,
      },
    };
  }
  const scopes = env.SHOPIFY_SCOPES?.trim()
    ? env.SHOPIFY_SCOPES.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [...DEFAULT_SCOPES];
  return {
    ok: true,
    config: {
      apiKey: env.SHOPIFY_API_KEY?.trim() ?? '',
      apiSecret: env.SHOPIFY_API_SECRET?.trim() ?? '',
      appUrl,
      scopes,
      apiVersion: version as ApiVersion,
      lateAfterMs: 60 * 60 * 1000,
    },
  };
};
