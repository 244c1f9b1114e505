/**
 * @module Per-channel consent: the newest record per (channel, contact, scope) wins, an `all`
 * opt-out beats everything, marketing needs an explicit opt-in, and order updates ride on the
 * order relationship except where a channel (or WhatsApp, always) needs an opt-in on record.
 */
import type { ChannelKind } from '../channel-kinds.ts';
import type { MessageClass } from '../message-class.ts';
import type { ComplianceReason, ConsentRecord } from './compliance-types.ts';
import { sameContact } from './contact-points.ts';

export type ConsentVerdict =
  | {
      allowed: true;
      reason: Extract<
        ComplianceReason,
        'consent_opted_in' | 'consent_implied_by_order' | 'whatsapp_customer_initiated'
      >;
    }
  | {
      allowed: false;
      reason: Extract<
        ComplianceReason,
        'consent_opted_out' | 'consent_missing' | 'consent_missing_marketing'
      >;
    };

/** The newest record for one (tenant, channel, contact, scope); later in the list wins a tie. */
export const newestConsent = (
  consents: readonly ConsentRecord[],
  key: { tenantId: string; channel: ChannelKind; contact: string; scope: ConsentRecord['scope'] },
): ConsentRecord | undefined => {
  let newest: ConsentRecord | undefined;
  for (const record of consents) {
    if (
      record.tenantId !== key.tenantId ||
      record.channel !== key.channel ||
      record.scope !== key.scope ||
      !sameContact(record.contact, key.contact)
    ) {
      continue;
    }
    if (!newest || Date.parse(record.at) >= Date.parse(newest.at)) newest = record;
  }
  return newest;
};

export interface ConsentQuestion {
  tenantId: string;
  channel: ChannelKind;
  contact: string;
  messageClass: MessageClass;
  consents: readonly ConsentRecord[];
  explicitConsentChannels: readonly ChannelKind[];
  /** The customer wrote to us on WhatsApp in the last 24 hours (a user-initiated conversation). */
  whatsappWindowOpen: boolean;
}

/** Whether consent allows this class on this channel to this contact point, and why. */
export const checkConsent = (q: ConsentQuestion): ConsentVerdict => {
  const key = { tenantId: q.tenantId, channel: q.channel, contact: q.contact };
  const all = newestConsent(q.consents, { ...key, scope: 'all' });
  const marketing = newestConsent(q.consents, { ...key, scope: 'marketing' });
  if (all?.state === 'opted_out') return { allowed: false, reason: 'consent_opted_out' };
  switch (q.messageClass) {
    case 'marketing':
      if (marketing?.state === 'opted_out') return { allowed: false, reason: 'consent_opted_out' };
      if (marketing?.state === 'opted_in') return { allowed: true, reason: 'consent_opted_in' };
      // A START reply lifts a STOP; it is not the express consent marketing needs.
      if (all?.state === 'opted_in' && all.source !== 'keyword') {
        return { allowed: true, reason: 'consent_opted_in' };
      }
      return { allowed: false, reason: 'consent_missing_marketing' };
    case 'transactional':
    case 'critical': {
      const optedIn = all?.state === 'opted_in' || marketing?.state === 'opted_in';
      if (optedIn) return { allowed: true, reason: 'consent_opted_in' };
      const explicit = q.channel === 'whatsapp' || q.explicitConsentChannels.includes(q.channel);
      if (!explicit) return { allowed: true, reason: 'consent_implied_by_order' };
      // Meta needs no opt-in to answer a customer who wrote first, inside the 24-hour window.
      if (q.channel === 'whatsapp' && q.whatsappWindowOpen) {
        return { allowed: true, reason: 'whatsapp_customer_initiated' };
      }
      return { allowed: false, reason: 'consent_missing' };
    }
    default:
      return q.messageClass satisfies never;
  }
};
