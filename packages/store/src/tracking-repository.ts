/**
 * @module The tracking-number index: which order and shipment a carrier's tracking number belongs
 * to, and the carrier updates parked until it belongs to one. Order states bind the numbers
 * their shipments carry by themselves (a trigger on `order_states`), so every app's fulfillments
 * are found; `bindTrackingNumbers` is for numbers a state cannot hold (a fulfillment's second
 * package). Numbers are matched by key: spaces, tabs, line breaks and dashes dropped, ASCII
 * letters upper-cased.
 */

export interface TrackingBindingInput {
  tenantId: string;
  /** As the source printed it; the key is derived by the store. */
  trackingNumber: string;
  orderRef: string;
  shipmentId: string;
  carrier?: string;
}

export interface TrackingBinding extends TrackingBindingInput {
  /** When this number was last bound to a different order or shipment (or first bound). */
  boundAt: string;
}

export interface ParkTrackingUpdateInput {
  tenantId: string;
  trackingNumber: string;
  /** Unique per update (`<source>:<event id>`), so a redelivered update is parked once. */
  key: string;
  /** Plain JSON: the update in normalised form, never personal data. */
  update: unknown;
  parkedAt: string;
}

export interface ParkedTrackingUpdate {
  tenantId: string;
  /** The key the update was parked under (see the module note). */
  trackingKey: string;
  key: string;
  update: unknown;
  parkedAt: string;
}

/** A parked update whose number has since been bound, with the binding. */
export interface ReleasableTrackingUpdate extends ParkedTrackingUpdate {
  binding: TrackingBinding;
}

export interface ReleasableQuery {
  /** Only this tenant's updates… */
  tenantId?: string;
  /** …and only those for these numbers (any spelling of them); requires `tenantId`. */
  trackingNumbers?: readonly string[];
  limit: number;
}

export interface TrackingNumberStore {
  /**
   * Binds numbers to orders and shipments; the latest binding wins, except with `keepExisting`
   * (imports of older records), which leaves numbers already bound alone. An unchanged binding
   * keeps its `boundAt`. Returns how many rows were written.
   */
  bindTrackingNumbers(
    bindings: readonly TrackingBindingInput[],
    at: string,
    options?: { keepExisting?: boolean },
  ): Promise<number>;
  findTrackingNumber(
    tenantId: string,
    trackingNumber: string,
  ): Promise<TrackingBinding | undefined>;
  /** The numbers bound to an order, by key. */
  listTrackingNumbers(tenantId: string, orderRef: string): Promise<TrackingBinding[]>;
  /** Parks an update until its number is bound; `known` when this key is parked already. */
  parkTrackingUpdate(input: ParkTrackingUpdateInput): Promise<'parked' | 'known'>;
  /** Parked updates whose number is bound now, oldest first per number. */
  listReleasableTrackingUpdates(query: ReleasableQuery): Promise<ReleasableTrackingUpdate[]>;
  /** A tenant's parked updates, oldest first (for operators and tests). */
  listParkedTrackingUpdates(tenantId: string, limit: number): Promise<ParkedTrackingUpdate[]>;
  /** Removes one parked update (delivered, or given up); whether it was there. */
  deleteParkedTrackingUpdate(tenantId: string, trackingKey: string, key: string): Promise<boolean>;
  /** Drops updates parked before `parkedBefore`; returns how many. */
  purgeParkedTrackingUpdates(parkedBefore: string): Promise<number>;
}
