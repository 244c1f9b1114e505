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
import type {
  AttemptEnd,
  EventKey,
  IntentSettlement,
  LeaseOutcome,
  Store,
  StoredIntent,
} from '@tidings/store';
import type { createTenantConfigs, EngineLogger, TenantLookup } from './engine-context.ts';
import { createPollingLoop } from './polling-loop.ts';
import { createRateLimiter, type RateLimit, type RateLimiter } from './rate-limiter.ts';
import { backoffMs, DEFAULT_RETRY, type RetryPolicy } from './retry-policy.ts';
import { createSendTimeouts } from './send-timeouts.ts';

/** A channel adapter with the credentials and limits of one tenant's provider account. */
export interface ResolvedChannel {
  channel: Channel<unknown>;
  credentials: unknown;
  /** Identifies the provider account the rate limit applies to. */
  accountKey: string;
  rateLimit?: RateLimit;
}

/** Where the dispatcher gets adapters from: the hub wires credentials from the store to providers. */
/** A channel that is set up but cannot be used now, and why (shown on the order's timeline). */
export interface UnavailableChannel {
  unavailable: string;
}

export interface ChannelResolver {
  /** The adapter for a tenant's channel; `undefined` when none is set up. */
  resolve(
    tenantId: string,
    kind: ChannelKind,
  ): Promise<ResolvedChannel | UnavailableChannel | undefined>;
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
  /**
   * Finished sends recorded per settlement transaction (default: `concurrency`). A crash repeats
   * the sends made but not yet recorded, so this bounds the repeats: at most about
   * `concurrency + 2 × settleEvery` per crash, instead of a whole batch.
   */
  settleEvery?: number;
  leaseMs?: number;
  /** Per-call timeout given to adapters. */
  sendTimeoutMs?: number;
  retry?: RetryPolicy;
  rateLimiter?: RateLimiter;
  /** Wait between empty polls. */
  idleMs?: number;
  /** Where providers that take a callback with each message should post its receipts, per
   * provider id and tenant. */
  statusCallbackUrl?: (provider: string, tenantId: string) => string | undefined;
  random?: () => number;
  /** Observes every finished attempt (metrics). */
  onAttempt?: (a: { channel: ChannelKind; provider: string; outcome: string; ms: number }) => void;
  /** Observes every suppression at dispatch (metrics). */
  onSuppressed?: (reason: string) => void;
  /**
   * While it works, an info line `dispatch progress` with the outcome counts and rate at most
   * this often (default 10 000 ms; 0: never), so an operator watching a burst drain sees it move.
   */
  progressEveryMs?: number;
}

export type DispatchOutcome =
  | 'sent'
  | 'retry'
  | 'fallback'
  | 'suppressed'
  | 'deferred'
  | 'parked'
  | 'lease_lost';

