/** @module The channel shapes adapters return: core's `Channel` with literal ids, receipts where they exist. */
import type { ChannelKind } from '@tidings/core';
import type {
  Channel,
  InboundRequest,
  OutboundMessage,
  ReceiptParse,
  SendResult,
} from './core-contract.ts';
import type { ChannelSendOptions } from './send-options.ts';

/**
 * A `Channel` whose provider id and channel kind are literal types (novu-style), and whose `send`
 * takes the extended options; it stays assignable to core's `Channel<C>`.
 */
export type ProviderChannel<C, P extends string, K extends ChannelKind> = Omit<
  Channel<C>,
  'provider' | 'channel' | 'send'
> & {
  readonly provider: P;
  readonly channel: K;
  send(message: OutboundMessage, credentials: C, options?: ChannelSendOptions): Promise<SendResult>;
};

/** A provider channel that also verifies and parses delivery callbacks or inbound messages. */
export type ReceivingChannel<C, P extends string, K extends ChannelKind> = ProviderChannel<
  C,
  P,
  K
> & {
  parseReceipt(request: InboundRequest, credentials: C): ReceiptParse;
};
