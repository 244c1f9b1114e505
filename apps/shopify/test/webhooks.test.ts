import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fulfillmentEventFingerprint } from '../src/shopify-normalizer.ts';
import {
  fixture,
  installShop,
  postWebhook,
  type RunningShopifyHub,
  SHOP,
  sign,
  startShopifyHub,
  webhookHeaders,
} from './shopify-harness.ts';

/** The published sample with top-level fields changed in its text, so 64-bit ids stay exact. */
const variant = (text: string, fields: Record<string, string>): string => {
  let out = text;
  for (const [field, json] of Object.entries(fields)) {
    const re = new RegExp(`("${field}": )(null|"[^"]*"|-?\\d+)`);
    if (!re.test(out)) throw new Error(`fixture has no ${field}`);
    out = out.replace(re, `$1${json}`);
  }
  return out;
};

const ORDER = '820982911946154508';
const ordersSample = fixture('orders-cancelled.json');
const openOrder = (financial: string, updatedAt = '2022-01-01T10:00:00-05:00') =>
  variant(ordersSample, {
    cancel_reason: 'null',
    cancelled_at: 'null',
    financial_status: `"${financial}"`,
    updated_at: `"${updatedAt}"`,
  });
const fulfillmentSample = fixture('fulfillments-create.json');
const eventSample = fixture('fulfillment-events-create.json');

let h: RunningShopifyHub;
beforeAll(async () => {
  h = await startShopifyHub();
  await installShop(h.store);
});
afterAll(async () => {
  await h.stop();
});

const intentsOf = async (orderRef = ORDER) => h.store.listIntents(SHOP, orderRef);

