/**
 * @module The contract between the planner and compliance: what compliance is asked about one
 * candidate (intent × channel), and what it decides, always with a stable reason code.
 */
import type { ChannelKind } from '../channel-kinds.ts';
import type { Audience, MessageClass } from '../message-class.ts';
import type { OrderEvent, Recipient } from '../order-event.ts';
import type { OrderState } from '../order-state.ts';

export const CONSENT_STATES = ['opted_in', 'opted_out'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

export const CONSENT_SOURCES = [
  'checkout',
  'keyword',
  'unsubscribe',
  'bounce',
  'complaint',
  'provider',
  'admin',
  'api',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/**
 * One consent fact for one contact point on one channel. The newest record per
 * (channel, contact, scope) wins. `scope` separates marketing consent from transactional.
 */
export interface ConsentRecord {
  tenantId: string;
  channel: ChannelKind;
  /** The contact point as given (E.164 phone, e-mail address, push id). */
  contact: string;
  state: ConsentState;
  /** `all` covers every class (a STOP revokes everything but the confirmation). */
  scope: 'marketing' | 'all';
  at: string;
  source: ConsentSource;
}

/** What the planner knows beyond the order: consent, the WhatsApp session, recent sends. */
export interface RecipientFacts {
  consents: ConsentRecord[];
  /** Last time the customer wrote to us on WhatsApp, which opens the 24-hour window. */
  whatsappLastInboundAt?: string;
  /** Recent sends to this recipient, for frequency caps. */
  recentSends: { at: string; channel: ChannelKind; class: MessageClass }[];
}

/** How the message must change to be lawful; templates render the matching variant. */
export const REWRITES = [
  /** Restricted goods: no item names on SMS/WhatsApp/push. */
  'generic_items',
  /** Regulatory hold: the customer hears a neutral message, staff hear the detail. */
  'neutral_hold',
  /** Outside WhatsApp's 24-hour window only an approved template may be sent. */
  'whatsapp_template_only',
  /** FTC Mail Order Rule delay notice: revised date or "unknown", and a cancel option. */
  'ftc_delay_notice',
  /** EU consumer: the withdrawal deadline is stated. */
  'eu_withdrawal_notice',
] as const;
export type Rewrite = (typeof REWRITES)[number];

export interface ComplianceInput {
  now: string;
  channel: ChannelKind;
  messageClass: MessageClass;
  audience: Audience;
  /** The customer or account owner; absent for internal team channels. */
  recipient?: Recipient;
  /** The contact point on `channel` that would be used. */
  contact?: string;
  event: OrderEvent;
  /** The order after the event was applied. */
  state: OrderState;
  settings: ComplianceSettings;
  facts: RecipientFacts;
  /** The time zone the tenant falls back to when the recipient's is unknown. */
  tenantTimeZone: string;
}

/** Tenant-level compliance settings (part of `TenantConfig.compliance`). */
export interface ComplianceSettings {
  /**
   * Tenant quiet hours per class, in the recipient's time zone; `null` turns the tenant's own
   * window off (jurisdiction windows still apply). Windows may wrap midnight ("21:00"–"08:00").
   */
  quietHours: Partial<Record<MessageClass, { start: string; end: string } | null>>;
  /** Channels on which a transactional message needs an explicit opt-in record. */
  explicitConsentChannels: ChannelKind[];
  /** Product categories (as sent in line items) the tenant treats as restricted goods. */
  restrictedCategories: string[];
  /** Link a customer follows to cancel a delayed order (FTC Mail Order Rule). */
  cancelUrl?: string;
}

/** What templates need to render the mandated notices the rewrites ask for. */
export interface ComplianceNotices {
  /** FTC Mail Order Rule delay option notice (with `ftc_delay_notice`). */
  ftcDelay?: {
    revisedDate: string | 'unknown';
    cancelOption: true;
    requiresConsent: boolean;
    renewed: boolean;
    cancelUrl?: string;
  };
  /** Last day of the EU right of withdrawal, ISO date (with `eu_withdrawal_notice`). */
  euWithdrawalDeadline?: string;
}

export type ComplianceDecision =
  | {
      action: 'send';
      rewrites: Rewrite[];
      reasons: ComplianceReason[];
      notices?: ComplianceNotices;
    }
  | {
      action: 'defer';
      until: string;
      rewrites: Rewrite[];
      reasons: ComplianceReason[];
      notices?: ComplianceNotices;
    }
  | { action: 'suppress'; reasons: ComplianceReason[]; detail: string };

/**
 * Stable reason codes. `send` and `defer` carry the codes of the rewrites and deferrals applied
 * and the basis they were allowed on; `suppress` at least one. Each code's rule and legal source
 * is documented in the Compliance section of `packages/core/README.md`. Codes are only ever added, never renamed.
 */
export const COMPLIANCE_REASONS = [
  // Why it may be sent at all.
  'internal_audience',
  'consent_opted_in',
  'consent_implied_by_order',
  'whatsapp_customer_initiated',
  // Why it may not.
  'no_contact_point',
  'consent_opted_out',
  'consent_missing',
  'consent_missing_marketing',
  'shaft_content_sms',
  // Why it waits.
  'quiet_hours_jurisdiction',
  'quiet_hours_tenant',
  'jurisdiction_forbidden_day',
  'frequency_cap',
  // How it changes.
  'whatsapp_outside_window',
  'restricted_goods_generic',
  'regulatory_hold_neutral',
  'regulatory_hold_detail',
  'ftc_delay_deemed_consent',
  'ftc_delay_consent_required',
  'ftc_delay_date_unknown',
  'ftc_delay_renewed',
  'eu_withdrawal_notice',
] as const;
export type ComplianceReason = (typeof COMPLIANCE_REASONS)[number];
