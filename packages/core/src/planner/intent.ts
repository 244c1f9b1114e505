/**
 * @module What the planner produces: intents (a message to send, now or later, with its
 * fallbacks) and decisions (every send, deferral, rewrite and suppression, with a reason code).
 */
import type { ChannelKind } from '../channel-kinds.ts';
import type {
  ComplianceNotices,
  ComplianceReason,
  Rewrite,
} from '../compliance/compliance-types.ts';
import type { LifecycleOutcome, OutcomeReason } from '../lifecycle.ts';
import type { Audience, MessageClass } from '../message-class.ts';
import type { OrderState } from '../order-state.ts';
import type { CanonicalStatus } from '../statuses.ts';

/** One way to deliver an intent: the channel, its contact point and what compliance asked. */
export interface Delivery {
  channel: ChannelKind;
  /** The contact point (customer channels); internal channels resolve theirs from settings. */
  to?: string;
  notBefore: string;
  rewrites: Rewrite[];
  reasons: ComplianceReason[];
  /** What the mandated notices must say (revised date, cancel link, withdrawal deadline). */
  notices?: ComplianceNotices;
}

export interface Intent {
  /** Stable across re-plans of the same event: the idempotency key towards providers. */
  id: string;
  tenantId: string;
  orderRef: string;
  eventId: string;
  ruleId: string;
  audience: Audience;
  /** Which recipient of the event (index into `event.recipients`); absent for internal. */
  recipientIndex?: number;
  class: MessageClass;
  status: CanonicalStatus;
  shipmentId?: string;
  templateKey: string;
  locale: string;
  timeZone: string;
  /** The first delivery to try; `fallbacks` follow on a permanent failure. */
  delivery: Delivery;
  fallbacks: Delivery[];
  /** Intents with the same key, due together, are sent as one digest. */
  digestKey?: string;
  notificationKeys: string[];
  /**
   * Template variables as they stood when the intent was planned, captured by the engine at
   * ingest (the planner leaves it out to stay fast); the dispatcher renders from these.
   */
  context?: Record<string, unknown>;
}

export const DECISION_ACTIONS = ['send', 'defer', 'rewrite', 'suppress', 'skip'] as const;
/** `skip`: not a suppression — another rule already speaks to this recipient about this event. */
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** Reason codes the planner itself gives (compliance codes come from the compliance module). */
export const PLANNER_REASONS = [
  'stale_event',
  'duplicate_event',
  'ignored_event',
  'silent_override',
  'no_matching_rule',
  'no_recipient',
  'no_contact_point',
  'no_internal_channel',
  'all_channels_suppressed',
  'superseded_by_rule',
  'ready',
  'rule_delay',
  'digest_window',
  'event_template',
  'event_channels',
  'unknown_template',
] as const;
export type PlannerReason = (typeof PLANNER_REASONS)[number];

/** Every code a decision can carry: the planner's, compliance's, and the lifecycle's. */
export type DecisionReason = PlannerReason | ComplianceReason | OutcomeReason;

export interface Decision {
  action: DecisionAction;
  /** The first reason is the headline; all of them are kept. */
  reason: DecisionReason;
  reasons: DecisionReason[];
  ruleId?: string;
  audience?: Audience;
  recipientIndex?: number;
  channel?: ChannelKind;
  until?: string;
  rewrites?: Rewrite[];
  intentId?: string;
  /** One sentence for people, free of personal data. */
  detail: string;
}

export interface PlanResult {
  state: OrderState;
  lifecycle: LifecycleOutcome;
  intents: Intent[];
  decisions: Decision[];
}
