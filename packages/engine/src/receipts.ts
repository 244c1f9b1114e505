/**
 * @module Receipts and replies: a verified provider receipt updates its attempt (and consent, for
 * bounces, complaints and unsubscribes); an inbound STOP/START is recorded as consent and HELP is
 * answered once. Verification happens before, in the channel adapter's `parseReceipt`.
 */
import {
  type ChannelKind,
  type Clock,
  consentFromKeyword,
  type InboundMessage,
  parseKeyword,
  type ReceiptUpdate,
} from '@tidings/core';
import type { Store } from '@tidings/store';

const CONSENT_ENDING: ReadonlySet<string> = new Set(['bounced', 'complained', 'unsubscribed']);

export type ReceiptOutcome = 'applied' | 'stale' | 'unknown_message';

/** Applies one receipt; a bounce, complaint or unsubscribe also opts the contact out. */
export const applyReceipt = async (
  store: Store,
  provider: string,
  receipt: ReceiptUpdate,
): Promise<ReceiptOutcome> => {
  const result = await store.applyReceipt({
    provider,
    providerMessageId: receipt.providerMessageId,
    state: receipt.state,
    at: receipt.at,
    ...(receipt.providerCode !== undefined ? { providerCode: receipt.providerCode } : {}),
  });
  if (!result.ok) return 'unknown_message';
  const { attempt, applied } = result.value;
  if (applied && CONSENT_ENDING.has(receipt.state)) {
    const intent = await store.getIntent(attempt.intentId);
    const contact = receipt.contact ?? intent?.delivery.to;
    if (contact) {
      await store.transaction((tx) =>
        tx.putConsent({
          tenantId: attempt.tenantId,
          channel: attempt.channel,
          contact,
          state: 'opted_out',
          scope: receipt.state === 'unsubscribed' ? 'marketing' : 'all',
          at: receipt.at,
          source:
            receipt.state === 'bounced'
              ? 'bounce'
              : receipt.state === 'complained'
                ? 'complaint'
                : 'unsubscribe',
        }),
      );
    }
  }
  return applied ? 'applied' : 'stale';
};

export interface InboundOutcome {
  keyword: 'stop' | 'start' | 'help' | null;
  /** The text to reply with (HELP), if any. */
  reply?: string;
}

/** Records what a reply means for consent and says what, if anything, to answer. */
export const handleInbound = async (
  store: Store,
  clock: Clock,
  tenantId: string,
  channel: ChannelKind,
  message: InboundMessage,
  help: { brand: string; contact: string },
): Promise<InboundOutcome> => {
  const keyword = parseKeyword(message.text);
  if (keyword === 'stop' || keyword === 'start') {
    const record = consentFromKeyword(keyword, {
      tenantId,
      channel,
      contact: message.from,
      at: message.at || clock.now().toISOString(),
    });
    if (record) await store.transaction((tx) => tx.putConsent(record).then(() => undefined));
    return { keyword };
  }
  if (keyword === 'help') {
    return {
      keyword,
      reply: `${help.brand}: order updates by message. Reply STOP to opt out. Help: ${help.contact}`,
    };
  }
  return { keyword: null };
};
