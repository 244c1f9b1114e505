/**
 * @module `ingest`: the only way an event enters Tidings. In ONE transaction it dedupes on the
 * source event id, keeps the raw event, advances the order, plans, and writes the outbox — so a
 * crash anywhere loses nothing and a redelivery sends nothing twice. Concurrent ingests are
 * grouped into one commit (group commit), so durability does not cap throughput.
 */
import {
  buildTemplateContext,
  type Clock,
  type ConsentRecord,
  type Decision,
  emptyOrderState,
  type Intent,
  type LifecycleOutcome,
  type OrderEvent,
  type OrderState,
  plan,
  type TenantConfig,
} from '@tidings/core';
import type { Store, StoreTx } from '@tidings/store';
import type { createTenantConfigs, EngineLogger } from './engine-context.ts';

export interface IngestInput {
  event: OrderEvent;
  /** The body exactly as received. */
  rawBody: Uint8Array | string;
  /** Headers worth keeping (topic, delivery id); never cookies or secrets. */
  headers?: Record<string, string>;
  /**
   * Set by an app when the webhook may be the echo of our own write-back (e.g. the Shopify
   * fulfillment event id we created); a match is stored but never notified.
   */
  echoFingerprint?: string;
}

export type IngestResult =
  | {
      outcome: 'accepted';
      verdict: LifecycleOutcome['verdict'];
      intents: number;
      decisions: Decision[];
    }
  | { outcome: 'duplicate' }
  | { outcome: 'echo' }
  | {
      outcome: 'rejected';
      code: 'unknown_tenant' | 'tenant_inactive' | 'invalid_config';
      message: string;
    };

export interface IngestOptions {
  store: Store;
  clock: Clock;
  tenants: ReturnType<typeof createTenantConfigs>;
  logger: EngineLogger;
  /** Most events in one transaction; 1 turns group commit off (the benchmark's baseline). */
  maxBatch?: number;
  /** Called after each commit with what was accepted, for metrics. */
  onCommitted?: (results: readonly IngestResult[]) => void;
}

interface Pending {
  input: IngestInput;
  config?: TenantConfig;
  consents: ConsentRecord[];
  resolve: (r: IngestResult) => void;
  reject: (e: unknown) => void;
}

const contactsOf = (event: OrderEvent): string[] =>
  event.recipients.flatMap((r) =>
    Object.values(r.contacts).filter((c): c is string => typeof c === 'string'),
  );

/** Intents carry the template variables as they stood when planned. */
const withContext = (
  intent: Intent,
  event: OrderEvent,
  state: OrderState,
  config: TenantConfig,
): Intent => {
  const recipient =
    intent.recipientIndex === undefined ? undefined : event.recipients[intent.recipientIndex];
  const notices = intent.delivery.notices;
  const extras: Record<string, unknown> = {};
  if (notices?.ftcDelay) {
    extras.revisedDate = notices.ftcDelay.revisedDate;
    extras.requiresConsent = notices.ftcDelay.requiresConsent;
    extras.renewedNotice = notices.ftcDelay.renewed;
    if (notices.ftcDelay.cancelUrl) extras.cancelUrl = notices.ftcDelay.cancelUrl;
  }
  if (notices?.euWithdrawalDeadline) extras.withdrawalDeadline = notices.euWithdrawalDeadline;
  const context = buildTemplateContext(event, state, {
    shopName: config.name,
    ...(recipient ? { recipient } : {}),
    locale: intent.locale,
    timeZone: intent.timeZone,
    extras,
  });
  return { ...intent, context: context as unknown as Record<string, unknown> };
};

