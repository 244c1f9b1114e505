/**
 * @module Shopify webhook payloads (REST JSON, ids kept as strings) → canonical `OrderEvent`s,
 * through core's Shopify status tables. One delivery can yield several events (an order's
 * financial status and its cancellation; a fulfillment's status and its shipment status); each
 * gets its own source event id derived from the delivery id, so a redelivery dedupes whole.
 */
import {
  ContactPointsSchema,
  eventStatusOf,
  type NormalizeError,
  normalizeStatus,
  type OrderEvent,
  type OrderEventInput,
  parseOrderEvent,
  RecipientSchema,
  ShipmentSchema,
  type TenantStatusMappings,
} from '@tidings/core';
import { idString } from './json-ids.ts';

/** Order and shipment topics, as the library spells them (`orders/create` → `ORDERS_CREATE`). */
export const ORDER_TOPICS = ['ORDERS_CREATE', 'ORDERS_UPDATED', 'ORDERS_CANCELLED'] as const;
export const FULFILLMENT_TOPICS = ['FULFILLMENTS_CREATE', 'FULFILLMENTS_UPDATE'] as const;
export const FULFILLMENT_EVENT_TOPICS = ['FULFILLMENT_EVENTS_CREATE'] as const;
/** Order-hold topics (offered since 2024-xx, present in 2025-01): their payload names no order. */
export const HOLD_TOPICS = [
  'FULFILLMENT_ORDERS_PLACED_ON_HOLD',
  'FULFILLMENT_ORDERS_HOLD_RELEASED',
] as const;
export const COMPLIANCE_TOPICS = [
  'CUSTOMERS_DATA_REQUEST',
  'CUSTOMERS_REDACT',
  'SHOP_REDACT',
] as const;
export const APP_TOPICS = ['APP_UNINSTALLED'] as const;

export type OrderTopic = (typeof ORDER_TOPICS)[number];
export type FulfillmentTopic = (typeof FULFILLMENT_TOPICS)[number];
export type StatusTopic = OrderTopic | FulfillmentTopic | (typeof FULFILLMENT_EVENT_TOPICS)[number];
export type HoldTopic = (typeof HOLD_TOPICS)[number];

const has = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);
export const isStatusTopic = (topic: string): topic is StatusTopic =>
  has(ORDER_TOPICS, topic) ||
  has(FULFILLMENT_TOPICS, topic) ||
  has(FULFILLMENT_EVENT_TOPICS, topic);
export const isHoldTopic = (topic: string): topic is HoldTopic => has(HOLD_TOPICS, topic);

export type NormalizeFailure =
  | { code: 'invalid_payload'; message: string }
  | (NormalizeError & { code: 'unknown_status' | 'unknown_field' | 'ambiguous_status' });

/** What a delivery says, before events the app must complete from what is stored. */
export interface NormalizedDelivery {
  orderRef: string;
  /** Which snapshot this is, for staleness: a whole order, one fulfillment, or a one-off event. */
  snapshot: { kind: 'order' | 'fulfillment' | 'event'; at: string; shipmentId?: string };
  drafts: OrderEventInput[];
  /** Recipients and order facts must come from the order's earlier events (fulfillment events). */
  needsContext: boolean;
  /** What our own write-back would have fingerprinted, if this is its echo. */
  echoFingerprint?: string;
}

export interface DeliveryInput {
  tenantId: string;
  topic: StatusTopic;
  /** `X-Shopify-Webhook-Id`: the same on every retry of one delivery. */
  deliveryId: string;
  payload: unknown;
  /** `X-Shopify-Triggered-At`, when sent; the fallback for `occurredAt`. */
  triggeredAt?: string;
  mappings?: TenantStatusMappings;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;

/** An instant in UTC ISO form, or undefined when the value is not a date. */
export const toInstant = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};

/** The fingerprint an `orders/updated` echo of our own tag write carries. */
export const orderEchoFingerprint = (orderId: string, updatedAt: string): string | undefined => {
  const ms = Date.parse(updatedAt);
  return Number.isFinite(ms) ? `shopify:order:${orderId}@${ms}` : undefined;
};

/** The fingerprint a `fulfillment_events/create` echo of our own fulfillment event carries. */
export const fulfillmentEventFingerprint = (eventId: string): string =>
  `shopify:fulfillment_event:${eventId}`;

