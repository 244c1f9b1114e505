/**
 * @module Intercom: a data event (`POST /events`, preferred: an Intercom Series owns the message)
 * or an admin-initiated message (`POST /messages`), with `Intercom-Version: 2.14` pinned.
 */
import type { OutboundMessage } from '../core-contract.ts';
import { type ChannelDeps, resolveDeps } from '../http/channel-deps.ts';
import { classifyHttpStatus, withRateLimitReset } from '../http/http-classification.ts';
import { singleRequestSend } from '../http/single-request-send.ts';
import type { ProviderChannel } from '../provider-channel.ts';
import { renderingText } from '../rendering-text.ts';
import type { AdapterConfig } from '../send-options.ts';

export type IntercomMode =
  | { kind: 'data_event' }
  | { kind: 'admin_message'; adminId: string; messageType: 'email' | 'in_app' };

export interface IntercomCredentials {
  accessToken: string;
  /** The workspace's region fixes the host. */
  region?: 'us' | 'eu' | 'au';
  mode: IntercomMode;
}

const HOSTS = {
  us: 'https://api.intercom.io',
  eu: 'https://api.eu.intercom.io',
  au: 'https://api.au.intercom.io',
} as const;
const LABEL = 'Intercom';

/** The data event; Intercom drops duplicates on (contact, event_name, created_at), so created_at is the event's time. */
export const intercomEventBody = (
  message: OutboundMessage,
  to: string,
  createdAt: number,
): object => ({
  event_name: `order-${message.status.replaceAll('_', '-')}`,
  created_at: createdAt,
  ...(to.includes('@') ? { email: to } : { user_id: to }),
  // At most ten keys are kept per event; the first set sent fixes the schema.
  metadata: {
    order_number: message.orderRef,
    status: message.status,
    template_key: message.templateKey,
    intent_id: message.intentId,
  },
});

/** The admin-initiated message: `to` is the Intercom contact id. */
export const intercomMessageBody = (
  message: OutboundMessage,
  to: string,
  mode: Extract<IntercomMode, { kind: 'admin_message' }>,
): object => {
  const { rendering } = message;
  const body = rendering.channel === 'email' ? rendering.html : renderingText(rendering);
  return {
    message_type: mode.messageType,
    ...(mode.messageType === 'email'
      ? { subject: rendering.channel === 'email' ? rendering.subject : `Order ${message.orderRef}` }
      : {}),
    body,
    template: 'plain',
    // The spec types the admin id as an integer.
    from: { type: 'admin', id: Number(mode.adminId) },
    to: { type: 'user', id: to },
  };
};

/** Creates the Intercom channel in the mode the tenant's credentials choose. */
export const createIntercom = (
  config: AdapterConfig = {},
  deps: ChannelDeps = {},
): ProviderChannel<IntercomCredentials, 'intercom', 'intercom'> => {
  const resolved = resolveDeps(deps);
  return {
    provider: 'intercom',
    channel: 'intercom',
    send: singleRequestSend<IntercomCredentials>({
      label: LABEL,
      deps: resolved,
      timeoutMs: config.timeoutMs,
      request: (message, to, { mode, region, accessToken }, options) => {
        const occurred = Date.parse(options.occurredAt ?? resolved.clock.now().toISOString());
        return {
          method: 'POST',
          url: `${HOSTS[region ?? 'us']}${mode.kind === 'data_event' ? '/events' : '/messages'}`,
          headers: {
            authorization: `Bearer ${accessToken}`,
            'intercom-version': '2.14',
            accept: 'application/json',
            'content-type': 'application/json',
          },
          body: JSON.stringify(
            mode.kind === 'data_event'
              ? intercomEventBody(message, to, Math.floor(occurred / 1000))
              : intercomMessageBody(message, to, mode),
          ),
        };
      },
      answer: (response, message, { mode }) => {
        const isEvent = mode.kind === 'data_event';
        const json = response.json as
          | { id?: unknown; errors?: Array<{ code?: unknown }> }
          | undefined;
        // Events answer 202 with no body and no id; the intent id stands in.
        if (isEvent && response.status === 202)
          return { ok: true, providerMessageId: `event:${message.intentId}` };
        if (
          !isEvent &&
          response.status === 200 &&
          (typeof json?.id === 'string' || typeof json?.id === 'number')
        ) {
          return { ok: true, providerMessageId: String(json.id) };
        }
        const code = json?.errors?.[0]?.code;
        const failure = classifyHttpStatus(
          LABEL,
          response,
          resolved,
          typeof code === 'string' ? code : undefined,
        );
        return { ok: false, error: withRateLimitReset(failure, response, resolved) };
      },
    }),
  };
};
