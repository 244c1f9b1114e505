/** @module Twilio SendGrid v3 Mail Send: `POST /v3/mail/send`, HTML + text, our intent id in custom_args. */
import type { OutboundMessage } from '../core-contract.ts';
import { type ChannelDeps, resolveDeps } from '../http/channel-deps.ts';
import { classifyHttpStatus, withRateLimitReset } from '../http/http-classification.ts';
import { singleRequestSend } from '../http/single-request-send.ts';
import type { ReceivingChannel } from '../provider-channel.ts';
import type { AdapterConfig } from '../send-options.ts';
import { parseSendgridEvents } from './sendgrid-event-webhook.ts';

export interface SendgridCredentials {
  /** An API key with the Mail Send permission. */
  apiKey: string;
  from: { email: string; name?: string };
  replyTo?: { email: string; name?: string };
  /** Unsubscribe group for order-status mail (`asm.group_id`). */
  asmGroupId?: number;
  /** EU-pinned subusers send through `api.eu.sendgrid.com`. */
  region?: 'global' | 'eu';
  /** The signed Event Webhook's public key (base64 DER), from `GetSignedEventWebhook`. */
  eventWebhookPublicKey?: string;
}

const LABEL = 'SendGrid';

/** The Mail Send body: one personalization carrying the intent id, plain text before HTML as SendGrid requires. */
export const sendgridMailBody = (
  message: OutboundMessage,
  credentials: SendgridCredentials,
  to: string,
): object => {
  const { rendering } = message;
  const subject = rendering.channel === 'email' ? rendering.subject : `Order ${message.orderRef}`;
  const text = rendering.channel === 'email' ? rendering.text : '';
  const html = rendering.channel === 'email' ? rendering.html : undefined;
  return {
    personalizations: [
      {
        to: [{ email: to }],
        // Carried into every event, so receipts and reconciliation find the intent.
        custom_args: { intent_id: message.intentId, tenant_id: message.tenantId },
      },
    ],
    from: credentials.from,
    ...(credentials.replyTo === undefined ? {} : { reply_to: credentials.replyTo }),
    subject,
    content: [
      { type: 'text/plain', value: text },
      ...(html === undefined ? [] : [{ type: 'text/html', value: html }]),
    ],
    categories: ['order-status', message.status],
    ...(credentials.asmGroupId === undefined ? {} : { asm: { group_id: credentials.asmGroupId } }),
  };
};

/** Creates the SendGrid e-mail channel; Mail Send has no idempotency key, so events carry `intent_id`. */
export const createSendgridEmail = (
  config: AdapterConfig = {},
  deps: ChannelDeps = {},
): ReceivingChannel<SendgridCredentials, 'sendgrid', 'email'> => {
  const resolved = resolveDeps(deps);
  return {
    provider: 'sendgrid',
    channel: 'email',
    send: singleRequestSend<SendgridCredentials>({
      label: LABEL,
      deps: resolved,
      timeoutMs: config.timeoutMs,
      request: (message, to, credentials) => ({
        method: 'POST',
        url: `${credentials.region === 'eu' ? 'https://api.eu.sendgrid.com' : 'https://api.sendgrid.com'}/v3/mail/send`,
        headers: {
          authorization: `Bearer ${credentials.apiKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(sendgridMailBody(message, credentials, to)),
      }),
      answer: (response, message) => {
        if (response.status === 202 || response.status === 200) {
          // Accepted even without the header: resending would duplicate, and events carry intent_id.
          const id = response.headers.get('x-message-id') ?? `intent:${message.intentId}`;
          return { ok: true, providerMessageId: id };
        }
        const failure = classifyHttpStatus(LABEL, response, resolved);
        return { ok: false, error: withRateLimitReset(failure, response, resolved) };
      },
    }),
    parseReceipt: (request, credentials) =>
      parseSendgridEvents(request, credentials.eventWebhookPublicKey ?? '', resolved.clock.now()),
  };
};
