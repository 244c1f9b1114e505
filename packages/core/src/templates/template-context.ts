/**
 * @module The variables templates see, built from an event and the order's state: plain JSON in
 * snake_case (as Shopify merchants write Liquid), every documented key always present (null when
 * unknown), and never a phone number or an e-mail address.
 */
import type { Money, OrderEvent, Recipient } from '../order-event.ts';
import { activeShipments, type OrderState, reached, type ShipmentState } from '../order-state.ts';
import { isProgress, type OverlayKind, type ProgressStatus } from '../statuses.ts';

export interface TemplateItem {
  title: string | null;
  quantity: number;
}

export interface TemplateShipment {
  id: string;
  carrier: string | null;
  tracking_number: string | null;
  tracking_url: string | null;
  /** Collected at a pickup point rather than delivered. */
  pickup: boolean;
  items: TemplateItem[];
}

export interface TemplateSplit {
  /** Two or more active shipments. */
  is_split: boolean;
  shipment_count: number;
  /** Every other shipment had already shipped: this one completes the dispatch. */
  is_last_to_ship: boolean;
  /** Every other shipment had already arrived: this one completes the delivery. */
  is_last_to_deliver: boolean;
  /** `is_last_to_deliver` for delivered/completed news, else `is_last_to_ship`. */
  is_last: boolean;
}

export interface TemplateContext {
  shop_name: string;
  /** The recipient's locale and IANA time zone, as the planner resolved them. */
  locale: string;
  time_zone: string;
  /** The event's canonical status. */
  status: string;
  previous_status: string | null;
  occurred_at: string;
  customer: { first_name: string | null };
  order: {
    number: string;
    total: Money | null;
    item_count: number;
    items: TemplateItem[];
    placed_at: string | null;
    promised_date: string | null;
  };
  overlay: { kind: OverlayKind; reason: string | null; promised_date: string | null } | null;
  shipment: TemplateShipment | null;
  split: TemplateSplit;
  /** Well-known extras from the planner; null unless given. */
  cancel_url: string | null;
  withdrawal_deadline: string | null;
  revised_date: string | null;
  [extra: string]: unknown;
}

export interface TemplateContextOptions {
  shopName: string;
  recipient?: Recipient;
  locale: string;
  timeZone: string;
  /** Further variables (`cancelUrl`, `withdrawalDeadline`, `revisedDate`, …), keys snake_cased. */
  extras?: Record<string, unknown>;
}

const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
/** International numbers (+…, 00…) and North American ones written (514) 555-0100 or alike. */
const PHONE = /^(?:(?:\+|00)[1-9][\d\s().-]{6,18}|\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4})$/;

/**
 * Contact data must not reach copy: a string that looks like an e-mail address or a phone number
 * is dropped. Dates and bare digit runs (tracking numbers) are kept.
 */
const looksLikeContact = (value: string): boolean => EMAIL.test(value) || PHONE.test(value.trim());

const snakeCase = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[-\s]+/g, '_')
    .toLowerCase();

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/**
 * Copies `value` as plain data. liquidjs calls functions it reads, and class instances carry
 * prototypes, so only JSON-like values survive (a valid `Date` becomes its ISO string).
 */
const plainData = (value: unknown, depth = 0): unknown => {
  if (depth > 8) return undefined;
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return looksLikeContact(value) ? undefined : value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  if (Array.isArray(value)) {
    return value.map((v) => plainData(v, depth + 1)).filter((v) => v !== undefined);
  }
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const copy = plainData(v, depth + 1);
      if (copy !== undefined) out[k] = copy;
    }
    return out;
  }
  return undefined;
};

const firstName = (recipient: Recipient | undefined): string | null => {
  const name = recipient?.name?.trim();
  if (name === undefined || name === '' || looksLikeContact(name)) return null;
  return name.split(/\s+/)[0] ?? null;
};

const shipmentOf = (event: OrderEvent, state: OrderState): ShipmentState | undefined => {
  if (event.shipment !== undefined) return state.shipments.find((s) => s.id === event.shipment?.id);
  // An order-level event on a single-parcel order speaks of that parcel.
  const active = activeShipments(state);
  return active.length === 1 ? active[0] : undefined;
};

const itemTitles = (event: OrderEvent): Map<string, string | undefined> =>
  new Map(event.order.lineItems.map((item) => [item.id, item.title]));

