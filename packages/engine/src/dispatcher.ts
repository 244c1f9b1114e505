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
  countSmsSegments,
  type OrderEvent,
  type OrderState,
  type Rendering,
  type RenderRequest,
  type Rewrite,
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

/** One intent carried by a digest message, as templates see it in `digest_items`. */
export interface DigestItem {
  order_ref: string;
  order_number: string;
  status: string;
  template_key: string;
  shipment_id: string | null;
}

const digestLines = (items: readonly DigestItem[]): string[] =>
  items.map(
    (i) =>
      `+ ${i.order_number}: ${i.status.replaceAll('_', ' ')}${i.shipment_id ? ` (shipment ${i.shipment_id})` : ''}`,
  );

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * A digest rendered from a template that does not list `digest_items`: the other intents are
 * appended, one line each, to every text part of the channel's rendering.
 */
export const appendDigest = (rendering: Rendering, others: readonly DigestItem[]): Rendering => {
  if (others.length === 0) return rendering;
  const lines = digestLines(others);
  const text = `\n\n${lines.join('\n')}`;
  switch (rendering.channel) {
    case 'sms': {
      const grown = rendering.text + text;
      return { ...rendering, text: grown, segments: countSmsSegments(grown) };
    }
    case 'email':
      return {
        ...rendering,
        text: rendering.text + text,
        html: `${rendering.html}<ul>${lines.map((l) => `<li>${escapeHtml(l.slice(2))}</li>`).join('')}</ul>`,
      };
    case 'whatsapp':
      // The approved template's parameters are fixed; only the free-text form can grow.
      return { ...rendering, text: rendering.text + text };
    case 'slack':
      return {
        ...rendering,
        text: rendering.text + text,
        blocks: [
          ...rendering.blocks,
          { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } },
        ],
      };
    case 'teams': {
      const body = Array.isArray(rendering.card.body) ? rendering.card.body : [];
      return {
        ...rendering,
        card: {
          ...rendering.card,
          body: [...body, { type: 'TextBlock', text: lines.join('\n\n'), wrap: true }],
        },
      };
    }
    case 'google_chat':
      return { ...rendering, text: rendering.text + text };
    case 'push':
      return { ...rendering, body: rendering.body + text };
    default:
      return rendering satisfies never;
  }
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

  /** An intent that passed its release checks and has an adapter: ready to render and send. */
  interface Ready {
    item: StoredIntent;
    event: OrderEvent;
    config: TenantConfig;
    rewrites: Rewrite[];
    resolved: ResolvedChannel;
  }

  /**
   * Re-checks an intent at release (consent may have been withdrawn, quiet hours begun) and finds
   * its adapter; an intent that cannot go now is settled here (suppressed, deferred, fallback,
   * parked) and its outcome returned instead.
   */
  const prepare = async (
    item: StoredIntent,
    events: Map<string, Promise<OrderEvent[]>>,
  ): Promise<Ready | DispatchOutcome> => {
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
    return { item, event, config, rewrites, resolved };
  };

  /** What a digest message says about each intent it carries (no contact points). */
  const digestItem = (ready: Ready): DigestItem => {
    const { intent } = ready.item;
    const context = (intent.context ?? {}) as { order?: { number?: unknown } };
    return {
      order_ref: intent.orderRef,
      order_number:
        typeof context.order?.number === 'string' ? context.order.number : intent.orderRef,
      status: intent.status,
      template_key: intent.templateKey,
      shipment_id: intent.shipmentId ?? null,
    };
  };

  /**
   * Renders the first intent's template. For a digest, the context gains `digest_items` (every
   * intent carried, the first included) and `digest_count`, for templates that list them; when
   * the template ignores them (the default pack does), a plain list of the others is appended to
   * the message's text parts, so no status is silently dropped.
   */
  const render = (group: readonly Ready[]) => {
    const [first] = group;
    if (!first) throw new Error('bug: rendering an empty group');
    const { intent, delivery } = first.item;
    const request: RenderRequest = {
      templateKey: intent.templateKey,
      channel: TEMPLATE_CHANNEL[delivery.channel],
      locale: intent.locale,
      timeZone: intent.timeZone,
      rewrites: first.rewrites,
      context: intent.context ?? {},
      overrides: first.config.templates,
    };
    if (group.length === 1) return renderTemplate(request);
    const items = group.map(digestItem);
    const plain = renderTemplate(request);
    const listed = renderTemplate({
      ...request,
      context: { ...request.context, digest_items: items, digest_count: items.length },
    });
    if (!plain.ok || !listed.ok) return listed;
    if (JSON.stringify(plain.rendering) !== JSON.stringify(listed.rendering)) return listed;
    return { ...listed, rendering: appendDigest(listed.rendering, items.slice(1)) };
  };

  /**
   * Sends one message for the group (one intent, or a digest's intents with the same channel and
   * contact point): the first intent's id is the idempotency key, every intent gets the attempt
   * recorded, and each is settled by the one result.
   */
  const deliver = async (group: readonly Ready[]): Promise<DispatchOutcome[]> => {
    const [first] = group;
    if (!first) return [];
    const { intent, delivery } = first.item;
    const { resolved, event } = first;
    const rendered = render(group);
    if (!rendered.ok) {
      const error = `template ${rendered.error.code}: ${rendered.error.message}`;
      return Promise.all(group.map((r) => fallBack(r.item, error)));
    }

    if (resolved.rateLimit) await limiter.take(resolved.accountKey, resolved.rateLimit);
    const provider = resolved.channel.provider;
    for (const r of group) {
      await store.recordAttemptStart({
        intentId: r.item.intent.id,
        attempt: r.item.attempts,
        channel: delivery.channel,
        provider,
        startedAt: iso(),
      });
    }
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
    const windowOpen = !first.rewrites.includes('whatsapp_template_only');
    let result = await send(windowOpen);
    // WhatsApp says the session closed after all: the approved template is always allowed.
    if (!result.ok && result.error.class === 'window' && windowOpen) result = await send(false);
    const ms = performance.now() - started;
    const outcome = result.ok ? 'ok' : result.error.class;
    for (const r of group) {
      await store.recordAttemptEnd({
        intentId: r.item.intent.id,
        attempt: r.item.attempts,
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
    }
    options.onAttempt?.({ channel: delivery.channel, provider, outcome, ms });
    const outcomes: DispatchOutcome[] = [];
    for (const r of group) outcomes.push(await settle(r.item, result, provider));
    return outcomes;
  };

  /** Completes, retries, falls back or records an opt-out, from one send result. */
  const settle = async (
    item: StoredIntent,
    result: SendResult,
    provider: string,
  ): Promise<DispatchOutcome> => {
    const { intent, delivery } = item;
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

  /** One intent, start to finish. */
  const process = async (
    item: StoredIntent,
    events: Map<string, Promise<OrderEvent[]>>,
  ): Promise<DispatchOutcome[]> => {
    const ready = await prepare(item, events);
    return typeof ready === 'string' ? [ready] : deliver([ready]);
  };

  /**
   * A digest: the claimed intents of one digest key plus their due siblings (leased here too),
   * each re-checked; those that may go are sent as one message per channel and contact point.
   */
  const processDigest = async (
    items: readonly StoredIntent[],
    events: Map<string, Promise<OrderEvent[]>>,
  ): Promise<DispatchOutcome[]> => {
    const outcomes: DispatchOutcome[] = [];
    const groups = new Map<string, Ready[]>();
    for (const item of items) {
      const ready = await prepare(item, events);
      if (typeof ready === 'string') {
        outcomes.push(ready);
        continue;
      }
      const key = [item.delivery.channel, item.delivery.to ?? '', ready.resolved.accountKey].join(
        '\u0000',
      );
      groups.set(key, [...(groups.get(key) ?? []), ready]);
    }
    for (const group of groups.values()) outcomes.push(...(await deliver(group)));
    return outcomes;
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
    // Intents of one digest travel together: gather each digest's due siblings first.
    const units: StoredIntent[][] = [];
    const digests = new Map<string, StoredIntent[]>();
    for (const item of claimed) {
      if (item.digestKey === undefined) {
        units.push([item]);
        continue;
      }
      const key = `${item.intent.tenantId}\u0000${item.digestKey}`;
      const members = digests.get(key);
      if (members) members.push(item);
      else {
        const unit = [item];
        digests.set(key, unit);
        units.push(unit);
      }
    }
    for (const unit of digests.values()) {
      const [head] = unit;
      if (!head?.digestKey) continue;
      const siblings = await store.claimDigest(
        head.intent.tenantId,
        head.digestKey,
        iso(),
        leaseMs,
        workerId,
      );
      unit.push(...siblings);
    }
    let next = 0;
    const worker = async () => {
      while (next < units.length) {
        const unit = units[next++] as StoredIntent[];
        try {
          const done =
            unit.length === 1 && unit[0]?.digestKey === undefined
              ? await process(unit[0] as StoredIntent, events)
              : await processDigest(unit, events);
          for (const outcome of done) outcomes[outcome] += 1;
        } catch (err) {
          // A bug or a store outage: give the intents back with backoff, keep going.
          for (const item of unit) {
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
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, units.length) }, worker));
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
