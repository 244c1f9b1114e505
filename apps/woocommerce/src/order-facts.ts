/**
 * @module The facts both ingestion paths share: a customer recipient from billing details,
 * line items, money, and tracking numbers from the common shipment-tracking meta. Contact details
 * that would fail core's validation (a free-form phone, a malformed e-mail) are left out rather
 * than failing the whole event: the status change still matters.
 */
import type { OrderEventInput, Shipment } from '@tidings/core';

type RecipientInput = NonNullable<OrderEventInput['recipients']>[number];
type LineItemInput = NonNullable<OrderEventInput['order']['lineItems']>[number];

const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DECIMAL = /^-?\d+(\.\d+)?$/;

/** A phone as E.164 when it already names its country (`+…` or `00…`); otherwise undefined. */
export const toE164 = (phone: string | undefined): string | undefined => {
  if (!phone) return undefined;
  const compact = phone.replace(/[\s().\-/]/g, '');
  const plus = compact.startsWith('00') ? `+${compact.slice(2)}` : compact;
  return E164.test(plus) ? plus : undefined;
};

/** A WordPress locale (`fr_FR`, `de_DE_formal`) as a BCP 47 tag (`fr-FR`, `de-DE`). */
export const toLocale = (wpLocale: string | undefined): string | undefined => {
  if (!wpLocale) return undefined;
  const [language, region] = wpLocale.split(/[_-]/);
  if (!language || !/^[a-zA-Z]{2,3}$/.test(language)) return undefined;
  const tag = region && /^[a-zA-Z]{2}$/.test(region) ? `${language}-${region}` : language;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
};

export interface Billing {
  customerId?: number | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  firstName?: string | undefined;
  lastName?: string | undefined;
  country?: string | undefined;
  state?: string | undefined;
  locale?: string | undefined;
}

/** The order's customer as a recipient, or undefined when no usable contact remains. */
export const customerRecipient = (billing: Billing): RecipientInput | undefined => {
  const email = billing.email?.trim();
  const phone = toE164(billing.phone);
  const contacts = {
    ...(email && EMAIL.test(email) ? { email } : {}),
    ...(phone ? { sms: phone } : {}),
  };
  if (Object.keys(contacts).length === 0) return undefined;
  const name = [billing.firstName, billing.lastName]
    .map((s) => s?.trim())
    .filter(Boolean)
    .join(' ');
  const country = billing.country?.trim().toUpperCase();
  const validCountry = country && /^[A-Z]{2}$/.test(country) ? country : undefined;
  const region =
    validCountry && billing.state ? `${validCountry}-${billing.state.trim().toUpperCase()}` : '';
  const locale = toLocale(billing.locale);
  return {
    role: 'customer',
    ...(billing.customerId ? { id: String(billing.customerId) } : {}),
    ...(name ? { name } : {}),
    ...(locale ? { locale } : {}),
    ...(validCountry ? { country: validCountry } : {}),
    ...(/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(region) ? { region } : {}),
    contacts,
  };
};

/** `{ amount, currency }` when both look right. */
export const moneyOf = (
  amount: unknown,
  currency: unknown,
): { amount: string; currency: string } | undefined => {
  const text = typeof amount === 'number' ? String(amount) : amount;
  return typeof text === 'string' &&
    DECIMAL.test(text) &&
    typeof currency === 'string' &&
    /^[A-Z]{3}$/.test(currency)
    ? { amount: text, currency }
    : undefined;
};

export interface ItemFacts {
  id: string | number;
  sku?: string | undefined;
  name?: string | undefined;
  quantity: number;
  total?: unknown;
  categories?: readonly string[] | undefined;
}

/** A line item for core; quantities below 1 (refunded lines) are dropped. */
export const lineItemOf = (item: ItemFacts, currency: unknown): LineItemInput | undefined => {
  if (!Number.isInteger(item.quantity) || item.quantity < 1) return undefined;
  const price = moneyOf(item.total, currency);
  const categories = (item.categories ?? []).map((c) => c.trim()).filter((c) => c.length > 0);
  return {
    id: String(item.id),
    quantity: item.quantity,
    ...(item.sku?.trim() ? { sku: item.sku.trim() } : {}),
    ...(item.name?.trim() ? { title: item.name.trim() } : {}),
    ...(price ? { price } : {}),
    categories,
  };
};

