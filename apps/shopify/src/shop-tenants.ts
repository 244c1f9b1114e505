/**
 * @module Shops as tenants: a shop's tenant id is its `*.myshopify.com` domain; its offline
 * access token is kept encrypted in the store as the `shopify` credential.
 */
import type { AppContext } from '@tidings/engine';
import type { Store } from '@tidings/store';

/** The credential name the offline session is stored under. */
export const SESSION_CREDENTIAL = 'shopify';

/** What we keep of an offline session (encrypted at rest by the store). */
export interface OfflineSession {
  shop: string;
  accessToken: string;
  scope: string;
  installedAt: string;
}

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/** The normalized shop domain, or undefined when it is not a `*.myshopify.com` domain. */
export const shopDomain = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const host = value
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '');
  return SHOP.test(host) ? host : undefined;
};

/** The stored offline session of a shop, if it has one that decrypts. */
export const loadSession = async (
  store: Store,
  shop: string,
): Promise<OfflineSession | undefined> => {
  const got = await store.getCredential(shop, SESSION_CREDENTIAL);
  if (!got.ok) return undefined;
  const v = got.value as Partial<OfflineSession> | null;
  return v && typeof v.accessToken === 'string' && typeof v.shop === 'string'
    ? {
        shop: v.shop,
        accessToken: v.accessToken,
        scope: typeof v.scope === 'string' ? v.scope : '',
        installedAt: typeof v.installedAt === 'string' ? v.installedAt : '',
      }
    : undefined;
};

/** Creates the shop's tenant on first install, or reactivates it on reinstall. */
export const activateShop = async (
  context: AppContext,
  shop: string,
  at: string,
): Promise<void> => {
  const existing = await context.store.getTenant(shop);
  await context.store.putTenant(
    existing
      ? { id: shop, name: existing.name, active: true, config: existing.config }
      : { id: shop, name: shop, active: true, config: { tenantId: shop, name: shop } },
    at,
  );
  context.tenants.forget(shop);
};

/** Stops a shop's notifications (uninstall, shop/redact): the tenant stays, inactive. */
export const deactivateShop = async (
  context: AppContext,
  shop: string,
  at: string,
): Promise<boolean> => {
  const existing = await context.store.getTenant(shop);
  if (!existing) return false;
  await context.store.putTenant(
    { id: shop, name: existing.name, active: false, config: existing.config },
    at,
  );
  context.tenants.forget(shop);
  return true;
};
