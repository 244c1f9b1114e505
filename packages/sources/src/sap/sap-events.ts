/**
 * @module S/4HANA business events → order events. The events carry keys only, so each one is
 * followed by a read of the document's current status through OData, normalized with core's SAP
 * tables: sales orders at order level, outbound deliveries as shipments of the order their items
 * reference. Dedupe is on the CloudEvent's `source` + `id`.
 */
import type { NormalizeError, OrderEvent, TenantConfig } from '@tidings/core';
import type { Store } from '@tidings/store';
import { priorFacts } from '../shared/prior-facts.ts';
import { combineStatuses, normalizeFields, type StatusField } from '../shared/status-fields.ts';
import type { CloudEvent } from './cloud-event.ts';
import type { OutboundDelivery, SalesOrder, SapODataClient } from './sap-odata.ts';

const TYPE =
  /^sap\.s4\.beh\.(salesorder|outbounddelivery)\.v1\.(SalesOrder|OutboundDelivery)\.([A-Za-z]+)\.v\d+$/;

export type SapEventPlan =
  | { kind: 'ignore'; reason: string }
  | { kind: 'event'; event: OrderEvent }
  | { kind: 'invalid_status'; error: NormalizeError }
  | { kind: 'unreadable'; reason: string; status?: number }
  | { kind: 'invalid'; reason: string };

const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== ''
    ? v.trim()
    : typeof v === 'number'
      ? String(v)
      : undefined;

/** The order fields in the order they decide: rejection and progress, then conditions. */
export const salesOrderFields = (so: SalesOrder): StatusField[] => [
  { field: 'OverallSDDocumentRejectionSts', value: so.OverallSDDocumentRejectionSts },
  { field: 'OverallSDProcessStatus', value: so.OverallSDProcessStatus },
  { field: 'DeliveryBlockReason', value: so.DeliveryBlockReason },
  { field: 'HeaderBillingBlockReason', value: so.HeaderBillingBlockReason },
  { field: 'TotalCreditCheckStatus', value: so.TotalCreditCheckStatus },
  { field: 'OverallTotalDeliveryStatus', value: so.OverallTotalDeliveryStatus },
];

/** Goods issue decides dispatch; packing and picking mean processing; a block holds. */
export const deliveryFields = (d: OutboundDelivery): StatusField[] => [
  { field: 'OverallGoodsMovementStatus', value: d.OverallGoodsMovementStatus },
  { field: 'OverallPackingStatus', value: d.OverallPackingStatus },
  { field: 'OverallPickingStatus', value: d.OverallPickingStatus },
  { field: 'DeliveryBlockReason', value: d.DeliveryBlockReason },
];

/** Plans one business event: which document to read, and the order event it becomes. */
export const planSapEvent = async (
  ce: CloudEvent,
  deps: {
    tenantId: string;
    config: TenantConfig;
    odata: SapODataClient;
    store: Store;
    now: Date;
  },
): Promise<SapEventPlan> => {
  const type = TYPE.exec(ce.type);
  if (!type)
    return {
      kind: 'ignore',
      reason: `event type ${ce.type} is not a sales-order or delivery event`,
    };
  const [, family, , operation] = type;
  if (operation === 'Deleted') return { kind: 'ignore', reason: 'document deleted' };
  const data = (typeof ce.data === 'object' && ce.data !== null ? ce.data : {}) as Record<
    string,
    unknown
  >;
  const base = {
    tenantId: deps.tenantId,
    source: 'sap' as const,
    sourceEventId: `${ce.source}#${ce.id}`,
    occurredAt: ce.time ?? deps.now.toISOString(),
  };

  if (family === 'salesorder') {
    const key = text(data.SalesOrder);
    if (!key) return { kind: 'invalid', reason: 'data.SalesOrder is missing' };
    const read = await deps.odata.salesOrder(key);
    if (!read.ok) {
      return read.code === 'not_found'
        ? { kind: 'ignore', reason: 'sales order not found' }
        : {
            kind: 'unreadable',
            reason: read.code,
            ...(read.status ? { status: read.status } : {}),
          };
    }
    const n = normalizeFields('sap', salesOrderFields(read.value), deps.config.statusMappings);
    if (!n.ok) return { kind: 'invalid_status', error: n.error };
    const status = combineStatuses(n.parts);
    if (!status) throw new Error('bug: no SAP status');
    const prior = await priorFacts(deps.store, deps.tenantId, key);
    return {
      kind: 'event',
      event: {
        ...base,
        orderRef: key,
        ...status,
        recipients: prior.recipients,
        order: prior.order,
      },
    };
  }

  const key = text(data.OutboundDelivery) ?? text(data.DeliveryDocument);
  if (!key) return { kind: 'invalid', reason: 'data.OutboundDelivery is missing' };
  const read = await deps.odata.outboundDelivery(key);
  if (!read.ok) {
    return read.code === 'not_found'
      ? { kind: 'ignore', reason: 'delivery not found' }
      : { kind: 'unreadable', reason: read.code, ...(read.status ? { status: read.status } : {}) };
  }
  const orderRef = read.value.to_DeliveryDocumentItem?.results
    .map((i) => text(i.ReferenceSDDocument))
    .find((r) => r !== undefined);
  if (!orderRef) return { kind: 'invalid', reason: 'the delivery references no sales order' };
  const n = normalizeFields('sap', deliveryFields(read.value), deps.config.statusMappings);
  if (!n.ok) return { kind: 'invalid_status', error: n.error };
  const status = combineStatuses(n.parts);
  if (!status) throw new Error('bug: no SAP delivery status');
  const prior = await priorFacts(deps.store, deps.tenantId, orderRef);
  return {
    kind: 'event',
    event: {
      ...base,
      orderRef,
      ...status,
      shipment: { id: read.value.DeliveryDocument },
      recipients: prior.recipients,
      order: prior.order,
    },
  };
};
