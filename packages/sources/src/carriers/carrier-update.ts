/**
 * @module A carrier's tracking update on its way to an order: normalized through core's tables,
 * matched to the order and shipment that tracking number belongs to (or parked until it is),
 * given the order's people and facts from its earlier events, and ingested once per carrier
 * event id. A revised estimate later than the order's promised date raises `delayed` with it.
 */
import type { NormalizeError, OrderEvent } from '@tidings/core';
import type { AppContext, IngestResult } from '@tidings/engine';
import { priorFacts } from '../shared/prior-facts.ts';
import { combineStatuses, normalizeFields, type StatusField } from '../shared/status-fields.ts';
import { type TrackingDirectory, trackingKey } from './tracking-directory.ts';

export const CARRIER_SOURCES = ['aftership', 'easypost'] as const;
export type CarrierSource = (typeof CARRIER_SOURCES)[number];

/** What a carrier webhook says, in our words; plain JSON so it can be parked. */
export interface CarrierUpdate {
  source: CarrierSource;
  /** The carrier platform's event id: the idempotency key. */
  eventId: string;
  trackingNumber: string;
  carrier?: string;
  occurredAt: string;
  /** Most specific last is not assumed: fields are read in the order given (see combineStatuses). */
  statuses: StatusField[];
  /** The carrier's current estimate, `YYYY-MM-DD`. */
  estimatedDelivery?: string;
  trackingUrl?: string;
  /** An order ref the merchant stored on the tracking (AfterShip `order_id`, …), if any. */
  orderRef?: string;
}

export type CarrierOutcome =
  | { outcome: 'ingested'; orderRef: string; shipmentId: string; result: IngestResult }
  | { outcome: 'parked' | 'already_parked' }
  | { outcome: 'invalid_status'; error: NormalizeError }
  | { outcome: 'rejected'; code: 'unknown_tenant' | 'tenant_inactive' | 'invalid_config' };

const isUrl = (s: string | undefined): s is string => s !== undefined && URL.canParse(s);

/** The shipment this number is on in the order's state, else the directory's, else a new one. */
const shipmentIdFor = async (
  context: AppContext,
  tenantId: string,
  orderRef: string,
  update: CarrierUpdate,
  bound: string | undefined,
): Promise<string> => {
  const state = await context.store.getOrderState(tenantId, orderRef);
  const key = trackingKey(update.trackingNumber);
  const known = state?.state.shipments.find(
    (s) => s.trackingNumber !== undefined && trackingKey(s.trackingNumber) === key,
  );
  return known?.id ?? bound ?? `trk-${key}`;
};

/**
 * Delivers one update: normalize (an unknown value fails before anything is stored), resolve the
 * order, then ingest — or park when the number is not bound to an order yet.
 */
export const deliverCarrierUpdate = async (
  context: AppContext,
  directory: TrackingDirectory,
  tenantId: string,
  update: CarrierUpdate,
  rawBody: Uint8Array | string,
): Promise<CarrierOutcome> => {
  const tenant = await context.tenants.get(tenantId);
  if (!tenant.ok) return { outcome: 'rejected', code: tenant.code };
  if (!tenant.active) return { outcome: 'rejected', code: 'tenant_inactive' };
  const normalized = normalizeFields(update.source, update.statuses, tenant.config.statusMappings);
  if (!normalized.ok) return { outcome: 'invalid_status', error: normalized.error };
  const status = combineStatuses(normalized.parts);
  if (!status) throw new Error('bug: a carrier update without status fields');

  const bound = await directory.find(tenantId, update.trackingNumber);
  const orderRef = update.orderRef ?? bound?.orderRef;
  if (orderRef === undefined) {
    const parked = await directory.park(tenantId, update.trackingNumber, {
      key: `${update.source}:${update.eventId}`,
      update,
    });
    return { outcome: parked === 'parked' ? 'parked' : 'already_parked' };
  }
  const shipmentId = await shipmentIdFor(
    context,
    tenantId,
    orderRef,
    update,
    bound?.orderRef === orderRef ? bound.shipmentId : undefined,
  );
  const prior = await priorFacts(context.store, tenantId, orderRef);

  let eventStatus = status;
  const promised = prior.order.promisedDate;
  const edd = update.estimatedDelivery;
  if (
    edd !== undefined &&
    promised !== undefined &&
    edd > promised &&
    eventStatus.overlay === undefined &&
    eventStatus.status !== 'delivered'
  ) {
    const overlay = { kind: 'delayed' as const, reason: 'carrier', promisedDate: edd };
    eventStatus =
      eventStatus.status === 'ignore'
        ? { ...eventStatus, status: 'delayed', overlay }
        : { ...eventStatus, overlay };
  }

  const event: OrderEvent = {
    tenantId,
    source: update.source,
    sourceEventId: update.eventId,
    orderRef,
    occurredAt: update.occurredAt,
    ...eventStatus,
    shipment: {
      id: shipmentId,
      trackingNumber: update.trackingNumber,
      ...(update.carrier ? { carrier: update.carrier } : {}),
      ...(isUrl(update.trackingUrl) ? { trackingUrl: update.trackingUrl } : {}),
    },
    recipients: prior.recipients,
    order: prior.order,
  };
  const result = await context.ingest({
    event,
    rawBody,
    headers: { 'x-tidings-source': update.source },
  });
  if (result.outcome === 'accepted' && bound?.orderRef !== orderRef) {
    // The merchant told us the order on the tracking itself: remember it for updates that don't.
    const released = await directory.bind(tenantId, update.trackingNumber, {
      orderRef,
      shipmentId,
      ...(update.carrier ? { carrier: update.carrier } : {}),
    });
    await releaseParked(context, directory, tenantId, released);
  }
  return { outcome: 'ingested', orderRef, shipmentId, result };
};

/** Replays parked updates whose number was just bound; each is ingested at most once. */
export const releaseParked = async (
  context: AppContext,
  directory: TrackingDirectory,
  tenantId: string,
  parked: readonly { update: unknown }[],
): Promise<number> => {
  let delivered = 0;
  for (const p of parked) {
    const update = p.update as CarrierUpdate;
    const outcome = await deliverCarrierUpdate(
      context,
      directory,
      tenantId,
      update,
      JSON.stringify({ parked: update }),
    );
    if (outcome.outcome === 'ingested') delivered++;
    else context.logger.warn({ tenantId, outcome: outcome.outcome }, 'parked update not delivered');
  }
  return delivered;
};

/** Binds a number learned from a source (events API, NetSuite) and replays what was parked. */
export const learnTracking = async (
  context: AppContext,
  directory: TrackingDirectory,
  tenantId: string,
  binding: { trackingNumber: string; orderRef: string; shipmentId: string; carrier?: string },
): Promise<number> => {
  const { trackingNumber, ...rest } = binding;
  const released = await directory.bind(tenantId, trackingNumber, rest);
  return releaseParked(context, directory, tenantId, released);
};
