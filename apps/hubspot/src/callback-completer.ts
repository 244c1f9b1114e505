/**
 * @module Completes blocked workflow executions: every execution answered with BLOCK is recorded
 * (an audit entry, so a restart forgets nothing), watched in the outbox, and once its message is
 * sent, suppressed or given up on, completed through HubSpot's callbacks API — then, for a sent
 * message, noted on the record's timeline. The dispatcher may run in another process: this reads
 * only the store.
 */
import type { Clock } from '@tidings/core';
import type { EngineLogger } from '@tidings/engine';
import type { Store } from '@tidings/store';
import {
  type ExecutionRef,
  evaluateOutcome,
  type OutcomeReport,
  outputFieldsOf,
} from './action-outcome.ts';
import type { HubspotApi } from './hubspot-api.ts';
import { HUBSPOT_CREDENTIAL, type PortalTokens } from './portal-tokens.ts';

export const AUDIT_PENDING = 'hubspot.callback_pending';
export const AUDIT_COMPLETED = 'hubspot.callback_completed';
export const AUDIT_ABANDONED = 'hubspot.callback_abandoned';

export interface PendingCallback extends ExecutionRef {
  objectType: string;
  objectId: string;
  /** After this HubSpot has moved the enrolment on by itself; we stop trying. */
  expiresAt: string;
}

export interface CompleterOptions {
  store: Store;
  clock: Clock;
  api: HubspotApi;
  tokens: PortalTokens;
  logger: EngineLogger;
  /** How often pending executions are looked at; default 2 s. */
  pollMs?: number;
  /** Whether a sent message is also noted on the record's timeline; default true. */
  timelineNotes?: boolean;
}

const key = (p: ExecutionRef) => `${p.tenantId}\u0000${p.callbackId}`;

const isPending = (d: Record<string, unknown>): d is Record<string, unknown> & PendingCallback =>
  typeof d.callbackId === 'string' &&
  typeof d.orderRef === 'string' &&
  typeof d.tenantId === 'string' &&
  typeof d.objectType === 'string' &&
  typeof d.objectId === 'string' &&
  typeof d.expiresAt === 'string';

/** The line a timeline note carries: status and channel, no personal data. */
export const noteBody = (report: OutcomeReport, status: string): string =>
  `Tidings sent the customer the "${status}" update (${report.reason.replace(/^sent_by_/, 'by ')}; message ${report.messageId ?? 'n/a'}).`;

