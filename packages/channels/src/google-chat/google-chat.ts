/**
 * @module Google Chat `spaces.messages.create` with cardsV2, as a Chat app (service account,
 * `requestId` = intent id for idempotency) or through a space's incoming webhook URL.
 */
import type { OutboundMessage, SendResult } from '../core-contract.ts';
import { type ChannelDeps, DEFAULT_TIMEOUT_MS, resolveDeps } from '../http/channel-deps.ts';
import { classifyHttpStatus } from '../http/http-classification.ts';
import { callProvider } from '../http/provider-call.ts';
import type { ProviderChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig, ChannelSendOptions } from '../send-options.ts';
import { type ServiceAccount, serviceAccountTokens } from './service-account-token.ts';

export type GoogleChatCredentials =
  | ({ kind: 'service_account' /** `spaces/AAAA…` */; space: string } & ServiceAccount)
  | {
      kind: 'webhook' /** `https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=…` */;
      url: string;
    };

const LABEL = 'Google Chat';

/** The message body; one thread per order keeps a space readable. */
export const googleChatBody = (message: OutboundMessage): object => ({
  text: renderingText(message.rendering),
  ...(message.rendering.channel === 'google_chat' && message.rendering.cardsV2.length > 0
    ? { cardsV2: message.rendering.cardsV2 }
    : {}),
  thread: { threadKey: `order-${message.orderRef}` },
});

/** Creates the Google Chat channel. */
export const createGoogleChat = (
  config: AdapterConfig & { baseUrl?: string } = {},
  deps: ChannelDeps = {},
): ProviderChannel<GoogleChatCredentials, 'google-chat', 'google_chat'> => {
  const resolved = resolveDeps(deps);
  const baseUrl = config.baseUrl ?? 'https://chat.googleapis.com/v1';
  const tokens = serviceAccountTokens(resolved, LABEL);
  return {
    provider: 'google-chat',
    channel: 'google_chat',
    async send(
      message: OutboundMessage,
      credentials: GoogleChatCredentials,
      options: ChannelSendOptions = {},
    ): Promise<SendResult> {
      const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
      let url: URL;
      if (credentials.kind === 'service_account') {
        const token = await tokens(credentials, timeoutMs, options.signal);
        if (!token.ok) return token;
        headers.authorization = `Bearer ${token.token}`;
        url = new URL(`${baseUrl}/${credentials.space}/messages`);
        // The same requestId returns the message already created instead of posting twice.
        url.searchParams.set('requestId', message.intentId);
      } else {
        url = new URL(credentials.url);
      }
      url.searchParams.set('messageReplyOption', 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD');
      const outcome = await callProvider(
        resolved,
        {
          method: 'POST',
          url: url.toString(),
          headers,
          body: JSON.stringify(googleChatBody(message)),
        },
        { label: LABEL, timeoutMs, signal: options.signal },
      );
      if (!outcome.ok) return outcome;
      const { response } = outcome;
      const json = response.json as { name?: unknown; error?: { status?: unknown } } | undefined;
      if (response.status === 200 && typeof json?.name === 'string')
        return { ok: true, providerMessageId: json.name };
      const status = typeof json?.error?.status === 'string' ? json.error.status : undefined;
      return { ok: false, error: classifyHttpStatus(LABEL, response, resolved, status) };
    },
  };
};
