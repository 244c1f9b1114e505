/**
 * @module What became of the customer message an execution asked for, read from the outbox and
 * the decisions (so a retried execution, and the callback completer, get the same answer), and
 * how that outcome is told to HubSpot: `outputFields` with `hs_execution_state`.
 */
import type { Store } from '@tidings/store';

export const ACTION_OUTCOMES = ['sent', 'deferred', 'suppressed', 'failed'] as const;
export type ActionOutcome = (typeof ACTION_OUTCOMES)[number];

export const OUTPUT_FIELDS = {
  outcome: 'tidings_outcome',
  reason: 'tidings_reason',
  messageId: 'tidings_message_id',
} as const;

export const EXECUTION_STATES = ['SUCCESS', 'FAIL_CONTINUE', 'BLOCK'] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];

export interface OutcomeReport {
  outcome: ActionOutcome;
  /** A stable code: a compliance or planner reason, `sent_by_<channel>`, or an input error. */
  reason: string;
  /** Tidings' id for the message (the outbox intent), explainable in the admin API. */
  messageId?: string;
  /** True when nothing more will happen; false while the message waits or is being sent. */
  final: boolean;
  /** While waiting: when the message is due. */
  dueAt?: string;
}

export interface ExecutionRef {
  tenantId: string;
  orderRef: string;
  callbackId: string;
}

/** Reads the outcome of one execution's customer message(s). */
export const evaluateOutcome = async (
  store: Store,
  ref: ExecutionRef,
  now: Date,
): Promise<OutcomeReport> => {
  const intents = (await store.listIntents(ref.tenantId, ref.orderRef)).filter(
    (i) => i.intent.eventId === ref.callbackId && i.intent.audience === 'customer',
  );
  const decisions = (await store.listDecisions(ref.tenantId, ref.orderRef))
    .filter((d) => d.eventId === ref.callbackId)
    .map((d) => d.decision);

  if (intents.length === 0) {
    const customer = decisions.filter((d) => d.audience === undefined || d.audience === 'customer');
    const said =
      customer.find((d) => d.action === 'suppress') ??
      customer.find((d) => d.action === 'skip') ??
      customer[0] ??
      decisions[0];
    const reason = said?.reason ?? 'no_matching_rule';
    // A template nobody has is the workflow's mistake, not a choice to stay silent: the admin
    // must see it fail (FAIL_CONTINUE) and fix the action's template field.
    if (reason === 'unknown_template') return { outcome: 'failed', reason, final: true };
    return { outcome: 'suppressed', reason, final: true };
  }

  const sent = intents.find((i) => i.status === 'sent');
  if (sent) {
    return {
      outcome: 'sent',
      reason: `sent_by_${sent.delivery.channel}`,
      messageId: sent.intent.id,
      final: true,
    };
  }
  const waiting = intents
    .filter((i) => i.status === 'pending' || i.status === 'leased')
    .sort((a, b) => a.notBefore.localeCompare(b.notBefore))[0];
  if (waiting) {
    const later = Date.parse(waiting.notBefore) - now.getTime() > 1_000;
    const deferral =
      decisions.find((d) => d.intentId === waiting.intent.id && d.action === 'defer') ??
      decisions.find((d) => d.action === 'defer');
    const reason = later ? (deferral?.reason ?? 'rule_delay') : 'sending';
    return {
      outcome: 'deferred',
      reason,
      messageId: waiting.intent.id,
      final: false,
      dueAt: waiting.notBefore,
    };
  }
  const first = intents[0];
  const parked = intents.find((i) => i.status === 'parked');
  if (parked) {
    return { outcome: 'failed', reason: 'undeliverable', messageId: parked.intent.id, final: true };
  }
  const suppression = decisions.find(
    (d) => d.action === 'suppress' && intents.some((i) => i.intent.id === d.intentId),
  );
  const cancelled = intents.every((i) => i.status === 'cancelled');
  return {
    outcome: 'suppressed',
    reason: suppression?.reason ?? (cancelled ? 'order_cancelled' : 'suppressed'),
    ...(first ? { messageId: first.intent.id } : {}),
    final: true,
  };
};

/** HubSpot's execution state for an outcome. */
export const executionStateOf = (report: OutcomeReport): ExecutionState => {
  if (!report.final) return 'BLOCK';
  switch (report.outcome) {
    case 'sent':
    case 'suppressed':
      return 'SUCCESS';
    case 'failed':
      return 'FAIL_CONTINUE';
    case 'deferred':
      return 'BLOCK';
    default:
      return report.outcome satisfies never;
  }
};

/** An ISO-8601 duration covering `from`→`until` plus a day, at least a week (HubSpot's default). */
export const expirationDuration = (from: Date, until: string | undefined): string => {
  const week = 7 * 24;
  const hours =
    until === undefined ? week : Math.ceil((Date.parse(until) - from.getTime()) / 3_600_000) + 24;
  const total = Math.max(week, Number.isFinite(hours) ? hours : week);
  return `P${Math.floor(total / 24)}DT${total % 24}H`;
};

/** The output fields of a response or a callback completion. */
export const outputFieldsOf = (report: OutcomeReport, now: Date): Record<string, string> => {
  const state = executionStateOf(report);
  return {
    hs_execution_state: state,
    ...(state === 'BLOCK' ? { hs_expiration_duration: expirationDuration(now, report.dueAt) } : {}),
    [OUTPUT_FIELDS.outcome]: report.outcome,
    [OUTPUT_FIELDS.reason]: report.reason,
    [OUTPUT_FIELDS.messageId]: report.messageId ?? '',
  };
};
