/**
 * @module Which adapter sends a tenant's messages on a channel: the provider whose credentials
 * the tenant stored (admin API, or a platform app's channel set-up), or — when the tenant has
 * none and the dev sink policy is `fallback` — the dev sink, which keeps what would have been
 * sent for the dev inbox.
 */
import {
  type ChannelDeps,
  createActivecampaign,
  createDevSink,
  createGoogleChat,
  createIntercom,
  createKlaviyo,
  createMailgunEmail,
  createMessagebirdSms,
  createOnesignalPush,
  createSendgridEmail,
  createSlack,
  createTeams,
  createTwilioSms,
  createWhatsappCloud,
  type DevSink,
} from '@tidings/channels';
import { CHANNEL_KINDS, type Channel, type ChannelKind } from '@tidings/core';
import type {
  ChannelResolver,
  EngineLogger,
  ResolvedChannel,
  UnavailableChannel,
} from '@tidings/engine';
import type { Store } from '@tidings/store';
import type { DevSinkMode } from './hub-config.ts';

/** Every provider adapter, by the provider name its credential is stored under. */
const FACTORIES = {
  twilio: createTwilioSms,
  messagebird: createMessagebirdSms,
  sendgrid: createSendgridEmail,
  mailgun: createMailgunEmail,
  'whatsapp-cloud': createWhatsappCloud,
  onesignal: createOnesignalPush,
  slack: createSlack,
  teams: createTeams,
  'google-chat': createGoogleChat,
  intercom: createIntercom,
  klaviyo: createKlaviyo,
  activecampaign: createActivecampaign,
} as const;

export type ProviderId = keyof typeof FACTORIES;
export const PROVIDER_IDS = Object.keys(FACTORIES) as ProviderId[];

/** Per-provider adapter settings (a test's `baseUrl`, a timeout) and injectable edges (`fetch`). */
export type ProviderOverrides = {
  [P in ProviderId]?: { config?: Parameters<(typeof FACTORIES)[P]>[0]; deps?: ChannelDeps };
};

/**
 * Providers that take a status callback URL per message (Twilio `StatusCallback`, MessageBird
 * `reportUrl`); the others are configured once in the provider's console to post to
 * `/receipts/:provider/:tenantId`.
 */
const PER_MESSAGE_CALLBACK: ReadonlySet<ProviderId> = new Set(['twilio', 'messagebird']);

const DECRYPT_FAILURES: ReadonlySet<string> = new Set([
  'credential_key_unknown',
  'credential_tampered',
  'secret_key_missing',
]);

/** What a receipt route needs: the tenant's adapter and decrypted credential for one provider. */
export type ProviderCredential =
  | { ok: true; adapter: Channel<unknown>; credentials: unknown }
  | { ok: false; code: 'unknown_provider' | 'not_found' | 'credential_unreadable'; detail: string };

export interface ChannelRegistry extends ChannelResolver {
  /** Everything the dev sinks took, newest last. */
  devMessages(): ReturnType<DevSink['messages']>[number][];
  /** The dev sink policy this registry applies. */
  readonly devSink: DevSinkMode;
  /** One provider's adapter and the tenant's decrypted credential for it (for receipts). */
  credentialFor(tenantId: string, provider: string): Promise<ProviderCredential>;
}

export interface ChannelRegistryOptions {
  store: Store;
  logger: EngineLogger;
  /** Default `fallback`, so tests and `npm start` keep the dev inbox. */
  devSink?: DevSinkMode;
  /** Where dev-sink "sends" are printed. */
  print?: (line: string) => void;
  providers?: ProviderOverrides;
}

const isProvider = (name: string): name is ProviderId => Object.hasOwn(FACTORIES, name);

/** The URL a provider posts a tenant's receipts and replies to. */
export const receiptUrl = (publicUrl: string, provider: string, tenantId: string): string =>
  `${publicUrl.replace(/\/$/, '')}/receipts/${encodeURIComponent(provider)}/${encodeURIComponent(tenantId)}`;

/**
 * The dispatcher's per-message status callback: for the providers that take one with each
 * message, the hub's receipt route for that provider and tenant.
 */
