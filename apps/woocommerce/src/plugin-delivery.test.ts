import { describe, expect, it } from 'vitest';
import { parsePluginDelivery, pluginDeliveryToEvent } from './plugin-delivery.ts';

const delivery = (order: Record<string, unknown>) => ({
  schema: 1,
  event: 'order.status_changed',
  delivery_id: '0e9d8c7b-6a5f-4e3d-8c1b-0a9f8e7d6c5b',
  site_url: 'https://shop.example.test',
  order: {
    id: 42,
    number: 'A-42',
    status_from: 'pending',
    status_to: 'processing',
    changed_at: '2025-06-01T10:00:00+00:00',
    created_at: '2025-06-01T09:58:00+00:00',
    currency: 'EUR',
    total: '12.50',
    customer: { id: 3, email: 'zoe@example.com', phone: '', locale: 'fr_FR', country: 'FR' },
    items: [
      { id: 9, product_id: 5, quantity: 1, name: 'Gin', total: '12.50', categories: ['Spirits'] },
    ],
    tracking: [],
    ...order,
  },
});

describe('plugin deliveries', () => {
  it('becomes a canonical event with the previous status, contact, locale and categories', () => {
    const parsed = parsePluginDelivery(delivery({}));
    if (!parsed.ok || parsed.delivery.event === 'ping') throw new Error('expected an order');
    const result = pluginDeliveryToEvent(
      'shop',
      parsed.delivery.deliveryId,
      parsed.delivery.order,
      {},
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.event).toMatchObject({
      tenantId: 'shop',
      source: 'woocommerce',
      sourceEventId: 'plugin:0e9d8c7b-6a5f-4e3d-8c1b-0a9f8e7d6c5b',
      orderRef: '42',
      status: 'processing',
      previousStatus: 'created',
      raw: { value: 'processing', field: 'status' },
      recipients: [
        { role: 'customer', id: '3', locale: 'fr-FR', contacts: { email: 'zoe@example.com' } },
      ],
      order: {
        number: 'A-42',
        total: { amount: '12.50', currency: 'EUR' },
        lineItems: [{ id: '9', title: 'Gin', categories: ['Spirits'] }],
      },
    });
  });

  it('leaves out a previous status that is only a checkout draft', () => {
    const parsed = parsePluginDelivery(delivery({ status_from: 'checkout-draft' }));
    if (!parsed.ok || parsed.delivery.event === 'ping') throw new Error('expected an order');
    const result = pluginDeliveryToEvent(
      'shop',
      parsed.delivery.deliveryId,
      parsed.delivery.order,
      {},
    );
    expect(result.ok && result.event.previousStatus).toBe(undefined);
  });

  it('maps an extension status only through the tenant’s own table', () => {
    const parsed = parsePluginDelivery(delivery({ status_to: 'wc-shipped' }));
    if (!parsed.ok || parsed.delivery.event === 'ping') throw new Error('expected an order');
    const { deliveryId, order } = parsed.delivery;
    expect(pluginDeliveryToEvent('shop', deliveryId, order, {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_status' },
    });
    const mapped = pluginDeliveryToEvent('shop', deliveryId, order, {
      woocommerce: { status: { shipped: { status: 'dispatched' } } },
    });
    expect(mapped.ok && mapped.event.status).toBe('dispatched');
  });

  it('names every wrong path at once, never the values', () => {
    const parsed = parsePluginDelivery({
      schema: 2,
      event: 'order.status_changed',
      delivery_id: 'x',
      order: {},
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.issues.map((i) => i.path)).toEqual(['schema', 'delivery_id']);
    const order = parsePluginDelivery(delivery({ id: 'x', status_to: 'Not A Slug', items: {} }));
    expect(order.ok || order.error.issues.map((i) => i.path)).toEqual([
      'order.id',
      'order.status_to',
      'order.items',
    ]);
  });

  it('reads a ping', () => {
    expect(parsePluginDelivery({ schema: 1, event: 'ping', delivery_id: 'abcdefgh-1234' })).toEqual(
      { ok: true, delivery: { event: 'ping', deliveryId: 'abcdefgh-1234', siteUrl: undefined } },
    );
  });
});
