/**
 * @module `simulate --source zendesk`: the documented trigger body (`triggerBodyText`), rendered
 * as Zendesk renders placeholders, signed with the webhook's signing secret
 * (`X-Zendesk-Webhook-Signature`), posted to `/zendesk/webhooks?subdomain=<tenant>`. A ticket's
 * "Order status" drop-down is order-wide: every step is expressed for the order, but there are
 * no parcels, so one dispatch stands for both and the scans are not per shipment.
 */
import { renderPlaceholders, triggerBodyText, zendeskSignature } from '@tidings/zendesk';
import {
  journeyFacts,
  newSecret,
  operatorApi,
  type SimStep,
  type SourceSetup,
} from './simulate-kit.ts';

const ORDER_FIELD = '360001';
const STATUS_FIELD = '360002';

/** The drop-down's value tags, mapped in the tenant (Zendesk has no order vocabulary). */
const STATUS_TAGS = {
  order_received: { status: 'created' },
  order_processing: { status: 'processing' },
  order_partially_shipped: {
    status: 'split_shipment',
    overlay: 'split_shipment',
    reason: 'partial_fulfillment',
  },
  order_shipped: { status: 'dispatched' },
  order_delayed: { status: 'delayed', overlay: 'delayed', reason: 'weather' },
  order_out_for_delivery: { status: 'out_for_delivery' },
  order_delivered: { status: 'delivered' },
} as const;

export const zendeskSource: SourceSetup = async (context) => {
  const subdomain = context.tenantId.toLowerCase();
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(subdomain)) {
    throw new Error(
      `Zendesk tenants are named by their subdomain (letters, digits, dashes); "${context.tenantId}" is not one: pass --tenant`,
    );
  }
  const operator = operatorApi(context, 'zendesk');
  const signingSecret = newSecret();
  await operator.putCredential(subdomain, 'zendesk', {
    signingSecret,
    orderFieldId: ORDER_FIELD,
    statusFieldId: STATUS_FIELD,
  });
  context.print(`set up: a new zendesk webhook signing secret on ${subdomain}`);
  await operator.mergeMappings(subdomain, 'zendesk', 'order_status', STATUS_TAGS);
  context.print(`set up: zendesk order status tags mapped on ${subdomain}`);
  context.print(
    'Zendesk tickets carry an order-wide status: one dispatch for both parcels, no per-parcel scans',
  );
  const facts = journeyFacts(context.base);
  const orderRef = context.orderRef ?? `sim-${Date.now().toString(36)}`;
  const ticketId = String(10_000 + (context.base % 90_000));
  const template = triggerBodyText({ orderFieldId: ORDER_FIELD, statusFieldId: STATUS_FIELD });
  const steps: SimStep[] = Object.keys(STATUS_TAGS).map((tag, i) => ({
    via: 'zendesk',
    label: `ticket ${ticketId} order status → ${tag}`,
    request: () => {
      const body = renderPlaceholders(template, {
        'ticket.id': ticketId,
        'ticket.external_id': orderRef,
        // Zendesk renders it to the minute.
        'ticket.updated_at_with_timestamp': `${facts.at(i * 5).slice(0, 16)}:00Z`,
        'ticket.tags': `order ${tag}`,
        [`ticket.ticket_field_${ORDER_FIELD}`]: orderRef,
        [`ticket.ticket_field_${STATUS_FIELD}`]: tag,
        'ticket.requester.id': '381726354',
        'ticket.requester.email': facts.customer.email,
        'ticket.requester.phone': '+1 (514) 555-0100',
        'ticket.requester.language': facts.customer.locale,
        'current_user.id': '902100',
      });
      // Zendesk signs with an ISO instant to the second.
      const timestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      return {
        path: `/zendesk/webhooks?subdomain=${encodeURIComponent(subdomain)}`,
        headers: {
          'content-type': 'application/json',
          'x-zendesk-webhook-id': '01HSIMULATEDWEBHOOK0000000',
          'x-zendesk-webhook-invocation-id': String(Date.now()),
          'x-zendesk-webhook-signature-timestamp': timestamp,
          'x-zendesk-webhook-signature': zendeskSignature(
            signingSecret,
            timestamp,
            Buffer.from(body, 'utf8'),
          ),
        },
        body,
      };
    },
  }));
  return { tenantId: subdomain, orderRef, steps };
};