export const statusCallbackUrls =
  (publicUrl: string) =>
  (provider: string, tenantId: string): string | undefined =>
    PER_MESSAGE_CALLBACK.has(provider as ProviderId)
      ? receiptUrl(publicUrl, provider, tenantId)
      : undefined;

/**
 * Resolves (tenant, channel kind) to the provider serving that kind for which the tenant stored
 * a credential. When the tenant stored several (SendGrid and Mailgun, say), the one whose
 * credential was updated last wins: storing a provider's credential is how a tenant switches to
 * it. A credential that cannot be decrypted resolves to nothing (never to the dev sink), with a
 * warning, so the message is not reported as sent when it only reached the dev inbox.
 */
export const createChannelRegistry = (options: ChannelRegistryOptions): ChannelRegistry => {
  const { store, logger } = options;
  const devSink = options.devSink ?? 'fallback';
  const sinks = new Map<ChannelKind, DevSink>(
    CHANNEL_KINDS.map((kind) => [
      kind,
      createDevSink({ channel: kind, print: options.print ?? (() => {}) }),
    ]),
  );

  // Adapters are stateless (credentials travel with each send): one per provider per process.
  const adapters = new Map<ProviderId, Channel<unknown>>();
  for (const provider of PROVIDER_IDS) {
    const override = options.providers?.[provider] as
      | { config?: object; deps?: ChannelDeps }
      | undefined;
    const create = FACTORIES[provider] as (config?: object, deps?: ChannelDeps) => Channel<never>;
    adapters.set(
      provider,
      create(override?.config ?? {}, override?.deps ?? {}) as Channel<unknown>,
    );
  }

  const fallback = (kind: ChannelKind): ResolvedChannel | undefined => {
    const sink = devSink === 'fallback' ? sinks.get(kind) : undefined;
    return sink
      ? { channel: sink, credentials: undefined, accountKey: `dev-sink:${kind}` }
      : undefined;
  };

  const decrypt = async (tenantId: string, provider: ProviderId): Promise<ProviderCredential> => {
    const adapter = adapters.get(provider) as Channel<unknown>;
    const stored = await store.getCredential(tenantId, provider);
    if (stored.ok) return { ok: true, adapter, credentials: stored.value };
    if (!DECRYPT_FAILURES.has(stored.error.code)) {
      return { ok: false, code: 'not_found', detail: `no ${provider} credential is stored` };
    }
    // Never the secret: tenant, provider and why only.
    logger.warn(
      { tenantId, provider, code: stored.error.code },
      'provider credential cannot be decrypted; nothing is sent through it',
    );
    return {
      ok: false,
      code: 'credential_unreadable',
      detail: `the ${provider} credential cannot be decrypted (${stored.error.code})`,
    };
  };

  return {
    devSink,
    async resolve(tenantId, kind): Promise<ResolvedChannel | UnavailableChannel | undefined> {
      const newest = (await store.listCredentials(tenantId))
        .filter((c) => isProvider(c.provider) && adapters.get(c.provider)?.channel === kind)
        .sort((a, b) =>
          a.updatedAt === b.updatedAt
            ? a.provider.localeCompare(b.provider)
            : a.updatedAt < b.updatedAt
              ? 1
              : -1,
        )[0];
      if (!newest) return fallback(kind);
      const provider = newest.provider as ProviderId;
      const found = await decrypt(tenantId, provider);
      if (found.ok) {
        return {
          channel: found.adapter,
          credentials: found.credentials,
          accountKey: `${provider}:${tenantId}`,
        };
      }
      // Deleted between the listing and the read: as if it had never been stored. Unreadable:
      // set up but unusable, never the dev sink, and the timeline says why.
      return found.code === 'not_found' ? fallback(kind) : { unavailable: found.detail };
    },
    async credentialFor(tenantId, provider) {
      if (!isProvider(provider)) {
        return {
          ok: false,
          code: 'unknown_provider',
          detail: `no provider is named "${provider}"`,
        };
      }
      return decrypt(tenantId, provider);
    },
    devMessages() {
      return [...sinks.values()]
        .flatMap((s) => [...s.messages()])
        .sort((a, b) => (a.at < b.at ? -1 : 1));
    },
  };
};
