/**
 * @module Klaviyo Create Event (`POST /api/events`, JSON:API, `revision` header): one metric per
 * canonical status, so a Klaviyo flow owns the message, its copy and its consent rules.
 */
import type { OutboundMessage } from '../core-contract.ts';
import { type ChannelDeps, resolveDeps } from '../http/channel-deps.ts';
import { classifyHttpStatus } from '../http/http-classification.ts';
import { singleRequestSend } from '../http/single-request-send.ts';
import type { ProviderChannel } from '../provider-channel.ts';
import type { AdapterConfig } from '../send-options.ts';

export interface KlaviyoCredentials {
  /** A private API key (`pk_…`) with `events:write`. */
  privateKey: string;
  /** Metric name per canonical status, when the tenant's flows listen for other names. */
  metricNames?: Readonly<Record<string, string>>;
}

export interface KlaviyoConfig extends AdapterConfig {
  /** The API revision; the saved spec is 2026-07-15. */
  revision?: string;
  baseUrl?: string;
}

const LABEL = 'Klaviyo';

/** `out_for_delivery` → `Order Out For Delivery`: one metric per status for flows to trigger on. */
export const klaviyoMetricName = (
  status: string,
  overrides: Readonly<Record<string, string>> = {},
): string =>
  overrides[status] ??
  `Order ${status
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ')}`;

/** Picks the profile identifier from the contact point: e-mail, E.164 phone, else external id. */
const profileAttributes = (to: string): Record<string, string> =>
  to.includes('@')
    ? { email: to }
    : /^\+\d{7,15}$/.test(to)
      ? { phone_number: to }
      : { external_id: to };

/** The JSON:API body; `unique_id` = intent id makes a retried event count once. */
export const klaviyoEventBody = (
  message: OutboundMessage,
  to: string,
  time: string,
  metricNames?: Readonly<Record<string, string>>,
): object => ({
  data: {
    type: 'event',
    attributes: {
      properties: {
        order_number: message.orderRef,
        status: message.status,
        template_key: message.templateKey,
        intent_id: message.intentId,
        tenant_id: message.tenantId,
      },
      metric: {
        data: {
          type: 'metric',
          attributes: { name: klaviyoMetricName(message.status, metricNames) },
        },
      },
      profile: { data: { type: 'profile', attributes: profileAttributes(to) } },
      unique_id: message.intentId,
      time,
    },
  },
});

/** Creates the Klaviyo channel; a 202 carries no id, so the intent id (our `unique_id`) stands in. */
export const createKlaviyo = (
  config: KlaviyoConfig = {},
  deps: ChannelDeps = {},
): ProviderChannel<KlaviyoCredentials, 'klaviyo', 'klaviyo'> => {
  const resolved = resolveDeps(deps);
  const baseUrl = config.baseUrl ?? 'https://a.klaviyo.com';
  const revision = config.revision ?? '2026-07-15';
  return {
    provider: 'klaviyo',
    channel: 'klaviyo',
    send: singleRequestSend<KlaviyoCredentials>({
      label: LABEL,
      deps: resolved,
      timeoutMs: config.timeoutMs,
      request: (message, to, credentials, options) => {
        // Truncated to the second, as Klaviyo stores it; the event time, not the send time, when known.
        const time = new Date(options.occurredAt ?? resolved.clock.now().toISOString())
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z');
        return {
          method: 'POST',
          url: `${baseUrl}/api/events`,
          headers: {
            authorization: `Klaviyo-API-Key ${credentials.privateKey}`,
            revision,
            'content-type': 'application/vnd.api+json',
            accept: 'application/vnd.api+json',
          },
          body: JSON.stringify(klaviyoEventBody(message, to, time, credentials.metricNames)),
        };
      },
      answer: (response, message) => {
        if (response.status === 202)
          return { ok: true, providerMessageId: `event:${message.intentId}` };
        const json = response.json as { errors?: Array<{ code?: unknown }> } | undefined;
        const code = json?.errors?.[0]?.code;
        return {
          ok: false,
          error: classifyHttpStatus(
            LABEL,
            response,
            resolved,
            typeof code === 'string' ? code : undefined,
          ),
        };
      },
    }),
  };
};
