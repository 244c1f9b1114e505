/** @module The channel shapes adapters return: core's `Channel` with literal ids, receipts where they exist. */
import type { ChannelKind } from '@tidings/core';
import type { Channel, InboundRequest, ReceiptParse } from './core-contract.ts';

/** A `Channel` whose provider id and channel kind are literal types (novu-style). */
export type ProviderChannel<C, P extends string, K extends ChannelKind> = Channel<C> & {
  readonly provider: P;
  readonly channel: K;
};

/** A provider channel that also verifies and parses delivery callbacks or inbound messages. */
export type ReceivingChannel<C, P extends string, K extends ChannelKind> = ProviderChannel<
  C,
  P,
  K
> & {
  parseReceipt(request: InboundRequest, credentials: C): ReceiptParse;
};
