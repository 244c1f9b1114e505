/**
 * @module A carrier's tracking update on its way to an order: normalized through core's tables,
 * matched to the order and shipment that tracking number belongs to through the store's
 * tracking-number index (or parked there until it is), given the order's people and facts from
 * its earlier events, and ingested once per carrier event id. A revised estimate later than the
 * order's promised date raises `delayed` with it, which the SLA watch then holds the order to.
 */
import type { NormalizeError, OrderEvent } from '@tidings/core';
import type { AppContext, IngestResult } from '@tidings/engine';
import { trackingKey } from '@tidings/store';
import { priorFacts } from '../shared/prior-facts.ts';
import { combineStatuses, normalizeFields, type StatusField } from '../shared/status-fields.ts';

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

/** The shipment this number is on in the order's state, else the index's, else a new one. */
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

  const bound = await context.store.findTrackingNumber(tenantId, update.trackingNumber);
  const orderRef = update.orderRef ?? bound?.orderRef;
  if (orderRef === undefined) {
    const parked = await context.store.parkTrackingUpdate({
      tenantId,
      trackingNumber: update.trackingNumber,
      key: `${update.source}:${update.eventId}`,
      update,
      parkedAt: context.clock.now().toISOString(),
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
    // The merchant named the order on the tracking itself: saving the order's state bound the
    // number (the store's trigger), so updates parked without an order can follow it now.
    await releaseParked(context, { tenantId, trackingNumbers: [update.trackingNumber] });
  }
  return { outcome: 'ingested', orderRef, shipmentId, result };
};

const isCarrierUpdate = (value: unknown): value is CarrierUpdate => {
  const u = value as Partial<CarrierUpdate> | null;
  return (
    typeof u === 'object' &&
    u !== null &&
    (CARRIER_SOURCES as readonly unknown[]).includes(u.source) &&
    typeof u.eventId === 'string' &&
    typeof u.trackingNumber === 'string' &&
    typeof u.occurredAt === 'string' &&
    Array.isArray(u.statuses) &&
    u.statuses.length > 0
  );
};

const RELEASE_PAGE = 100;

/**
 * Delivers the parked updates whose number is bound now (all of them, or a tenant's numbers)
 * and removes each once handled; returns how many were ingested. An update that can no longer
 * be ingested (tenant gone or paused, a status the tenant's mapping now refuses) is dropped with
 * a warning; one that failed for a passing reason (store busy) stays for the next sweep.
 */
export const releaseParked = async (
  context: AppContext,
  query: { tenantId?: string; trackingNumbers?: readonly string[] } = {},
): Promise<number> => {
  let delivered = 0;
  for (;;) {
    const page = await context.store.listReleasableTrackingUpdates({
      ...query,
      limit: RELEASE_PAGE,
    });
    let removed = 0;
    for (const parked of page) {
      const drop = async (reason: string) => {
        if (reason !== 'ingested') {
          context.logger.warn(
            { tenantId: parked.tenantId, key: parked.key, reason },
            'parked carrier update dropped',
          );
        }
        if (
          await context.store.deleteParkedTrackingUpdate(
            parked.tenantId,
            parked.trackingKey,
            parked.key,
          )
        ) {
          removed++;
        }
      };
      if (!isCarrierUpdate(parked.update)) {
        await drop('unreadable');
        continue;
      }
      const outcome = await deliverCarrierUpdate(
        context,
        parked.tenantId,
        parked.update,
        // The carrier's body is not kept while parked (it may hold personal data); this is.
        JSON.stringify({ parked: parked.update }),
      ).catch((err: unknown) => {
        context.logger.warn(
          { tenantId: parked.tenantId, key: parked.key, err: (err as Error).message },
          'parked carrier update not delivered; kept for the next sweep',
        );
        return undefined;
      });
      if (outcome === undefined) continue;
      if (outcome.outcome === 'ingested')
        delivered += outcome.result.outcome === 'accepted' ? 1 : 0;
      // Parked again cannot happen while the number is bound; anything else will not get better.
      await drop(
        outcome.outcome === 'invalid_status'
          ? outcome.error.code
          : outcome.outcome === 'rejected'
            ? outcome.code
            : 'ingested',
      );
    }
    // A full page with nothing removed would come back the same: leave it to the next sweep.
    if (page.length < RELEASE_PAGE || removed === 0) return delivered;
  }
};

/**
 * Binds numbers a source learned that an order state cannot hold (a NetSuite fulfillment's
 * second package; a state keeps one number per shipment) and releases what was parked for them.
 */
export const learnTracking = async (
  context: AppContext,
  tenantId: string,
  bindings: readonly {
    trackingNumber: string;
    orderRef: string;
    shipmentId: string;
    carrier?: string;
  }[],
): Promise<number> => {
  if (bindings.length === 0) return 0;
  await context.store.bindTrackingNumbers(
    bindings.map((b) => ({ tenantId, ...b })),
    context.clock.now().toISOString(),
  );
  return releaseParked(context, {
    tenantId,
    trackingNumbers: bindings.map((b) => b.trackingNumber),
  });
};
