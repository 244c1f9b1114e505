/**
 * @module One compliance decision per candidate (intent × channel): send, defer until an instant,
 * or suppress — with the rewrites the law asks for and a stable reason code for each step.
 */
import type { ChannelKind } from '../channel-kinds.ts';
import type { Recipient } from '../order-event.ts';
import type {
  ComplianceDecision,
  ComplianceInput,
  ComplianceNotices,
  ComplianceReason,
  Rewrite,
} from './compliance-types.ts';
import { checkConsent } from './consent.ts';
import { euWithdrawalDeadline } from './eu-withdrawal.ts';
import { frequencyCapFreesAt } from './frequency-caps.ts';
import { ftcDelayNotice, isDelayEvent } from './ftc-mail-order.ts';
import { jurisdictionRules, PHONE_CHANNELS, recipientJurisdiction } from './jurisdictions.ts';
import {
  brokenRules,
  nextAllowedInstant,
  type TimingRule,
  tenantAllowedWindow,
} from './quiet-hours.ts';
import { phoneCountry, recipientTimeZone } from './recipient-time-zone.ts';
import { isRegulatoryHold } from './regulatory-hold.ts';
import { hasShaftContent, orderRestrictedFamilies } from './restricted-goods.ts';
import { whatsappWindowOpen } from './whatsapp-window.ts';

/** Channels whose text shows on a lock screen or a shared phone: no item names there. */
const GLANCEABLE_CHANNELS: readonly ChannelKind[] = ['sms', 'whatsapp', 'push'];

/** Rounds of "quiet hours, then caps" before the answer is known to be stable. */
const MAX_TIMING_ROUNDS = 8;

const contactOn = (recipient: Recipient | undefined, channel: ChannelKind): string | undefined => {
  if (!recipient) return undefined;
  switch (channel) {
    case 'sms':
    case 'whatsapp':
    case 'email':
    case 'push':
    case 'intercom':
    case 'klaviyo':
    case 'activecampaign':
      return recipient.contacts[channel];
    case 'slack':
    case 'teams':
    case 'google_chat':
      return undefined;
    default:
      return channel satisfies never;
  }
};

const unique = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/** `Date.parse` with the last answer kept: one plan asks about the same instant per channel. */
let lastIso = '';
let lastMs = Number.NaN;
const instantOf = (iso: string): number => {
  if (iso !== lastIso) {
    lastMs = Date.parse(iso);
    lastIso = iso;
  }
  return lastMs;
};

const suppress = (reason: ComplianceReason, detail: string): ComplianceDecision => ({
  action: 'suppress',
  reasons: [reason],
  detail,
});

/** When timing rules let the message go: `now` itself, or the first instant they all allow. */
const releaseTime = (
  input: ComplianceInput,
  contact: string,
): { at: number; reasons: ComplianceReason[] } => {
  const { zones } = recipientTimeZone(input.recipient, input.tenantTimeZone, contact);
  const rules: TimingRule[] = [];
  const tenantWindow = tenantAllowedWindow(input.settings, input.messageClass);
  if (tenantWindow) rules.push({ reason: 'quiet_hours_tenant', allowed: tenantWindow });
  const caps: { max: number; hours: number }[] = [];
  // Telemarketing and SMS laws speak of marketing to a phone; order updates are not solicitations.
  if (input.messageClass === 'marketing' && PHONE_CHANNELS.includes(input.channel)) {
    for (const rule of jurisdictionRules(recipientJurisdiction(input.recipient, contact))) {
      if (rule.marketingWindow) {
        rules.push({ reason: 'quiet_hours_jurisdiction', allowed: rule.marketingWindow });
      }
      if (rule.forbiddenDays) {
        rules.push({ reason: 'jurisdiction_forbidden_day', forbiddenDay: rule.forbiddenDays.test });
      }
      if (rule.frequencyCap) caps.push(rule.frequencyCap);
    }
  }
  const reasons: ComplianceReason[] = [];
  let at = instantOf(input.now);
  for (let round = 0; round < MAX_TIMING_ROUNDS; round += 1) {
    const allowed = nextAllowedInstant(at, zones, rules);
    if (allowed > at) reasons.push(...brokenRules(at, zones, rules).map((r) => r.reason));
    const free = Math.max(
      allowed,
      ...caps.map((cap) => frequencyCapFreesAt(allowed, cap, input.facts, PHONE_CHANNELS)),
    );
    if (free > allowed) reasons.push('frequency_cap');
    const settled = free === allowed;
    at = free;
    if (settled) break;
  }
  return { at, reasons: unique(reasons) };
};