const valid = <T>(schema: { safeParse(v: unknown): { success: boolean } }, v: T): T | undefined =>
  v !== undefined && schema.safeParse(v).success ? v : undefined;

const e164 = (phone: unknown): string | undefined => {
  const raw = str(phone);
  if (!raw) return undefined;
  const compact = raw.replace(/[\s().-]/g, '');
  return valid(ContactPointsSchema.shape.sms, compact);
};

/** The customer as a recipient, with only the contact points and facts that validate. */
const customerOf = (
  email: unknown,
  phone: unknown,
  name: string | undefined,
  locale: unknown,
  address: Json | undefined,
): OrderEventInput['recipients'] => {
  const contacts: Record<string, string> = {};
  const mail = valid(ContactPointsSchema.shape.email, str(email));
  if (mail) contacts.email = mail;
  const sms = e164(phone);
  if (sms) contacts.sms = sms;
  const country = valid(RecipientSchema.shape.country, str(address?.country_code)?.toUpperCase());
  const province = str(address?.province_code)?.toUpperCase();
  const region =
    country && province ? valid(RecipientSchema.shape.region, `${country}-${province}`) : undefined;
  const tag = valid(RecipientSchema.shape.locale, str(locale));
  return [
    {
      role: 'customer',
      ...(name ? { name } : {}),
      ...(tag ? { locale: tag } : {}),
      ...(country ? { country } : {}),
      ...(region ? { region } : {}),
      contacts,
    },
  ];
};

const fullName = (first: unknown, last: unknown, fallback?: unknown): string | undefined =>
  [str(first), str(last)].filter(Boolean).join(' ') || str(fallback);

const money = (amount: unknown, currency: unknown) => {
  const a = str(amount);
  const c = str(currency);
  return a && c && /^-?\d+(\.\d+)?$/.test(a) && /^[A-Z]{3}$/.test(c)
    ? { amount: a, currency: c }
    : undefined;
};

const lineItemsOf = (items: unknown, currency: unknown) =>
  (Array.isArray(items) ? items : []).flatMap((item) => {
    if (!isObject(item)) return [];
    const id = idString(item.id);
    const quantity =
      typeof item.current_quantity === 'number' ? item.current_quantity : item.quantity;
    if (!id || typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity <= 0)
      return [];
    const price = money(item.price, currency);
    const sku = str(item.sku);
    const title = str(item.title) ?? str(item.name);
    return [
      {
        id,
        quantity,
        ...(sku ? { sku } : {}),
        ...(title ? { title } : {}),
        ...(price ? { price } : {}),
        categories: [],
      },
    ];
  });

const tagsOf = (tags: unknown): string[] =>
  typeof tags === 'string'
    ? tags
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '')
    : [];

const statusOf = (
  value: string | null,
  field: string,
  mappings: TenantStatusMappings | undefined,
): ReturnType<typeof eventStatusOf> | NormalizeFailure => {
  const n = normalizeStatus('shopify', value, field, mappings ? { mappings } : {});
  if (!n.ok) return n.error as NormalizeFailure;
  return eventStatusOf(n);
};

const isFailure = (v: object): v is NormalizeFailure => 'code' in v && 'message' in v;

type Result = { ok: true; value: NormalizedDelivery } | { ok: false; error: NormalizeFailure };
const invalid = (message: string): Result => ({
  ok: false,
  error: { code: 'invalid_payload', message },
});