const noOutcomes = (): Record<DispatchOutcome, number> => ({
  sent: 0,
  retry: 0,
  fallback: 0,
  suppressed: 0,
  deferred: 0,
  parked: 0,
  lease_lost: 0,
});

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
  const settleEvery = Math.max(1, options.settleEvery ?? concurrency);
  const leaseMs = options.leaseMs ?? 60_000;
  const sendTimeoutMs = options.sendTimeoutMs ?? 15_000;
  const retry = options.retry ?? DEFAULT_RETRY;
  const limiter = options.rateLimiter ?? createRateLimiter();
  const random = options.random ?? Math.random;
  const iso = () => clock.now().toISOString();
  const timeoutSignal = createSendTimeouts(sendTimeoutMs);

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

  /** What one batch reads once for all its intents (one query per tenant for each). */
  interface BatchReads {
    /** By tenant, order ref and source event id. */
    events: Map<string, OrderEvent>;
    /** By tenant and order ref. */
    states: Map<string, OrderState>;
    /** By tenant and contact point. */
    consents: Map<string, ConsentRecord[]>;
    tenants: Map<string, Promise<TenantLookup>>;
    channels: Map<string, Promise<ResolvedChannel | undefined>>;
  }

  const key = (a: string, b: string): string => `${a}\u0000${b}`;

  /** The batch's events, order states and consents, read per tenant in one query each. */
  const readBatch = async (items: readonly StoredIntent[]): Promise<BatchReads> => {
    const reads: BatchReads = {
      events: new Map(),
      states: new Map(),
      consents: new Map(),
      tenants: new Map(),
      channels: new Map(),
    };
    const byTenant = new Map<
      string,
      { orders: Set<string>; events: EventKey[]; contacts: Set<string> }
    >();
    for (const { intent, delivery } of items) {
      let wanted = byTenant.get(intent.tenantId);
      if (!wanted) {
        wanted = { orders: new Set(), events: [], contacts: new Set() };
        byTenant.set(intent.tenantId, wanted);
      }
      wanted.orders.add(intent.orderRef);
      wanted.events.push({ orderRef: intent.orderRef, sourceEventId: intent.eventId });
      if (intent.audience !== 'internal' && delivery.to) wanted.contacts.add(delivery.to);
    }
    await Promise.all(
      [...byTenant].map(async ([tenantId, { orders, events: eventKeys, contacts }]) => {
        const refs = [...orders];
        const [events, states, consents] = await Promise.all([
          // Only the intents' own events, without raw bodies: an order's history can be long.
          store.getEventDocuments(tenantId, eventKeys),
          store.getOrderStates(tenantId, refs),
          store.listConsents(tenantId, [...contacts]),
        ]);
        for (const e of events) {
          // The first of an order's events with that id, as a scan of the order's events finds.
          const k = key(tenantId, key(e.orderRef, e.sourceEventId));
          if (!reads.events.has(k)) reads.events.set(k, e.event);
        }
        for (const [ref, s] of states) reads.states.set(key(tenantId, ref), s.state);
        for (const c of consents) {
          const k = key(tenantId, c.contact);
          reads.consents.set(k, [...(reads.consents.get(k) ?? []), c]);
        }
      }),
    );
    return reads;
  };

  /** Tenant configuration and channel adapters, looked up once per batch. */
  const once = <T>(cache: Map<string, Promise<T>>, k: string, load: () => Promise<T>) => {
    let found = cache.get(k);
    if (!found) {
      found = load();
      cache.set(k, found);
    }
    return found;
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
    reads: BatchReads,
  ): Promise<Ready | DispatchOutcome> => {
    const { intent, delivery } = item;
    const lookup = await once(reads.tenants, intent.tenantId, () => tenants.get(intent.tenantId));
    if (!lookup.ok) return fallBack(item, `tenant: ${lookup.code}`);
    const config: TenantConfig = lookup.config;
    const event = reads.events.get(key(intent.tenantId, key(intent.orderRef, intent.eventId)));
    if (!event) {
      const parked = await store.parkIntent(
        intent.id,
        workerId,
        'the event behind this intent is missing',
        iso(),
      );
      return parked.ok ? 'parked' : 'lease_lost';
    }
    const state = reads.states.get(key(intent.tenantId, intent.orderRef));
    const now = iso();

    let rewrites = delivery.rewrites;
    if (intent.audience !== 'internal' && state) {
      const recipient =
        intent.recipientIndex === undefined ? undefined : event.recipients[intent.recipientIndex];
      const consents = delivery.to
        ? (reads.consents.get(key(intent.tenantId, delivery.to)) ?? [])
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

    const resolved = await once(reads.channels, key(intent.tenantId, delivery.channel), () =>
      channels.resolve(intent.tenantId, delivery.channel),
    );
    if (!resolved) return fallBack(item, `no ${delivery.channel} provider configured`);
    if ('unavailable' in resolved) return fallBack(item, resolved.unavailable);
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

  /** One message about to go: one intent, or a digest's intents for one contact point. */
  interface Send {
    group: Ready[];
    rendering: Rendering;
  }

  /** Sends one message; the first intent's id is the idempotency key. Never throws. */
  const send = async (s: Send): Promise<SendResult> => {
    const [first] = s.group;
    if (!first) throw new Error('bug: sending an empty group');
    const { intent, delivery } = first.item;
    const { resolved, event } = first;
    if (resolved.rateLimit) await limiter.take(resolved.accountKey, resolved.rateLimit);
    const provider = resolved.channel.provider;
    const started = performance.now();
    const callback = options.statusCallbackUrl?.(provider, intent.tenantId);
    const call = (windowOpen: boolean): Promise<SendResult> =>
      resolved.channel
        .send(
          {
            intentId: intent.id,
            tenantId: intent.tenantId,
            orderRef: intent.orderRef,
            channel: delivery.channel,
            ...(delivery.to ? { to: delivery.to } : {}),
            rendering: s.rendering,
            ...(callback ? { statusCallbackUrl: callback } : {}),
            status: intent.status,
            templateKey: intent.templateKey,
          },
          resolved.credentials,
          { signal: timeoutSignal(), whatsappWindowOpen: windowOpen, occurredAt: event.occurredAt },
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
    let result = await call(windowOpen);
    // WhatsApp says the session closed after all: the approved template is always allowed.
    if (!result.ok && result.error.class === 'window' && windowOpen) result = await call(false);
    const outcome = result.ok ? 'ok' : result.error.class;
    options.onAttempt?.({
      channel: delivery.channel,
      provider,
      outcome,
      ms: performance.now() - started,
    });
    return result;
  };

  /** The attempt end every intent of a message gets from its one result. */
  const attemptEnd = (item: StoredIntent, result: SendResult): AttemptEnd => ({
    intentId: item.intent.id,
    attempt: item.attempts,
    finishedAt: iso(),
    outcome: result.ok ? 'ok' : result.error.class,
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

  /** What a send result means for one intent: completed, retried, parked, or moved on. */
  interface Verdict {
    outcome: LeaseOutcome;
    /** Set when there is no fallback left: park with this error, or suppress. */
    exhausted?: { error: string; suppress?: { reason: string; detail: string } };
  }

  const verdictOf = (item: StoredIntent, result: SendResult, provider: string): Verdict => {
    if (result.ok) return { outcome: { kind: 'complete' } };
    const error = `${provider} ${result.error.code}`;
    switch (result.error.class) {
      case 'retryable': {
        if (item.attempts >= retry.maxAttempts) {
          return {
            outcome: { kind: 'park', error: `gave up after ${item.attempts} attempts: ${error}` },
          };
        }
        const wait = backoffMs(item.attempts, retry, result.error.retryAfterMs, random);
        const notBefore = new Date(clock.now().getTime() + wait).toISOString();
        return { outcome: { kind: 'reschedule', notBefore, error } };
      }
      case 'permanent':
      case 'window':
        return {
          outcome: { kind: 'reschedule', notBefore: iso(), error, advanceDelivery: true },
          exhausted: { error },
        };
      case 'consent': {
        const withReason = `${error} (recipient opted out)`;
        return {
          outcome: {
            kind: 'reschedule',
            notBefore: iso(),
            error: withReason,
            advanceDelivery: true,
          },
          exhausted: {
            error: withReason,
            suppress: {
              reason: 'consent_opted_out',
              detail: `${provider} reports the recipient opted out.`,
            },
          },
        };
      }
      default:
        return result.error.class satisfies never;
    }
  };

  const outcomeOf = (o: LeaseOutcome): DispatchOutcome => {
    switch (o.kind) {
      case 'complete':
        return 'sent';
      case 'reschedule':
        return o.advanceDelivery ? 'fallback' : 'retry';
      case 'park':
        return 'parked';
      case 'suppress':
        return 'suppressed';
      default:
        return o satisfies never;
    }
  };

  /** Runs `fn` over `items`, `limit` at a time. */
  const pool = async <T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) => {
    let next = 0;
    const lane = async () => {
      while (next < items.length) await fn(items[next++] as T);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  };

  /**
   * Claims one batch of due intents and processes it; returns how many were claimed. The batch
   * costs one claim, one read per tenant of its events, states and consents, one transaction
   * recording every attempt's start before the sends, and one per `settleEvery` finished sends
   * recording their ends and lease outcomes. Intents that cannot go (deferred, suppressed, no adapter) and
   * permanent failures with no fallback left are settled on their own.
   */
  const processBatch = async (
    claimed: StoredIntent[],
    held: Set<string>,
  ): Promise<{
    claimed: number;
    outcomes: Record<DispatchOutcome, number>;
  }> => {
    const outcomes = noOutcomes();
    if (claimed.length === 0) return { claimed: 0, outcomes };
    // Intents of one digest travel together: gather each digest's due siblings first.
    const units: StoredIntent[][] = [];
    const digests = new Map<string, StoredIntent[]>();
    for (const item of claimed) {
      if (item.digestKey === undefined) {
        units.push([item]);
        continue;
      }
      const k = key(item.intent.tenantId, item.digestKey);
      const members = digests.get(k);
      if (members) members.push(item);
      else {
        const unit = [item];
        digests.set(k, unit);
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
      for (const sibling of siblings) held.add(sibling.intent.id);
    }

    /** A bug or a store outage: give the intents back with backoff, keep going. */
    const giveBack = async (items: readonly StoredIntent[], err: unknown) => {
      for (const item of items) {
        logger.error({ intentId: item.intent.id, err: (err as Error).message }, 'dispatch failed');
        try {
          outcomes[await retryLater(item, `internal: ${(err as Error).message}`)] += 1;
        } catch {
          outcomes.lease_lost += 1;
        }
      }
    };

    let reads: BatchReads;
    try {
      reads = await readBatch(units.flat());
    } catch (err) {
      await giveBack(units.flat(), err);
      return { claimed: claimed.length, outcomes };
    }

    // 1. Re-check and render; what cannot go now is settled on its own.
    const sends: Send[] = [];
    await pool(units, concurrency, async (unit) => {
      try {
        const groups = new Map<string, Ready[]>();
        for (const item of unit) {
          const ready = await prepare(item, reads);
          if (typeof ready === 'string') {
            outcomes[ready] += 1;
            continue;
          }
          // A digest is one message per channel, contact point and provider account.
          const k = [item.delivery.channel, item.delivery.to ?? '', ready.resolved.accountKey].join(
            '\u0000',
          );
          groups.set(k, [...(groups.get(k) ?? []), ready]);
        }
        for (const group of groups.values()) {
          const rendered = render(group);
          if (rendered.ok) {
            sends.push({ group, rendering: rendered.rendering });
            continue;
          }
          const error = `template ${rendered.error.code}: ${rendered.error.message}`;
          for (const r of group) outcomes[await fallBack(r.item, error)] += 1;
        }
      } catch (err) {
        await giveBack(unit, err);
      }
    });
    if (sends.length === 0) return { claimed: claimed.length, outcomes };

    // 2. One transaction records every attempt about to be made.
    try {
      const startedAt = iso();
      await store.recordAttemptStarts(
        sends.flatMap((s) =>
          s.group.map((r) => ({
            intentId: r.item.intent.id,
            attempt: r.item.attempts,
            channel: r.item.delivery.channel,
            provider: r.resolved.channel.provider,
            startedAt,
          })),
        ),
      );
    } catch (err) {
      await giveBack(
        sends.flatMap((s) => s.group.map((r) => r.item)),
        err,
      );
      return { claimed: claimed.length, outcomes };
    }

    const results = new Map<Send, SendResult>();
    /** Records a group of finished sends: consent first, then attempts' ends and outcomes. */
    const settle = async (group: readonly Send[]): Promise<void> => {
      // 4. What providers said about consent is stored before the intents move on.
      const settlements: IntentSettlement[] = [];
      const verdicts: Verdict[] = [];
      try {
        for (const s of group) {
          const result = results.get(s);
          if (!result) continue;
          for (const r of s.group) {
            const { intent, delivery } = r.item;
            if (!result.ok && result.error.class === 'consent' && delivery.to) {
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
            const verdict = verdictOf(r.item, result, r.resolved.channel.provider);
            verdicts.push(verdict);
            settlements.push({
              id: intent.id,
              attemptEnd: attemptEnd(r.item, result),
              outcome: verdict.outcome,
            });
          }
        }
      } catch (err) {
        // Left leased: they come back when the lease runs out (a repeat, with the same key).
        logger.error({ err: (err as Error).message, intents: group.length }, 'settle failed');
        outcomes.lease_lost += group.reduce((n, s) => n + s.group.length, 0);
        return;
      }

      // 5. One transaction records these attempts' ends and lease outcomes.
      let settled: Awaited<ReturnType<Store['settleIntents']>>;
      try {
        settled = await store.settleIntents(workerId, settlements, iso());
      } catch (err) {
        logger.error({ err: (err as Error).message, intents: settlements.length }, 'settle failed');
        outcomes.lease_lost += settlements.length;
        return;
      }
      for (const [i, result] of settled.entries()) {
        const settlement = settlements[i];
        const verdict = verdicts[i];
        if (!settlement || !verdict) continue;
        if (result.ok) {
          outcomes[outcomeOf(settlement.outcome)] += 1;
          continue;
        }
        if (result.error.code !== 'no_fallback_left' || !verdict.exhausted) {
          outcomes.lease_lost += 1;
          continue;
        }
        const item = settlement.id;
        const { error, suppress: withdrawn } = verdict.exhausted;
        const stored = group.flatMap((s) => s.group).find((r) => r.item.intent.id === item);
        if (!stored) continue;
        try {
          if (withdrawn) {
            outcomes[await suppress(stored.item, withdrawn.reason, withdrawn.detail)] += 1;
            continue;
          }
          const parked = await store.parkIntent(item, workerId, `no channel left: ${error}`, iso());
          outcomes[parked.ok ? 'parked' : 'lease_lost'] += 1;
        } catch (err) {
          logger.error({ intentId: item, err: (err as Error).message }, 'settle failed');
          outcomes.lease_lost += 1;
        }
      }
    };

    // 3. The sends, `concurrency` at a time; every `settleEvery` finished sends are recorded in
    // one transaction (4–5 above) while the rest go on, so a crash repeats only the sends made
    // since the last commit, not the whole batch. No new send starts while 2 × `settleEvery`
    // finished ones wait for their commit: at most `concurrency + 2 × settleEvery` are unrecorded.
    let finished: Send[] = [];
    let unrecorded = 0;
    let settling: Promise<void> = Promise.resolve();
    const flush = () => {
      const group = finished;
      finished = [];
      if (group.length === 0) return;
      settling = settling
        .then(() => settle(group))
        .catch((err: unknown) => {
          // A bug here must not stop the chain: these stay leased and come back after the lease.
          logger.error({ err: (err as Error).message, intents: group.length }, 'settle failed');
          outcomes.lease_lost += group.reduce((n, g) => n + g.group.length, 0);
        })
        .finally(() => {
          unrecorded -= group.length;
        });
    };
    await pool(sends, concurrency, async (s) => {
      while (unrecorded >= 2 * settleEvery) await settling;
      results.set(s, await send(s));
      unrecorded += 1;
      finished.push(s);
      if (finished.length >= settleEvery) flush();
    });
    flush();
    await settling;
    return { claimed: claimed.length, outcomes };
  };

  const progressEveryMs = options.progressEveryMs ?? 10_000;
  const progress = { claimed: 0, outcomes: noOutcomes(), since: clock.now().getTime() };
  /**
   * Adds a batch to the window; logs the window once it is `progressEveryMs` old and not empty,
   * with the backlog still due (all dispatchers'), so a burst's drain can be followed.
   */
  const tally = async (batch: { claimed: number; outcomes: Record<DispatchOutcome, number> }) => {
    progress.claimed += batch.claimed;
    for (const [k, v] of Object.entries(batch.outcomes))
      progress.outcomes[k as DispatchOutcome] += v;
    const now = clock.now().getTime();
    const ms = now - progress.since;
    if (progressEveryMs <= 0 || ms < progressEveryMs) return;
    const window = { claimed: progress.claimed, outcomes: progress.outcomes };
    progress.claimed = 0;
    progress.outcomes = noOutcomes();
    progress.since = now;
    if (window.claimed === 0) return;
    // A progress line must never fail a batch: if the count fails, the line goes without it.
    const due = await store.countDue(iso()).catch(() => undefined);
    logger.info(
      {
        workerId,
        claimed: window.claimed,
        ...window.outcomes,
        seconds: Math.round(ms / 100) / 10,
        sentPerSecond: Math.round((window.outcomes.sent / ms) * 1000),
        ...(due !== undefined ? { due } : {}),
      },
      'dispatch progress',
    );
  };

  /**
   * Claims one batch and processes it, renewing the batch's leases every third of a lease while
   * it runs: a batch held up by a slow rate limit must not be re-claimed and sent twice.
   */
  const runOnce = async (): Promise<{
    claimed: number;
    outcomes: Record<DispatchOutcome, number>;
  }> => {
    const batch = await runBatch();
    await tally(batch);
    return batch;
  };

  const runBatch = async (): Promise<{
    claimed: number;
    outcomes: Record<DispatchOutcome, number>;
  }> => {
    const claimed = await store.claimDue(iso(), batchSize, leaseMs, workerId);
    const held = new Set(claimed.map((c) => c.intent.id));
    const renew = setInterval(
      () => {
        const until = new Date(clock.now().getTime() + leaseMs).toISOString();
        store.extendLeases([...held], workerId, until, iso()).catch((err: unknown) => {
          logger.warn({ err: (err as Error).message }, 'lease renewal failed');
        });
      },
      Math.max(500, Math.floor(leaseMs / 3)),
    );
    try {
      return await processBatch(claimed, held);
    } finally {
      clearInterval(renew);
    }
  };

  return {
    workerId,
    runOnce,
    ...createPollingLoop(runOnce, { idleMs: options.idleMs ?? 250, logger, name: 'dispatch' }),
  };
};

export type Dispatcher = ReturnType<typeof createDispatcher>;
