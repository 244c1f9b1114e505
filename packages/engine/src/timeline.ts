/**
 * @module An order's full story for "why did (or didn't) my customer hear about this?": events,
 * decisions, intents, attempts, receipts, write-backs and overrides, in time order, as data and
 * as sentences.
 */
import type { Store } from '@tidings/store';

export interface TimelineEntry {
  at: string;
  kind: 'event' | 'decision' | 'intent' | 'attempt' | 'receipt' | 'write_back' | 'audit';
  text: string;
  data: Record<string, unknown>;
}

/** Everything we know about one order, oldest first, without contact points. */
export const orderTimeline = async (
  store: Store,
  tenantId: string,
  orderRef: string,
): Promise<TimelineEntry[]> => {
  const [events, decisions, intents, attempts, writeBacks, audit] = await Promise.all([
    store.listEvents(tenantId, orderRef),
    store.listDecisions(tenantId, orderRef),
    store.listIntents(tenantId, orderRef),
    store.listAttempts(tenantId, orderRef),
    store.listWriteBacks(tenantId, orderRef),
    store.listAudit(tenantId, orderRef),
  ]);
  const entries: TimelineEntry[] = [
    ...events.map((e) => ({
      at: e.receivedAt,
      kind: 'event' as const,
      text: `${e.source} reported "${e.event.raw.value}" → ${e.event.status}${e.event.shipment ? ` (shipment ${e.event.shipment.id})` : ''}`,
      data: { sourceEventId: e.sourceEventId, status: e.event.status, occurredAt: e.occurredAt },
    })),
    ...decisions.map((d) => ({
      at: d.at,
      kind: 'decision' as const,
      text: `${d.decision.action}: ${d.decision.detail} (${d.decision.reasons.join(', ')})`,
      data: { ...d.decision },
    })),
    ...intents.map((i) => ({
      at: i.createdAt,
      kind: 'intent' as const,
      text: `intent ${i.intent.templateKey} for ${i.intent.audience} by ${i.delivery.channel}: ${i.status}${i.lastError ? ` (${i.lastError})` : ''}`,
      data: { id: i.intent.id, status: i.status, notBefore: i.notBefore, attempts: i.attempts },
    })),
    ...attempts.flatMap((a) => {
      const sent: TimelineEntry = {
        at: a.finishedAt ?? a.startedAt,
        kind: 'attempt',
        text: `attempt ${a.attempt} via ${a.provider} (${a.channel}): ${a.outcome ?? 'in flight'}${a.error ? ` — ${a.error}` : ''}`,
        data: { intentId: a.intentId, outcome: a.outcome, providerMessageId: a.providerMessageId },
      };
      const receipt: TimelineEntry[] =
        a.receiptState && a.receiptAt
          ? [
              {
                at: a.receiptAt,
                kind: 'receipt',
                text: `${a.provider} reports ${a.receiptState}`,
                data: { intentId: a.intentId, state: a.receiptState },
              },
            ]
          : [];
      return [sent, ...receipt];
    }),
    ...writeBacks.map((w) => ({
      at: w.status === 'done' || w.status === 'parked' ? w.updatedAt : w.createdAt,
      kind: 'write_back' as const,
      text: `${w.job.kind === 'sync' ? 'state sync' : `write-back of "${w.job.status}"`} to ${w.job.target}: ${w.status}${w.lastError ? ` (${w.lastError})` : ''}`,
      data: {
        id: w.job.id,
        target: w.job.target,
        status: w.status,
        attempts: w.attempts,
        eventId: w.job.eventId,
      },
    })),
    ...audit.map((a) => ({
      at: a.at,
      kind: 'audit' as const,
      text: `${a.action} by ${a.actor}`,
      data: { ...a.detail },
    })),
  ];
  const order = ['event', 'decision', 'intent', 'attempt', 'receipt', 'write_back', 'audit'];
  return entries.sort((x, y) =>
    x.at === y.at ? order.indexOf(x.kind) - order.indexOf(y.kind) : x.at < y.at ? -1 : 1,
  );
};
