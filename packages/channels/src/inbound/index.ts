/** @module Inbound keyword handling and consent from provider failures. */
export {
  consentFromSendFailure,
  handleInbound,
  type InboundContext,
  type InboundOutcome,
} from './handle-inbound.ts';