/** Creates the completer; `track` records a blocked execution, `runOnce` completes what it can. */
export const createCallbackCompleter = (options: CompleterOptions) => {
  const { store, clock, api, tokens, logger } = options;
  const pending = new Map<string, PendingCallback>();
  const notes = new Set<Promise<unknown>>();
  const audit = (p: PendingCallback, action: string, detail: Record<string, unknown> = {}) =>
    store.transaction((tx) =>
      tx.appendAudit({
        tenantId: p.tenantId,
        orderRef: p.orderRef,
        at: clock.now().toISOString(),
        actor: 'hubspot',
        action,
        detail: { ...p, ...detail },
      }),
    );

  /** Writes the note; a failure is logged, never retried into a second note. */
  const note = async (p: PendingCallback, report: OutcomeReport, accessToken: string) => {
    if (options.timelineNotes === false) return;
    const events = await store.listEventsOfOrders(p.tenantId, [p.orderRef]);
    const status = events.find((e) => e.sourceEventId === p.callbackId)?.event.status ?? 'status';
    const made = await api.createNote(accessToken, {
      objectType: p.objectType,
      objectId: p.objectId,
      body: noteBody(report, status),
      at: clock.now().toISOString(),
    });
    if (!made.ok)
      logger.warn({ tenantId: p.tenantId, code: made.error.code }, 'hubspot timeline note failed');
  };

  /** Tries one pending execution; returns whether it is settled (completed or abandoned). */
  const settle = async (p: PendingCallback): Promise<boolean> => {
    const now = clock.now();
    if (now.toISOString() > p.expiresAt) {
      await audit(p, AUDIT_ABANDONED, { reason: 'expired' });
      return true;
    }
    const report = await evaluateOutcome(store, p, now);
    if (!report.final) return false;
    let token = await tokens.accessToken(p.tenantId);
    if (!token.ok) {
      logger.warn({ tenantId: p.tenantId, code: token.error.code }, 'hubspot callback: no token');
      if (token.error.code === 'portal_not_installed') {
        await audit(p, AUDIT_ABANDONED, { reason: token.error.code });
        return true;
      }
      return false;
    }
    const outputs = outputFieldsOf(report, now);
    let done = await api.completeCallback(token.accessToken, p.callbackId, outputs);
    if (!done.ok && done.error.class === 'unauthorized') {
      token = await tokens.accessToken(p.tenantId, { force: true });
      if (token.ok) done = await api.completeCallback(token.accessToken, p.callbackId, outputs);
    }
    if (done.ok) {
      await audit(p, AUDIT_COMPLETED, { outcome: report.outcome, reason: report.reason });
      if (report.outcome === 'sent' && token.ok) await note(p, report, token.accessToken);
      return true;
    }
    if (done.error.class === 'permanent') {
      // HubSpot no longer knows the callback (expired, already completed): nothing to retry.
      await audit(p, AUDIT_ABANDONED, { reason: done.error.code, status: done.error.status });
      return true;
    }
    logger.warn({ tenantId: p.tenantId, code: done.error.code }, 'hubspot callback: will retry');
    return false;
  };

  let running = false;
  let busy: Promise<number> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const runOnce = async (): Promise<number> => {
    let settled = 0;
    for (const [k, p] of [...pending]) {
      try {
        if (await settle(p)) {
          pending.delete(k);
          settled += 1;
        }
      } catch (err) {
        logger.error(
          { tenantId: p.tenantId, err: (err as Error).message },
          'hubspot callback failed',
        );
      }
    }
    return settled;
  };

  const tick = () => {
    if (!running) return;
    busy = runOnce();
    void busy.finally(() => {
      busy = undefined;
      if (running) {
        timer = setTimeout(tick, options.pollMs ?? 2_000);
        timer.unref?.();
      }
    });
  };

  return {
    /** Records a blocked execution durably and starts watching it; tracking twice is harmless. */
    async track(p: PendingCallback): Promise<void> {
      if (pending.has(key(p))) return;
      pending.set(key(p), p);
      await audit(p, AUDIT_PENDING);
    },
    /** Notes a message sent while HubSpot waited, in the background (the answer is not delayed). */
    noteSoon(p: PendingCallback, report: OutcomeReport): void {
      const job = (async () => {
        const token = await tokens.accessToken(p.tenantId);
        if (token.ok) await note(p, report, token.accessToken);
      })().catch((err: unknown) =>
        logger.warn({ tenantId: p.tenantId, err: (err as Error).message }, 'hubspot note failed'),
      );
      notes.add(job);
      void job.finally(() => notes.delete(job));
    },
    /** Resolves when background notes have finished (shutdown, tests). */
    async idle(): Promise<void> {
      await Promise.all([...notes]);
    },
    pendingCount: () => pending.size,
    runOnce,
    /** Reloads unfinished executions of every installed portal from the audit log. */
    async hydrate(): Promise<number> {
      for (const tenant of await store.listTenants()) {
        const creds = await store.listCredentials(tenant.id);
        if (!creds.some((c) => c.provider === HUBSPOT_CREDENTIAL)) continue;
        const open = new Map<string, PendingCallback>();
        for (const entry of await store.listAudit(tenant.id)) {
          if (!isPending(entry.detail)) continue;
          const p: PendingCallback = {
            tenantId: entry.detail.tenantId,
            orderRef: entry.detail.orderRef,
            callbackId: entry.detail.callbackId,
            objectType: entry.detail.objectType,
            objectId: entry.detail.objectId,
            expiresAt: entry.detail.expiresAt,
          };
          if (entry.action === AUDIT_PENDING) open.set(key(p), p);
          else if (entry.action === AUDIT_COMPLETED || entry.action === AUDIT_ABANDONED)
            open.delete(key(p));
        }
        for (const [k, p] of open) pending.set(k, p);
      }
      return pending.size;
    },
    start(): void {
      if (running) return;
      running = true;
      tick();
    },
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      await busy;
      await Promise.all([...notes]);
    },
  };
};

export type CallbackCompleter = ReturnType<typeof createCallbackCompleter>;
