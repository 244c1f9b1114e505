/**
 * @module A built-in webhook's payload — the REST API v3 order (`GET /wc/v3/orders/{id}`, built
 * at delivery time) — as a canonical `OrderEvent`. It carries no previous status (the engine's
 * stored state supplies it) and no event id, so the dedupe key is the order's own
 * (id, `date_modified_gmt`, status): a coalesced or repeated delivery of one state is one event.
 */
import {
  eventStatusOf,
  normalizeStatus,
  type OrderEventInput,
  parseOrderEvent,
  type TenantStatusMappings,
} from '@tidings/core';
import {
  customerRecipient,
  lineItemOf,
  moneyOf,
  shipmentFor,
  trackingFromMeta,
} from './order-facts.ts';
import type { DeliveryEventResult, DeliveryIssue } from './plugin-delivery.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** REST `*_gmt` dates have no offset: `2017-03-22T19:28:08`. */
const GMT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;

export interface RestOrderContext {
  tenantId: string;
  mappings: TenantStatusMappings;
  /** The site's locale, for customers without one of their own (REST orders carry none). */
  siteLocale?: string;
}

/** The dedupe key of one order state. */
export const restOrderEventId = (id: number, modifiedGmt: string, status: string): string =>
  `webhook:${id}:${modifiedGmt}:${status}`;

export const restOrderToEvent = (
  payload: unknown,
  context: RestOrderContext,
): DeliveryEventResult => {
  const issues: DeliveryIssue[] = [];
  const invalid = (): DeliveryEventResult => ({
    ok: false,
    error: {
      code: 'invalid_event',
      message: `The order is not valid: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    },
  });
  if (!isObj(payload)) {
    issues.push({ path: '(root)', message: 'must be a JSON object (a REST v3 order)' });
    return invalid();
  }
  const id = payload.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 1) {
    issues.push({ path: 'id', message: 'must be a positive integer' });
  }
  const status = str(payload.status);
  if (!status) issues.push({ path: 'status', message: 'is required' });
  const modified = str(payload.date_modified_gmt) ?? str(payload.date_created_gmt);
  if (!modified || !GMT.test(modified)) {
    issues.push({ path: 'date_modified_gmt', message: 'must be a GMT date-time' });
  }
  if (typeof id !== 'number' || !status || !modified || issues.length > 0) return invalid();

  const normalized = normalizeStatus('woocommerce', status, 'status', {
    mappings: context.mappings,
  });
  if (!normalized.ok) {
    return { ok: false, error: { code: 'unknown_status', message: normalized.error.message } };
  }
  const billing = isObj(payload.billing) ? payload.billing : {};
  const shipping = isObj(payload.shipping) ? payload.shipping : {};
  const recipient = customerRecipient({
    customerId: typeof payload.customer_id === 'number' ? payload.customer_id : 0,
    email: str(billing.email),
    phone: str(billing.phone) ?? str(shipping.phone),
    firstName: str(billing.first_name),
    lastName: str(billing.last_name),
    country: str(billing.country),
    state: str(billing.state),
    locale: context.siteLocale,
  });
  const currency = payload.currency;
  const total = moneyOf(payload.total, currency);
  const meta = Array.isArray(payload.meta_data) ? payload.meta_data : [];
  const shipment = shipmentFor(normalized.status, trackingFromMeta(meta));
  const lines = Array.isArray(payload.line_items) ? payload.line_items : [];
  const created = str(payload.date_created_gmt);
  const input: OrderEventInput = {
    tenantId: context.tenantId,
    source: 'woocommerce',
    sourceEventId: restOrderEventId(id, modified, status),
    orderRef: String(id),
    occurredAt: `${modified}Z`,
    ...eventStatusOf(normalized),
    ...(shipment ? { shipment } : {}),
    recipients: recipient ? [recipient] : [],
    order: {
      number: str(payload.number) ?? String(id),
      ...(total ? { total } : {}),
      ...(created && GMT.test(created) ? { placedAt: `${created}Z` } : {}),
      // REST line items carry no categories; the plugin path does.
      lineItems: lines.flatMap((line) => {
        if (!isObj(line) || typeof line.id !== 'number' || typeof line.quantity !== 'number') {
          return [];
        }
        const item = lineItemOf(
          {
            id: line.id,
            sku: str(line.sku),
            name: str(line.name),
            quantity: line.quantity,
            total: line.total,
          },
          currency,
        );
        return item ? [item] : [];
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
