/**
 * @module What a Zendesk webhook delivers, mapped to an `OrderEvent`. Two shapes are accepted:
 * the JSON body template trigger authors paste into the webhook action (placeholders rendered by
 * Zendesk, see README) and the plain ticket-event payload (`zen:event-type:ticket.*`). Zendesk
 * sends no delivery id for trigger webhooks (sources.md §5.3), so the template's dedupe key is a
 * hash of the body: a redelivery repeats the same rendered bytes, a new trigger run renders anew.
 */
import { createHash } from 'node:crypto';
import {
  eventStatusOf,
  type NormalizedStatus,
  normalizeStatus,
  type OrderEvent,
  parseOrderEvent,
  type Recipient,
  type TenantConfig,
  type TenantStatusMappings,
} from '@tidings/core';
import { zendeskEchoKey } from './echo-key.ts';

/** The version marker the documented template carries. */
export const TEMPLATE_VERSION = 'zendesk-trigger/1';

export const PAYLOAD_ERROR_CODES = [
  'unrecognised_payload',
  'invalid_payload',
  'missing_order_ref',
  'no_order_status',
  'unknown_status',
  'ambiguous_status',
  'invalid_event',
] as const;
export type PayloadErrorCode = (typeof PAYLOAD_ERROR_CODES)[number];

export interface PayloadError {
  code: PayloadErrorCode;
  message: string;
  issues?: { path: string; message: string }[];
}

export type MappedPayload =
  | {
      ok: true;
      kind: 'event';
      event: OrderEvent;
      ticketId: string;
      /** Compared with the fingerprints our write-backs left (see echo-key.ts). */
      echoKey: string;
    }
  | { ok: true; kind: 'ignored'; reason: string }
  | { ok: false; error: PayloadError };

/**
 * zod infers `TenantConfig['statusMappings']` with `| undefined` on optional keys, which
 * `exactOptionalPropertyTypes` will not assign to core's `TenantStatusMappings`; parsed values
 * never hold an explicit `undefined`, so the two are the same data.
 */
export const tenantMappings = (m: TenantConfig['statusMappings']): TenantStatusMappings =>
  m as TenantStatusMappings;

