/**
 * @module `simulate --source woocommerce`: what the Tidings plugin POSTs to `/woocommerce/events`
 * (schema 1, signed per site with `pluginSecret`; the site key is the tenant id). WooCommerce
 * order statuses are order-wide: created, processing, a mapped `partially-shipped` (split, first
 * parcel) and `shipped` (second parcel) carry the tracking numbers; the carrier steps (delayed,
 * out for delivery, delivered per parcel) come from AfterShip, as its WooCommerce connector sets
 * the tracking's `order_id` to the WooCommerce order id.
 */
import { randomUUID } from 'node:crypto';
import { PLUGIN_HEADERS, signPluginRequest } from '@tidings/woocommerce';
import { aftershipSteps, setUpAftership } from './aftership-source.ts';
import {
  journeyFacts,
  newSecret,
  numericOrderRef,
  operatorApi,
  type SimStep,
  type SourceSetup,
  unixSeconds,
} from './simulate-kit.ts';

/** Custom statuses a shop registers for shipping, mapped in the tenant (never guessed). */
const SHIPPING_STATUSES = {
  'partially-shipped': {
    status: 'dispatched',
    overlay: 'split_shipment',
    reason: 'partial_fulfillment',
    note: 'simulate: first parcel of a split order left',
  },
  shipped: { status: 'dispatched', note: 'simulate: the rest of the order left' },
};

export const woocommerceSource: SourceSetup = async (context) => {
  const operator = operatorApi(context, 'woocommerce');
  const site = context.tenantId;
  const pluginSecret = newSecret();
  await operator.putCredential(site, 'woocommerce', {
    siteUrl: 'https://shop.example',
    pluginSecret,
  });
  context.print(`set up: a new woocommerce plugin secret for site ${site}`);
  await operator.mergeMappings(site, 'woocommerce', 'status', SHIPPING_STATUSES);
  context.print(
    `set up: woocommerce statuses ${Object.keys(SHIPPING_STATUSES).join(', ')} mapped on ${site}`,
  );
  const carrierSecret = await setUpAftership(context, operator);
  const facts = journeyFacts(context.base);
  const orderRef = numericOrderRef(
    context.orderRef,
    100_000 + (context.base % 900_000),
    'WooCommerce',
  );
  const id = Number(orderRef);
  const tracking = facts.parcels.map((p) => ({
    number: p.trackingNumber,
    carrier: p.carrier,
    url: p.url,
  }));
  const order = (from: string | null, to: string, minute: number, parcels: number) => ({
    id,
    number: String(id),
    status_from: from,
    status_to: to,
    changed_at: facts.at(minute),
    created_at: facts.at(0),
    currency: facts.currency,
    total: facts.total,
    customer: {
      id: 42,
      email: facts.customer.email,
      phone: '+1 514-555-0100',
      first_name: facts.customer.firstName,
      last_name: facts.customer.lastName,
      country: facts.customer.country,
      state: facts.customer.province,
      locale: 'fr_CA',
    },
    items: facts.items.map((item, i) => ({
      id: 900 + i,
      product_id: 500 + i,
      sku: item.sku,
      name: item.title,
      quantity: item.quantity,
      total: (Number(item.price) * item.quantity).toFixed(2),
      categories: item.categories,
    })),
    tracking: tracking.slice(0, parcels),
  });
  const changes: [string, string | null, string, number, number][] = [
    ['order.created', null, 'pending', 0, 0],
    ['order.status_changed', 'pending', 'processing', 5, 0],
    ['order.status_changed', 'processing', 'partially-shipped', 10, 1],
    ['order.status_changed', 'partially-shipped', 'shipped', 15, 2],
  ];
  const pluginSteps: SimStep[] = changes.map(([event, from, to, minute, parcels]) => ({
    via: 'woocommerce',
    label: `${event} ${from ?? '∅'} → ${to}${parcels > 0 ? ` (tracking ${tracking[parcels - 1]?.number})` : ''}`,
    request: () => {
      const deliveryId = randomUUID();
      const body = JSON.stringify({
        schema: 1,
        event,
        delivery_id: deliveryId,
        site_url: 'https://shop.example',
        order: order(from, to, minute, parcels),
      });
      const timestamp = unixSeconds();
      return {
        path: '/woocommerce/events',
        headers: {
          'content-type': 'application/json',
          [PLUGIN_HEADERS.site]: site,
          [PLUGIN_HEADERS.timestamp]: timestamp,
          [PLUGIN_HEADERS.delivery]: deliveryId,
          [PLUGIN_HEADERS.signature]: signPluginRequest(pluginSecret, timestamp, deliveryId, body),
        },
        body,
      };
    },
  }));
  context.print(
    'WooCommerce statuses are order-wide: the carrier steps (delayed, out for delivery, delivered per parcel) come from AfterShip',
  );
  return {
    tenantId: site,
    orderRef,
    steps: [
      ...pluginSteps,
      ...aftershipSteps(
        site,
        carrierSecret,
        facts,
        orderRef,
        (n) => `tracking:${facts.parcels[n].trackingNumber}`,
      ),
    ],
  };
};