export interface Tracking {
  number: string;
  carrier?: string | undefined;
  url?: string | undefined;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;

const isHttpUrl = (value: string | undefined): value is string => {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * Tracking numbers from order meta as the REST API lists it (`[{ key, value }]`). Keys, from the
 * common extensions (their schemas are third-party and unverified, see README): Shipment Tracking
 * and Advanced Shipment Tracking `_wc_shipment_tracking_items`, AfterShip
 * `_aftership_tracking_number` / `_aftership_tracking_provider_name`, YITH
 * `ywot_tracking_code` / `ywot_carrier_name`, and generic `_tracking_number` / `_tracking_provider`.
 * The plugin's PHP reads the same keys.
 */
export const trackingFromMeta = (meta: readonly unknown[]): Tracking[] => {
  const byKey = new Map<string, unknown>();
  for (const entry of meta) {
    if (typeof entry === 'object' && entry !== null && 'key' in entry && 'value' in entry) {
      const key = (entry as { key: unknown }).key;
      if (typeof key === 'string') byKey.set(key, (entry as { value: unknown }).value);
    }
  }
  const found: Tracking[] = [];
  const items = byKey.get('_wc_shipment_tracking_items');
  if (Array.isArray(items)) {
    for (const item of items) {
      if (typeof item !== 'object' || item === null) continue;
      const record = item as Record<string, unknown>;
      const number = text(record.tracking_number);
      if (!number) continue;
      const carrier = text(record.custom_tracking_provider) ?? text(record.tracking_provider);
      const url = text(record.custom_tracking_link);
      found.push({ number, ...(carrier ? { carrier } : {}), ...(url ? { url } : {}) });
    }
  }
  const pairs: [string, string][] = [
    ['_aftership_tracking_number', '_aftership_tracking_provider_name'],
    ['ywot_tracking_code', 'ywot_carrier_name'],
    ['_tracking_number', '_tracking_provider'],
  ];
  for (const [numberKey, carrierKey] of pairs) {
    const number = text(byKey.get(numberKey));
    if (!number || found.some((t) => t.number === number)) continue;
    const carrier = text(byKey.get(carrierKey));
    found.push({ number, ...(carrier ? { carrier } : {}) });
  }
  return found;
};

/** The latest tracking number as the event's shipment (a sole shipment is the order itself). */
export const shipmentOf = (tracking: readonly Tracking[]): Shipment | undefined => {
  const latest = tracking.at(-1);
  if (!latest) return undefined;
  return {
    id: `tracking:${latest.number}`,
    trackingNumber: latest.number,
    ...(latest.carrier ? { carrier: latest.carrier } : {}),
    ...(isHttpUrl(latest.url) ? { trackingUrl: latest.url } : {}),
  };
};

/** Statuses a tracking number belongs to; on any other (processing, completed) it is only noted. */
export const SHIPPED_STATUSES = [
  'dispatched',
  'in_transit',
  'out_for_delivery',
  'delivered',
] as const;

/**
 * The event's shipment: the latest tracking number, but only once the status says the goods left
 * (a tracking number on a "processing" order would scope the news to a shipment too early).
 * Shops that mark "completed" on shipping map it to `dispatched` in their tenant table.
 */
export const shipmentFor = (status: string, tracking: readonly Tracking[]): Shipment | undefined =>
  (SHIPPED_STATUSES as readonly string[]).includes(status) ? shipmentOf(tracking) : undefined;

/** What our own status write-back leaves behind, so the change it causes is not notified again. */
export const statusFingerprint = (orderId: string, wooStatus: string): string =>
  `woocommerce:status:${orderId}:${wooStatus.replace(/^wc-/, '')}`;
