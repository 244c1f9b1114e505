/**
 * @module Inbound replies (SMS, WhatsApp): STOP/START/HELP through core's keyword parser; STOP and
 * START become consent records, HELP gets one reply naming the brand and how to reach it.
 */
import {
  type ChannelKind,
  type ConsentRecord,
  consentFromKeyword,
  parseKeyword,
} from '@tidings/core';
import type { InboundMessage, SendFailure } from '../core-contract.ts';

export interface InboundContext {
  brand: string;
  /** How to reach the merchant, e.g. `support@shop.example` or `+1 555 010 0000`. */
  helpContact: string;
  tenantId: string;
  channel: ChannelKind;
  /** The recipient's locale, for keywords in their language. */
  locale?: string;
}

export interface InboundOutcome {
  consent?: ConsentRecord;
  reply?: string;
}

/** Classifies a reply and returns the consent change and/or the one HELP reply it calls for. */
export const handleInbound = (message: InboundMessage, context: InboundContext): InboundOutcome => {
  const keyword = parseKeyword(message.text, context.locale);
  if (keyword === null) return {};
  if (keyword === 'help') {
    return {
      reply: `${context.brand}: order updates. For help contact ${context.helpContact}. Reply STOP to opt out.`,
    };
  }
  const consent = consentFromKeyword(keyword, {
    tenantId: context.tenantId,
    channel: context.channel,
    contact: message.from,
    at: message.at,
  });
  return consent === null ? {} : { consent };
};

/**
 * The consent record a consent-class send failure implies (Twilio 21610, WhatsApp 131050,
 * OneSignal "not subscribed"), so later intents to that contact are suppressed with a reason.
 */
export const consentFromSendFailure = (
  failure: SendFailure,
  on: { tenantId: string; channel: ChannelKind; contact: string; at: string },
): ConsentRecord | undefined => {
  if (failure.class !== 'consent') return undefined;
  // WhatsApp 131050 turns off marketing only; order updates (utility) are unaffected.
  const scope =
    on.channel === 'whatsapp' && failure.providerCode === '131050' ? 'marketing' : 'all';
  return { ...on, state: 'opted_out', scope, source: 'provider' };
};
