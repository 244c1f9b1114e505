/**
 * @module The parts of core's channel and template contract this package uses, imported in one
 * place because `@tidings/core`'s index does not export `channel.ts` or the template types yet.
 */
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
  SendFailure,
  SendOptions,
  SendResult,
} from '../../core/src/channel.ts';
export type { Rendering } from '../../core/src/templates/template-types.ts';
