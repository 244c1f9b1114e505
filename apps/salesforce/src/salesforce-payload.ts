/**
 * @module The body Apex (or a Flow through External Services) posts to `POST /salesforce/events`,
 * validated by hand (it is small), and turned into canonical `OrderEvent`s through the tenant's
 * Order Status mappings. Issues name paths, never values, so they are safe to return and log.
 */
import {
  CUSTOMER_CHANNELS,
  type CustomerChannel,
  eventStatusOf,
  normalizeStatus,
  type OrderEventInput,
  type TenantConfig,
  type TenantStatusMappings,
} from '@tidings/core';

/** Most events in one request: one Apex trigger chunk. */
export const MAX_EVENTS_PER_REQUEST = 200;

export interface SalesforceCustomer {
  name?: string;
  email?: string;
  phone?: string;
  locale?: string;
}

/** One Order status change as Apex sends it (sources.md §3.4). */
export interface SalesforceOrderEvent {
  orderId: string;
  orderNumber: string;
  status: string;
  statusCode?: string;
  previousStatus?: string;
  lastModifiedDate: string;
  template?: string;
  channel?: string;
  customer?: SalesforceCustomer;
}

export interface SalesforceEnvelope {
  orgId: string;
  sentAt: string;
  events: unknown[];
}

const RECORD_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:?\d{2})$/;
const KEY = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown, max = 255): v is string =>
  typeof v === 'string' && v.trim() !== '' && v.length <= max;

/** Reads the envelope; the events themselves are checked one by one. */
export const readEnvelope = (
  body: unknown,
): { ok: true; envelope: SalesforceEnvelope } | { ok: false; issues: string[] } => {
  if (!isRecord(body)) return { ok: false, issues: ['(root): must be a JSON object'] };
  const issues: string[] = [];
  if (!text(body.orgId, 18)) issues.push('orgId: must be the org id');
  if (typeof body.sentAt !== 'string' || !ISO_INSTANT.test(body.sentAt))
    issues.push('sentAt: must be an ISO 8601 instant');
  if (!Array.isArray(body.events) || body.events.length === 0)
    issues.push('events: must be a non-empty array');
  else if (body.events.length > MAX_EVENTS_PER_REQUEST)
    issues.push(`events: at most ${MAX_EVENTS_PER_REQUEST} per request`);
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    envelope: {
      orgId: body.orgId as string,
      sentAt: body.sentAt as string,
      events: body.events as unknown[],
    },
  };
};

/** Checks one event's shape; the reason is a list of paths and rules. */
export const readEvent = (
  raw: unknown,
): { ok: true; event: SalesforceOrderEvent } | { ok: false; issues: string[] } => {
  if (!isRecord(raw)) return { ok: false, issues: ['(event): must be an object'] };
  const issues: string[] = [];
  if (typeof raw.orderId !== 'string' || !RECORD_ID.test(raw.orderId))
    issues.push('orderId: must be a Salesforce record id');
  if (!text(raw.orderNumber)) issues.push('orderNumber: required');
  if (!text(raw.status)) issues.push('status: must be the Order Status API name');
  for (const key of ['statusCode', 'previousStatus'] as const) {
    if (raw[key] !== undefined && !text(raw[key]))
      issues.push(`${key}: must be a non-empty string`);
  }
  if (typeof raw.lastModifiedDate !== 'string' || !ISO_INSTANT.test(raw.lastModifiedDate))
    issues.push('lastModifiedDate: must be an ISO 8601 instant');
  if (raw.template !== undefined && (typeof raw.template !== 'string' || !KEY.test(raw.template)))
    issues.push('template: must be a template key like "order_update"');
  if (raw.channel !== undefined && !(CUSTOMER_CHANNELS as readonly unknown[]).includes(raw.channel))
    issues.push(`channel: must be one of ${CUSTOMER_CHANNELS.join(', ')}`);
  if (raw.customer !== undefined) {
    if (!isRecord(raw.customer)) issues.push('customer: must be an object');
    else {
      for (const key of ['name', 'email', 'phone', 'locale'] as const) {
        const v = raw.customer[key];
        if (v !== undefined && !text(v)) issues.push(`customer.${key}: must be a non-empty string`);
      }
    }
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, event: raw as unknown as SalesforceOrderEvent };
};

/** The dedupe key sources.md §12 names: `orderId:status:LastModifiedDate`. */
export const salesforceEventId = (e: SalesforceOrderEvent): string =>
  `${e.orderId}:${e.status}:${e.lastModifiedDate}`;

export type ToOrderEventResult =
  | { ok: true; input: OrderEventInput }
  | { ok: false; code: string; message: string };

/** Normalizes the Order Status through the tenant's mappings and builds the `OrderEvent` input. */
export const toOrderEventInput = (
  orgId: string,
  e: SalesforceOrderEvent,
  config: TenantConfig,
): ToOrderEventResult => {
  // zod infers optional keys as `| undefined`; parsed values never hold one (same cast as sources).
  const mappings = { mappings: config.statusMappings as TenantStatusMappings };
  const normalized = normalizeStatus('salesforce', e.status, 'Status', mappings);
  if (!normalized.ok) {
    return { ok: false, code: normalized.error.code, message: normalized.error.message };
  }
  const previous =
    e.previousStatus === undefined
      ? undefined
      : normalizeStatus('salesforce', e.previousStatus, 'Status', mappings);
  const tags = [
    ...(e.template ? [`template:${e.template}`] : []),
    ...(e.channel ? [`channel:${e.channel}`] : []),
  ];
  const c = e.customer;
  const contacts = {
    ...(c?.email ? { email: c.email } : {}),
    ...(c?.phone ? { sms: c.phone } : {}),
  };
  return {
    ok: true,
    input: {
      tenantId: orgId,
      source: 'salesforce',
      sourceEventId: salesforceEventId(e),
      orderRef: e.orderId,
      occurredAt: e.lastModifiedDate,
      ...eventStatusOf(normalized),
      ...(previous?.ok && previous.status !== 'ignore' ? { previousStatus: previous.status } : {}),
      recipients:
        Object.keys(contacts).length > 0
          ? [
              {
                role: 'customer',
                ...(c?.name ? { name: c.name } : {}),
                ...(c?.locale ? { locale: c.locale } : {}),
                contacts,
              },
            ]
          : [],
      // Core's per-event choice: the planner uses this template and channel for the customer
      // (consent and compliance still apply); the tags stay for rules that match on them.
      ...(e.template || e.channel
        ? {
            notify: {
              ...(e.template ? { template: e.template } : {}),
              ...(e.channel ? { channels: [e.channel as CustomerChannel] } : {}),
            },
          }
        : {}),
      order: { number: e.orderNumber, tags },
    },
  };
};
