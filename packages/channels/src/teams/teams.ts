/**
 * @module Microsoft Teams, two ways chosen per tenant: a Graph `chatMessage` posted with a
 * delegated token (app-only tokens may only import), or a Workflows webhook with an Adaptive Card.
 */
import type { OutboundMessage, SendResult } from '../core-contract.ts';
import { type ChannelDeps, DEFAULT_TIMEOUT_MS, resolveDeps } from '../http/channel-deps.ts';
import { answerFailure, classifyHttpStatus } from '../http/http-classification.ts';
import { callProvider } from '../http/provider-call.ts';
import type { ProviderChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig, ChannelSendOptions } from '../send-options.ts';

export type TeamsCredentials =
  | {
      kind: 'graph';
      /** A delegated Entra ID token (ChannelMessage.Send / ChatMessage.Send), refreshed by the caller. */
      accessToken: string;
      target: { teamId: string; channelId: string } | { chatId: string };
    }
  | {
      kind: 'workflow';
      /** The whole Workflows trigger URL; its `sig` parameter is the credential. */
      url: string;
    };

const LABEL = 'Microsoft Teams';
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** The Adaptive Card to post: the rendering's own card, or a one-TextBlock card from its text. */
const cardOf = (message: OutboundMessage): Record<string, unknown> =>
  message.rendering.channel === 'teams'
    ? message.rendering.card
    : {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [{ type: 'TextBlock', text: renderingText(message.rendering), wrap: true }],
      };

/** Graph chatMessage body: an `<attachment>` placeholder referencing the card by id. */
export const teamsGraphBody = (message: OutboundMessage): object => ({
  body: { contentType: 'html', content: '<attachment id="tidings-card"></attachment>' },
  attachments: [
    { id: 'tidings-card', contentType: ADAPTIVE, content: JSON.stringify(cardOf(message)) },
  ],
});

/** Workflows webhook body: a `message` with the card inline (not a string). */
export const teamsWorkflowBody = (message: OutboundMessage): object => ({
  type: 'message',
  attachments: [{ contentType: ADAPTIVE, contentUrl: null, content: cardOf(message) }],
});

/** Creates the Teams channel; Graph returns a message id, a Workflows webhook only a 202. */
export const createTeams = (
  config: AdapterConfig & { graphBaseUrl?: string } = {},
  deps: ChannelDeps = {},
): ProviderChannel<TeamsCredentials, 'teams', 'teams'> => {
  const resolved = resolveDeps(deps);
  const graph = config.graphBaseUrl ?? 'https://graph.microsoft.com/v1.0';
  return {
    provider: 'teams',
    channel: 'teams',
    async send(
      message: OutboundMessage,
      credentials: TeamsCredentials,
      options: ChannelSendOptions = {},
    ): Promise<SendResult> {
      const call = {
        label: LABEL,
        timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: options.signal,
      };
      if (credentials.kind === 'workflow') {
        const outcome = await callProvider(
          resolved,
          {
            method: 'POST',
            url: credentials.url,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(teamsWorkflowBody(message)),
          },
          call,
        );
        if (!outcome.ok) return outcome;
        const { response } = outcome;
        // The flow runs asynchronously and returns no id; the intent id stands in.
        if (response.status === 202 || response.status === 200)
          return { ok: true, providerMessageId: `workflow:${message.intentId}` };
        // A bad `sig` or a switched-off flow answers 400/401/403: the set-up is broken, not the message.
        const error =
          response.status === 400
            ? answerFailure(LABEL, response, 'provider_config', 'permanent')
            : classifyHttpStatus(LABEL, response, resolved);
        return { ok: false, error };
      }
      const { target } = credentials;
      const path =
        'chatId' in target
          ? `/chats/${encodeURIComponent(target.chatId)}/messages`
          : `/teams/${encodeURIComponent(target.teamId)}/channels/${encodeURIComponent(target.channelId)}/messages`;
      const outcome = await callProvider(
        resolved,
        {
          method: 'POST',
          url: `${graph}${path}`,
          headers: {
            authorization: `Bearer ${credentials.accessToken}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(teamsGraphBody(message)),
        },
        call,
      );
      if (!outcome.ok) return outcome;
      const { response } = outcome;
      const json = response.json as { id?: unknown; error?: { code?: unknown } } | undefined;
      if (response.status === 201 && typeof json?.id === 'string')
        return { ok: true, providerMessageId: json.id };
      const code = typeof json?.error?.code === 'string' ? json.error.code : undefined;
      return { ok: false, error: classifyHttpStatus(LABEL, response, resolved, code) };
    },
  };
};
