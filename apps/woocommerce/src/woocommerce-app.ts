/**
 * @module The companion endpoint, a Fastify plugin made from the hub's `AppContext`:
 * `POST /woocommerce/events` for the Tidings plugin (signed, timestamped, one event per delivery
 * id) and `POST /woocommerce/webhooks` for WooCommerce's built-in webhooks (`X-WC-Webhook-Signature`,
 * the unsigned ping answered 200). Both verify before they parse, normalize through core with the
 * tenant's own mappings, and ingest in one transaction; write-back is registered as the
 * `woocommerce` target.
 */
import type { TenantStatusMappings } from '@tidings/core';
import type { AppContext, IngestResult } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { statusFingerprint } from './order-facts.ts';
import { parsePluginDelivery, pluginDeliveryToEvent } from './plugin-delivery.ts';
import {
  DEFAULT_TOLERANCE_SECONDS,
  DELIVERY_ID_PATTERN,
  PLUGIN_HEADERS,
  verifyPluginSignature,
} from './plugin-signature.ts';
import { createReplayCache } from './replay-cache.ts';
import { restOrderToEvent } from './rest-order.ts';
import { loadSiteCredential, siteKeyFromUrl } from './site-credential.ts';
import { verifyWooWebhookSignature } from './webhook-signature.ts';
import { createWoocommerceWriteBack } from './woocommerce-write-back.ts';

/** Largest plugin delivery; a snapshot of one order is a few KiB. */
export const PLUGIN_BODY_LIMIT = 256 * 1024;
/** Largest built-in webhook body; a REST order with hundreds of lines stays well under. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;
/** Order topics that carry a status; other topics are acknowledged and ignored. */
export const INGESTED_TOPICS = ['order.created', 'order.updated', 'order.restored'] as const;

export interface WoocommerceAppOptions {
  /** Freshness window for plugin signatures; env `WOOCOMMERCE_SIGNATURE_TOLERANCE_SECONDS`. */
  toleranceSeconds?: number;
  /** For tests: the write-back's `fetch`. */
  fetch?: typeof fetch;
  /** Write-back request timeout; env `WOOCOMMERCE_WRITE_BACK_TIMEOUT_MS`. */
  writeBackTimeoutMs?: number;
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

const positive = (value: string | undefined): number | undefined => {
  const n = Number(value);
  return value !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
};

/**
 * Keeps the raw bytes and parses nothing: signatures are checked before any JSON is read. Called
 * on the routes' own context (not registered as a child plugin, which would encapsulate it away).
 */
const keepRawBodies = (server: FastifyInstance): void => {
  server.removeAllContentTypeParsers();
  const keepRaw = (
    req: FastifyRequest,
    body: Buffer,
    done: (e: Error | null, b?: unknown) => void,
  ) => {
    req.rawBody = body;
    done(null, body);
  };
  server.addContentTypeParser(
    /^application\/([a-z0-9.+-]*\+)?json$/,
    { parseAs: 'buffer' },
    (req, body, done) => keepRaw(req, body as Buffer, done),
  );
  server.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (req, body, done) => keepRaw(req, body as Buffer, done),
  );
};

