/**
 * @module `POST /shopify/webhooks`: verified with the library's HMAC check on the raw bytes
 * (both the `X-Shopify-*` and the newer `shopify-*` header families), deduplicated on the
 * webhook id, stale snapshots detected, normalized, ingested in one commit each, answered fast.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Shopify } from '@shopify/shopify-api';
import {
  type OrderEvent,
  type OrderEventInput,
  TERMINAL_STATUSES,
  type TenantStatusMappings,
} from '@tidings/core';
import type { AppContext, IngestResult } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { EventDocument } from '@tidings/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  handleCustomerRedact,
  handleDataRequest,
  handleShopRedact,
  handleUninstalled,
} from './compliance-webhooks.ts';
import { parseJsonKeepingIds } from './json-ids.ts';
import { type HoldLookup, holdDrafts } from './order-holds.ts';
import { shopDomain } from './shop-tenants.ts';
import type { ShopifyConfig } from './shopify-config.ts';
import {
  finishDrafts,
  isHoldTopic,
  isStatusTopic,
  type NormalizedDelivery,
  normalizeDelivery,
  withContext,
} from './shopify-normalizer.ts';

export const WEBHOOK_PATH = '/shopify/webhooks';

export interface WebhookDeps {
  context: AppContext;
  library: Shopify;
  config: ShopifyConfig;
  holdLookup: HoldLookup;
}

/** Headers kept with each stored event: enough to explain and re-check it, nothing secret. */
const SNAPSHOT_HEADER = 'x-tidings-snapshot';

const TERMINAL: ReadonlySet<string> = new Set(TERMINAL_STATUSES);

const snapshotKey = (s: NormalizedDelivery['snapshot']): string =>
  `${s.kind}:${s.shipmentId ?? ''}`;

/** True when an equal-or-newer snapshot of the same order or fulfillment is already stored. */
const isStale = (
  snapshot: NormalizedDelivery['snapshot'],
  stored: readonly EventDocument[],
): boolean => {
  if (snapshot.kind === 'event') return false;
  const key = snapshotKey(snapshot);
  return stored.some((e) => {
    const seen = e.headers[SNAPSHOT_HEADER];
    if (!seen) return false;
    const at = seen.lastIndexOf('@');
    return seen.slice(0, at) === key && seen.slice(at + 1) > snapshot.at;
  });
};

/** Stored, never notified: the status becomes `ignore`, the raw value stays. */
const asIgnored = (draft: OrderEventInput): OrderEventInput => {
  const { overlay: _o, guard: _g, pickup: _p, voidShipment: _v, clear: _c, ...rest } = draft;
  return { ...rest, status: 'ignore' };
};

type EventOutcome = {
  sourceEventId: string;
  outcome: IngestResult['outcome'];
  verdict?: string;
  intents?: number;
};

const ingestAll = async (
  context: AppContext,
  events: readonly OrderEvent[],
  rawBody: Buffer,
  headers: Record<string, string>,
  echoFingerprint: string | undefined,
): Promise<{ rejected?: string; results: EventOutcome[] }> => {
  const results: EventOutcome[] = [];
  // One after another, so a delivery's events land in the order they describe.
  for (const event of events) {
    const r = await context.ingest({
      event,
      rawBody,
      headers,
      ...(echoFingerprint ? { echoFingerprint } : {}),
    });
    if (r.outcome === 'rejected') return { rejected: r.code, results };
    results.push({
      sourceEventId: event.sourceEventId,
      outcome: r.outcome,
      ...(r.outcome === 'accepted' ? { verdict: r.verdict, intents: r.intents } : {}),
    });
  }
  return { results };
};

const answer = (reply: FastifyReply, body: Record<string, unknown>) => reply.status(200).send(body);

/** Both header families the library reads: `X-Shopify-*` (webhooks) and `Shopify-*` (events). */
const SHOPIFY_HEADER = /^(x-)?shopify-/;

/**
 * The request as the library's Node adapter reads it (`headers`, `method`, `url`), with only the
 * Shopify header families. The library canonicalises every header name on each of its dozen
 * lookups per webhook; with the twenty-odd headers a proxy adds, that cost more than the HMAC.
 */
const signedPart = (req: IncomingMessage) => {
  const headers: IncomingHttpHeaders = {};
  for (const name in req.headers) if (SHOPIFY_HEADER.test(name)) headers[name] = req.headers[name];
  return { headers, method: req.method, url: req.url };
};

/**
 * The library's HMAC and header check on the raw bytes; a failure is thrown as the `HttpError`
 * the webhook answers with (401 for a missing or wrong signature, 400 for missing headers).
 */
export const verifyWebhook = async (library: Shopify, req: IncomingMessage, raw: Buffer) => {
  const check = await library.webhooks.validate({
    rawBody: raw.toString('utf8'),
    rawRequest: signedPart(req),
  });
  if (check.valid) return check;
  const reason = check.reason;
  switch (reason) {
    case 'missing_hmac':
      throw new HttpError('missing_signature', 'The Shopify HMAC header is missing.');
    case 'invalid_hmac':
      throw new HttpError('bad_signature', 'The Shopify HMAC does not match the body.');
    case 'missing_body':
      throw new HttpError('malformed_body', 'The webhook body is empty.');
    case 'missing_headers':
      throw new HttpError('missing_headers', 'Required Shopify headers are missing.', {
        status: 400,
        details: { missing: 'missingHeaders' in check ? check.missingHeaders : [] },
      });
    default:
      return reason satisfies never;
  }
};

