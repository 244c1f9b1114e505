/** @module The parts of core's channel and template contract this package uses, imported in one place. */
export type {
  AbortSignalLike,
  Channel,
  DeliveryState,
  FailureClass,
  InboundMessage,
  InboundRequest,
  OutboundMessage,
  ReceiptParse,
  ReceiptUpdate,
  Rendering,
  ReplayGuard,
  SendFailure,
  SendOptions,
  SendResult,
} from '@tidings/core';