const parseJson = (raw: Buffer): unknown => {
  if (raw.length === 0) {
    throw new HttpError('malformed_json', 'The body is empty; a JSON document was expected.');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (cause) {
    throw new HttpError('malformed_json', 'The body is not valid JSON.', { cause });
  }
};

const rawOf = (req: FastifyRequest): Buffer => {
  if (!req.rawBody) {
    throw new HttpError('unsupported_media_type', 'Send the body as application/json.');
  }
  return req.rawBody;
};

const siteError = (code: 'unknown_site' | 'invalid_credential', message: string): HttpError =>
  code === 'unknown_site'
    ? new HttpError('unknown_site', message, { status: 401 })
    : new HttpError(
        'site_misconfigured',
        'The site is set up wrongly in Tidings; an operator must fix it.',
        {
          status: 500,
        },
      );

/** How an ingest outcome is answered; every accepted or already-known event is a 200. */
const answer = (reply: FastifyReply, result: IngestResult, extra: Record<string, unknown>) => {
  switch (result.outcome) {
    case 'accepted':
      return reply.status(200).send({
        ok: true,
        outcome: 'accepted',
        verdict: result.verdict,
        intents: result.intents,
        ...extra,
      });
    case 'duplicate':
    case 'echo':
      return reply.status(200).send({ ok: true, outcome: result.outcome, ...extra });
    case 'rejected':
      switch (result.code) {
        case 'unknown_tenant':
          throw new HttpError('unknown_site', 'No tenant is set up for this site.', {
            status: 401,
          });
        case 'tenant_inactive':
          throw new HttpError('tenant_inactive', 'The site is deactivated in Tidings.', {
            status: 403,
          });
        case 'invalid_config':
          throw new HttpError(
            'site_misconfigured',
            'The site is set up wrongly in Tidings; an operator must fix it.',
            {
              status: 500,
            },
          );
        default:
          return result.code satisfies never;
      }
    default:
      return result satisfies never;
  }
};

const mappingsOf = async (context: AppContext, tenantId: string): Promise<TenantStatusMappings> => {
  const lookup = await context.tenants.get(tenantId);
  if (!lookup.ok) {
    if (lookup.code === 'unknown_tenant') {
      throw new HttpError('unknown_site', 'No tenant is set up for this site.', { status: 401 });
    }
    throw new HttpError(
      'site_misconfigured',
      'The site is set up wrongly in Tidings; an operator must fix it.',
      {
        status: 500,
      },
    );
  }
  // zod infers optional keys as `| undefined`; parsed configs never hold an explicit undefined.
  return lookup.config.statusMappings as TenantStatusMappings;
};

/** The WooCommerce app with explicit options (tests); the hub uses `createWoocommerceApp`. */
export const woocommerceApp =
  (options: WoocommerceAppOptions = {}) =>
  (context: AppContext): FastifyPluginAsync =>
  async (server) => {
    const toleranceSeconds =
      options.toleranceSeconds ??
      positive(context.env.WOOCOMMERCE_SIGNATURE_TOLERANCE_SECONDS) ??
      DEFAULT_TOLERANCE_SECONDS;
    const writeBackTimeoutMs =
      options.writeBackTimeoutMs ?? positive(context.env.WOOCOMMERCE_WRITE_BACK_TIMEOUT_MS);
    const replays = createReplayCache(toleranceSeconds * 2 * 1000);
    context.writeBacks.register(
      createWoocommerceWriteBack({
        store: context.store,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(writeBackTimeoutMs !== undefined ? { timeoutMs: writeBackTimeoutMs } : {}),
      }),
    );

    await server.register(async (routes) => {
      keepRawBodies(routes);

      routes.post('/woocommerce/events', { bodyLimit: PLUGIN_BODY_LIMIT }, async (req, reply) => {
        const signature = header(req, PLUGIN_HEADERS.signature);
        const site = header(req, PLUGIN_HEADERS.site);
        const timestamp = header(req, PLUGIN_HEADERS.timestamp);
        const deliveryId = header(req, PLUGIN_HEADERS.delivery);
        if (!signature || !site || !timestamp || !deliveryId) {
          throw new HttpError(
            'missing_signature',
            'Plugin deliveries need X-Tidings-Site, X-Tidings-Timestamp, X-Tidings-Delivery and X-Tidings-Signature.',
          );
        }
        if (!DELIVERY_ID_PATTERN.test(deliveryId)) {
          throw new HttpError(
            'invalid_delivery_id',
            'X-Tidings-Delivery must be 8–64 letters, digits or dashes.',
            {
              status: 400,
            },
          );
        }
        const raw = rawOf(req);
        const found = await loadSiteCredential(context.store, site);
        if (!found.ok) throw siteError(found.code, found.message);
        const secret = found.credential.pluginSecret;
        if (!secret) {
          throw new HttpError('unknown_site', 'The site has no plugin secret set up in Tidings.', {
            status: 401,
          });
        }
        const nowMs = context.clock.now().getTime();
        const verified = verifyPluginSignature({
          secret,
          timestamp,
          deliveryId,
          signature,
          body: raw,
          nowMs,
          toleranceSeconds,
        });
        if (!verified.ok) throw new HttpError(verified.error.code, verified.error.message);
        if (replays.seen(`${site}\u0000${signature}`, nowMs)) {
          throw new HttpError(
            'replayed_request',
            'This exact signed request was already received; a retry must be signed anew.',
          );
        }
        const parsed = parsePluginDelivery(parseJson(raw));
        if (!parsed.ok) {
          throw new HttpError('invalid_request', parsed.error.message, {
            details: { issues: parsed.error.issues },
          });
        }
        const delivery = parsed.delivery;
        if (delivery.deliveryId !== deliveryId) {
          throw new HttpError(
            'invalid_request',
            'delivery_id in the body differs from X-Tidings-Delivery.',
          );
        }
        if (delivery.event === 'ping') {
          req.log.info({ site, deliveryId }, 'woocommerce plugin ping');
          return reply.status(200).send({ ok: true, ping: true, site });
        }
        const mappings = await mappingsOf(context, site);
        const mapped = pluginDeliveryToEvent(site, deliveryId, delivery.order, mappings);
        if (!mapped.ok) {
          throw new HttpError(mapped.error.code, mapped.error.message, {
            status: 422,
            ...(mapped.error.issues ? { details: { issues: mapped.error.issues } } : {}),
          });
        }
        const result = await context.ingest({
          event: mapped.event,
          rawBody: raw,
          headers: { [PLUGIN_HEADERS.delivery]: deliveryId, 'x-tidings-event': delivery.event },
          echoFingerprint: statusFingerprint(mapped.event.orderRef, delivery.order.statusTo),
        });
        req.log.info({ site, deliveryId, outcome: result.outcome }, 'woocommerce plugin delivery');
        return answer(reply, result, { deliveryId });
      });

      routes.post(
        '/woocommerce/webhooks',
        { bodyLimit: WEBHOOK_BODY_LIMIT },
        async (req, reply) => {
          const raw = rawOf(req);
          const signature = header(req, 'x-wc-webhook-signature');
          const contentType = header(req, 'content-type') ?? '';
          if (!signature && contentType.startsWith('application/x-www-form-urlencoded')) {
            // WooCommerce's ping on saving a webhook: `webhook_id=<id>`, no X-WC headers, and
            // anything but exactly 200 makes the save fail.
            const form = new URLSearchParams(raw.toString('utf8'));
            const webhookId = form.get('webhook_id');
            if (webhookId !== null && /^\d+$/.test(webhookId) && [...form.keys()].length === 1) {
              req.log.info({ webhookId }, 'woocommerce webhook ping');
              return reply.status(200).send({ ok: true, ping: true });
            }
            throw new HttpError(
              'malformed_body',
              'A form body is only accepted as WooCommerce\u2019s webhook ping.',
            );
          }
          if (!signature) {
            throw new HttpError(
              'missing_signature',
              'Built-in webhook deliveries need X-WC-Webhook-Signature.',
            );
          }
          const query = req.query as Record<string, unknown>;
          const source = header(req, 'x-wc-webhook-source');
          const site =
            (typeof query.site === 'string' && query.site !== '' ? query.site : undefined) ??
            (source ? siteKeyFromUrl(source) : undefined);
          if (!site) {
            throw new HttpError(
              'unknown_site',
              'Name the site with ?site= or X-WC-Webhook-Source.',
              {
                status: 401,
              },
            );
          }
          const found = await loadSiteCredential(context.store, site);
          if (!found.ok) throw siteError(found.code, found.message);
          const secret = found.credential.webhookSecret;
          if (secret === undefined) {
            throw new HttpError(
              'unknown_site',
              'The site has no webhook secret set up in Tidings.',
              {
                status: 401,
              },
            );
          }
          if (!verifyWooWebhookSignature(secret, raw, signature)) {
            throw new HttpError(
              'bad_signature',
              'X-WC-Webhook-Signature does not match the body for this site.',
            );
          }
          const topic = header(req, 'x-wc-webhook-topic') ?? '';
          const payload = parseJson(raw);
          if (!(INGESTED_TOPICS as readonly string[]).includes(topic)) {
            // Acknowledged, so WooCommerce does not count a failure and disable the webhook.
            return reply.status(200).send({ ok: true, ignored: topic || '(no topic)' });
          }
          const mappings = await mappingsOf(context, site);
          const mapped = restOrderToEvent(payload, { tenantId: site, mappings });
          if (!mapped.ok) {
            throw new HttpError(mapped.error.code, mapped.error.message, {
              status: 422,
              ...(mapped.error.issues ? { details: { issues: mapped.error.issues } } : {}),
            });
          }
          const status = mapped.event.raw.value;
          const keep: Record<string, string> = { 'x-wc-webhook-topic': topic };
          for (const name of [
            'x-wc-webhook-id',
            'x-wc-webhook-delivery-id',
            'x-wc-webhook-source',
          ]) {
            const value = header(req, name);
            if (value) keep[name] = value;
          }
          const result = await context.ingest({
            event: mapped.event,
            rawBody: raw,
            headers: keep,
            echoFingerprint: statusFingerprint(mapped.event.orderRef, status),
          });
          req.log.info({ site, topic, outcome: result.outcome }, 'woocommerce webhook delivery');
          return answer(reply, result, {});
        },
      );
    });
  };

/** The app as the hub mounts it: `buildHub({ apps: [createWoocommerceApp] })`. */
export const createWoocommerceApp = (context: AppContext): FastifyPluginAsync =>
  woocommerceApp()(context);