/** Registers the webhook route in its own scope, where every body is kept as raw bytes. */
export const registerWebhookRoutes = async (
  server: FastifyInstance,
  deps: WebhookDeps,
): Promise<void> => {
  const { context, library, config } = deps;
  await server.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
      req.rawBody = body as Buffer;
      done(null, body);
    });

    scope.post(WEBHOOK_PATH, async (req: FastifyRequest, reply) => {
      const raw = req.rawBody ?? Buffer.alloc(0);
      const check = await verifyWebhook(library, req.raw, raw);
      const shop = shopDomain(check.domain);
      if (!shop)
        throw new HttpError('invalid_request', 'The shop domain is not a myshopify.com domain.', {
          status: 400,
        });
      const parsed = parseJsonKeepingIds(raw.toString('utf8'));
      if (!parsed.ok) throw new HttpError('malformed_json', parsed.error.message);
      const payload = parsed.value;
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
        throw new HttpError('malformed_json', 'The webhook body must be a JSON object.');
      const body = payload as Record<string, unknown>;
      const topic = check.topic;
      const triggeredAt = check.triggeredAt;
      const headers: Record<string, string> = {
        'x-shopify-topic': topic,
        'x-shopify-webhook-id': check.webhookId,
        'x-shopify-api-version': check.apiVersion,
        ...(triggeredAt ? { 'x-shopify-triggered-at': triggeredAt } : {}),
        ...(check.webhookType === 'webhooks' && check.eventId
          ? { 'x-shopify-event-id': check.eventId }
          : {}),
      };
      const now = context.clock.now().getTime();
      const triggeredMs = triggeredAt ? Date.parse(triggeredAt) : Number.NaN;
      const late = Number.isFinite(triggeredMs) && now - triggeredMs > config.lateAfterMs;
      if (late) req.log.info({ topic, lateMs: now - triggeredMs }, 'late Shopify delivery');

      switch (topic) {
        case 'CUSTOMERS_DATA_REQUEST':
          return answer(reply, await handleDataRequest(context, shop, body));
        case 'CUSTOMERS_REDACT':
          return answer(reply, await handleCustomerRedact(context, shop, body));
        case 'SHOP_REDACT':
          return answer(reply, await handleShopRedact(context, shop));
        case 'APP_UNINSTALLED':
          return answer(reply, await handleUninstalled(context, shop));
      }

      const lookup = await context.tenants.get(shop);
      if (!lookup.ok || !lookup.active) {
        // Shopify would retry a non-2xx for hours; a shop we do not serve gets a plain 200.
        return answer(reply, {
          outcome: 'ignored',
          reason: lookup.ok ? 'tenant_inactive' : lookup.code,
        });
      }
      const mappings = lookup.config.statusMappings as TenantStatusMappings;

      let normalized: NormalizedDelivery;
      if (isStatusTopic(topic)) {
        const n = normalizeDelivery({
          tenantId: shop,
          topic,
          deliveryId: check.webhookId,
          payload: body,
          ...(triggeredAt ? { triggeredAt } : {}),
          mappings,
        });
        if (!n.ok) {
          throw new HttpError(n.error.code, n.error.message, { status: 422 });
        }
        normalized = n.value;
      } else if (isHoldTopic(topic)) {
        const h = await holdDrafts(deps.holdLookup, {
          tenantId: shop,
          topic,
          deliveryId: check.webhookId,
          payload: body,
          at: (triggeredAt && Number.isFinite(Date.parse(triggeredAt))
            ? new Date(triggeredAt)
            : context.clock.now()
          ).toISOString(),
        });
        if (!h.ok) return answer(reply, { outcome: 'ignored', reason: h.error.code });
        normalized = h.value;
      } else {
        return answer(reply, { outcome: 'ignored', reason: 'topic_not_handled', topic });
      }

      const stored = await context.store.listEventsOfOrders(shop, [normalized.orderRef]);
      const stale = isStale(normalized.snapshot, stored);
      const last = stored.at(-1)?.event;
      const shipmentId = normalized.snapshot.shipmentId;
      const ofShipment = shipmentId
        ? stored.findLast((e) => e.event.shipment?.id === shipmentId)?.event
        : undefined;
      const drafts = normalized.drafts.map((d) => {
        const filled = normalized.needsContext ? withContext(d, last, ofShipment) : d;
        // A cancellation or refund never reverts, so even an old snapshot of one still holds.
        return stale && !TERMINAL.has(filled.status) ? asIgnored(filled) : filled;
      });
      const finished = finishDrafts(drafts);
      if (!finished.ok)
        throw new HttpError('invalid_event', finished.error.message, { status: 422 });
      const kept = {
        ...headers,
        [SNAPSHOT_HEADER]: `${snapshotKey(normalized.snapshot)}@${normalized.snapshot.at}`,
        ...(stale ? { 'x-tidings-stale': 'a newer snapshot was already received' } : {}),
      };
      const { rejected, results } = await ingestAll(
        context,
        finished.events,
        raw,
        kept,
        normalized.echoFingerprint,
      );
      if (rejected) return answer(reply, { outcome: 'ignored', reason: rejected });
      if (results.length === 0)
        return answer(reply, {
          outcome: 'accepted',
          orderRef: normalized.orderRef,
          stale,
          late,
          events: [],
        });
      return answer(reply, {
        outcome: results.every((r) => r.outcome === 'duplicate')
          ? 'duplicate'
          : results.some((r) => r.outcome === 'echo')
            ? 'echo'
            : 'accepted',
        orderRef: normalized.orderRef,
        stale,
        late,
        events: results,
      });
    });
  });
};
