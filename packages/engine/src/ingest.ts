/**
 * @module `ingest`: the only way an event enters Tidings. In ONE transaction it dedupes on the
 * source event id, keeps the raw event, advances the order, plans, and writes the outbox — so a
 * crash anywhere loses nothing and a redelivery sends nothing twice. Concurrent ingests are
 * grouped into one commit (group commit), so durability does not cap throughput.
 */
import {
  activeShipments,
  buildTemplateContext,
  type Clock,
  type ConsentRecord,
  type Decision,
  emptyOrderState,
  type Intent,
  type LifecycleOutcome,
  type OrderEvent,
  type OrderState,
  orderProgress,
  plan,
  stableId,
  type TenantConfig,
} from '@tidings/core';
import {
  type DecisionsInput,
  orderKey,
  type Store,
  type StoreTx,
  type WriteBackJob,
} from '@tidings/store';
import type { createTenantConfigs, EngineLogger } from './engine-context.ts';
import { orderWatch } from './scheduler.ts';
import type { WriteBackRegistry } from './write-back.ts';

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
      /** The ids of the intents this event added (its messages' ids, as the timeline shows). */
      intentIds: string[];
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
  /** Host platforms to write news back to; each event the lifecycle marks `notify` queues one
   * write-back per target that applies to the tenant, except the target the event came from. */
  writeBacks?: WriteBackRegistry;
}

