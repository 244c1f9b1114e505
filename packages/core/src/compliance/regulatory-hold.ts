/**
 * @module Regulatory holds (customs, export control, age or licence checks): the customer hears a
 * neutral "on hold" message, staff hear the detail.
 */
import type { OrderEvent } from '../order-event.ts';
import type { OrderState } from '../order-state.ts';

/** True when the event raises, or the order carries, an on-hold overlay for a regulatory reason. */
export const isRegulatoryHold = (event: OrderEvent, state: OrderState): boolean => {
  const regulatory = (o: { kind: string; reason?: string | undefined } | undefined) =>
    o?.kind === 'on_hold' && o.reason === 'regulatory';
  if (regulatory(event.overlay)) return true;
  if (state.overlays.some(regulatory)) return true;
  return state.shipments.some((s) => s.active && s.overlays.some(regulatory));
};
