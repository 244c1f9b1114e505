/**
 * @module `simulate --source api`: the journey through the signed generic events API
 * (`POST /api/events`, `X-Tidings-Tenant`, `X-Tidings-Timestamp`, `X-Tidings-Signature`), after
 * storing a fresh `events-api` signing secret on the tenant. Every step is expressible.
 */
import {
  EVENTS_SIGNATURE_HEADER,
  EVENTS_TENANT_HEADER,
  EVENTS_TIMESTAMP_HEADER,
  signEvent,
} from '@tidings/sources';
import { journey } from './journey.ts';
import {
  newSecret,
  type OperatorApi,
  operatorApi,
  type SimStep,
  type SourceContext,
  type SourceSetup,
  unixSeconds,
} from './simulate-kit.ts';

/** Stores a new `events-api` secret on the tenant and returns it. */
export const setUpEventsApi = async (context: SourceContext, operator: OperatorApi) => {
  const signingSecret = newSecret();
  await operator.putCredential(context.tenantId, 'events-api', { signingSecret });
  context.print(`set up: a new events-api signing secret on ${context.tenantId}`);
  return signingSecret;
};

/** One canonical event as a signed events API request. */
export const eventsApiStep = (
  tenantId: string,
  secret: string,
  label: string,
  event: Record<string, unknown>,
): SimStep => ({
  via: 'api',
  label,
  request: () => {
    const body = JSON.stringify(event);
    const timestamp = unixSeconds();
    return {
      path: '/api/events',
      headers: {
        'content-type': 'application/json',
        [EVENTS_TENANT_HEADER]: tenantId,
        [EVENTS_TIMESTAMP_HEADER]: timestamp,
        [EVENTS_SIGNATURE_HEADER]: signEvent(secret, timestamp, body),
      },
      body,
    };
  },
});

/** The admin journey's events without `source`, which the events API sets itself. */
export const eventsApiJourney = (orderRef: string, base: number, tracking?: readonly string[]) =>
  journey(orderRef, base).map(({ source: _source, ...event }) => {
    const shipment = event.shipment as Record<string, unknown> | undefined;
    if (!shipment || !tracking) return event;
    // Fresh numbers per run, so each is this order's alone in the store's tracking-number index
    // (migration 4; saving the order state binds it) and the carrier steps that follow find it.
    const number = tracking[shipment.id === 's1' ? 0 : 1] ?? String(shipment.trackingNumber);
    return {
      ...event,
      shipment: {
        ...shipment,
        trackingNumber: number,
        trackingUrl: `https://www.ups.com/track?tracknum=${number}`,
      },
    };
  });

export const labelOf = (event: Record<string, unknown>) => {
  const id = (event.shipment as { id?: string } | undefined)?.id;
  return `${String(event.status)}${id ? ` (${id})` : ''}`;
};

export const apiSource: SourceSetup = async (context) => {
  const secret = await setUpEventsApi(context, operatorApi(context, 'api'));
  const orderRef = context.orderRef ?? `sim-${Date.now().toString(36)}`;
  return {
    tenantId: context.tenantId,
    orderRef,
    steps: eventsApiJourney(orderRef, context.base).map((event) =>
      eventsApiStep(context.tenantId, secret, labelOf(event), event),
    ),
  };
};