const orderDelivery = (input: DeliveryInput, order: Json): Result => {
  const orderRef = idString(order.id);
  if (!orderRef) return invalid('The order has no numeric id.');
  const updatedAt = toInstant(order.updated_at) ?? toInstant(input.triggeredAt);
  if (!updatedAt) return invalid('The order has no updated_at.');
  const customer = isObject(order.customer) ? order.customer : undefined;
  const shipping = isObject(order.shipping_address) ? order.shipping_address : undefined;
  const billing = isObject(order.billing_address) ? order.billing_address : undefined;
  const base = {
    tenantId: input.tenantId,
    source: 'shopify' as const,
    orderRef,
    recipients: customerOf(
      order.email ?? order.contact_email ?? customer?.email,
      order.phone ?? shipping?.phone ?? customer?.phone ?? billing?.phone,
      fullName(customer?.first_name, customer?.last_name, shipping?.name),
      order.customer_locale,
      shipping ?? billing,
    ),
    order: {
      number: str(order.name) ?? `#${String(order.order_number ?? orderRef)}`,
      ...(money(order.total_price, order.currency)
        ? { total: money(order.total_price, order.currency) }
        : {}),
      lineItems: lineItemsOf(order.line_items, order.currency),
      tags: tagsOf(order.tags),
      ...(toInstant(order.created_at) ? { placedAt: toInstant(order.created_at) } : {}),
    },
  };
  const parts: { part: string; value: string | null; field: string; at: string }[] = [];
  const cancelledAt = toInstant(order.cancelled_at);
  if (input.topic === 'ORDERS_CANCELLED' || cancelledAt) {
    parts.push({
      part: 'cancelled',
      value: 'cancelled',
      field: 'order_lifecycle',
      at: cancelledAt ?? updatedAt,
    });
  } else {
    const financial = order.financial_status;
    if (typeof financial === 'string')
      parts.push({ part: 'financial', value: financial, field: 'financial_status', at: updatedAt });
    // Shipment progress arrives on the fulfillment topics; the order only says "all restocked".
    if (order.fulfillment_status === 'restocked')
      parts.push({
        part: 'restocked',
        value: 'restocked',
        field: 'fulfillment_status',
        at: updatedAt,
      });
    const closedAt = toInstant(order.closed_at);
    if (closedAt)
      parts.push({ part: 'closed', value: 'closed', field: 'order_lifecycle', at: closedAt });
  }
  const drafts: OrderEventInput[] = [];
  for (const p of parts) {
    const status = statusOf(p.value, p.field, input.mappings);
    if (isFailure(status)) return { ok: false, error: status };
    drafts.push({
      ...base,
      ...status,
      sourceEventId: `${input.deliveryId}#${p.part}`,
      occurredAt: p.at,
    });
  }
  const rawUpdated = str(order.updated_at);
  const echo = rawUpdated ? orderEchoFingerprint(orderRef, rawUpdated) : undefined;
  return {
    ok: true,
    value: {
      orderRef,
      snapshot: { kind: 'order', at: updatedAt },
      drafts,
      needsContext: false,
      ...(echo ? { echoFingerprint: echo } : {}),
    },
  };
};

const shipmentOf = (f: Json, shipmentId: string) => {
  const trackingUrl =
    str(f.tracking_url) ?? str(Array.isArray(f.tracking_urls) ? f.tracking_urls[0] : undefined);
  const items = (Array.isArray(f.line_items) ? f.line_items : []).flatMap((li) => {
    if (!isObject(li)) return [];
    const id = idString(li.id);
    return id && typeof li.quantity === 'number' && li.quantity > 0
      ? [{ lineItemId: id, quantity: li.quantity }]
      : [];
  });
  const carrier = str(f.tracking_company);
  const trackingNumber =
    str(f.tracking_number) ??
    str(Array.isArray(f.tracking_numbers) ? f.tracking_numbers[0] : undefined);
  return {
    id: shipmentId,
    ...(carrier ? { carrier } : {}),
    ...(trackingNumber ? { trackingNumber } : {}),
    ...(valid(ShipmentSchema.shape.trackingUrl, trackingUrl) ? { trackingUrl } : {}),
    ...(items.length > 0 ? { items } : {}),
  };
};

const fulfillmentDelivery = (input: DeliveryInput, f: Json): Result => {
  const orderRef = idString(f.order_id);
  const shipmentId = idString(f.id);
  if (!orderRef || !shipmentId) return invalid('The fulfillment has no order_id or id.');
  const at = toInstant(f.updated_at) ?? toInstant(input.triggeredAt);
  if (!at) return invalid('The fulfillment has no updated_at.');
  const destination = isObject(f.destination) ? f.destination : undefined;
  const base = {
    tenantId: input.tenantId,
    source: 'shopify' as const,
    orderRef,
    occurredAt: at,
    shipment: shipmentOf(f, shipmentId),
    recipients: customerOf(
      f.email,
      destination?.phone,
      fullName(destination?.first_name, destination?.last_name, destination?.name),
      undefined,
      destination,
    ),
    // `#9999.1` is the first fulfillment of order `#9999`.
    order: { number: (str(f.name) ?? `#${orderRef}`).replace(/\.\d+$/, '') },
  };
  const status = typeof f.status === 'string' ? f.status : null;
  const shipment = typeof f.shipment_status === 'string' ? f.shipment_status : null;
  const drafts: OrderEventInput[] = [];
  const fulfillment = statusOf(status, 'fulfillment.status', input.mappings);
  if (isFailure(fulfillment)) return { ok: false, error: fulfillment };
  const carrier =
    shipment === null ? undefined : statusOf(shipment, 'shipment_status', input.mappings);
  if (carrier && isFailure(carrier)) return { ok: false, error: carrier };
  // A carrier rung (in transit, delivered) implies the dispatch; telling both would say two things.
  const carrierMovesRung = carrier !== undefined && carrier.overlay === undefined;
  if (!(carrierMovesRung && fulfillment.status === 'dispatched'))
    drafts.push({ ...base, ...fulfillment, sourceEventId: `${input.deliveryId}#status` });
  if (carrier) drafts.push({ ...base, ...carrier, sourceEventId: `${input.deliveryId}#shipment` });
  return {
    ok: true,
    value: {
      orderRef,
      snapshot: { kind: 'fulfillment', at, shipmentId },
      drafts,
      needsContext: false,
    },
  };
};