interface Pending {
  input: IngestInput;
  config?: TenantConfig;
  consents: ConsentRecord[];
  /** Names of the write-back targets set up for the event's tenant. */
  targets: string[];
  /** Those of them that mirror the order's state (`WriteBackTarget.mirrorsState`). */
  mirrors: string[];
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

/** The write-back job for one notified event and one target; its id is stable across re-plans. */
export const writeBackJob = (
  event: OrderEvent,
  lifecycle: LifecycleOutcome,
  target: string,
  at: string,
): WriteBackJob | undefined => {
  if (lifecycle.verdict !== 'notify' || lifecycle.status === 'ignore') return undefined;
  const shipmentId = lifecycle.shipmentId;
  return {
    id: stableId('wb', [event.tenantId, event.orderRef, event.sourceEventId, target]),
    tenantId: event.tenantId,
    orderRef: event.orderRef,
    target,
    eventId: event.sourceEventId,
    status: lifecycle.status,
    ...(shipmentId ? { shipmentId } : {}),
    note: `Tidings: ${lifecycle.status.replaceAll('_', ' ')}${shipmentId ? ` (shipment ${shipmentId})` : ''}`,
    at,
  };
};

/** Overlay kinds the order holds, on the order or on an active shipment. */
const overlayKinds = (state: OrderState): Set<string> =>
  new Set(
    [...state.overlays, ...activeShipments(state).flatMap((s) => s.overlays)].map((o) => o.kind),
  );

/** A `sync` job: the event lifted an overlay a state-mirroring target may show. */
const syncJob = (
  event: OrderEvent,
  state: OrderState,
  target: string,
  at: string,
): WriteBackJob => ({
  id: stableId('wb', [event.tenantId, event.orderRef, event.sourceEventId, target, 'sync']),
  tenantId: event.tenantId,
  orderRef: event.orderRef,
  target,
  eventId: event.sourceEventId,
  status: orderProgress(state) ?? 'created',
  note: 'Tidings: state sync',
  at,
  kind: 'sync',
});

/** Creates the ingest function; its batches commit one after another, never concurrently. */
export const createIngest = (options: IngestOptions) => {
  const { store, clock, tenants, logger } = options;
  const maxBatch = options.maxBatch ?? 256;
  const queue: Pending[] = [];
  let flushing = false;
  let scheduled = false;

  /**
   * Everything for a batch happens in one transaction; the results resolve after commit. The
   * work is set-based: one statement per chunk inserts the batch's events, loads its orders,
   * writes its intents, decisions and states, so a batch of 256 costs about ten round trips
   * on PostgreSQL instead of five per event.
   */
  const apply = async (tx: StoreTx, batch: Pending[]): Promise<IngestResult[]> => {
    const now = clock.now().toISOString();
    const answers = await tx.insertEvents(
      batch.map((item) => ({
        event: item.input.event,
        rawBody: item.input.rawBody,
        headers: item.input.headers ?? {},
        receivedAt: now,
      })),
    );
    const results: (IngestResult | undefined)[] = [];
    const fresh: Pending[] = [];
    for (const [i, item] of batch.entries()) {
      const { event } = item.input;
      if (answers[i] === 'duplicate') {
        results[i] = { outcome: 'duplicate' };
      } else if (
        item.input.echoFingerprint &&
        (await tx.hasFingerprint(event.tenantId, item.input.echoFingerprint, now))
      ) {
        results[i] = { outcome: 'echo' };
      } else {
        fresh.push(item);
      }
    }
    const loaded = await tx.loadOrderStates(
      fresh.map(({ input: { event } }) => ({ tenantId: event.tenantId, orderRef: event.orderRef })),
    );
    const orders = new Map<string, { state: OrderState; version: number; promised?: string }>();
    // Intents wait here until the batch's end, except when a cancellation needs the ones
    // already planned for its order in the outbox first (so it cancels them too).
    let intents: Intent[] = [];
    const intentsOf = new Map<Pending, Intent[]>();
    const inserted = new Set<string>();
    const flushIntents = async (): Promise<void> => {
      if (intents.length === 0) return;
      for (const id of await tx.insertNewIntents(intents, now)) inserted.add(id);
      intents = [];
    };
    const jobs: WriteBackJob[] = [];
    const decisions: DecisionsInput[] = [];
    const planned = new Map<Pending, ReturnType<typeof plan>>();
    for (const item of fresh) {
      const { event } = item.input;
      const config = item.config;
      if (!config) throw new Error('bug: batch item without config');
      const key = orderKey(event.tenantId, event.orderRef);
      let order = orders.get(key);
      if (!order) {
        const found = loaded.get(key);
        order = found
          ? { state: found.state, version: found.version }
          : { state: emptyOrderState(event.tenantId, event.orderRef), version: 0 };
        orders.set(key, order);
      }
      const heldBefore = overlayKinds(order.state);
      const outcome = plan(event, order.state, config, now, { consents: item.consents });
      planned.set(item, outcome);
      order.state = outcome.state;
      if (event.order.promisedDate) order.promised = event.order.promisedDate;
      const { lifecycle } = outcome;
      if (lifecycle.verdict === 'notify' && lifecycle.status === 'cancelled') {
        // Messages still waiting (a deferred "dispatched") must not reach a cancelled order's customer.
        await flushIntents();
        await tx.cancelPendingIntents(event.tenantId, event.orderRef, 'order_cancelled', now);
      }
      const mine = outcome.intents.map((i) => withContext(i, event, outcome.state, config));
      intentsOf.set(item, mine);
      intents.push(...mine);
      // No writing back to where the news came from: that platform already knows.
      const news = item.targets
        .filter((target) => target !== event.source)
        .flatMap((target) => writeBackJob(event, lifecycle, target, now) ?? []);
      jobs.push(...news);
      // …but a mirror of our own state there (our hold tag on a Shopify order the merchant just
      // released) must follow when an overlay goes away.
      const heldAfter = overlayKinds(outcome.state);
      if ([...heldBefore].some((kind) => !heldAfter.has(kind))) {
        for (const target of item.mirrors) {
          if (!news.some((j) => j.target === target))
            jobs.push(syncJob(event, outcome.state, target, now));
        }
      }
      decisions.push({
        tenantId: event.tenantId,
        orderRef: event.orderRef,
        eventId: event.sourceEventId,
        at: now,
        decisions: outcome.decisions,
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
    }
    await flushIntents();
    if (jobs.length > 0) await tx.insertWriteBacks(jobs, now);
    await tx.insertDecisionSets(decisions);
    await tx.saveOrderStates(
      [...orders.values()].map((order) => ({
        state: order.state,
        expectedVersion: order.version,
        watch: orderWatch(order.state, order.promised),
      })),
      now,
    );
    return batch.map((item, i) => {
      const done = results[i];
      if (done) return done;
      const outcome = planned.get(item);
      if (!outcome) throw new Error('bug: batch item neither answered nor planned');
      // An intent id planned twice (by two events of the batch) counts for the first only.
      const added: string[] = [];
      for (const intent of intentsOf.get(item) ?? []) {
        if (inserted.delete(intent.id)) added.push(intent.id);
      }
      return {
        outcome: 'accepted',
        verdict: outcome.lifecycle.verdict,
        intents: added.length,
        intentIds: added,
        decisions: outcome.decisions,
      };
    });
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
    // Which write-back targets apply is asked outside the transaction too (targets may read the
    // store or call out). One that cannot tell is queued anyway: the worker retries, then parks
    // it where an operator sees it, rather than losing it silently here.
    const registered = options.writeBacks?.targets() ?? [];
    const targets = new Map<string, string[]>();
    for (const tenantId of contacts.keys()) {
      const applies = await Promise.all(
        registered.map((t) =>
          t.appliesTo(tenantId).catch((err: unknown) => {
            logger.warn(
              { target: t.target, err: (err as Error).message },
              'write-back target could not tell whether it applies; queueing anyway',
            );
            return true;
          }),
        ),
      );
      targets.set(
        tenantId,
        registered.filter((_, i) => applies[i]).map((t) => t.target),
      );
    }
    const mirroring = new Set(registered.filter((t) => t.mirrorsState).map((t) => t.target));
    for (const item of batch) {
      item.targets = targets.get(item.input.event.tenantId) ?? [];
      item.mirrors = item.targets.filter((t) => mirroring.has(t));
    }
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
      queue.push({
        input,
        config: lookup.config,
        consents: [],
        targets: [],
        mirrors: [],
        resolve,
        reject,
      });
      // A macrotask, not a microtask: every request the event loop has already read in this
      // turn gets to join the batch first. With node:sqlite a commit is synchronous, so a
      // microtask flush would start a commit per request and group commit would never group.
      if (!flushing && !scheduled) {
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          void flush();
        });
      }
    });
  };
};