export interface MapContext {
  tenantId: string;
  mappings: TenantStatusMappings;
  /** Custom field ids, to tell a status-field change from other custom field changes. */
  statusFieldId?: string | undefined;
  /** The signing timestamp header, the fallback for when it happened. */
  signedAt?: string | undefined;
  now: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A rendered placeholder: empty placeholders render as "", which means "absent". */
const text = (v: unknown): string | undefined => {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
};

const fail = (code: PayloadErrorCode, message: string): MappedPayload => ({
  ok: false,
  error: { code, message },
});

const instant = (...candidates: (string | undefined)[]): string | undefined => {
  for (const c of candidates) {
    if (!c) continue;
    const n = Number(c);
    const ms = Number.isFinite(n) ? (n < 1e12 ? n * 1000 : n) : Date.parse(c);
    if (Number.isFinite(ms)) return new Date(ms).toISOString();
  }
  return undefined;
};

/** Zendesk phone fields are free text; only an unambiguous international number is used. */
export const toE164 = (phone: string | undefined): string | undefined => {
  if (!phone) return undefined;
  const compact = phone.replace(/[\s().-]/g, '').replace(/^00/, '+');
  return /^\+[1-9]\d{6,14}$/.test(compact) ? compact : undefined;
};

/** `{{ticket.requester.language}}` renders a language name in some accounts, a locale in others. */
const LANGUAGE_NAMES: Readonly<Record<string, string>> = {
  english: 'en',
  french: 'fr',
  français: 'fr',
  spanish: 'es',
  español: 'es',
  german: 'de',
  deutsch: 'de',
  italian: 'it',
  portuguese: 'pt',
  dutch: 'nl',
  japanese: 'ja',
};

export const toLocale = (value: string | undefined): string | undefined => {
  if (!value) return undefined;
  const named = LANGUAGE_NAMES[value.toLowerCase()];
  if (named) return named;
  if (!/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i.test(value)) return undefined;
  try {
    return Intl.getCanonicalLocales(value)[0];
  } catch {
    return undefined;
  }
};

const splitTags = (v: unknown): string[] => {
  if (Array.isArray(v)) return v.flatMap((t) => (typeof t === 'string' && t ? [t] : []));
  const t = text(v);
  return t ? t.split(/\s+/).filter(Boolean) : [];
};

const meaning = (n: NormalizedStatus) => `${n.status}|${n.overlay ?? ''}|${n.reason ?? ''}`;

/** The order-status field wins; otherwise the one mapped meaning among the ticket's tags. */
const resolveStatus = (
  statusValue: string | undefined,
  tags: readonly string[],
  mappings: TenantStatusMappings,
): { ok: true; status: NormalizedStatus } | { ok: false; error: PayloadError } => {
  if (statusValue) {
    const n = normalizeStatus('zendesk', statusValue, 'order_status', { mappings });
    if (n.ok) return { ok: true, status: n };
    return {
      ok: false,
      error: {
        code: n.error.code === 'ambiguous_status' ? 'ambiguous_status' : 'unknown_status',
        message: n.error.message,
      },
    };
  }
  // Tickets carry many tags that are not order statuses; only mapped ones count.
  const hits = tags.flatMap((tag) => {
    const n = normalizeStatus('zendesk', tag, 'tag', { mappings });
    return n.ok ? [n] : [];
  });
  const distinct = new Map(hits.map((h) => [meaning(h), h]));
  const [only, ...others] = [...distinct.values()];
  if (!only) {
    return {
      ok: false,
      error: {
        code: 'no_order_status',
        message:
          'Neither the order status field nor any tag maps to an order status; map the value in the tenant’s zendesk status mappings.',
      },
    };
  }
  if (others.length > 0) {
    return {
      ok: false,
      error: {
        code: 'ambiguous_status',
        message: `Tags ${hits.map((h) => `"${h.value}"`).join(', ')} mean different order statuses; send the order status field instead.`,
      },
    };
  }
  return { ok: true, status: only };
};

const finish = (
  ctx: MapContext,
  fields: {
    sourceEventId: string;
    ticketId: string;
    orderRef: string;
    occurredAt: string;
    status: NormalizedStatus;
    statusValue: string | undefined;
    updatedAt: string | undefined;
    recipients: Recipient[];
  },
): MappedPayload => {
  const parsed = parseOrderEvent({
    tenantId: ctx.tenantId,
    source: 'zendesk',
    sourceEventId: fields.sourceEventId,
    orderRef: fields.orderRef,
    occurredAt: fields.occurredAt,
    ...eventStatusOf(fields.status),
    recipients: fields.recipients,
    order: { number: fields.orderRef },
  });
  if (!parsed.ok) {
    return {
      ok: false,
      error: { code: 'invalid_event', message: parsed.error.message, issues: parsed.error.issues },
    };
  }
  return {
    ok: true,
    kind: 'event',
    event: parsed.event,
    ticketId: fields.ticketId,
    echoKey: zendeskEchoKey(fields.ticketId, fields.updatedAt, fields.statusValue),
  };
};

const mapTemplate = (body: Obj, rawBody: Buffer, ctx: MapContext): MappedPayload => {
  const ticket = body.ticket;
  if (!isObj(ticket)) return fail('invalid_payload', '"ticket" must be an object.');
  const ticketId = text(ticket.id);
  if (!ticketId || !/^\d{1,20}$/.test(ticketId)) {
    return fail('invalid_payload', '"ticket.id" must be the ticket number ({{ticket.id}}).');
  }
  const orderRef = text(ticket.order_number) ?? text(ticket.external_id);
  if (!orderRef) {
    return fail(
      'missing_order_ref',
      'The ticket has no order number: fill the order number field or the ticket’s external id.',
    );
  }
  const statusValue = text(ticket.order_status);
  const resolved = resolveStatus(statusValue, splitTags(ticket.tags), ctx.mappings);
  if (!resolved.ok) return { ok: false, error: resolved.error };
  const requester = isObj(body.requester) ? body.requester : {};
  const email = text(requester.email);
  const phone = toE164(text(requester.phone));
  const locale = toLocale(text(requester.locale));
  const requesterId = text(requester.id);
  const recipients: Recipient[] =
    email || phone
      ? [
          {
            role: 'customer',
            ...(requesterId ? { id: `zendesk-user:${requesterId}` } : {}),
            ...(locale ? { locale } : {}),
            contacts: {
              ...(email ? { email } : {}),
              ...(phone ? { sms: phone, whatsapp: phone } : {}),
            },
          },
        ]
      : [];
  const updatedAt = text(ticket.updated_at);
  const digest = createHash('sha256').update(rawBody).digest('hex').slice(0, 32);
  return finish(ctx, {
    sourceEventId: `ticket:${ticketId}:body:${digest}`,
    ticketId,
    orderRef,
    occurredAt: instant(updatedAt, ctx.signedAt) ?? ctx.now,
    status: resolved.status,
    statusValue,
    updatedAt,
    recipients,
  });
};

/** The ticket events a status can come from; the rest are answered 200 and ignored. */
const mapTicketEvent = (body: Obj, ctx: MapContext): MappedPayload => {
  const type = String(body.type);
  const id = text(body.id);
  const detail = body.detail;
  if (!id || !isObj(detail)) {
    return fail('invalid_payload', 'A ticket event needs "id" and a "detail" object.');
  }
  const ticketId = text(detail.id) ?? text(body.subject)?.replace(/^zen:ticket:/, '');
  if (!ticketId || !/^\d{1,20}$/.test(ticketId)) {
    return fail('invalid_payload', 'The ticket event names no ticket ("detail.id").');
  }
  const event = isObj(body.event) ? body.event : {};
  let statusValue: string | undefined;
  let tags: string[] = [];
  if (type === 'zen:event-type:ticket.custom_field_changed') {
    const field = isObj(event.custom_field) ? text(event.custom_field.id) : undefined;
    if (ctx.statusFieldId && field !== ctx.statusFieldId) {
      return { ok: true, kind: 'ignored', reason: 'not the order status field' };
    }
    statusValue = text(event.current);
    if (!statusValue) return { ok: true, kind: 'ignored', reason: 'order status field cleared' };
  } else if (type === 'zen:event-type:ticket.tags_changed') {
    const changed = isObj(event.tags) ? event.tags.added : event.current;
    tags = splitTags(changed);
    if (tags.length === 0) return { ok: true, kind: 'ignored', reason: 'no tag added' };
  } else {
    return { ok: true, kind: 'ignored', reason: `event type ${type} carries no order status` };
  }
  const orderRef = text(detail.external_id);
  if (!orderRef) {
    return fail(
      'missing_order_ref',
      'Ticket events carry no custom fields: set the ticket’s external id to the order number.',
    );
  }
  const resolved = resolveStatus(statusValue, tags, ctx.mappings);
  if (!resolved.ok) return { ok: false, error: resolved.error };
  const updatedAt = text(detail.updated_at) ?? text(body.time);
  return finish(ctx, {
    sourceEventId: `event:${id}`,
    ticketId,
    orderRef,
    occurredAt: instant(updatedAt, text(body.time), ctx.signedAt) ?? ctx.now,
    status: resolved.status,
    statusValue,
    updatedAt,
    // Ticket events carry only the requester's id; contacts come from the order's earlier events.
    recipients: [],
  });
};

/** Maps a verified Zendesk webhook body to an `OrderEvent`, or says why it never can be one. */
export const mapZendeskPayload = (
  body: unknown,
  rawBody: Buffer,
  ctx: MapContext,
): MappedPayload => {
  if (!isObj(body)) return fail('unrecognised_payload', 'The body must be a JSON object.');
  if (typeof body.type === 'string' && body.type.startsWith('zen:event-type:ticket.')) {
    return mapTicketEvent(body, ctx);
  }
  if (body.tidings === TEMPLATE_VERSION || isObj(body.ticket)) {
    return mapTemplate(body, rawBody, ctx);
  }
  return fail(
    'unrecognised_payload',
    `Neither the Tidings trigger template ("tidings": "${TEMPLATE_VERSION}") nor a ticket event.`,
  );
};