const fulfillmentEventDelivery = (input: DeliveryInput, e: Json): Result => {
  const orderRef = idString(e.order_id);
  const shipmentId = idString(e.fulfillment_id);
  const eventId = idString(e.id);
  if (!orderRef || !shipmentId || !eventId)
    return invalid('The fulfillment event has no order_id, fulfillment_id or id.');
  const at = toInstant(e.happened_at) ?? toInstant(e.created_at) ?? toInstant(input.triggeredAt);
  if (!at) return invalid('The fulfillment event has no happened_at.');
  const value = typeof e.status === 'string' ? e.status : null;
  const status = statusOf(value, 'shipment_status', input.mappings);
  if (isFailure(status)) return { ok: false, error: status };
  const eta = toInstant(e.estimated_delivery_at)?.slice(0, 10);
  const overlay =
    status.overlay?.kind === 'delayed' && eta
      ? { ...status.overlay, promisedDate: eta }
      : status.overlay;
  return {
    ok: true,
    value: {
      orderRef,
      snapshot: { kind: 'event', at, shipmentId },
      drafts: [
        {
          tenantId: input.tenantId,
          source: 'shopify',
          orderRef,
          occurredAt: at,
          ...status,
          ...(overlay ? { overlay } : {}),
          sourceEventId: `${input.deliveryId}#event`,
          shipment: { id: shipmentId },
          recipients: [],
          order: { number: `#${orderRef}` },
        },
      ],
      needsContext: true,
      echoFingerprint: fulfillmentEventFingerprint(eventId),
    },
  };
};

/** Normalizes one status delivery; the payload must have been parsed with ids kept as strings. */
export const normalizeDelivery = (input: DeliveryInput): Result => {
  if (!isObject(input.payload)) return invalid('The payload is not a JSON object.');
  if (has(ORDER_TOPICS, input.topic)) return orderDelivery(input, input.payload);
  if (has(FULFILLMENT_TOPICS, input.topic)) return fulfillmentDelivery(input, input.payload);
  return fulfillmentEventDelivery(input, input.payload);
};

/**
 * Fills recipients and order facts a delivery lacks from the order's last stored event, and the
 * shipment's carrier and tracking from that shipment's last event.
 */
export const withContext = (
  draft: OrderEventInput,
  last: OrderEvent | undefined,
  ofShipment: OrderEvent | undefined,
): OrderEventInput => ({
  ...draft,
  ...(last
    ? {
        recipients: (draft.recipients ?? []).length > 0 ? draft.recipients : last.recipients,
        order: { ...last.order },
      }
    : {}),
  ...(draft.shipment && ofShipment?.shipment?.id === draft.shipment.id
    ? { shipment: { ...ofShipment.shipment, ...draft.shipment } }
    : {}),
});

/** Validates drafts into events, naming the first problem (never the value). */
export const finishDrafts = (
  drafts: readonly OrderEventInput[],
):
  | { ok: true; events: OrderEvent[] }
  | { ok: false; error: { code: 'invalid_event'; message: string } } => {
  const events: OrderEvent[] = [];
  for (const draft of drafts) {
    const parsed = parseOrderEvent(draft);
    if (!parsed.ok)
      return { ok: false, error: { code: 'invalid_event', message: parsed.error.message } };
    events.push(parsed.event);
  }
  return { ok: true, events };
};
