/**
 * @module The rules every tenant starts with, first match per recipient wins (so a failed
 * delivery attempt is told as the problem it is, not as "out for delivery"): every canonical status for customers; staff alerts
 * for holds, delays and exceptions, with regulatory holds routed to their own detailed alert.
 */
import { type Rule, RuleSetSchema } from './rule-schema.ts';

export const DEFAULT_RULES: readonly Rule[] = RuleSetSchema.parse([
  {
    id: 'customer-problems',
    description: 'Holds, delays and exceptions: the customer may have to act, or may cancel.',
    when: { statuses: ['on_hold', 'delayed', 'exception'] },
    notify: { audience: 'customer', class: 'critical' },
  },
  {
    id: 'customer-progress',
    description: 'Tell the customer each step of the journey, and how it ends.',
    when: {
      statuses: [
        'created',
        'processing',
        'dispatched',
        'in_transit',
        'out_for_delivery',
        'delivered',
        'completed',
        'split_shipment',
        'cancelled',
        'refunded',
        'returned',
      ],
    },
    notify: { audience: 'customer', class: 'transactional' },
  },
  {
    id: 'staff-alerts',
    description: 'Staff hear about holds, delays and exceptions that need a person.',
    when: { statuses: ['on_hold', 'delayed', 'exception'], reasons: { none: ['regulatory'] } },
    notify: { audience: 'internal', class: 'transactional' },
  },
  {
    id: 'staff-regulatory-hold',
    description: 'Regulatory holds: staff get the detail the customer does not.',
    when: { statuses: ['on_hold'], reasons: { any: ['regulatory'] } },
    notify: { audience: 'internal', template: 'internal.regulatory_hold', class: 'critical' },
  },
]);
