/**
 * @module The dispatcher: claims due intents with a lease, re-checks compliance at release,
 * renders, calls the channel adapter, records the attempt, and then completes, retries with
 * backoff, falls back to the next channel, records an opt-out, or parks a poison intent — one
 * intent's trouble never blocks the others.
 */
import { randomUUID } from 'node:crypto';
import {
  type Channel,
  type ChannelKind,
  type Clock,
  type ConsentRecord,
  checkCompliance,
  type OrderEvent,
  type OrderState,
  type RenderRequest,
  renderTemplate,
  type SendResult,
  type TemplateChannel,
  type TenantConfig,
} from '@tidings/core';
import type { Store, StoredIntent } from '@tidings/store';
import type { createTenantConfigs, EngineLogger } from './engine-context.ts';
import { createRateLimiter, type RateLimit, type RateLimiter } from './rate-limiter.ts';
import { backoffMs, DEFAULT_RETRY, type RetryPolicy } from './retry-policy.ts';

/** A channel adapter with the credentials and limits of one tenant's provider account. */
export interface ResolvedChannel {
  channel: Channel<unknown>;
  credentials: unknown;
  /** Identifies the provider account the rate limit applies to. */
  accountKey: string;
  rateLimit?: RateLimit;
}

/** Where the dispatcher gets adapters from: the hub wires credentials from the store to providers. */
export interface ChannelResolver {
  resolve(tenantId: string, kind: ChannelKind): Promise<ResolvedChannel | undefined>;
}

export interface DispatcherOptions {
  store: Store;
  clock: Clock;
  tenants: ReturnType<typeof createTenantConfigs>;
  channels: ChannelResolver;
  logger: EngineLogger;
  workerId?: string;
  batchSize?: number;
  /** Parallel sends within a batch. */
  concurrency?: number;
  leaseMs?: number;
  /** Per-call timeout given to adapters. */
  sendTimeoutMs?: number;
  retry?: RetryPolicy;
  rateLimiter?: RateLimiter;
  /** Wait between empty polls. */
  idleMs?: number;
  /** Where providers should post receipts, per provider id. */
  statusCallbackUrl?: (provider: string) => string | undefined;
  random?: () => number;
  /** Observes every finished attempt (metrics). */
  onAttempt?: (a: { channel: ChannelKind; provider: string; outcome: string; ms: number }) => void;
  /** Observes every suppression at dispatch (metrics). */
  onSuppressed?: (reason: string) => void;
}

export type DispatchOutcome =
  | 'sent'
  | 'retry'
  | 'fallback'
  | 'suppressed'
  | 'deferred'
  | 'parked'
  | 'lease_lost';

const TEMPLATE_CHANNEL: Record<ChannelKind, TemplateChannel> = {
  sms: 'sms',
  whatsapp: 'whatsapp',
  email: 'email',
  push: 'push',
  slack: 'slack',
  teams: 'teams',
  google_chat: 'google_chat',
  // CX platforms run their own flows from our event; a title and body summarise it.
  intercom: 'push',
  klaviyo: 'push',
  activecampaign: 'push',
};

