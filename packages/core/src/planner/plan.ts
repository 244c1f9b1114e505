/**
 * @module `plan(event, state, config, now)`: the pure, deterministic heart of Tidings. Applies the
 * event to the order, matches the tenant's rules, asks compliance about every candidate channel
 * and returns intents to send plus a decision, with a reason code, for everything it did or did
 * not do — so "why did (or didn't) my customer get this message?" always has an answer.
 */
import type { ChannelKind } from '../channel-kinds.ts';
import type { ConsentRecord } from '../compliance/compliance-types.ts';
import {
  type ComplianceSettings,
  checkCompliance,
  newestConsent,
  type RecipientFacts,
  recipientTimeZone,
} from '../compliance/index.ts';
import { advance } from '../lifecycle.ts';
import type { Audience } from '../message-class.ts';
import type { ContactChannel, OrderEvent, Recipient } from '../order-event.ts';
import type { OrderState } from '../order-state.ts';
import { matchingRules, type RuleSubject } from '../rules/match-rules.ts';
import type { Rule } from '../rules/rule-schema.ts';
import type { CanonicalStatus } from '../statuses.ts';
import { defaultTemplateKeys } from '../templates/pack/default-pack.ts';
import { type TenantConfig, type TenantConfigInput, TenantConfigSchema } from '../tenant-config.ts';
import type { Decision, DecisionReason, Delivery, Intent, PlanResult } from './intent.ts';
import { stableId } from './stable-id.ts';

/** What the planner needs to know beyond the order, keyed by contact point. */
export interface PlanFacts {
  consents?: readonly ConsentRecord[];
  /** Contact point → last inbound WhatsApp message (opens the 24-hour window). */
  whatsappLastInboundAt?: Readonly<Record<string, string>>;
  /** Contact point → recent sends, for frequency caps. */
  recentSends?: Readonly<Record<string, RecipientFacts['recentSends']>>;
}

const CONTACT_KEYS: Partial<Record<ChannelKind, ContactChannel>> = {
  sms: 'sms',
  whatsapp: 'whatsapp',
  email: 'email',
  push: 'push',
  intercom: 'intercom',
  klaviyo: 'klaviyo',
  activecampaign: 'activecampaign',
};

const parsedConfigs = new WeakMap<object, TenantConfig>();

/**
 * Accepts a parsed config or raw input (defaults applied); parsing is cached per object so the
 * hot path pays for it once.
 */
const resolveConfig = (config: TenantConfig | TenantConfigInput): TenantConfig => {
  const cached = parsedConfigs.get(config);
  if (cached) return cached;
  const parsed = TenantConfigSchema.parse(config);
  parsedConfigs.set(config, parsed);
  parsedConfigs.set(parsed, parsed);
  return parsed;
};

const complianceSettings = (config: TenantConfig): ComplianceSettings => ({
  quietHours: config.compliance.quietHours,
  explicitConsentChannels: config.compliance.explicitConsentChannels,
  restrictedCategories: config.compliance.restrictedCategories,
  ...(config.compliance.cancelUrl ? { cancelUrl: config.compliance.cancelUrl } : {}),
});

let packKeys: ReadonlySet<string> | undefined;
/** Whether a template key has copy anywhere: the default pack or the tenant's own templates. */
const templateExists = (key: string, config: TenantConfig): boolean => {
  packKeys ??= new Set(defaultTemplateKeys());
  return packKeys.has(key) || Object.hasOwn(config.templates, key);
};

const NO_CONSENTS: ConsentRecord[] = [];
const NO_SENDS: RecipientFacts['recentSends'] = [];

/** `now` as a canonical ISO instant; the last answer is kept, since a worker plans many events per instant. */
let lastNow: string | undefined;
let lastIso = '';
const isoOf = (now: Date | string): string => {
  if (typeof now !== 'string') return now.toISOString();
  if (now !== lastNow) {
    lastIso = new Date(now).toISOString();
    lastNow = now;
  }
  return lastIso;
};

