/**
 * @module `explain(result)`: the planner's decisions as sentences a merchant can read — why a
 * customer did, or did not, get a message. Free of personal data (no contact points).
 */
import type { Decision, PlanResult } from './intent.ts';

const verb: Record<Decision['action'], string> = {
  send: 'SENT',
  defer: 'DEFERRED',
  rewrite: 'SENT (reworded)',
  suppress: 'NOT SENT',
  skip: 'SKIPPED',
};

/** One line for the event, then one per decision, each ending with its reason codes. */
export const explain = (result: PlanResult): string[] => {
  const { lifecycle } = result;
  const where = lifecycle.shipmentId ? ` (shipment ${lifecycle.shipmentId})` : '';
  const progress =
    lifecycle.orderProgress.before === lifecycle.orderProgress.after
      ? `the order stays at ${lifecycle.orderProgress.after ?? 'no rung yet'}`
      : `the order moves from ${lifecycle.orderProgress.before ?? 'nothing'} to ${lifecycle.orderProgress.after}`;
  const head = `Event "${lifecycle.status}"${where}: ${lifecycle.verdict} (${lifecycle.reason}); ${progress}.`;
  const lines = result.decisions.map((d) => {
    const until = d.until ? ` until ${d.until}` : '';
    const rewrites = d.rewrites?.length ? ` [rewritten: ${d.rewrites.join(', ')}]` : '';
    return `${verb[d.action]}${until}${rewrites}: ${d.detail} (${d.reasons.join(', ')})`;
  });
  return [head, ...lines];
};
