/** @module Twilio SendGrid v3 Mail Send: `POST /v3/mail/send`, HTML + text, our intent id in custom_args. */
import type { OutboundMessage, SendResult } from '../core-contract.ts';
import { type ChannelDeps, DEFAULT_TIMEOUT_MS, resolveDeps } from '../http/channel-deps.ts';
import { classifyHttpStatus } from '../http/http-classification.ts';
import { callProvider } from '../http/provider-call.ts';
import { resetHeaderMs } from '../http/retry-after.ts';
import { sendFailure } from '../http/send-failures.ts';
import type { ReceivingChannel } from '../provider-channel.ts';
import type { AdapterConfig, ChannelSendOptions } from '../send-options.ts';
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
    async send(
      message: OutboundMessage,
      credentials: SendgridCredentials,
      options: ChannelSendOptions = {},
    ): Promise<SendResult> {
      if (message.to === undefined || message.to === '') {
        return {
          ok: false,
          error: sendFailure({ label: LABEL, code: 'invalid_recipient', class: 'permanent' }),
        };
      }
      const host =
        credentials.region === 'eu' ? 'https://api.eu.sendgrid.com' : 'https://api.sendgrid.com';
      const outcome = await callProvider(
        resolved,
        {
          method: 'POST',
          url: `${host}/v3/mail/send`,
          headers: {
            authorization: `Bearer ${credentials.apiKey}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(sendgridMailBody(message, credentials, message.to)),
        },
        { label: LABEL, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal },
      );
      if (!outcome.ok) return outcome;
      const { response } = outcome;
      if (response.status === 202 || response.status === 200) {
        // Accepted even without the header: resending would duplicate, and events carry intent_id.
        const id = response.headers.get('x-message-id') ?? `intent:${message.intentId}`;
        return { ok: true, providerMessageId: id };
      }
      const failure = classifyHttpStatus(LABEL, response, resolved);
      if (failure.code === 'rate_limited' && failure.retryAfterMs === undefined) {
        const wait = resetHeaderMs(response.headers, 'x-ratelimit-reset', resolved.clock);
        if (wait !== undefined) return { ok: false, error: { ...failure, retryAfterMs: wait } };
      }
      return { ok: false, error: failure };
    },
    parseReceipt: (request, credentials) =>
      parseSendgridEvents(request, credentials.eventWebhookPublicKey ?? '', resolved.clock.now()),
  };
};
