/**
 * @module The core types the store persists, gathered in one place. `Intent`, `Decision`,
 * `ConsentRecord` and the channel types are not exported from `@tidings/core` yet, so they are
 * imported by relative path here; switch these lines to `@tidings/core` once they are.
 */
export type {
  ChannelKind,
  OrderEvent,
  OrderState,
  SourceId,
  TenantConfigInput,
} from '@tidings/core';
export type { DeliveryState, FailureClass } from '../../core/src/channel.ts';
export type {
  ConsentRecord,
  ConsentSource,
  ConsentState,
} from '../../core/src/compliance/compliance-types.ts';
export type { Decision, Delivery, Intent } from '../../core/src/planner/intent.ts';
