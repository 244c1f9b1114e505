/**
 * @module `/receipts/:provider/:tenantId`: delivery receipts and replies from providers. The
 * tenant's stored credential for that provider verifies the request through the adapter's
 * `parseReceipt` (Twilio `X-Twilio-Signature` over the public URL, SendGrid's signed Event
 * Webhook, Mailgun's signature, MessageBird's JWT, WhatsApp `X-Hub-Signature-256`); receipts
 * then update their attempts through the engine, and STOP/START replies become consent records.
 */
import { handleInbound, whatsappVerifyChallenge } from '@tidings/channels';
import type { InboundRequest } from '@tidings/core';
import { applyReceipt, type EngineLogger } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { Store } from '@tidings/store';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ChannelRegistry } from './channel-registry.ts';

export interface ReceiptRouteOptions {
  store: Store;
  registry: ChannelRegistry;
  logger: EngineLogger;
  /** The URL providers call, which Twilio and MessageBird sign (not the loopback one we see). */
  publicUrl: string;
}

/** Twilio wants TwiML back from an incoming-message webhook; an empty one sends no reply
 * (twilio.com/docs/usage/webhooks/sms-webhooks); status callbacks ignore the body. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const flatHeaders = (req: FastifyRequest): Record<string, string | undefined> =>
  Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name,
      Array.isArray(value) ? value.join(', ') : value,
    ]),
  );

export const registerReceiptRoutes = (app: FastifyInstance, options: ReceiptRouteOptions) => {
  const { store, registry, logger } = options;
  const base = options.publicUrl.replace(/\/$/, '');

  const handle = async (req: FastifyRequest, reply: FastifyReply) => {
    const { provider, tenantId } = req.params as { provider: string; tenantId: string };
    const tenant = await store.getTenant(tenantId);
    if (!tenant) throw new HttpError('not_found', `No tenant "${tenantId}".`);
    const found = await registry.credentialFor(tenantId, provider);
    if (!found.ok) {
      if (found.code === 'credential_unreadable') {
        // 503 so the provider retries once the operator restores the key.
        throw new HttpError('credential_unavailable', `The tenant's ${found.detail}.`, {
          status: 503,
        });
      }
      throw new HttpError('not_found', `Cannot take ${provider} receipts: ${found.detail}.`);
    }
    const { adapter, credentials } = found;
    if (!adapter.parseReceipt) {
      throw new HttpError('not_found', `${provider} sends no receipts this hub can verify.`);
    }
    const url = `${base}${req.url}`;

    // Meta's subscription handshake: a GET echoing hub.challenge when hub.verify_token matches
    // the `verifyToken` stored beside the WhatsApp credential.
    if (provider === 'whatsapp-cloud' && req.method === 'GET') {
      const token = (credentials as { verifyToken?: unknown }).verifyToken;
      const challenge = whatsappVerifyChallenge(url, typeof token === 'string' ? token : '');
      if (challenge === undefined) {
        throw new HttpError('forbidden', 'The verify token does not match.');
      }
      return reply.type('text/plain').send(challenge);
    }

    const request: InboundRequest = {
      method: req.method,
      url,
      headers: flatHeaders(req),
      rawBody: req.rawBody ?? new Uint8Array(),
    };
    const parsed = await adapter.parseReceipt(request, credentials);
    if (!parsed.ok) {
      if (parsed.error.code === 'malformed_receipt') {
        throw new HttpError('malformed_receipt', parsed.error.message, { status: 400 });
      }
      throw new HttpError(parsed.error.code, parsed.error.message);
    }

    // A signature that does not cover the whole request (Mailgun's) may be taken once: the same
    // request again is the provider redelivering it; its token on another body is a forgery.
    const replay = parsed.replay;
    const seen = replay && {
      token: `receipt-replay:${provider}:${replay.key}`,
      body: `receipt-replay:${provider}:${replay.key}:${replay.body}`,
      until: replay.until,
    };
    if (seen) {
      const now = new Date().toISOString();
      const held = await store.transaction(async (tx) => ({
        token: await tx.hasFingerprint(tenantId, seen.token, now),
        body: await tx.hasFingerprint(tenantId, seen.body, now),
      }));
      if (held.body) return reply.status(200).send({ duplicate: true });
      if (held.token) {
        throw new HttpError(
          'replayed_request',
          `This ${provider} signature was already used on another request.`,
          { status: 401 },
        );
      }
    }

    const counts = { applied: 0, stale: 0, unknown: 0, optOuts: 0, optIns: 0 };
    for (const receipt of parsed.receipts) {
      // Message ids are the provider's; a tenant's valid signature must not reach another's attempt.
      const attempt = await store.findAttemptByProviderMessageId(
        provider,
        receipt.providerMessageId,
      );
      if (!attempt || attempt.tenantId !== tenantId) {
        counts.unknown++;
        continue;
      }
      const outcome = await applyReceipt(store, provider, receipt);
      if (outcome === 'applied') {
        counts.applied++;
        app.metrics.receipts.inc({ provider, state: receipt.state });
      } else if (outcome === 'stale') counts.stale++;
      else counts.unknown++;
    }
    for (const message of parsed.inbound) {
      // No HELP reply from here: the tenant configuration names no support contact, and Twilio
      // answers the standard keywords on long codes itself (docs/messaging/tutorials/advanced-opt-out).
      const { consent } = handleInbound(message, {
        brand: tenant.name,
        helpContact: '',
        tenantId,
        channel: adapter.channel,
      });
      if (!consent) continue;
      await store.transaction((tx) => tx.putConsent(consent).then(() => undefined));
      if (consent.state === 'opted_out') counts.optOuts++;
      else counts.optIns++;
    }
    if (seen) {
      // Recorded once applied, so a provider retrying a request that failed here is not refused.
      await store.transaction(async (tx) => {
        for (const fingerprint of [seen.token, seen.body]) {
          await tx.putFingerprint({
            tenantId,
            target: `${provider}:receipt`,
            fingerprint,
            expiresAt: seen.until,
          });
        }
      });
    }
    if (counts.unknown > 0) {
      logger.info(
        { tenantId, provider, unknown: counts.unknown },
        'receipts for messages this tenant did not send were ignored',
      );
    }
    if (provider === 'twilio') return reply.type('text/xml').send(EMPTY_TWIML);
    return reply.status(200).send(counts);
  };

  // MessageBird reports and Meta's handshake are GETs; everything else posts.
  app.post('/receipts/:provider/:tenantId', handle);
  app.get('/receipts/:provider/:tenantId', handle);
};
