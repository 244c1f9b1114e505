/**
 * @module The mandatory compliance webhooks and `app/uninstalled`: export what we hold about a
 * customer (kept encrypted for the merchant), erase what the store lets us erase, deactivate
 * and strip a shop. Every step is audited without personal data.
 */
import { type DataSubject, exportPersonalData, type OrderEvent } from '@tidings/core';
import { type AppContext, eraseContact } from '@tidings/engine';
import { idString } from './json-ids.ts';
import { deactivateShop, SESSION_CREDENTIAL } from './shop-tenants.ts';

/** Data-request exports are kept as encrypted credentials named with this prefix. */
export const DATA_REQUEST_PREFIX = 'shopify-data-request-';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export type ComplianceOutcome = {
  outcome: 'exported' | 'redacted' | 'shop_redacted' | 'uninstalled' | 'ignored';
  detail: Record<string, unknown>;
};

const subjectOf = (payload: Json): DataSubject => {
  const c = isObject(payload.customer) ? payload.customer : {};
  return {
    ...(typeof c.email === 'string' && c.email ? { email: c.email } : {}),
    ...(typeof c.phone === 'string' && c.phone ? { phone: c.phone } : {}),
  };
};

const orderIds = (value: unknown): string[] =>
  (Array.isArray(value) ? value : []).flatMap((v) => {
    const id = idString(v);
    return id ? [id] : [];
  });

const eventsOf = async (
  context: AppContext,
  shop: string,
  orders: string[],
): Promise<OrderEvent[]> =>
  (await Promise.all(orders.map((o) => context.store.listEvents(shop, o))))
    .flat()
    .map((e) => e.event);

/** `customers/data_request`: everything held about the customer, stored encrypted for the merchant. */
export const handleDataRequest = async (
  context: AppContext,
  shop: string,
  payload: Json,
): Promise<ComplianceOutcome> => {
  const at = context.clock.now().toISOString();
  const subject = subjectOf(payload);
  const orders = orderIds(payload.orders_requested);
  const requestId =
    idString(isObject(payload.data_request) ? payload.data_request.id : undefined) ?? 'unknown';
  const contacts = [subject.email, subject.phone].filter((c): c is string => c !== undefined);
  const data = exportPersonalData(subject, {
    events: await eventsOf(context, shop, orders),
    consents: contacts.length > 0 ? await context.store.listConsents(shop, contacts) : [],
  });
  const stored = await context.store.putCredential(
    shop,
    `${DATA_REQUEST_PREFIX}${requestId}`,
    { requestedAt: at, export: data },
    at,
  );
  const detail = {
    dataRequestId: requestId,
    orders: orders.length,
    recipientEntries: data.recipients.length,
    consents: data.consents.length,
    stored: stored.ok,
  };
  await context.store.transaction((tx) =>
    tx.appendAudit({ tenantId: shop, at, actor: 'shopify', action: 'gdpr_data_request', detail }),
  );
  return { outcome: stored.ok ? 'exported' : 'ignored', detail };
};

/**
 * `customers/redact`: no message goes to the customer any more (pending intents of the named
 * orders are cancelled), our own exports of them are deleted, and everything we hold about them
 * is erased by contact point (events' recipients and raw bodies, consent contacts, messages'
 * contacts and template variables — the engine's `eraseContact`). Audited without the contact.
 */
export const handleCustomerRedact = async (
  context: AppContext,
  shop: string,
  payload: Json,
): Promise<ComplianceOutcome> => {
  const at = context.clock.now().toISOString();
  const orders = orderIds(payload.orders_to_redact);
  const customerId = idString(isObject(payload.customer) ? payload.customer.id : undefined);
  const cancelled = await context.store.transaction(async (tx) => {
    let n = 0;
    for (const order of orders)
      n += await tx.cancelPendingIntents(shop, order, 'customer_redacted', at);
    return n;
  });
  const exports = (await context.store.listCredentials(shop)).filter((c) =>
    c.provider.startsWith(DATA_REQUEST_PREFIX),
  );
  for (const e of exports) await context.store.deleteCredential(shop, e.provider);
  const subject = subjectOf(payload);
  const erased = { events: 0, consents: 0, intents: 0 };
  for (const contact of [subject.email, subject.phone]) {
    if (contact === undefined) continue;
    const report = await eraseContact(context.store, shop, contact, { actor: 'shopify', at });
    erased.events += report.events;
    erased.consents += report.consents;
    erased.intents += report.intents;
  }
  const detail = {
    customerId: customerId ?? null,
    orders,
    pendingIntentsCancelled: cancelled,
    exportsDeleted: exports.length,
    erased,
  };
  await context.store.transaction((tx) =>
    tx.appendAudit({
      tenantId: shop,
      at,
      actor: 'shopify',
      action: 'gdpr_customer_redact',
      detail,
    }),
  );
  return { outcome: 'redacted', detail };
};

/** `shop/redact` (48 h after uninstall): everything the shop's tenant holds is erased in one
 * transaction (events and raw bodies, orders, messages, consents, credentials, config); the
 * tenant row stays, inactive, because the append-only audit log records the erasure under it. */
export const handleShopRedact = async (
  context: AppContext,
  shop: string,
): Promise<ComplianceOutcome> => {
  const at = context.clock.now().toISOString();
  const erased = await context.store.eraseTenantData({ tenantId: shop, at, actor: 'shopify' });
  context.tenants.forget(shop);
  if (!erased.ok) return { outcome: 'ignored', detail: { reason: erased.error.code } };
  return { outcome: 'shop_redacted', detail: { erased: erased.value } };
};

/** `app/uninstalled`: notifications stop and the (now revoked) access token is dropped. */
export const handleUninstalled = async (
  context: AppContext,
  shop: string,
): Promise<ComplianceOutcome> => {
  const at = context.clock.now().toISOString();
  const deactivated = await deactivateShop(context, shop, at);
  const dropped = await context.store.deleteCredential(shop, SESSION_CREDENTIAL);
  if (deactivated) {
    await context.store.transaction((tx) =>
      tx.appendAudit({
        tenantId: shop,
        at,
        actor: 'shopify',
        action: 'app_uninstalled',
        detail: {},
      }),
    );
  }
  return {
    outcome: deactivated ? 'uninstalled' : 'ignored',
    detail: { deactivated, sessionDropped: dropped },
  };
};
