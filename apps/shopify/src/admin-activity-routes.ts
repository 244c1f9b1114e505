/**
 * @module `GET /shopify/api/activity`: the shop's activity feed, registered inside the
 * session-token protected scope of `admin-api-routes.ts`. One entry per planner decision, newest
 * first, each with the order, the status it was about, who and which channel, what was done
 * (core's decision action, `until` for a deferral), core's reason codes and core's sentence for
 * it, and where the planned message stands now (the outbox status). No contact point, name or
 * provider response is included: the feed is what a merchant may show to any member of staff.
 */
import {
  CHANNEL_KINDS,
  type ChannelKind,
  DECISION_ACTIONS,
  type Decision,
  type DecisionAction,
} from '@tidings/core';
import type { AppContext } from '@tidings/engine';
import { HttpError } from '@tidings/http';
import type { IntentStatus, StoredDecision } from '@tidings/store';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminCaller } from './admin-api-routes.ts';

export interface ActivityDeps {
  context: AppContext;
  caller(req: FastifyRequest): AdminCaller;
}

/** One line of the feed. */
export interface ActivityEntry {
  /** Stable per decision (its store sequence number), for list keys. */
  id: string;
  at: string;
  orderRef: string;
  /** The order's number as the shop shows it (`#1001`), when an event named it. */
  orderNumber?: string;
  /** The canonical status the decision was about. */
  status?: string;
  audience?: string;
  channel?: string;
  action: DecisionAction;
  /** For `defer`: when the message goes. */
  until?: string;
  /** The headline reason code, then all of them (core's vocabulary). */
  reason: string;
  reasons: string[];
  ruleId?: string;
  /** Core's sentence for the decision (free of personal data by core's contract). */
  detail: string;
  /** Where the planned message stands in the outbox now (`sent`, `pending`, `suppressed`, …). */
  delivery?: IntentStatus;
}

export interface ActivityPage {
  entries: ActivityEntry[];
  /** Pass as `before` for older entries; absent when there are none. */
  next?: string;
}

export const ACTIVITY_DEFAULT_LIMIT = 25;
export const ACTIVITY_MAX_LIMIT = 100;
/** With a filter, at most this many store reads per request; the cursor resumes the scan. */
const MAX_READS = 20;

const listParam = <T extends string>(
  raw: unknown,
  allowed: readonly T[],
  name: string,
): ReadonlySet<T> | undefined => {
  if (raw === undefined || raw === '') return undefined;
  const values = typeof raw === 'string' ? raw.split(',') : [];
  const bad = values.filter((v) => !(allowed as readonly string[]).includes(v));
  if (values.length === 0 || bad.length > 0)
    throw new HttpError(
      'invalid_request',
      `${name} must be a comma-separated list of: ${allowed.join(', ')}.`,
      { status: 422, details: { parameter: name, allowed, unknown: bad } },
    );
  return new Set(values as T[]);
};

const parseLimit = (raw: unknown): number => {
  if (raw === undefined || raw === '') return ACTIVITY_DEFAULT_LIMIT;
  const n = typeof raw === 'string' && /^\d{1,4}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= ACTIVITY_MAX_LIMIT))
    throw new HttpError(
      'invalid_request',
      `limit must be a whole number from 1 to ${ACTIVITY_MAX_LIMIT}.`,
      { status: 422 },
    );
  return n;
};

/**
 * Reads decisions newest first until `limit` match, asking the store for exactly as many as are
 * still missing each time: a read then ends on a match only when all its rows matched, so the
 * store's cursor after it is exactly where the next page starts (the cursor stays opaque).
 */
const readMatching = async (
  context: AppContext,
  shop: string,
  limit: number,
  before: string | undefined,
  keep: (d: Decision) => boolean,
): Promise<{ decisions: StoredDecision[]; next?: string }> => {
  const out: StoredDecision[] = [];
  let cursor = before;
  for (let reads = 0; reads < MAX_READS; reads += 1) {
    const page = await context.store.listRecentDecisions(shop, {
      limit: limit - out.length,
      ...(cursor === undefined ? {} : { before: cursor }),
    });
    if (!page.ok)
      throw new HttpError('invalid_cursor', 'The before cursor is not one this feed gave out.', {
        status: 400,
      });
    out.push(...page.value.decisions.filter((d) => keep(d.decision)));
    cursor = page.value.next;
    if (cursor === undefined || out.length >= limit) break;
  }
  return cursor === undefined ? { decisions: out } : { decisions: out, next: cursor };
};

/** The feed's entries: decisions joined with their order's number and their intent's status. */
const toEntries = async (
  context: AppContext,
  shop: string,
  decisions: readonly StoredDecision[],
): Promise<ActivityEntry[]> => {
  const orders = [...new Set(decisions.map((d) => d.orderRef))];
  const [events, intents] = await Promise.all([
    context.store.listEventsOfOrders(shop, orders),
    Promise.all(orders.map((o) => context.store.listIntents(shop, o))),
  ]);
  const numbers = new Map<string, string>();
  const eventStatus = new Map<string, string>();
  for (const e of events) {
    if (e.event.order.number) numbers.set(e.orderRef, e.event.order.number);
    eventStatus.set(`${e.orderRef}\u0000${e.sourceEventId}`, e.event.status);
  }
  const intentById = new Map(intents.flat().map((i) => [i.intent.id, i]));
  return decisions.map(({ seq, at, orderRef, eventId, decision: d }) => {
    const intent = d.intentId ? intentById.get(d.intentId) : undefined;
    const status =
      intent?.intent.status ??
      (eventId ? eventStatus.get(`${orderRef}\u0000${eventId}`) : undefined);
    const number = numbers.get(orderRef);
    // Field by field, never a spread of the stored decision: whatever core adds to a decision
    // later does not reach the feed unless it is listed here.
    return {
      id: String(seq),
      at,
      orderRef,
      ...(number ? { orderNumber: number } : {}),
      ...(status ? { status } : {}),
      ...(d.audience ? { audience: d.audience } : {}),
      ...(d.channel ? { channel: d.channel } : {}),
      action: d.action,
      ...(d.until ? { until: d.until } : {}),
      reason: d.reason,
      reasons: [...d.reasons],
      ...(d.ruleId ? { ruleId: d.ruleId } : {}),
      detail: d.detail,
      ...(intent ? { delivery: intent.status } : {}),
    };
  });
};

export const registerActivityRoutes = (scope: FastifyInstance, deps: ActivityDeps): void => {
  const { context, caller } = deps;

  scope.get('/shopify/api/activity', async (req): Promise<ActivityPage> => {
    const query = (req.query ?? {}) as Record<string, unknown>;
    const limit = parseLimit(query.limit);
    const actions = listParam(query.action, DECISION_ACTIONS, 'action');
    const channels = listParam(query.channel, CHANNEL_KINDS, 'channel');
    const before = query.before;
    if (before !== undefined && (typeof before !== 'string' || before === ''))
      throw new HttpError('invalid_cursor', 'The before cursor is not one this feed gave out.', {
        status: 400,
      });
    const shop = caller(req).shop;
    const keep = (d: Decision): boolean =>
      (!actions || actions.has(d.action)) &&
      (!channels || (d.channel !== undefined && channels.has(d.channel as ChannelKind)));
    const page = await readMatching(context, shop, limit, before, keep);
    const entries = await toEntries(context, shop, page.decisions);
    return page.next === undefined ? { entries } : { entries, next: page.next };
  });
};
