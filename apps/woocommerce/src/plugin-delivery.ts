/**
 * @module What the plugin POSTs to `/woocommerce/events` (schema 1), validated, and turned into a
 * canonical `OrderEvent`. The PHP side builds it in `class-tidings-payload.php`; field names are
 * snake_case as PHP writes them.
 */
import {
  eventStatusOf,
  normalizeStatus,
  type OrderEvent,
  type OrderEventInput,
  parseOrderEvent,
  type TenantStatusMappings,
} from '@tidings/core';
import {
  customerRecipient,
  lineItemOf,
  moneyOf,
  shipmentFor,
  type Tracking,
} from './order-facts.ts';
import { DELIVERY_ID_PATTERN } from './plugin-signature.ts';

export const PLUGIN_EVENTS = ['order.created', 'order.status_changed', 'ping'] as const;
export type PluginEventName = (typeof PLUGIN_EVENTS)[number];

export interface PluginOrder {
  id: number;
  number: string;
  statusFrom: string | null;
  statusTo: string;
  changedAt: string;
  createdAt: string | null;
  currency: string | undefined;
  total: string | undefined;
  customer: {
    id: number;
    email: string | undefined;
    phone: string | undefined;
    firstName: string | undefined;
    lastName: string | undefined;
    country: string | undefined;
    state: string | undefined;
    locale: string | undefined;
  };
  items: {
    id: number;
    productId: number | undefined;
    sku: string | undefined;
    name: string | undefined;
    quantity: number;
    total: string | undefined;
    categories: string[];
  }[];
  tracking: Tracking[];
}

export type PluginDelivery =
  | { event: 'ping'; deliveryId: string; siteUrl: string | undefined }
  | {
      event: 'order.created' | 'order.status_changed';
      deliveryId: string;
      siteUrl: string | undefined;
      order: PluginOrder;
    };

export interface DeliveryIssue {
  path: string;
  message: string;
}

export type ParsedDelivery =
  | { ok: true; delivery: PluginDelivery }
  | { ok: false; error: { code: 'invalid_request'; message: string; issues: DeliveryIssue[] } };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SLUG = /^[a-z0-9_-]{1,40}$/;

/** Reads fields, collecting issues by path so one answer names everything that is wrong. */
const reader = (issues: DeliveryIssue[]) => {
  const fail = (path: string, message: string): undefined => {
    issues.push({ path, message });
    return undefined;
  };
  const optText = (o: Obj, key: string, path: string): string | undefined => {
    const v = o[key];
    if (v === undefined || v === null || v === '') return undefined;
    return typeof v === 'string' ? v : fail(`${path}.${key}`, 'must be a string');
  };
  const int = (o: Obj, key: string, path: string, min = 0): number | undefined => {
    const v = o[key];
    return typeof v === 'number' && Number.isInteger(v) && v >= min
      ? v
      : fail(`${path}.${key}`, `must be an integer ≥ ${min}`);
  };
  return { fail, optText, int };
};

const parseOrder = (raw: unknown, issues: DeliveryIssue[]): PluginOrder | undefined => {
  const { fail, optText, int } = reader(issues);
  if (!isObj(raw)) return fail('order', 'must be an object');
  const id = int(raw, 'id', 'order', 1);
  const number = optText(raw, 'number', 'order') ?? (id !== undefined ? String(id) : undefined);
  const statusTo = optText(raw, 'status_to', 'order');
  if (statusTo === undefined) fail('order.status_to', 'is required');
  else if (!SLUG.test(statusTo)) fail('order.status_to', 'must be a status slug');
  const statusFrom = optText(raw, 'status_from', 'order');
  if (statusFrom !== undefined && !SLUG.test(statusFrom)) {
    fail('order.status_from', 'must be a status slug or null');
  }
  const changedAt = optText(raw, 'changed_at', 'order');
  if (changedAt === undefined || !ISO.test(changedAt)) {
    fail('order.changed_at', 'must be an ISO 8601 instant with an offset');
  }
  const createdAt = optText(raw, 'created_at', 'order');
  if (createdAt !== undefined && !ISO.test(createdAt)) {
    fail('order.created_at', 'must be an ISO 8601 instant with an offset');
  }
  const customerRaw = raw.customer ?? {};
  if (!isObj(customerRaw)) fail('order.customer', 'must be an object');
  const c = isObj(customerRaw) ? customerRaw : {};
  const itemsRaw = raw.items ?? [];
  if (!Array.isArray(itemsRaw)) fail('order.items', 'must be an array');
  const items: PluginOrder['items'] = [];
  (Array.isArray(itemsRaw) ? itemsRaw : []).forEach((item, i) => {
    const path = `order.items.${i}`;
    if (!isObj(item)) {
      fail(path, 'must be an object');
      return;
    }
    const itemId = int(item, 'id', path);
    const quantity = int(item, 'quantity', path);
    const categories = item.categories ?? [];
    if (!Array.isArray(categories) || !categories.every((x) => typeof x === 'string')) {
      fail(`${path}.categories`, 'must be an array of strings');
    }
    const productId = item.product_id;
    if (itemId === undefined || quantity === undefined) return;
    items.push({
      id: itemId,
      productId: typeof productId === 'number' ? productId : undefined,
      sku: optText(item, 'sku', path),
      name: optText(item, 'name', path),
      quantity,
      total: optText(item, 'total', path),
      categories: Array.isArray(categories) ? categories.filter((x) => typeof x === 'string') : [],
    });
  });
  const trackingRaw = raw.tracking ?? [];
  if (!Array.isArray(trackingRaw)) fail('order.tracking', 'must be an array');
  const tracking: Tracking[] = [];
  (Array.isArray(trackingRaw) ? trackingRaw : []).forEach((t, i) => {
    const path = `order.tracking.${i}`;
    if (!isObj(t)) {
      fail(path, 'must be an object');
      return;
    }
    const trackingNumber = optText(t, 'number', path);
    if (trackingNumber === undefined) {
      fail(`${path}.number`, 'is required');
      return;
    }
    const carrier = optText(t, 'carrier', path);
    const url = optText(t, 'url', path);
    tracking.push({
      number: trackingNumber,
      ...(carrier ? { carrier } : {}),
      ...(url ? { url } : {}),
    });
  });
  const customerId = c.id;
  if (
    id === undefined ||
    number === undefined ||
    statusTo === undefined ||
    changedAt === undefined ||
    issues.length > 0
  ) {
    return undefined;
  }
  return {
    id,
    number,
    statusFrom: statusFrom ?? null,
    statusTo,
    changedAt,
    createdAt: createdAt ?? null,
    currency: optText(raw, 'currency', 'order'),
    total: optText(raw, 'total', 'order'),
    customer: {
      id: typeof customerId === 'number' ? customerId : 0,
      email: optText(c, 'email', 'order.customer'),
      phone: optText(c, 'phone', 'order.customer'),
      firstName: optText(c, 'first_name', 'order.customer'),
      lastName: optText(c, 'last_name', 'order.customer'),
      country: optText(c, 'country', 'order.customer'),
      state: optText(c, 'state', 'order.customer'),
      locale: optText(c, 'locale', 'order.customer'),
    },
    items,
    tracking,
  };
};