describe('POST /shopify/webhooks', () => {
  it('accepts a published orders/create sample with a correct HMAC, keeps the 64-bit id and plans messages', async () => {
    const r = await postWebhook(h.url, 'orders/create', openOrder('pending'));
    expect(r.status).toBe(200);
    expect(r.json.outcome).toBe('accepted');
    expect(r.json.orderRef).toBe(ORDER);
    const events = await h.store.listEvents(SHOP, ORDER);
    expect(events).toHaveLength(1);
    expect(events[0]?.event.status).toBe('created');
    expect(events[0]?.event.order.lineItems.map((l) => l.id)).toEqual([
      '866550311766439020',
      '141249953214522974',
    ]);
    expect(events[0]?.event.recipients[0]?.contacts.email).toBe('jon@example.com');
    expect((await intentsOf()).length).toBeGreaterThan(0);
    // Shopify gives 5 s; the whole verify → normalize → plan → commit path is far inside it.
    expect(r.ms).toBeLessThan(1_000);
  });

  it('answers a forged signature with 401 and stores nothing', async () => {
    const body = openOrder('paid');
    const before = (await h.store.listEvents(SHOP, ORDER)).length;
    const res = await fetch(`${h.url}/shopify/webhooks`, {
      method: 'POST',
      headers: webhookHeaders('orders/updated', body, {
        'x-shopify-hmac-sha256': sign(body, 'not-the-secret'),
      }),
      body,
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_signature');
    expect(await h.store.listEvents(SHOP, ORDER)).toHaveLength(before);
  });

  it('answers a body changed after signing with 401', async () => {
    const body = openOrder('paid');
    const headers = webhookHeaders('orders/updated', body);
    const res = await fetch(`${h.url}/shopify/webhooks`, {
      method: 'POST',
      headers,
      body: body.replace('"paid"', '"refunded"'),
    });
    expect(res.status).toBe(401);
  });

  it('answers a missing signature with 401 missing_signature', async () => {
    const body = openOrder('paid');
    const { 'x-shopify-hmac-sha256': _drop, ...headers } = webhookHeaders('orders/updated', body);
    const res = await fetch(`${h.url}/shopify/webhooks`, { method: 'POST', headers, body });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'missing_signature',
    );
  });

  it('verifies the newer lower-case shopify-* header family too', async () => {
    const body = openOrder('paid', '2022-01-01T11:00:00-05:00');
    const res = await fetch(`${h.url}/shopify/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'shopify-hmac-sha256': sign(body),
        'shopify-topic': 'orders/updated',
        'shopify-shop-domain': SHOP,
        'shopify-api-version': '2025-01',
        'shopify-webhook-id': 'events-family-1',
        'shopify-event-id': 'events-family-ev-1',
        'shopify-triggered-at': new Date().toISOString(),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outcome: string }).outcome).toBe('accepted');
    const forged = await fetch(`${h.url}/shopify/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'shopify-hmac-sha256': sign(body, 'wrong'),
        'shopify-topic': 'orders/updated',
        'shopify-shop-domain': SHOP,
        'shopify-api-version': '2025-01',
        'shopify-webhook-id': 'events-family-2',
      },
      body,
    });
    expect(forged.status).toBe(401);
  });

  it('gives one set of intents when the same webhook id arrives twice', async () => {
    const body = openOrder('paid', '2022-01-01T12:00:00-05:00');
    const id = 'replayed-delivery-1';
    const first = await postWebhook(h.url, 'orders/updated', body, { 'x-shopify-webhook-id': id });
    const after = (await intentsOf()).length;
    const second = await postWebhook(h.url, 'orders/updated', body, { 'x-shopify-webhook-id': id });
    expect(first.json.outcome).toBe('accepted');
    expect(second.status).toBe(200);
    expect(second.json.outcome).toBe('duplicate');
    expect((await intentsOf()).length).toBe(after);
  });

  it('stores an older order snapshot that arrives late without notifying from it', async () => {
    const old = await postWebhook(
      h.url,
      'orders/updated',
      openOrder('authorized', '2022-01-01T09:00:00-05:00'),
    );
    expect(old.json.stale).toBe(true);
    const events = await h.store.listEvents(SHOP, ORDER);
    expect(events.at(-1)?.event.status).toBe('ignore');
    expect(events.at(-1)?.headers['x-tidings-stale']).toBeDefined();
  });

  it('marks a delivery triggered hours ago as late', async () => {
    const r = await postWebhook(
      h.url,
      'orders/updated',
      openOrder('paid', '2022-01-01T13:00:00-05:00'),
      {
        'x-shopify-triggered-at': new Date(Date.now() - 3 * 3600_000).toISOString(),
      },
    );
    expect(r.json.late).toBe(true);
  });

  it('normalizes fulfillments/create and fulfillments/update per shipment', async () => {
    const created = await postWebhook(h.url, 'fulfillments/create', fulfillmentSample);
    expect(created.status).toBe(200);
    const shipped = variant(fulfillmentSample, {
      status: '"success"',
      updated_at: '"2022-01-02T10:00:00-05:00"',
    });
    const updated = await postWebhook(h.url, 'fulfillments/update', shipped);
    expect(updated.json.outcome).toBe('accepted');
    const events = await h.store.listEvents(SHOP, ORDER);
    const last = events.at(-1)?.event;
    expect(last?.status).toBe('dispatched');
    expect(last?.shipment).toMatchObject({
      id: '123456',
      carrier: 'UPS',
      trackingNumber: '1z827wk74630',
    });
    expect(last?.order.number).toBe('#9999');
  });

  it('never sends a stale "in transit" after "delivered" (fulfillment_events/create out of order)', async () => {
    const delivered = variant(eventSample, {
      id: '1234568',
      status: '"delivered"',
      happened_at: '"2022-01-04T10:00:00-05:00"',
    });
    const d = await postWebhook(h.url, 'fulfillment_events/create', delivered);
    expect(d.json.outcome).toBe('accepted');
    const before = (await intentsOf()).length;
    const late = await postWebhook(h.url, 'fulfillment_events/create', eventSample);
    const events = late.json.events as { verdict: string; intents: number }[];
    expect(events[0]?.verdict).toBe('stale');
    expect((await intentsOf()).length).toBe(before);
    const stored = await h.store.listEvents(SHOP, ORDER);
    // The event carried no customer; the order's last known one is used.
    expect(stored.at(-1)?.event.recipients[0]?.contacts.email).toBe('jon@example.com');
  });

  it('recognises the echo of our own fulfillment event and does not notify', async () => {
    await h.store.transaction((tx) =>
      tx.putFingerprint({
        tenantId: SHOP,
        target: 'shopify',
        fingerprint: fulfillmentEventFingerprint('7777777'),
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      }),
    );
    const before = (await intentsOf()).length;
    const echo = variant(eventSample, { id: '7777777', status: '"out_for_delivery"' });
    const r = await postWebhook(h.url, 'fulfillment_events/create', echo);
    expect(r.json.outcome).toBe('echo');
    expect((await intentsOf()).length).toBe(before);
  });

  it('treats the published orders/cancelled sample as a cancellation', async () => {
    const r = await postWebhook(h.url, 'orders/cancelled', ordersSample);
    expect(r.status).toBe(200);
    const events = await h.store.listEvents(SHOP, ORDER);
    expect(events.at(-1)?.event.status).toBe('cancelled');
  });

  it('names an unknown status value with 422 unknown_status', async () => {
    const r = await postWebhook(
      h.url,
      'orders/updated',
      openOrder('teleported', '2022-01-09T10:00:00-05:00'),
    );
    expect(r.status).toBe(422);
    expect((r.json.error as { code: string; message: string }).code).toBe('unknown_status');
    expect((r.json.error as { message: string }).message).toContain('teleported');
  });

  it('answers malformed JSON with a valid signature with 400 malformed_json', async () => {
    const r = await postWebhook(h.url, 'orders/updated', '{"id": 1,');
    expect(r.status).toBe(400);
    expect((r.json.error as { code: string }).code).toBe('malformed_json');
  });

  it('answers a JSON array with 400 and a payload missing its ids with 422', async () => {
    expect((await postWebhook(h.url, 'orders/updated', '[1,2]')).status).toBe(400);
    expect((await postWebhook(h.url, 'orders/updated', '{"financial_status":"paid"}')).status).toBe(
      422,
    );
  });

  it('answers an oversized body with 413', async () => {
    const big = `{"pad":"${'x'.repeat(1_100_000)}"}`;
    const r = await postWebhook(h.url, 'orders/updated', big);
    expect(r.status).toBe(413);
  });

  it('answers 400 when required Shopify headers are missing', async () => {
    const body = openOrder('paid');
    const { 'x-shopify-webhook-id': _drop, ...headers } = webhookHeaders('orders/updated', body);
    const res = await fetch(`${h.url}/shopify/webhooks`, { method: 'POST', headers, body });
    expect(res.status).toBe(400);
  });

  it('answers 200 ignored for a shop that has not installed the app', async () => {
    const r = await postWebhook(h.url, 'orders/updated', openOrder('paid'), {
      'x-shopify-shop-domain': 'stranger.myshopify.com',
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ outcome: 'ignored', reason: 'unknown_tenant' });
  });

  it('turns fulfillment_orders/placed_on_hold into an on_hold overlay of the order it looks up, and the release lifts it', async () => {
    h.setShopify((call) =>
      call.url.endsWith('/graphql.json')
        ? {
            body: {
              data: {
                fulfillmentOrder: {
                  id: 'gid://shopify/FulfillmentOrder/1',
                  orderId: `gid://shopify/Order/${ORDER}`,
                },
              },
            },
          }
        : { status: 404, body: {} },
    );
    const held = await postWebhook(
      h.url,
      'fulfillment_orders/placed_on_hold',
      fixture('fulfillment-orders-placed-on-hold.json'),
    );
    expect(held.json.outcome).toBe('accepted');
    let last = (await h.store.listEvents(SHOP, ORDER)).at(-1)?.event;
    expect(last?.overlay).toMatchObject({ kind: 'on_hold', reason: 'manual' });
    const released = await postWebhook(
      h.url,
      'fulfillment_orders/hold_released',
      fixture('fulfillment-orders-hold-released.json'),
    );
    expect(released.json.outcome).toBe('accepted');
    last = (await h.store.listEvents(SHOP, ORDER)).at(-1)?.event;
    expect(last?.clear).toEqual(['on_hold']);
    h.setShopify(() => ({ status: 503, body: {} }));
    const unknown = await postWebhook(
      h.url,
      'fulfillment_orders/placed_on_hold',
      fixture('fulfillment-orders-placed-on-hold.json'),
    );
    expect(unknown.json).toMatchObject({ outcome: 'ignored', reason: 'shopify_unavailable' });
  });

  it('answers 200 ignored for a topic the app does not handle', async () => {
    const r = await postWebhook(h.url, 'products/update', '{"id": 1}');
    expect(r.json).toMatchObject({ outcome: 'ignored', reason: 'topic_not_handled' });
  });
});
