/**
 * @module WhatsApp Business Cloud API: `POST /{Version}/{Phone-Number-ID}/messages`. Free text
 * only inside the 24-hour window; otherwise the approved template the rendering names.
 */
import type { Rendering } from '../core-contract.ts';
import { type ChannelDeps, resolveDeps } from '../http/channel-deps.ts';
import { answerFailure, classifyByRule } from '../http/http-classification.ts';
import { sendFailure } from '../http/send-failures.ts';
import { singleRequestSend } from '../http/single-request-send.ts';
import type { ReceivingChannel } from '../provider-channel.ts';
import type { AdapterConfig } from '../send-options.ts';
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
    send: singleRequestSend<WhatsappCredentials>({
      label: LABEL,
      deps: resolved,
      timeoutMs: config.timeoutMs,
      request: ({ rendering }, to, credentials, options) => {
        if (rendering.channel !== 'whatsapp')
          return sendFailure({ label: LABEL, code: 'invalid_request', class: 'permanent' });
        return {
          method: 'POST',
          url: `${baseUrl}/${version}/${encodeURIComponent(credentials.phoneNumberId)}/messages`,
          headers: {
            authorization: `Bearer ${credentials.accessToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(
            whatsappMessageBody(to, rendering, options.whatsappWindowOpen === true),
          ),
        };
      },
      answer: (response) => {
        const json = response.json as
          | {
              messages?: Array<{ id?: unknown }>;
              error?: { code?: unknown; is_transient?: unknown };
            }
          | undefined;
        if (response.status === 200) {
          const id = json?.messages?.[0]?.id;
          if (typeof id === 'string' && id !== '') return { ok: true, providerMessageId: id };
          return {
            ok: false,
            error: answerFailure(LABEL, response, 'unexpected_response', 'retryable'),
          };
        }
        const code = typeof json?.error?.code === 'number' ? json.error.code : undefined;
        if (code === FREQUENCY_CAP_CODE) {
          return {
            ok: false,
            error: answerFailure(LABEL, response, 'rate_limited', 'retryable', {
              providerCode: code,
              retryAfterMs: FREQUENCY_CAP_WAIT_MS,
            }),
          };
        }
        const rule = code === undefined ? undefined : whatsappRule(code);
        if (rule === undefined && json?.error?.is_transient === true) {
          return {
            ok: false,
            error: answerFailure(LABEL, response, 'provider_unavailable', 'retryable', {
              providerCode: code,
            }),
          };
        }
        return { ok: false, error: classifyByRule(LABEL, response, resolved, code, rule) };
      },
    }),
    parseReceipt: (request, credentials) =>
      parseWhatsappWebhook(request, credentials.appSecret, resolved.clock.now()),
  };
};