/** Validates the plugin's JSON body; issues name paths and rules, never values. */
export const parsePluginDelivery = (body: unknown): ParsedDelivery => {
  const issues: DeliveryIssue[] = [];
  const { fail, optText } = reader(issues);
  const invalid = (): ParsedDelivery => ({
    ok: false,
    error: {
      code: 'invalid_request',
      message: `The delivery is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    },
  });
  if (!isObj(body)) {
    fail('(root)', 'must be a JSON object');
    return invalid();
  }
  if (body.schema !== 1) fail('schema', 'must be 1');
  const event = body.event;
  if (typeof event !== 'string' || !(PLUGIN_EVENTS as readonly string[]).includes(event)) {
    fail('event', `must be one of ${PLUGIN_EVENTS.join(', ')}`);
  }
  const deliveryId = optText(body, 'delivery_id', '');
  if (deliveryId === undefined || !DELIVERY_ID_PATTERN.test(deliveryId)) {
    fail('delivery_id', 'must be 8–64 letters, digits or dashes');
  }
  const siteUrl = optText(body, 'site_url', '');
  if (issues.length > 0 || deliveryId === undefined) return invalid();
  if (event === 'ping') return { ok: true, delivery: { event: 'ping', deliveryId, siteUrl } };
  const order = parseOrder(body.order, issues);
  if (!order) return invalid();
  return {
    ok: true,
    delivery: {
      event: event === 'order.created' ? 'order.created' : 'order.status_changed',
      deliveryId,
      siteUrl,
      order,
    },
  };
};

export type DeliveryEventResult =
  | { ok: true; event: OrderEvent }
  | {
      ok: false;
      error: {
        code: 'unknown_status' | 'invalid_event';
        message: string;
        issues?: DeliveryIssue[];
      };
    };

/**
 * The canonical event for one plugin delivery. The previous status is kept when it means a
 * canonical status (`ignore`d drafts do not); an unknown new status — an extension's own — is an
 * error naming it, so the tenant adds a mapping rather than losing the change.
 */
export const pluginDeliveryToEvent = (
  tenantId: string,
  deliveryId: string,
  order: PluginOrder,
  mappings: TenantStatusMappings,
): DeliveryEventResult => {
  const normalized = normalizeStatus('woocommerce', order.statusTo, 'status', { mappings });
  if (!normalized.ok) {
    return { ok: false, error: { code: 'unknown_status', message: normalized.error.message } };
  }
  const previous =
    order.statusFrom === null
      ? undefined
      : normalizeStatus('woocommerce', order.statusFrom, 'status', { mappings });
  const recipient = customerRecipient({
    customerId: order.customer.id,
    email: order.customer.email,
    phone: order.customer.phone,
    firstName: order.customer.firstName,
    lastName: order.customer.lastName,
    country: order.customer.country,
    state: order.customer.state,
    locale: order.customer.locale,
  });
  const total = moneyOf(order.total, order.currency);
  const shipment = shipmentFor(normalized.status, order.tracking);
  const input: OrderEventInput = {
    tenantId,
    source: 'woocommerce',
    sourceEventId: `plugin:${deliveryId}`,
    orderRef: String(order.id),
    occurredAt: order.changedAt,
    ...eventStatusOf(normalized),
    ...(previous?.ok && previous.status !== 'ignore' ? { previousStatus: previous.status } : {}),
    ...(shipment ? { shipment } : {}),
    recipients: recipient ? [recipient] : [],
    order: {
      number: order.number,
      ...(total ? { total } : {}),
      ...(order.createdAt ? { placedAt: order.createdAt } : {}),
      lineItems: order.items.flatMap((item) => {
        const li = lineItemOf(item, order.currency);
        return li ? [li] : [];
      }),
    },
  };
  const parsed = parseOrderEvent(input);
  return parsed.ok
    ? parsed
    : {
        ok: false,
        error: {
          code: 'invalid_event',
          message: parsed.error.message,
          issues: parsed.error.issues,
        },
      };
};
