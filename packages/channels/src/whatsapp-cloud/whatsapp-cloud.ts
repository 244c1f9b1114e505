/**
 * @module WhatsApp Business Cloud API: `POST /{Version}/{Phone-Number-ID}/messages`. Free text
 * only inside the 24-hour window; otherwise the approved template the rendering names.
 */
import type { OutboundMessage, Rendering, SendResult } from '../core-contract.ts';
import { type ChannelDeps, DEFAULT_TIMEOUT_MS, resolveDeps } from '../http/channel-deps.ts';
import { classifyHttpStatus } from '../http/http-classification.ts';
import { callProvider } from '../http/provider-call.ts';
import { retryAfterMs } from '../http/retry-after.ts';
import { sendFailure } from '../http/send-failures.ts';
import type { ReceivingChannel } from '../provider-channel.ts';
import type { AdapterConfig, ChannelSendOptions } from '../send-options.ts';
import { FREQUENCY_CAP_CODE, FREQUENCY_CAP_WAIT_MS, whatsappRule } from './whatsapp-errors.ts';
import { parseWhatsappWebhook } from './whatsapp-webhooks.ts';

export interface WhatsappCredentials {
  /** The business phone number's **ID** (not the number itself). */
  phoneNumberId: string;
  /** A System User token with `whatsapp_business_messaging`. */
  accessToken: string;
  /** The Meta App Secret: the key of `X-Hub-Signature-256`. */
  appSecret: string;
}

export interface WhatsappCloudConfig extends AdapterConfig {
  /** Graph API version; the saved spec is v23.0. */
  graphVersion?: string;
  baseUrl?: string;
}

const LABEL = 'WhatsApp';

type WhatsappRendering = Extract<Rendering, { channel: 'whatsapp' }>;

/** The request body: a template outside the window, free text inside it. */
export const whatsappMessageBody = (
  to: string,
  rendering: WhatsappRendering,
  windowOpen: boolean,
): object => {
  const base = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: to.replace(/^\+/, ''),
  };
  if (windowOpen)
    return { ...base, type: 'text', text: { body: rendering.text, preview_url: false } };
  const components = [
    ...(rendering.headerParameters.length === 0
      ? []
      : [
          {
            type: 'header',
            parameters: rendering.headerParameters.map((text) => ({ type: 'text', text })),
          },
        ]),
    ...(rendering.bodyParameters.length === 0
      ? []
      : [
          {
            type: 'body',
            parameters: rendering.bodyParameters.map((text) => ({ type: 'text', text })),
          },
        ]),
  ];
  return {
    ...base,
    type: 'template',
    template: {
      name: rendering.templateName,
      language: { code: rendering.language, policy: 'deterministic' },
      ...(components.length === 0 ? {} : { components }),
    },
  };
};

/** Creates the WhatsApp Cloud channel; `options.whatsappWindowOpen` chooses free text over the template. */
export const createWhatsappCloud = (
  config: WhatsappCloudConfig = {},
  deps: ChannelDeps = {},
): ReceivingChannel<WhatsappCredentials, 'whatsapp-cloud', 'whatsapp'> => {
  const resolved = resolveDeps(deps);
  const baseUrl = config.baseUrl ?? 'https://graph.facebook.com';
  const version = config.graphVersion ?? 'v23.0';
  return {
    provider: 'whatsapp-cloud',
    channel: 'whatsapp',
    async send(
      message: OutboundMessage,
      credentials: WhatsappCredentials,
      options: ChannelSendOptions = {},
    ): Promise<SendResult> {
      const { rendering } = message;
      if (message.to === undefined || message.to === '') {
        return {
          ok: false,
          error: sendFailure({ label: LABEL, code: 'invalid_recipient', class: 'permanent' }),
        };
      }
      if (rendering.channel !== 'whatsapp') {
        return {
          ok: false,
          error: sendFailure({ label: LABEL, code: 'invalid_request', class: 'permanent' }),
        };
      }
      const outcome = await callProvider(
        resolved,
        {
          method: 'POST',
          url: `${baseUrl}/${version}/${encodeURIComponent(credentials.phoneNumberId)}/messages`,
          headers: {
            authorization: `Bearer ${credentials.accessToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(
            whatsappMessageBody(message.to, rendering, options.whatsappWindowOpen === true),
          ),
        },
        { label: LABEL, timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal },
      );
      if (!outcome.ok) return outcome;
      const { response } = outcome;
      const json = response.json as
        | { messages?: Array<{ id?: unknown }>; error?: { code?: unknown; is_transient?: unknown } }
        | undefined;
      if (response.status === 200) {
        const id = json?.messages?.[0]?.id;
        if (typeof id === 'string' && id !== '') return { ok: true, providerMessageId: id };
        return {
          ok: false,
          error: sendFailure({
            label: LABEL,
            code: 'unexpected_response',
            class: 'retryable',
            providerStatus: 200,
            providerBody: response.text,
          }),
        };
      }
      const code = typeof json?.error?.code === 'number' ? json.error.code : undefined;
      const common = {
        label: LABEL,
        providerStatus: response.status,
        providerCode: code,
        providerBody: response.text,
      };
      if (code === FREQUENCY_CAP_CODE) {
        return {
          ok: false,
          error: sendFailure({
            ...common,
            code: 'rate_limited',
            class: 'retryable',
            retryAfterMs: FREQUENCY_CAP_WAIT_MS,
          }),
        };
      }
      const rule = code === undefined ? undefined : whatsappRule(code);
      if (rule !== undefined) {
        const [cls, ourCode] = rule;
        const wait =
          cls === 'retryable' ? retryAfterMs(response.headers, resolved.clock) : undefined;
        return {
          ok: false,
          error: sendFailure({ ...common, code: ourCode, class: cls, retryAfterMs: wait }),
        };
      }
      if (json?.error?.is_transient === true) {
        return {
          ok: false,
          error: sendFailure({ ...common, code: 'provider_unavailable', class: 'retryable' }),
        };
      }
      return { ok: false, error: classifyHttpStatus(LABEL, response, resolved, code) };
    },
    parseReceipt: (request, credentials) =>
      parseWhatsappWebhook(request, credentials.appSecret, resolved.clock.now()),
  };
};
