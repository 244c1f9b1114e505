/**
 * @module OneSignal push: `POST /notifications` to `include_aliases.external_id`, with the intent
 * id (as a UUIDv5) for `idempotency_key`; a 200 with an empty id means nothing was sent.
 */
import type { OutboundMessage } from '../core-contract.ts';
import { type ChannelDeps, resolveDeps } from '../http/channel-deps.ts';
import { answerFailure, classifyHttpStatus } from '../http/http-classification.ts';
import { singleRequestSend } from '../http/single-request-send.ts';
import { uuidV5 } from '../http/uuid-v5.ts';
import type { ProviderChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig } from '../send-options.ts';

export interface OnesignalCredentials {
  appId: string;
  /** The app's REST API key (not the Organization key). */
  restApiKey: string;
}

export interface OnesignalPushConfig extends AdapterConfig {
  baseUrl?: string;
}

const LABEL = 'OneSignal';

/** The notification body; `idempotency_key` lets a retry after a timeout be answered from the first. */
export const onesignalNotificationBody = (
  message: OutboundMessage,
  appId: string,
  externalId: string,
): object => {
  const { rendering } = message;
  const title = rendering.channel === 'push' ? rendering.title : `Order ${message.orderRef}`;
  const body = rendering.channel === 'push' ? rendering.body : renderingText(rendering);
  return {
    app_id: appId,
    target_channel: 'push',
    include_aliases: { external_id: [externalId] },
    headings: { en: title },
    contents: { en: body },
    data: { order_ref: message.orderRef, status: message.status, intent_id: message.intentId },
    idempotency_key: uuidV5(message.intentId),
  };
};

const mentionsUnsubscribed = (errors: unknown): boolean =>
  Array.isArray(errors) && errors.some((e) => typeof e === 'string' && /not subscribed/i.test(e));

/** Creates the OneSignal push channel. */
export const createOnesignalPush = (
  config: OnesignalPushConfig = {},
  deps: ChannelDeps = {},
): ProviderChannel<OnesignalCredentials, 'onesignal', 'push'> => {
  const resolved = resolveDeps(deps);
  const baseUrl = config.baseUrl ?? 'https://api.onesignal.com';
  return {
    provider: 'onesignal',
    channel: 'push',
    send: singleRequestSend<OnesignalCredentials>({
      label: LABEL,
      deps: resolved,
      timeoutMs: config.timeoutMs,
      request: (message, to, credentials) => ({
        method: 'POST',
        url: `${baseUrl}/notifications`,
        // The generated OneSignal SDKs send "Key <REST API key>" (channels.md §6).
        headers: {
          authorization: `Key ${credentials.restApiKey}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(onesignalNotificationBody(message, credentials.appId, to)),
      }),
      answer: (response) => {
        if (response.status !== 200)
          return { ok: false, error: classifyHttpStatus(LABEL, response, resolved) };
        const json = response.json as { id?: unknown; errors?: unknown } | undefined;
        if (typeof json?.id === 'string' && json.id !== '')
          return { ok: true, providerMessageId: json.id };
        // No subscribed device for this user: push permission revoked or never granted.
        const error = mentionsUnsubscribed(json?.errors)
          ? answerFailure(LABEL, response, 'not_subscribed', 'consent')
          : answerFailure(LABEL, response, 'invalid_recipient', 'permanent');
        return { ok: false, error };
      },
    }),
  };
};
