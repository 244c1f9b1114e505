/** @module The core types the store persists, gathered in one place. */
export type {
  CanonicalStatus,
  ChannelKind,
  ConsentRecord,
  ConsentSource,
  ConsentState,
  Decision,
  Delivery,
  DeliveryState,
  FailureClass,
  Intent,
  OrderEvent,
  OrderState,
  SourceId,
  TenantConfigInput,
} from '@tidings/core';
