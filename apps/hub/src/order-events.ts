/**
 * @module Events staff and systems raise inside Tidings — manual overrides and inventory or
 * regulatory flags — built on what the order's last event said about its people and items, so
 * they go through the same lifecycle and planner as any platform's webhook.
 */
import {
  type CanonicalStatus,
  type OrderEvent,
  OrderEventSchema,
  type OverlayKind,
} from '@tidings/core';
import { z } from 'zod';

export const OverrideBodySchema = z
  .object({
    status: z.enum([
      'created',
      'processing',
      'dispatched',
      'in_transit',
      'out_for_delivery',
      'delivered',
      'completed',
      'on_hold',
      'delayed',
      'exception',
      'cancelled',
      'refunded',
      'returned',
    ]),
    shipmentId: z.string().min(1).optional(),
    reason: z.string().trim().min(3, 'say why, in a few words'),
    actor: z.object({ id: z.string().min(1), name: z.string().min(1).optional() }),
    notify: z.boolean().default(true),
    /** For holds, delays and exceptions: the reason code (e.g. `payment`, `weather`). */
    overlayReason: z.string().min(1).optional(),
    promisedDate: z.iso.date().optional(),
    /** Lift these overlays (e.g. release a hold while setting `processing`). */
    clear: z.array(z.enum(['on_hold', 'delayed', 'exception', 'split_shipment'])).optional(),
    /** The caller's id for this action, so a retried request is applied once. */
    requestId: z.string().min(8).max(128),
  })
  .strict();
export type OverrideBody = z.infer<typeof OverrideBodySchema>;

export const FLAGS = [
  'allocated',
  'backordered',
  'partially_allocated',
  'export_control_hold',
  'sanctions_screening_hold',
  'age_verification_pending',
  'hazmat_restriction',
  'regulatory_cleared',
] as const;
export type Flag = (typeof FLAGS)[number];

export const FlagBodySchema = z
  .object({
    flag: z.enum(FLAGS),
    /** For `backordered`: when stock is expected (the customer's revised date). */
    expectedDate: z.iso.date().optional(),
    shipmentId: z.string().min(1).optional(),
    /** The inventory or compliance system's own id for this flag change (dedupe key). */
    flagId: z.string().min(1).max(128),
  })
  .strict();
export type FlagBody = z.infer<typeof FlagBodySchema>;

type Effect = {
  status: CanonicalStatus | 'ignore';
  overlay?: { kind: OverlayKind; reason?: string; promisedDate?: string };
  clear?: OverlayKind[];
};

/** What each flag does to the order's overlays. */
export const flagEffect = (body: FlagBody): Effect => {
  switch (body.flag) {
    case 'allocated':
      return { status: 'ignore', clear: ['on_hold'] };
    case 'backordered':
      return {
        status: 'delayed',
        overlay: {
          kind: 'delayed',
          reason: 'inventory',
          ...(body.expectedDate ? { promisedDate: body.expectedDate } : {}),
        },
      };
    case 'partially_allocated':
      return {
        status: 'split_shipment',
        overlay: { kind: 'split_shipment', reason: 'partial_fulfillment' },
      };
    case 'export_control_hold':
    case 'sanctions_screening_hold':
    case 'age_verification_pending':
    case 'hazmat_restriction':
      return { status: 'on_hold', overlay: { kind: 'on_hold', reason: 'regulatory' } };
    case 'regulatory_cleared':
      return { status: 'ignore', clear: ['on_hold'] };
    default:
      return body.flag satisfies never;
  }
};

/** A new event for the order, carrying its last known recipients, items and shipment details. */
export const followUpEvent = (
  last: OrderEvent,
  shipmentEvent: OrderEvent | undefined,
  fields: {
    source: OrderEvent['source'];
    sourceEventId: string;
    occurredAt: string;
    rawValue: string;
    shipmentId?: string | undefined;
    effect: Effect;
    override?: OrderEvent['override'];
  },
): OrderEvent =>
  OrderEventSchema.parse({
    tenantId: last.tenantId,
    source: fields.source,
    sourceEventId: fields.sourceEventId,
    orderRef: last.orderRef,
    occurredAt: fields.occurredAt,
    status: fields.effect.status,
    raw: { value: fields.rawValue },
    ...(fields.effect.overlay ? { overlay: fields.effect.overlay } : {}),
    ...(fields.effect.clear ? { clear: fields.effect.clear } : {}),
    ...(fields.shipmentId
      ? {
          shipment:
            shipmentEvent?.shipment?.id === fields.shipmentId
              ? shipmentEvent.shipment
              : { id: fields.shipmentId },
        }
      : {}),
    recipients: last.recipients,
    order: last.order,
    ...(fields.override ? { override: fields.override } : {}),
  });
