/**
 * @module What the Tidings user event script posts (our own format, see
 * `packages/sources/netsuite/`) and the order event it becomes: sales orders through the
 * SalesOrd A–H table at order level, item fulfillments through ItemShip A–C as shipments.
 */
import {
  type CanonicalStatus,
  isCanonicalStatus,
  type NormalizeError,
  normalizeStatus,
  type OrderEvent,
  type Recipient,
  type TenantConfig,
} from '@tidings/core';
import { z } from 'zod';
import { combineStatuses, normalizeFields, tenantMappings } from '../shared/status-fields.ts';

const text = z.string().trim().min(1).max(200);

export const NetsuiteCredentialSchema = z.object({
  /** The same value as the account's API Secret the script signs with. */
  signingSecret: z.string().min(32),
  previousSigningSecret: z.string().min(32).optional(),
  /** When set, posts from any other account are refused. */
  accountId: z.string().min(1).optional(),
  /** Which sales-order field is the order ref in Tidings. */
  orderRefField: z.enum(['tranId', 'id', 'otherRefNum']).default('tranId'),
});
export type NetsuiteCredential = z.infer<typeof NetsuiteCredentialSchema>;

export const NetsuitePayloadSchema = z.object({
  accountId: text,
  recordType: z.enum(['salesorder', 'itemfulfillment']),
  id: text,
  eventType: z.string().max(32),
  lastModified: z.iso.datetime({ offset: true }),
  status: z.object({ old: z.string().max(64).nullable(), new: text }),
  order: z.object({ id: text, tranId: text.nullish(), otherRefNum: text.nullish() }),
  fulfillment: z
    .object({
      tranId: text.nullish(),
      carrier: text.nullish(),
      trackingNumbers: z.array(text).max(50).default([]),
    })
    .optional(),
  customer: z.object({ email: z.string().nullish() }).optional(),
});
export type NetsuitePayload = z.infer<typeof NetsuitePayloadSchema>;

const FIELD = { salesorder: 'orderstatus', itemfulfillment: 'shipstatus' } as const;

/** The order ref a payload's sales order has in Tidings. */
export const netsuiteOrderRef = (
  payload: NetsuitePayload,
  credential: Pick<NetsuiteCredential, 'orderRefField'>,
): string =>
  (credential.orderRefField === 'id'
    ? payload.order.id
    : credential.orderRefField === 'otherRefNum'
      ? payload.order.otherRefNum
      : payload.order.tranId) ??
  payload.order.tranId ??
  payload.order.id;

/** The order event a payload means, or the unknown status value named. */
export const netsuiteEvent = (
  tenantId: string,
  payload: NetsuitePayload,
  credential: Pick<NetsuiteCredential, 'orderRefField'>,
  config: Pick<TenantConfig, 'statusMappings'>,
  prior: { recipients: Recipient[]; order: OrderEvent['order'] },
): { ok: true; event: OrderEvent } | { ok: false; error: NormalizeError } => {
  const field = FIELD[payload.recordType];
  const n = normalizeFields(
    'netsuite',
    [{ field, value: payload.status.new }],
    config.statusMappings,
  );
  if (!n.ok) return n;
  const status = combineStatuses(n.parts);
  if (!status) throw new Error('bug: no NetSuite status');
  let previousStatus: CanonicalStatus | undefined;
  if (payload.status.old) {
    const before = normalizeStatus('netsuite', payload.status.old, field, {
      mappings: tenantMappings(config.statusMappings),
    });
    if (before.ok && isCanonicalStatus(before.status)) previousStatus = before.status;
  }
  const orderRef = netsuiteOrderRef(payload, credential);
  const email = payload.customer?.email?.trim();
  const recipients: Recipient[] =
    email && z.email().safeParse(email).success
      ? [{ role: 'customer', contacts: { email } }]
      : prior.recipients;
  const [tracking] = payload.fulfillment?.trackingNumbers ?? [];
  const carrier = payload.fulfillment?.carrier;
  return {
    ok: true,
    event: {
      tenantId,
      source: 'netsuite',
      sourceEventId: `${payload.recordType}:${payload.id}:${payload.lastModified}:${payload.status.new}`,
      orderRef,
      occurredAt: payload.lastModified,
      ...status,
      ...(previousStatus ? { previousStatus } : {}),
      ...(payload.recordType === 'itemfulfillment'
        ? {
            shipment: {
              id: payload.fulfillment?.tranId ?? `if-${payload.id}`,
              ...(tracking ? { trackingNumber: tracking } : {}),
              ...(carrier ? { carrier } : {}),
            },
          }
        : {}),
      recipients,
      order: prior.order,
    },
  };
};
