/** @module Mailgun Messages API: `POST /v3/{domain}/messages` in the US or EU region, HTML + text. */
import type { OutboundMessage } from '../core-contract.ts';
import { type ChannelDeps, resolveDeps } from '../http/channel-deps.ts';
import { encodeForm } from '../http/form-encoding.ts';
import { answerFailure, classifyHttpStatus } from '../http/http-classification.ts';
import { singleRequestSend } from '../http/single-request-send.ts';
import type { ReceivingChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig } from '../send-options.ts';
import { parseMailgunWebhook } from './mailgun-webhooks.ts';

export interface MailgunCredentials {
  apiKey: string;
  /** The sending domain; it lives in exactly one region. */
  domain: string;
  region: 'us' | 'eu';
  /** `Shop <orders@mg.shop.example>` */
  from: string;
  /** The account's HTTP webhook signing key (not the API key). */
  webhookSigningKey?: string;
}

const HOSTS = { us: 'https://api.mailgun.net', eu: 'https://api.eu.mailgun.net' } as const;
const LABEL = 'Mailgun';

/** The form fields; `v:` user variables come back in every event as `user-variables`. */
export const mailgunFormFields = (
  message: OutboundMessage,
  credentials: MailgunCredentials,
  to: string,
): Array<[string, string | undefined]> => {
  const { rendering } = message;
  return [
    ['from', credentials.from],
    ['to', to],
    ['subject', rendering.channel === 'email' ? rendering.subject : `Order ${message.orderRef}`],
    ['text', rendering.channel === 'email' ? rendering.text : renderingText(rendering)],
    ['html', rendering.channel === 'email' ? rendering.html : undefined],
    ['o:tag', 'order-status'],
    ['v:intent_id', message.intentId],
    ['v:tenant_id', message.tenantId],
  ];
};

/** Creates the Mailgun e-mail channel; no idempotency key, so correlate with `v:intent_id`. */
export const createMailgunEmail = (
  config: AdapterConfig = {},
  deps: ChannelDeps = {},
): ReceivingChannel<MailgunCredentials, 'mailgun', 'email'> => {
  const resolved = resolveDeps(deps);
  return {
    provider: 'mailgun',
    channel: 'email',
    send: singleRequestSend<MailgunCredentials>({
      label: LABEL,
      deps: resolved,
      timeoutMs: config.timeoutMs,
      request: (message, to, credentials) => ({
        method: 'POST',
        url: `${HOSTS[credentials.region]}/v3/${encodeURIComponent(credentials.domain)}/messages`,
        headers: {
          authorization: `Basic ${Buffer.from(`api:${credentials.apiKey}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: encodeForm(mailgunFormFields(message, credentials, to)),
      }),
      answer: (response) => {
        const json = response.json as { id?: unknown } | undefined;
        if (response.status === 200 && typeof json?.id === 'string') {
          // Events carry the Message-Id without angle brackets; store it the same way.
          return { ok: true, providerMessageId: json.id.replace(/^<|>$/g, '') };
        }
        const error =
          response.status === 402
            ? answerFailure(LABEL, response, 'provider_config', 'permanent')
            : classifyHttpStatus(LABEL, response, resolved);
        return { ok: false, error };
      },
    }),
    parseReceipt: (request, credentials) =>
      parseMailgunWebhook(request, credentials.webhookSigningKey ?? '', resolved.clock.now()),
  };
};
