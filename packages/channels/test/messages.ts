/** @module Sample outbound messages shared by adapter tests. */
import type { OutboundMessage, Rendering } from '../src/core-contract.ts';

/** An outbound message for `rendering`, with the ids and references tests expect. */
export const outbound = (
  rendering: Rendering,
  overrides: Partial<OutboundMessage> = {},
): OutboundMessage => ({
  intentId: 'intent_01JH5Q8Z3K',
  tenantId: 'shop-42',
  orderRef: '1001',
  channel: rendering.channel === 'google_chat' ? 'google_chat' : rendering.channel,
  rendering,
  status: 'dispatched',
  templateKey: 'dispatched',
  ...overrides,
});

export const SMS: Rendering = {
  channel: 'sms',
  text: 'Order #1001 has shipped. Track: https://ex.co/t/1001',
  segments: { encoding: 'GSM-7', segments: 1, characters: 52 },
};

export const EMAIL: Rendering = {
  channel: 'email',
  subject: 'Order 1001 has shipped',
  html: '<p>Your order is on its way. <a href="https://ex.co/t/1001">Track</a></p>',
  text: 'Your order is on its way. Track: https://ex.co/t/1001',
};