const addMinutes = (iso: string, minutes: number): string =>
  minutes === 0 ? iso : new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** The end of the digest window `now` falls in; windows are aligned to the epoch. */
const digestWindowEnd = (iso: string, minutes: number): string => {
  const size = minutes * 60_000;
  return new Date(Math.floor(Date.parse(iso) / size) * size + size).toISOString();
};

/** Codes that explain a wait, and codes that only say on what basis a message may go. */
const DEFERRAL_REASONS: ReadonlySet<string> = new Set([
  'quiet_hours_jurisdiction',
  'quiet_hours_tenant',
  'jurisdiction_forbidden_day',
  'frequency_cap',
]);
const BASIS_REASONS: ReadonlySet<string> = new Set([
  'internal_audience',
  'consent_opted_in',
  'consent_implied_by_order',
  'whatsapp_customer_initiated',
]);

const LIFECYCLE_REASONS = {
  stale: 'stale_event',
  duplicate: 'duplicate_event',
  ignored: 'ignored_event',
  silent: 'silent_override',
} as const;

/** Which of a rule's statuses the event matched: the overlay it raised wins over its rung. */
const templateStatus = (
  rule: Rule,
  event: OrderEvent,
  status: CanonicalStatus,
): CanonicalStatus => {
  const overlay = event.overlay?.kind;
  if (
    overlay &&
    overlay !== status &&
    (!rule.when.statuses || rule.when.statuses.includes(overlay))
  ) {
    return overlay;
  }
  return status;
};

type Target = { audience: Audience; recipient?: Recipient; index?: number };

const targetsOf = (audience: Audience, event: OrderEvent): Target[] => {
  if (audience === 'internal') return [{ audience }];
  const role = audience === 'customer' ? 'customer' : 'account_owner';
  return event.recipients.flatMap((recipient, index) =>
    recipient.role === role ? [{ audience, recipient, index }] : [],
  );
};

const who = (t: Target): string =>
  t.audience === 'internal' ? 'staff' : `${t.audience.replace('_', ' ')} #${(t.index ?? 0) + 1}`;

/**
 * Plans what to tell whom about one event. Pure and deterministic: the same event, state,
 * configuration, time and facts always give the same result, intent ids included.
 */
