/**
 * @module `simulate --source aftership`: a carrier knows parcels, not orders, so the order's own
 * steps (created, processing, split, the two dispatches with their tracking numbers) go through
 * the signed events API, which binds each number to the order; the carrier steps (delayed, out
 * for delivery, delivered, per parcel) are signed AfterShip `tracking_update` webhooks.
 */
import { randomUUID } from 'node:crypto';
import { AFTERSHIP_SIGNATURE_HEADER, aftershipSignature } from '@tidings/sources';
import { eventsApiJourney, eventsApiStep, labelOf, setUpEventsApi } from './api-source.ts';
import {
  type JourneyFacts,
  journeyFacts,
  newSecret,
  type OperatorApi,
  operatorApi,
  type SimStep,
  type SourceContext,
  type SourceSetup,
} from './simulate-kit.ts';

/** Stores a new AfterShip webhook secret (order ref read from `order_id`) and returns it. */
export const setUpAftership = async (context: SourceContext, operator: OperatorApi) => {
  const webhookSecret = newSecret();
  await operator.putCredential(context.tenantId, 'aftership', {
    webhookSecret,
    orderRefField: 'order_id',
  });
  context.print(`set up: a new aftership webhook secret on ${context.tenantId}`);
  return webhookSecret;
};

/** AfterShip's words for a carrier step (2025-01 tags, 2026-07 sub-statuses). */
const SCANS = {
  delayed: { tag: 'Exception', subtag: 'Exception_017', message: 'Delayed by extreme weather' },
  out_for_delivery: {
    tag: 'OutForDelivery',
    subtag: 'OutForDelivery_001',
    message: 'Out for delivery',
  },
  delivered: { tag: 'Delivered', subtag: 'Delivered_001', message: 'Delivered' },
} as const;

export type CarrierStep = keyof typeof SCANS;

/** The carrier half of the journey: parcel 2 delayed, then each parcel out and delivered. */
export const CARRIER_STEPS: readonly { parcel: 0 | 1; scan: CarrierStep; minute: number }[] = [
  { parcel: 1, scan: 'delayed', minute: 25 },
  { parcel: 0, scan: 'out_for_delivery', minute: 30 },
  { parcel: 0, scan: 'delivered', minute: 35 },
  { parcel: 1, scan: 'out_for_delivery', minute: 40 },
  { parcel: 1, scan: 'delivered', minute: 45 },
];

/**
 * Signed `tracking_update` webhooks for the carrier steps. `orderId` is the tracking's
 * `order_id` (AfterShip's store connectors fill it); without it the number must be bound.
 */
export const aftershipSteps = (
  tenantId: string,
  secret: string,
  facts: JourneyFacts,
  orderId: string | undefined,
  shipmentName: (parcel: 0 | 1) => string,
): SimStep[] =>
  CARRIER_STEPS.map(({ parcel, scan, minute }) => {
    const p = facts.parcels[parcel];
    const words = SCANS[scan];
    const at = facts.at(minute);
    return {
      via: 'aftership',
      label: `${words.tag} ${p.trackingNumber} → ${scan} (${shipmentName(parcel)})`,
      request: () => {
        const body = JSON.stringify({
          ts: Math.floor(Date.parse(at) / 1000),
          event: 'tracking_update',
          event_id: randomUUID(),
          is_tracking_first_tag: true,
          msg: {
            id: `sim${p.trackingNumber.toLowerCase()}`,
            tracking_number: p.trackingNumber,
            slug: p.slug,
            active: scan !== 'delivered',
            tag: words.tag,
            subtag: words.subtag,
            subtag_message: words.message,
            expected_delivery: scan === 'delayed' ? `${facts.promisedDate}T17:00:00+00:00` : null,
            ...(orderId ? { order_id: orderId, order_number: facts.number } : {}),
            courier_tracking_link: p.url,
            updated_at: at,
            checkpoints: [
              { checkpoint_time: at, tag: words.tag, subtag: words.subtag, message: words.message },
            ],
          },
        });
        return {
          path: `/sources/aftership/${encodeURIComponent(tenantId)}`,
          headers: {
            'content-type': 'application/json',
            [AFTERSHIP_SIGNATURE_HEADER]: aftershipSignature(secret, body),
          },
          body,
        };
      },
    };
  });

export const aftershipSource: SourceSetup = async (context) => {
  const operator = operatorApi(context, 'aftership');
  const eventsSecret = await setUpEventsApi(context, operator);
  const carrierSecret = await setUpAftership(context, operator);
  const orderRef = context.orderRef ?? `sim-${Date.now().toString(36)}`;
  const facts = journeyFacts(context.base);
  const tracking = facts.parcels.map((p) => p.trackingNumber);
  // Up to both dispatches through the events API; the carrier takes over from there.
  const orderSteps = eventsApiJourney(orderRef, context.base, tracking)
    .slice(0, 5)
    .map((event) => eventsApiStep(context.tenantId, eventsSecret, labelOf(event), event));
  context.print(
    'AfterShip knows parcels, not orders: created … dispatched go through the signed events API (binding each tracking number), the carrier steps through AfterShip matched by tracking number',
  );
  return {
    tenantId: context.tenantId,
    orderRef,
    steps: [
      ...orderSteps,
      ...aftershipSteps(context.tenantId, carrierSecret, facts, undefined, (n) => `s${n + 1}`),
    ],
  };
};