/** Creates the ingest function; its batches commit one after another, never concurrently. */
export const createIngest = (options: IngestOptions) => {
  const { store, clock, tenants, logger } = options;
  const maxBatch = options.maxBatch ?? 256;
  const queue: Pending[] = [];
  let flushing = false;

  /** Everything for a batch happens in one transaction; the results resolve after commit. */
  const apply = async (tx: StoreTx, batch: Pending[]): Promise<IngestResult[]> => {
    const now = clock.now().toISOString();
    const orders = new Map<string, { state: OrderState; version: number }>();
    const results: IngestResult[] = [];
    for (const item of batch) {
      const { event } = item.input;
      const config = item.config;
      if (!config) throw new Error('bug: batch item without config');
      const inserted = await tx.insertEvent({
        event,
        rawBody: item.input.rawBody,
        headers: item.input.headers ?? {},
        receivedAt: now,
      });
      if (inserted === 'duplicate') {
        results.push({ outcome: 'duplicate' });
        continue;
      }
      if (
        item.input.echoFingerprint &&
        (await tx.hasFingerprint(event.tenantId, item.input.echoFingerprint, now))
      ) {
        results.push({ outcome: 'echo' });
        continue;
      }
      const key = `${event.tenantId}\u0000${event.orderRef}`;
      let order = orders.get(key);
      if (!order) {
        const loaded = await tx.loadOrderState(event.tenantId, event.orderRef);
        order = loaded
          ? { state: loaded.state, version: loaded.version }
          : { state: emptyOrderState(event.tenantId, event.orderRef), version: 0 };
        orders.set(key, order);
      }
      const planned = plan(event, order.state, config, now, { consents: item.consents });
      order.state = planned.state;
      const { lifecycle } = planned;
      if (lifecycle.verdict === 'notify' && lifecycle.status === 'cancelled') {
        // Messages still waiting (a deferred "dispatched") must not reach a cancelled order's customer.
        await tx.cancelPendingIntents(event.tenantId, event.orderRef, 'order_cancelled', now);
      }
      const intents = planned.intents.map((i) => withContext(i, event, planned.state, config));
      const added = intents.length > 0 ? await tx.insertIntents(intents, now) : 0;
      await tx.insertDecisions({
        tenantId: event.tenantId,
        orderRef: event.orderRef,
        eventId: event.sourceEventId,
        at: now,
        decisions: planned.decisions,
      });
      if (lifecycle.audit) {
        await tx.appendAudit({
          tenantId: event.tenantId,
          orderRef: event.orderRef,
          at: now,
          actor: lifecycle.audit.actor.id,
          action: 'manual_override',
          detail: { ...lifecycle.audit },
        });
      }
      results.push({
        outcome: 'accepted',
        verdict: lifecycle.verdict,
        intents: added,
        decisions: planned.decisions,
      });
    }
    for (const order of orders.values()) {
      await tx.saveOrderState(order.state, order.version, now);
    }
    return results;
  };

  const run = async (batch: Pending[]): Promise<void> => {
    // Read outside the transaction: the dispatcher re-checks consent when it sends anyway.
    const contacts = new Map<string, Set<string>>();
    for (const item of batch) {
      const set = contacts.get(item.input.event.tenantId) ?? new Set<string>();
      for (const c of contactsOf(item.input.event)) set.add(c);
      contacts.set(item.input.event.tenantId, set);
    }
    const consents = new Map<string, ConsentRecord[]>();
    for (const [tenantId, set] of contacts) {
      consents.set(tenantId, set.size > 0 ? await store.listConsents(tenantId, [...set]) : []);
    }
    for (const item of batch) item.consents = consents.get(item.input.event.tenantId) ?? [];
    const results = await store.transaction((tx) => apply(tx, batch));
    batch.forEach((item, i) => {
      item.resolve(results[i] as IngestResult);
    });
    options.onCommitted?.(results);
  };

  const flush = async (): Promise<void> => {
    if (flushing) return;
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          await run(batch);
        } catch (err) {
          if (batch.length === 1) {
            batch[0]?.reject(err);
            continue;
          }
          // One bad event must not fail its neighbours: retry each in its own transaction.
          logger.warn(
            { size: batch.length, err: (err as Error).message },
            'group commit failed; retrying singly',
          );
          for (const item of batch) {
            try {
              await run([item]);
            } catch (single) {
              item.reject(single);
            }
          }
        }
      }
    } finally {
      flushing = false;
    }
  };

  /** Ingests one event; resolves once it is durably committed (or known to be a duplicate). */
  return async (input: IngestInput): Promise<IngestResult> => {
    const lookup = await tenants.get(input.event.tenantId);
    if (!lookup.ok) return { outcome: 'rejected', code: lookup.code, message: lookup.message };
    if (!lookup.active) {
      return {
        outcome: 'rejected',
        code: 'tenant_inactive',
        message: 'The tenant is deactivated.',
      };
    }
    return new Promise<IngestResult>((resolve, reject) => {
      queue.push({ input, config: lookup.config, consents: [], resolve, reject });
      if (!flushing) queueMicrotask(() => void flush());
    });
  };
};