/**
 * Decides one candidate: internal audiences go out (with the regulatory-hold detail); people
 * need a contact point and consent, lose SHAFT marketing on US SMS, get the rewrites the law
 * asks for, and wait out quiet hours, forbidden days and frequency caps in their own zone.
 */
export const checkCompliance = (input: ComplianceInput): ComplianceDecision => {
  const hold = isRegulatoryHold(input.event, input.state);
  if (input.audience === 'internal') {
    return {
      action: 'send',
      rewrites: [],
      reasons: hold ? ['internal_audience', 'regulatory_hold_detail'] : ['internal_audience'],
    };
  }

  const contact = input.contact ?? contactOn(input.recipient, input.channel);
  if (!contact) {
    return suppress('no_contact_point', `The recipient has no ${input.channel} contact point.`);
  }

  const windowOpen = whatsappWindowOpen(input.facts.whatsappLastInboundAt, input.now);
  const consent = checkConsent({
    tenantId: input.event.tenantId,
    channel: input.channel,
    contact,
    messageClass: input.messageClass,
    consents: input.facts.consents,
    explicitConsentChannels: input.settings.explicitConsentChannels,
    whatsappWindowOpen: windowOpen,
  });
  if (!consent.allowed) {
    return suppress(
      consent.reason,
      `No ${input.messageClass} consent on ${input.channel} for this contact point.`,
    );
  }

  const where = recipientJurisdiction(input.recipient, contact);
  const families = orderRestrictedFamilies(input.event, input.settings.restrictedCategories);
  const usPhone = (phoneCountry(contact) ?? where.country) === 'US';
  if (
    input.channel === 'sms' &&
    input.messageClass === 'marketing' &&
    usPhone &&
    hasShaftContent(families)
  ) {
    return suppress(
      'shaft_content_sms',
      `US carriers filter SHAFT content on SMS (${families.join(', ')}); use another channel.`,
    );
  }

  // The message leaves at `release`: WhatsApp's window must be judged then, not now.
  const release = releaseTime(input, contact);
  const nowMs = instantOf(input.now);
  // Most messages leave at once; formatting an instant is costly on the planner's hot path.
  const releaseIso = release.at === nowMs ? input.now : new Date(release.at).toISOString();
  const windowAtRelease = whatsappWindowOpen(input.facts.whatsappLastInboundAt, releaseIso);
  if (consent.reason === 'whatsapp_customer_initiated' && !windowAtRelease) {
    return suppress(
      'consent_missing',
      'No WhatsApp opt-in, and the customer-service window closes before quiet hours end.',
    );
  }

  const rewrites: Rewrite[] = [];
  const reasons: ComplianceReason[] = [consent.reason];
  const notices: ComplianceNotices = {};
  const rewrite = (r: Rewrite, reason: ComplianceReason) => {
    rewrites.push(r);
    reasons.push(reason);
  };
  if (input.channel === 'whatsapp' && !windowAtRelease) {
    rewrite('whatsapp_template_only', 'whatsapp_outside_window');
  }
  if (families.length > 0 && GLANCEABLE_CHANNELS.includes(input.channel)) {
    rewrite('generic_items', 'restricted_goods_generic');
  }
  if (hold) {
    if (input.audience === 'customer') rewrite('neutral_hold', 'regulatory_hold_neutral');
    else reasons.push('regulatory_hold_detail');
  }
  if (input.audience === 'customer' && where.country === 'US' && isDelayEvent(input.event)) {
    const { reason, ...notice } = ftcDelayNotice(input.event, input.state, input.now);
    rewrite('ftc_delay_notice', reason);
    notices.ftcDelay = input.settings.cancelUrl
      ? { ...notice, cancelUrl: input.settings.cancelUrl }
      : notice;
  }
  if (
    input.audience === 'customer' &&
    (input.event.status === 'delivered' || input.event.status === 'completed')
  ) {
    const { zone } = recipientTimeZone(input.recipient, input.tenantTimeZone, contact);
    const deadline = euWithdrawalDeadline(input.state, where.country, zone);
    if (deadline) {
      rewrite('eu_withdrawal_notice', 'eu_withdrawal_notice');
      notices.euWithdrawalDeadline = deadline;
    }
  }

  const extra = Object.keys(notices).length > 0 ? { notices } : {};
  if (release.at > nowMs) {
    return {
      action: 'defer',
      until: releaseIso,
      rewrites,
      reasons: unique([...reasons, ...release.reasons]),
      ...extra,
    };
  }
  return { action: 'send', rewrites, reasons: unique(reasons), ...extra };
};
