/**
 * @module `simulate --source shopify`: signed webhooks as Shopify sends them to
 * `/shopify/webhooks` — `orders/create` (pending: created), `orders/updated` (paid: processing),
 * `fulfillments/create` per parcel (dispatched, with tracking), `fulfillment_events/create`
 * (delayed with the revised date, out for delivery) and `fulfillments/update` (delivered).
 * HMAC-SHA256 of the raw body under the app's client secret, base64. A shop's tenant is its
 * `*.myshopify.com` domain, so the simulator creates `<tenant>.myshopify.com` with the demo
 * tenant's configuration. Shopify has no "split" event: the order is split from the second
 * fulfillment on (templates see `is_split`), but no split notice is sent.
 */
import { randomUUID } from 'node:crypto';
import { hmacSha256Base64 } from '@tidings/http';
import {
  journeyFacts,
  numericOrderRef,
  operatorApi,
  type SimStep,
  type SourceSetup,
} from './simulate-kit.ts';

/** The shop's tenant is its domain; it gets the named tenant's settings when it is new. */
const ensureShop = async (
  operator: ReturnType<typeof operatorApi>,
  from: string,
  print: (line: string) => void,
): Promise<string> => {
  const shop = `${from.toLowerCase().replace(/[^a-z0-9-]/g, '-')}.myshopify.com`;
  await operator.ensureTenantLike(shop, from, "shop (a shop's tenant is its domain)", print);
  return shop;
};

export const shopifySource: SourceSetup = async (context) => {
  const operator = operatorApi(context, 'shopify');
  const shop = await ensureShop(operator, context.tenantId, context.print);
  // Without the secret the webhooks are still sent: the hub's answer says what is missing.
  const secret = context.shopifySecret ?? 'simulate-has-no-SHOPIFY_API_SECRET';
  const facts = journeyFacts(context.base);
  const orderRef = numericOrderRef(
    context.orderRef,
    5_000_000_000_000 + (context.base % 1_000_000_000_000),
    'Shopify',
  );
  const id = Number(orderRef);
  const lineId = (i: number) => id + 11 + i;
  const fulfillmentId = (n: 0 | 1) => id + 21 + n;
  const name = facts.number;
  const address = {
    first_name: facts.customer.firstName,
    last_name: facts.customer.lastName,
    name: `${facts.customer.firstName} ${facts.customer.lastName}`,
    address1: '1200 Rue Sainte-Catherine O',
    city: 'Montréal',
    zip: 'H3B 1K9',
    province: 'Quebec',
    country: 'Canada',
    phone: '+1 514-555-0100',
    country_code: facts.customer.country,
    province_code: facts.customer.province,
  };
  const lineItems = facts.items.map((item, i) => ({
    id: lineId(i),
    title: item.title,
    name: item.title,
    sku: item.sku,
    quantity: item.quantity,
    current_quantity: item.quantity,
    price: item.price,
    requires_shipping: true,
    fulfillable_quantity: item.quantity,
  }));
  const order = (financial: string, minute: number) => ({
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name,
    order_number: Number(name.slice(1)),
    email: facts.customer.email,
    contact_email: facts.customer.email,
    phone: facts.customer.phone,
    created_at: facts.at(0),
    updated_at: facts.at(minute),
    processed_at: facts.at(0),
    cancelled_at: null,
    closed_at: null,
    currency: facts.currency,
    total_price: facts.total,
    financial_status: financial,
    fulfillment_status: null,
    customer_locale: facts.customer.locale,
    tags: '',
    customer: {
      id: id + 1,
      email: facts.customer.email,
      first_name: facts.customer.firstName,
      last_name: facts.customer.lastName,
    },
    shipping_address: address,
    billing_address: address,
    line_items: lineItems,
  });
  const fulfillment = (n: 0 | 1, minute: number, shipmentStatus: string | null) => {
    const parcel = facts.parcels[n];
    return {
      id: fulfillmentId(n),
      admin_graphql_api_id: `gid://shopify/Fulfillment/${fulfillmentId(n)}`,
      order_id: id,
      name: `${name}.${n + 1}`,
      status: 'success',
      created_at: facts.at(n === 0 ? 10 : 15),
      updated_at: facts.at(minute),
      service: 'manual',
      tracking_company: parcel.carrier,
      tracking_number: parcel.trackingNumber,
      tracking_numbers: [parcel.trackingNumber],
      tracking_url: parcel.url,
      tracking_urls: [parcel.url],
      shipment_status: shipmentStatus,
      email: facts.customer.email,
      destination: address,
      line_items: [{ ...lineItems[n], fulfillment_status: 'fulfilled' }],
    };
  };
  let eventIds = id + 100;
  const fulfillmentEvent = (n: 0 | 1, status: string, minute: number, eta?: string) => {
    eventIds += 1;
    return {
      id: eventIds,
      admin_graphql_api_id: `gid://shopify/FulfillmentEvent/${eventIds}`,
      fulfillment_id: fulfillmentId(n),
      order_id: id,
      shop_id: 548380009,
      status,
      message: null,
      happened_at: facts.at(minute),
      created_at: facts.at(minute),
      updated_at: facts.at(minute),
      estimated_delivery_at: eta ?? null,
      city: null,
      province: null,
      country: 'CA',
      zip: null,
    };
  };
  const webhook = (topic: string, label: string, payload: () => object): SimStep => ({
    via: 'shopify',
    label: `${topic} ${label}`,
    request: () => {
      const body = JSON.stringify(payload());
      return {
        path: '/shopify/webhooks',
        headers: {
          'content-type': 'application/json',
          'x-shopify-topic': topic,
          'x-shopify-shop-domain': shop,
          'x-shopify-api-version': '2025-01',
          'x-shopify-webhook-id': randomUUID(),
          'x-shopify-event-id': randomUUID(),
          'x-shopify-triggered-at': new Date().toISOString(),
          'x-shopify-hmac-sha256': hmacSha256Base64(secret, body),
        },
        body,
      };
    },
  });
  const f = (n: 0 | 1) => `fulfillment ${fulfillmentId(n)}`;
  const steps: SimStep[] = [
    webhook('orders/create', `${name} pending → created`, () => order('pending', 0)),
    webhook('orders/updated', `${name} paid → processing`, () => order('paid', 5)),
    webhook('fulfillments/create', `${f(0)} → dispatched`, () => fulfillment(0, 15, null)),
    webhook('fulfillments/create', `${f(1)} → dispatched`, () => fulfillment(1, 20, null)),
    webhook('fulfillment_events/create', `${f(1)} delayed → delayed`, () =>
      fulfillmentEvent(1, 'delayed', 25, `${facts.promisedDate}T21:00:00Z`),
    ),
    webhook('fulfillment_events/create', `${f(0)} out_for_delivery`, () =>
      fulfillmentEvent(0, 'out_for_delivery', 30),
    ),
    webhook('fulfillments/update', `${f(0)} delivered`, () => fulfillment(0, 35, 'delivered')),
    webhook('fulfillment_events/create', `${f(1)} out_for_delivery`, () =>
      fulfillmentEvent(1, 'out_for_delivery', 40),
    ),
    webhook('fulfillments/update', `${f(1)} delivered`, () => fulfillment(1, 45, 'delivered')),
  ];
  context.print(
    'Shopify has no split event: the order is split from the second fulfillment on, without a split notice',
  );
  return { tenantId: shop, orderRef, steps };
};