/** Creates a dispatcher; `runOnce` drains one batch, `start`/`stop` run it in the background. */
export const createDispatcher = (options: DispatcherOptions) => {
  const { store, clock, tenants, channels, logger } = options;
  const workerId = options.workerId ?? `dispatcher-${randomUUID()}`;
  const batchSize = options.batchSize ?? 64;
  const concurrency = options.concurrency ?? 16;
  const leaseMs = options.leaseMs ?? 60_000;
  const sendTimeoutMs = options.sendTimeoutMs ?? 15_000;
  const retry = options.retry ?? DEFAULT_RETRY;
  const limiter = options.rateLimiter ?? createRateLimiter();
  const random = options.random ?? Math.random;
  const iso = () => clock.now().toISOString();

  /** Events of one order, read once per batch. */
  const eventsOf = async (
    cache: Map<string, Promise<OrderEvent[]>>,
    tenantId: string,
    orderRef: string,
  ): Promise<OrderEvent[]> => {
    const key = `${tenantId}\u0000${orderRef}`;
    let found = cache.get(key);
    if (!found) {
      found = store.listEvents(tenantId, orderRef).then((rows) => rows.map((r) => r.event));
      cache.set(key, found);
    }
    return found;
  };

  const suppress = async (
    item: StoredIntent,
    reason: string,
    detail: string,
  ): Promise<DispatchOutcome> => {
    const { intent } = item;
    const at = iso();
    const result = await store.suppressIntent(intent.id, workerId, reason, at);
    if (!result.ok) return 'lease_lost';
    await store.transaction((tx) =>
      tx.insertDecisions({
        tenantId: intent.tenantId,
        orderRef: intent.orderRef,
        eventId: intent.eventId,
        at,
        decisions: [
          {
            action: 'suppress',
            reason: reason as never,
            reasons: [reason as never],
            ruleId: intent.ruleId,
            audience: intent.audience,
            channel: item.delivery.channel,
            intentId: intent.id,
            detail: `At release: ${detail}`,
          },
        ],
      }),
    );
    options.onSuppressed?.(reason);
    return 'suppressed';
  };

  /**
   * After a permanent failure: the rule's next channel; when none is left, park it for an
   * operator — or, when the recipient withdrew consent, suppress it with that reason.
   */
  const fallBack = async (
    item: StoredIntent,
    error: string,
    exhausted?: { suppress: string; detail: string },
  ): Promise<DispatchOutcome> => {
    const next = await store.rescheduleIntent(
      item.intent.id,
      workerId,
      iso(),
      { advanceDelivery: true, error },
      iso(),
    );
    if (next.ok) return 'fallback';
    if (next.error.code !== 'no_fallback_left') return 'lease_lost';
    if (exhausted) return suppress(item, exhausted.suppress, exhausted.detail);
    const parked = await store.parkIntent(
      item.intent.id,
      workerId,
      `no channel left: ${error}`,
      iso(),
    );
    return parked.ok ? 'parked' : 'lease_lost';
  };

  const retryLater = async (
    item: StoredIntent,
    error: string,
    retryAfterMs?: number,
  ): Promise<DispatchOutcome> => {
    if (item.attempts >= retry.maxAttempts) {
      const parked = await store.parkIntent(
        item.intent.id,
        workerId,
        `gave up after ${item.attempts} attempts: ${error}`,
        iso(),
      );
      return parked.ok ? 'parked' : 'lease_lost';
    }
    const wait = backoffMs(item.attempts, retry, retryAfterMs, random);
    const at = new Date(clock.now().getTime() + wait).toISOString();
    const r = await store.rescheduleIntent(item.intent.id, workerId, at, { error }, iso());
    return r.ok ? 'retry' : 'lease_lost';
  };

  /** Whether the customer wrote on WhatsApp within 24 hours (from the received events we keep). */
  const process = async (
    item: StoredIntent,
    events: Map<string, Promise<OrderEvent[]>>,
  ): Promise<DispatchOutcome> => {
    const { intent, delivery } = item;
    const lookup = await tenants.get(intent.tenantId);
    if (!lookup.ok) return fallBack(item, `tenant: ${lookup.code}`);
    const config: TenantConfig = lookup.config;
    const orderEvents = await eventsOf(events, intent.tenantId, intent.orderRef);
    const event = orderEvents.find((e) => e.sourceEventId === intent.eventId);
    if (!event) {
      const parked = await store.parkIntent(
        intent.id,
        workerId,
        'the event behind this intent is missing',
        iso(),
      );
      return parked.ok ? 'parked' : 'lease_lost';
    }
    const stored = await store.getOrderState(intent.tenantId, intent.orderRef);
    const state: OrderState | undefined = stored?.state;
    const now = iso();

    // Re-check at release: consent may have been withdrawn, quiet hours may have begun.
    let rewrites = delivery.rewrites;
    if (intent.audience !== 'internal' && state) {
      const recipient =
        intent.recipientIndex === undefined ? undefined : event.recipients[intent.recipientIndex];
      const consents: ConsentRecord[] = delivery.to
        ? await store.listConsents(intent.tenantId, [delivery.to])
        : [];
      const verdict = checkCompliance({
        now,
        channel: delivery.channel,
        messageClass: intent.class,
        audience: intent.audience,
        ...(recipient ? { recipient } : {}),
        ...(delivery.to ? { contact: delivery.to } : {}),
        event,
        state,
        settings: {
          quietHours: config.compliance.quietHours,
          explicitConsentChannels: config.compliance.explicitConsentChannels,
          restrictedCategories: config.compliance.restrictedCategories,
          ...(config.compliance.cancelUrl ? { cancelUrl: config.compliance.cancelUrl } : {}),
        },
        facts: { consents, recentSends: [] },
        tenantTimeZone: config.defaultTimeZone,
      });
      if (verdict.action === 'suppress') {
        const reason = verdict.reasons[0] ?? 'consent_missing';
        return fallBack(item, reason, { suppress: reason, detail: verdict.detail });
      }
      if (verdict.action === 'defer' && verdict.until > now) {
        const r = await store.rescheduleIntent(
          intent.id,
          workerId,
          verdict.until,
          { error: `deferred: ${verdict.reasons.join(', ')}` },
          now,
        );
        return r.ok ? 'deferred' : 'lease_lost';
      }
      rewrites = [...new Set([...rewrites, ...verdict.rewrites])];
    }

    const resolved = await channels.resolve(intent.tenantId, delivery.channel);
    if (!resolved) return fallBack(item, `no ${delivery.channel} provider configured`);

    const request: RenderRequest = {
      templateKey: intent.templateKey,
      channel: TEMPLATE_CHANNEL[delivery.channel],
      locale: intent.locale,
      timeZone: intent.timeZone,
      rewrites,
      context: intent.context ?? {},
      overrides: config.templates,
    };
    const rendered = renderTemplate(request);
    if (!rendered.ok)
      return fallBack(item, `template ${rendered.error.code}: ${rendered.error.message}`);

    if (resolved.rateLimit) await limiter.take(resolved.accountKey, resolved.rateLimit);
    const provider = resolved.channel.provider;
    await store.recordAttemptStart({
      intentId: intent.id,
      attempt: item.attempts,
      channel: delivery.channel,
      provider,
      startedAt: iso(),
    });
    const started = performance.now();
    const callback = options.statusCallbackUrl?.(provider);
    const send = (windowOpen: boolean): Promise<SendResult> =>
      resolved.channel
        .send(
          {
            intentId: intent.id,
            tenantId: intent.tenantId,
            orderRef: intent.orderRef,
            channel: delivery.channel,
            ...(delivery.to ? { to: delivery.to } : {}),
            rendering: rendered.rendering,
            ...(callback ? { statusCallbackUrl: callback } : {}),
            status: intent.status,
            templateKey: intent.templateKey,
          },
          resolved.credentials,
          {
            signal: AbortSignal.timeout(sendTimeoutMs),
            whatsappWindowOpen: windowOpen,
            occurredAt: event.occurredAt,
          },
        )
        .catch(
          (err: unknown): SendResult => ({
            ok: false,
            error: {
              code: 'adapter_threw',
              class: 'retryable',
              message: String((err as Error)?.message ?? err),
            },
          }),
        );
    const windowOpen = !rewrites.includes('whatsapp_template_only');
    let result = await send(windowOpen);
    // WhatsApp says the session closed after all: the approved template is always allowed.
    if (!result.ok && result.error.class === 'window' && windowOpen) result = await send(false);
    const ms = performance.now() - started;
    const outcome = result.ok ? 'ok' : result.error.class;
    await store.recordAttemptEnd({
      intentId: intent.id,
      attempt: item.attempts,
      finishedAt: iso(),
      outcome,
      ...(result.ok
        ? { providerMessageId: result.providerMessageId }
        : {
            error: `${result.error.code}: ${result.error.message}`,
            ...(result.error.providerStatus !== undefined
              ? { providerStatus: result.error.providerStatus }
              : {}),
            ...(result.error.providerCode !== undefined
              ? { providerCode: result.error.providerCode }
              : {}),
            ...(result.error.providerBody !== undefined
              ? { providerBody: result.error.providerBody }
              : {}),
          }),
    });
    options.onAttempt?.({ channel: delivery.channel, provider, outcome, ms });

    if (result.ok) {
      const done = await store.completeIntent(intent.id, workerId, iso());
      return done.ok ? 'sent' : 'lease_lost';
    }
    const error = `${provider} ${result.error.code}`;
    switch (result.error.class) {
      case 'retryable':
        return retryLater(item, error, result.error.retryAfterMs);
      case 'permanent':
      case 'window':
        return fallBack(item, error);
      case 'consent': {
        if (delivery.to) {
          const to = delivery.to;
          await store.transaction((tx) =>
            tx.putConsent({
              tenantId: intent.tenantId,
              channel: delivery.channel,
              contact: to,
              state: 'opted_out',
              scope: 'all',
              at: iso(),
              source: 'provider',
            }),
          );
        }
        return fallBack(item, `${error} (recipient opted out)`, {
          suppress: 'consent_opted_out',
          detail: `${provider} reports the recipient opted out.`,
        });
      }
      default:
        return result.error.class satisfies never;
    }
  };

  /** Claims one batch of due intents and processes it; returns how many were claimed. */
  const runOnce = async (): Promise<{
    claimed: number;
    outcomes: Record<DispatchOutcome, number>;
  }> => {
    const claimed = await store.claimDue(iso(), batchSize, leaseMs, workerId);
    const outcomes: Record<DispatchOutcome, number> = {
      sent: 0,
      retry: 0,
      fallback: 0,
      suppressed: 0,
      deferred: 0,
      parked: 0,
      lease_lost: 0,
    };
    const events = new Map<string, Promise<OrderEvent[]>>();
    let next = 0;
    const worker = async () => {
      while (next < claimed.length) {
        const item = claimed[next++] as StoredIntent;
        try {
          outcomes[await process(item, events)] += 1;
        } catch (err) {
          // A bug or a store outage on one intent: give it back with backoff, keep going.
          logger.error(
            { intentId: item.intent.id, err: (err as Error).message },
            'dispatch failed',
          );
          try {
            outcomes[await retryLater(item, `internal: ${(err as Error).message}`)] += 1;
          } catch {
            outcomes.lease_lost += 1;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, worker));
    return { claimed: claimed.length, outcomes };
  };

  let running = false;
  let loop: Promise<void> | undefined;
  return {
    workerId,
    runOnce,
    /** Drains until nothing is due (tests and the CLI). */
    async drain(): Promise<number> {
      let total = 0;
      for (;;) {
        const { claimed } = await runOnce();
        total += claimed;
        if (claimed === 0) return total;
      }
    },
    start(): void {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          const { claimed } = await runOnce().catch((err: unknown) => {
            logger.error({ err: (err as Error).message }, 'dispatch loop failed');
            return { claimed: 0 };
          });
          if (claimed === 0 && running)
            await new Promise((r) => setTimeout(r, options.idleMs ?? 250));
        }
      })();
    },
    /** Stops claiming and waits for the batch in hand, so no lease is left to expire. */
    async stop(): Promise<void> {
      running = false;
      await loop;
    },
  };
};

export type Dispatcher = ReturnType<typeof createDispatcher>;
