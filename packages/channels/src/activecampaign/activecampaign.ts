/**
 * @module ActiveCampaign: contact sync (`POST /api/3/contact/sync`, an upsert on e-mail carrying
 * the order fields) then, when configured, event tracking (`POST https://trackcmp.net/event`) so
 * an automation sends the message under ActiveCampaign's own list and consent rules.
 */
import type { OutboundMessage, SendResult } from '../core-contract.ts';
import { type ChannelDeps, DEFAULT_TIMEOUT_MS, resolveDeps } from '../http/channel-deps.ts';
import { encodeForm } from '../http/form-encoding.ts';
import { answerFailure, classifyHttpStatus } from '../http/http-classification.ts';
import { callProvider } from '../http/provider-call.ts';
import { sendFailure } from '../http/send-failures.ts';
import type { ProviderChannel } from '../provider-channel.ts';
import type { AdapterConfig, ChannelSendOptions } from '../send-options.ts';

export interface ActivecampaignCredentials {
  /** The account's API URL from Settings → Developer, e.g. `https://acct.api-us1.com`. */
  apiUrl: string;
  apiToken: string;
  /** Custom field ids to write the order number and status into, if the account has them. */
  fieldIds?: { orderNumber?: string; status?: string };
  /** Event tracking (account id and event key); without it only the contact sync runs. */
  eventTracking?: { actid: string; eventKey: string };
  /** Event name per canonical status; defaults to `order_<status>` (at most 32 characters). */
  eventNames?: Readonly<Record<string, string>>;
}

export interface ActivecampaignConfig extends AdapterConfig {
  trackingUrl?: string;
}

const LABEL = 'ActiveCampaign';

/** The contact sync body. */
export const activecampaignContactBody = (
  message: OutboundMessage,
  email: string,
  fieldIds: ActivecampaignCredentials['fieldIds'] = {},
): object => {
  const fieldValues = [
    ...(fieldIds.orderNumber === undefined
      ? []
      : [{ field: fieldIds.orderNumber, value: message.orderRef }]),
    ...(fieldIds.status === undefined ? [] : [{ field: fieldIds.status, value: message.status }]),
  ];
  return { contact: { email, ...(fieldValues.length === 0 ? {} : { fieldValues }) } };
};

/** The event name, cut to ActiveCampaign's 32-character limit. */
export const activecampaignEventName = (
  status: string,
  names: Readonly<Record<string, string>> = {},
): string => (names[status] ?? `order_${status}`).slice(0, 32);

/** Creates the ActiveCampaign channel; the provider message id is the contact id the sync returned. */
export const createActivecampaign = (
  config: ActivecampaignConfig = {},
  deps: ChannelDeps = {},
): ProviderChannel<ActivecampaignCredentials, 'activecampaign', 'activecampaign'> => {
  const resolved = resolveDeps(deps);
  const trackingUrl = config.trackingUrl ?? 'https://trackcmp.net/event';
  return {
    provider: 'activecampaign',
    channel: 'activecampaign',
    async send(
      message: OutboundMessage,
      credentials: ActivecampaignCredentials,
      options: ChannelSendOptions = {},
    ): Promise<SendResult> {
      const email = message.to;
      if (email === undefined || !email.includes('@')) {
        return {
          ok: false,
          error: sendFailure({ label: LABEL, code: 'invalid_recipient', class: 'permanent' }),
        };
      }
      const call = {
        label: LABEL,
        timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        signal: options.signal,
      };
      const sync = await callProvider(
        resolved,
        {
          method: 'POST',
          url: `${credentials.apiUrl.replace(/\/$/, '')}/api/3/contact/sync`,
          headers: {
            'api-token': credentials.apiToken,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify(activecampaignContactBody(message, email, credentials.fieldIds)),
        },
        call,
      );
      if (!sync.ok) return sync;
      const contact = (sync.response.json as { contact?: { id?: unknown } } | undefined)?.contact;
      if (
        (sync.response.status !== 200 && sync.response.status !== 201) ||
        contact?.id === undefined
      ) {
        return { ok: false, error: classifyHttpStatus(LABEL, sync.response, resolved) };
      }
      const contactId = String(contact.id);
      const tracking = credentials.eventTracking;
      if (tracking === undefined) return { ok: true, providerMessageId: contactId };
      const event = await callProvider(
        resolved,
        {
          method: 'POST',
          url: trackingUrl,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: encodeForm([
            ['actid', tracking.actid],
            ['key', tracking.eventKey],
            ['event', activecampaignEventName(message.status, credentials.eventNames)],
            ['eventdata', message.orderRef],
            ['visit', JSON.stringify({ email })],
          ]),
        },
        call,
      );
      if (!event.ok) return event;
      const spawned = (event.response.json as { success?: unknown } | undefined)?.success;
      if (event.response.status === 200 && (spawned === 1 || spawned === '1'))
        return { ok: true, providerMessageId: contactId };
      // success:0 means tracking is off or the actid/key/event name is unknown: a set-up problem.
      const error =
        event.response.status === 200
          ? answerFailure(LABEL, event.response, 'provider_config', 'permanent')
          : classifyHttpStatus(LABEL, event.response, resolved);
      return { ok: false, error };
    },
  };
};