export const plan = (
  event: OrderEvent,
  state: OrderState,
  config: TenantConfig | TenantConfigInput,
  now: Date | string,
  facts: PlanFacts = {},
): PlanResult => {
  const cfg = resolveConfig(config);
  const at = isoOf(now);
  const { state: next, outcome } = advance(state, event);
  const decisions: Decision[] = [];
  const intents: Intent[] = [];
  const result = (): PlanResult => ({ state: next, lifecycle: outcome, intents, decisions });

  if (outcome.verdict !== 'notify' || outcome.status === 'ignore') {
    const reason =
      outcome.verdict === 'notify' ? 'ignored_event' : LIFECYCLE_REASONS[outcome.verdict];
    decisions.push({
      action: 'suppress',
      reason,
      reasons: [reason, outcome.reason],
      detail: `The event is not news (${outcome.verdict}: ${outcome.reason.replaceAll('_', ' ')}); nobody is told.`,
    });
    return result();
  }
  const status = outcome.status;
  const consents = facts.consents ?? [];
  const customer = event.recipients.find((r) => r.role === 'customer');
  const subject: RuleSubject = {
    event,
    status,
    state: next,
    customer,
    consent: (channel) => {
      const key = CONTACT_KEYS[channel];
      const contact = key ? customer?.contacts[key] : undefined;
      if (contact === undefined) return 'unknown';
      const of = (scope: ConsentRecord['scope']) =>
        newestConsent(consents, { tenantId: event.tenantId, channel, contact, scope });
      return (of('all') ?? of('marketing'))?.state ?? 'unknown';
    },
  };
  const rules = matchingRules(cfg.rules, subject);
  if (rules.length === 0) {
    decisions.push({
      action: 'suppress',
      reason: 'no_matching_rule',
      reasons: ['no_matching_rule'],
      detail: `No enabled rule covers "${status}" for this order.`,
    });
    return result();
  }

  const settings = complianceSettings(cfg);
  const spoken = new Set<string>();
  for (const rule of rules) {
    const action = rule.notify;
    const targets = targetsOf(action.audience, event);
    if (targets.length === 0) {
      decisions.push({
        action: 'suppress',
        reason: 'no_recipient',
        reasons: ['no_recipient'],
        ruleId: rule.id,
        audience: action.audience,
        detail: `Rule ${rule.id}: the event names no ${action.audience.replace('_', ' ')}.`,
      });
      continue;
    }
    const shown = templateStatus(rule, event, status);
    for (const target of targets) {
      const base = {
        ruleId: rule.id,
        audience: target.audience,
        ...(target.index !== undefined ? { recipientIndex: target.index } : {}),
      };
      const targetKey = `${target.audience}:${target.index ?? ''}`;
      if (spoken.has(targetKey)) {
        decisions.push({
          ...base,
          action: 'skip',
          reason: 'superseded_by_rule',
          reasons: ['superseded_by_rule'],
          detail: `Rule ${rule.id}: an earlier rule already tells ${who(target)} about this event.`,
        });
        continue;
      }
      // The event's own choice (event.notify) is for customers only, and replaces the rule's.
      const chosen = target.audience === 'customer' ? event.notify : undefined;
      if (chosen?.template !== undefined && !templateExists(chosen.template, cfg)) {
        decisions.push({
          ...base,
          action: 'suppress',
          reason: 'unknown_template',
          reasons: ['unknown_template'],
          detail: `Rule ${rule.id}: the event asks for template "${chosen.template}", which neither the default pack nor the tenant's templates have; ${who(target)} is not told.`,
        });
        continue;
      }
      const channels =
        chosen?.channels ??
        action.channels ??
        (target.audience === 'internal'
          ? cfg.channelPreferences.internal
          : cfg.channelPreferences.customer);
      if (channels.length === 0) {
        decisions.push({
          ...base,
          action: 'suppress',
          reason: 'no_internal_channel',
          reasons: ['no_internal_channel'],
          detail: `Rule ${rule.id}: no team channel is configured for staff alerts.`,
        });
        continue;
      }
      const phone = target.recipient?.contacts.sms ?? target.recipient?.contacts.whatsapp;
      const zone = target.recipient
        ? recipientTimeZone(target.recipient, cfg.defaultTimeZone, phone).zone
        : cfg.defaultTimeZone;
      const locale = target.recipient?.locale ?? cfg.defaultLocale;
      const delayed = addMinutes(at, action.delayMinutes);
      const due = action.digestMinutes ? digestWindowEnd(delayed, action.digestMinutes) : delayed;
      const deliveries: Delivery[] = [];
      for (const channel of channels) {
        const key = CONTACT_KEYS[channel];
        const contact = target.recipient
          ? key
            ? target.recipient.contacts[key]
            : undefined
          : undefined;
        if (target.recipient && contact === undefined) {
          decisions.push({
            ...base,
            action: 'suppress',
            channel,
            reason: 'no_contact_point',
            reasons: ['no_contact_point'],
            detail: `Rule ${rule.id}: ${who(target)} has no ${channel} contact point.`,
          });
          continue;
        }
        const verdict = checkCompliance({
          now: due,
          channel,
          messageClass: action.class,
          audience: target.audience,
          ...(target.recipient ? { recipient: target.recipient } : {}),
          ...(contact !== undefined ? { contact } : {}),
          event,
          state: next,
          settings,
          facts: {
            consents:
              contact === undefined || consents.length === 0
                ? NO_CONSENTS
                : consents.filter((c) => c.contact === contact),
            ...(contact !== undefined && facts.whatsappLastInboundAt?.[contact]
              ? { whatsappLastInboundAt: facts.whatsappLastInboundAt[contact] }
              : {}),
            recentSends:
              (contact !== undefined ? facts.recentSends?.[contact] : undefined) ?? NO_SENDS,
          },
          tenantTimeZone: cfg.defaultTimeZone,
        });
        if (verdict.action === 'suppress') {
          const [first = 'all_channels_suppressed', ...rest] = verdict.reasons;
          decisions.push({
            ...base,
            action: 'suppress',
            channel,
            reason: first,
            reasons: [first, ...rest],
            detail: `Rule ${rule.id}: not by ${channel} — ${verdict.detail}`,
          });
          continue;
        }
        deliveries.push({
          channel,
          ...(contact !== undefined ? { to: contact } : {}),
          notBefore: verdict.action === 'defer' ? verdict.until : due,
          rewrites: verdict.rewrites,
          reasons: verdict.reasons,
          ...(verdict.notices ? { notices: verdict.notices } : {}),
        });
      }
      const [delivery, ...fallbacks] = deliveries;
      if (!delivery) {
        decisions.push({
          ...base,
          action: 'suppress',
          reason: 'all_channels_suppressed',
          reasons: chosen?.channels
            ? ['all_channels_suppressed', 'event_channels']
            : ['all_channels_suppressed'],
          detail: `Rule ${rule.id}: no channel to ${who(target)} is allowed or reachable${
            chosen?.channels ? ` among those the event chose (${chosen.channels.join(', ')})` : ''
          }.`,
        });
        continue;
      }
      spoken.add(targetKey);
      const id = stableId('int', [
        event.tenantId,
        event.orderRef,
        event.sourceEventId,
        rule.id,
        targetKey,
      ]);
      const intent: Intent = {
        id,
        tenantId: event.tenantId,
        orderRef: event.orderRef,
        eventId: event.sourceEventId,
        ruleId: rule.id,
        audience: target.audience,
        ...(target.index !== undefined ? { recipientIndex: target.index } : {}),
        class: action.class,
        status: shown,
        ...(outcome.shipmentId ? { shipmentId: outcome.shipmentId } : {}),
        templateKey:
          chosen?.template ??
          action.template ??
          (target.audience === 'internal' ? `internal.${shown}` : shown),
        locale,
        timeZone: zone,
        delivery,
        fallbacks,
        ...(action.digestMinutes
          ? { digestKey: stableId('dig', [event.tenantId, rule.id, targetKey, due]) }
          : {}),
        notificationKeys: outcome.notificationKeys,
      };
      intents.push(intent);
      const deferred = delivery.notBefore > at;
      const headline: DecisionReason = deferred
        ? (delivery.reasons.find((r) => DEFERRAL_REASONS.has(r)) ??
          (action.digestMinutes ? 'digest_window' : 'rule_delay'))
        : delivery.rewrites.length > 0
          ? (delivery.reasons.find((r) => !BASIS_REASONS.has(r)) ?? 'ready')
          : 'ready';
      const chose: DecisionReason[] = [
        ...(chosen?.template !== undefined ? (['event_template'] as const) : []),
        ...(chosen?.channels !== undefined ? (['event_channels'] as const) : []),
      ];
      const byEvent = [
        ...(chosen?.template !== undefined ? ['the template'] : []),
        ...(chosen?.channels !== undefined ? [`the channels (${chosen.channels.join(', ')})`] : []),
      ];
      decisions.push({
        ...base,
        action: deferred ? 'defer' : delivery.rewrites.length > 0 ? 'rewrite' : 'send',
        channel: delivery.channel,
        reason: headline,
        reasons: [...new Set<DecisionReason>([headline, ...chose, ...delivery.reasons])],
        ...(deferred ? { until: delivery.notBefore } : {}),
        ...(delivery.rewrites.length > 0 ? { rewrites: delivery.rewrites } : {}),
        intentId: id,
        detail: `Rule ${rule.id}: ${who(target)} hears "${intent.templateKey}" by ${delivery.channel}${
          deferred ? ` at ${delivery.notBefore}` : ' now'
        }${fallbacks.length ? `, falling back to ${fallbacks.map((f) => f.channel).join(', ')}` : ''}${
          byEvent.length ? `; the event chose ${byEvent.join(' and ')}` : ''
        }.`,
      });
    }
  }
  return result();
};