const buildShipment = (event: OrderEvent, state: OrderState): TemplateShipment | null => {
  const known = shipmentOf(event, state);
  const given = event.shipment;
  const id = given?.id ?? known?.id;
  if (id === undefined) return null;
  const titles = itemTitles(event);
  return {
    id,
    carrier: given?.carrier ?? known?.carrier ?? null,
    tracking_number: given?.trackingNumber ?? known?.trackingNumber ?? null,
    tracking_url: given?.trackingUrl ?? known?.trackingUrl ?? null,
    pickup: event.pickup ?? known?.pickup ?? false,
    items: (given?.items ?? []).map((line) => ({
      title: titles.get(line.lineItemId) ?? null,
      quantity: line.quantity,
    })),
  };
};

/** Whether every active shipment other than `shipmentId` has reached `rung`, and this one too. */
const allReached = (
  state: OrderState,
  event: OrderEvent,
  shipmentId: string | null,
  rung: ProgressStatus,
): boolean => {
  const eventRung = isProgress(event.status) ? event.status : null;
  return activeShipments(state).every((s) => {
    if (s.id === shipmentId && eventRung !== null && reached(eventRung, rung)) return true;
    return reached(s.progress, rung);
  });
};

const buildSplit = (event: OrderEvent, state: OrderState, shipmentId: string | null) => {
  const count = activeShipments(state).length;
  const isSplit = count >= 2;
  const lastToShip = isSplit && allReached(state, event, shipmentId, 'dispatched');
  const lastToDeliver = isSplit && allReached(state, event, shipmentId, 'delivered');
  const aboutDelivery = event.status === 'delivered' || event.status === 'completed';
  return {
    is_split: isSplit,
    shipment_count: count,
    is_last_to_ship: lastToShip,
    is_last_to_deliver: lastToDeliver,
    is_last: aboutDelivery ? lastToDeliver : lastToShip,
  };
};

const buildOverlay = (event: OrderEvent, state: OrderState): TemplateContext['overlay'] => {
  if (event.overlay !== undefined) {
    return {
      kind: event.overlay.kind,
      reason: event.overlay.reason ?? null,
      promised_date: event.overlay.promisedDate ?? null,
    };
  }
  const kind = event.status;
  if (
    kind !== 'on_hold' &&
    kind !== 'delayed' &&
    kind !== 'exception' &&
    kind !== 'split_shipment'
  ) {
    return null;
  }
  const known = [...(shipmentOf(event, state)?.overlays ?? []), ...state.overlays].find(
    (o) => o.kind === kind,
  );
  return { kind, reason: known?.reason ?? null, promised_date: known?.promisedDate ?? null };
};

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * Builds the plain variables object templates render against, from the event, the order's state
 * (after the event) and the planner's options; contact points never enter it.
 */
export const buildTemplateContext = (
  event: OrderEvent,
  state: OrderState,
  options: TemplateContextOptions,
): TemplateContext => {
  const recipient =
    options.recipient ?? event.recipients.find((r) => r.role === 'customer') ?? undefined;
  const items = event.order.lineItems.map((item) => ({
    title: item.title ?? null,
    quantity: item.quantity,
  }));
  const shipment = buildShipment(event, state);
  const overlay = buildOverlay(event, state);
  const extras: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.extras ?? {})) {
    const copy = plainData(value);
    if (copy !== undefined) extras[snakeCase(key)] = copy;
  }
  const revised = stringOrNull(extras.revised_date);
  return {
    ...extras,
    shop_name: options.shopName,
    locale: options.locale,
    time_zone: options.timeZone,
    status: event.status,
    previous_status: event.previousStatus ?? null,
    occurred_at: event.occurredAt,
    customer: { first_name: firstName(recipient) },
    order: {
      number: event.order.number,
      total: event.order.total ?? null,
      item_count: items.reduce((sum, item) => sum + item.quantity, 0),
      items,
      placed_at: event.order.placedAt ?? null,
      promised_date: event.order.promisedDate ?? null,
    },
    overlay,
    shipment,
    split: buildSplit(event, state, shipment?.id ?? null),
    cancel_url: stringOrNull(extras.cancel_url),
    withdrawal_deadline: stringOrNull(extras.withdrawal_deadline),
    revised_date: revised ?? (overlay?.kind === 'delayed' ? overlay.promised_date : null),
  };
};
