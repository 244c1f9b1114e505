/** @module Tests of the template context: what it holds, what it never holds, split info. */
import { describe, expect, it } from 'vitest';
import { buildTemplateContext } from './template-context.ts';
import { CUSTOMER, sampleContext, sampleEvent, sampleState } from './template-fixtures.ts';

describe('buildTemplateContext', () => {
  it('gives the order, shipment, overlay and customer first name in snake_case', () => {
    const context = sampleContext('delayed', {
      patch: { overlay: { kind: 'delayed', reason: 'weather', promisedDate: '2026-12-10' } },
    });
    expect(context).toMatchObject({
      shop_name: 'Maison Lumière',
      status: 'delayed',
      locale: 'fr-CA',
      time_zone: 'America/Toronto',
      customer: { first_name: 'Camille' },
      order: {
        number: '#1001',
        total: { amount: '1234.50', currency: 'EUR' },
        item_count: 3,
        items: [
          { title: 'Blue Ceramic Mug', quantity: 2 },
          { title: 'Loose Leaf Tea', quantity: 1 },
        ],
        promised_date: '2026-12-03',
      },
      overlay: { kind: 'delayed', reason: 'weather', promised_date: '2026-12-10' },
      shipment: {
        id: 's1',
        carrier: 'UPS',
        tracking_number: '1Z999AA10123456784',
        tracking_url: 'https://www.ups.com/track?tracknum=1Z999AA10123456784',
        pickup: false,
        items: [{ title: 'Blue Ceramic Mug', quantity: 2 }],
      },
      revised_date: '2026-12-10',
      cancel_url: 'https://shop.example/orders/1001/cancel',
      withdrawal_deadline: '2026-12-12',
    });
  });

  it('never holds a phone number, an e-mail address or a product category', () => {
    const context = sampleContext('dispatched', {
      extras: { supportPhone: '+1 (514) 555-0199', replyTo: 'help@shop.example', note: 'ok' },
    });
    const json = JSON.stringify(context);
    expect(json).not.toMatch(/5145550100|camille@example\.com|555-0199|help@shop|kitchen|food/);
    expect(context.note).toBe('ok');
    expect(context.order.items[0]).toEqual({ title: 'Blue Ceramic Mug', quantity: 2 });
  });

  it('keeps only plain data from extras, with keys in snake_case', () => {
    const context = buildTemplateContext(sampleEvent('delayed'), sampleState(), {
      shopName: 'Shop',
      locale: 'en',
      timeZone: 'UTC',
      extras: {
        revisedDate: '2026-12-24',
        adminUrl: 'https://admin.example/1001',
        callback: () => 'boom',
        when: new Date('2026-11-30T00:00:00Z'),
        nested: { aB: [1, 'x', () => 2] },
      },
    });
    expect(context).toMatchObject({
      revised_date: '2026-12-24',
      admin_url: 'https://admin.example/1001',
      when: '2026-11-30T00:00:00.000Z',
      nested: { aB: [1, 'x'] },
      cancel_url: null,
      withdrawal_deadline: null,
    });
    expect('callback' in context).toBe(false);
  });

  it('keeps every documented key present, null when unknown', () => {
    const event = sampleEvent('processing', {
      shipment: undefined,
      overlay: undefined,
      recipients: [],
    });
    const context = buildTemplateContext(event, sampleState('none', 'processing'), {
      shopName: 'Shop',
      locale: 'en',
      timeZone: 'UTC',
    });
    expect(context).toMatchObject({
      customer: { first_name: null },
      overlay: null,
      cancel_url: null,
      withdrawal_deadline: null,
      revised_date: null,
      previous_status: null,
    });
    // A single-parcel order's order-level event still knows its parcel.
    expect(context.shipment).toMatchObject({ id: 's1', carrier: 'UPS' });
  });

  it('tells whether this parcel is the last of a split order to ship or to arrive', () => {
    const first = sampleContext('dispatched', { split: 'first_of_two' });
    expect(first.split).toEqual({
      is_split: true,
      shipment_count: 2,
      is_last_to_ship: false,
      is_last_to_deliver: false,
      is_last: false,
    });
    const last = sampleContext('dispatched', { split: 'last_of_two' });
    expect(last.split).toMatchObject({ is_last_to_ship: true, is_last: true });
    const delivered = buildTemplateContext(
      sampleEvent('delivered'),
      sampleState('last_of_two', 'delivered'),
      {
        shopName: 'Shop',
        recipient: CUSTOMER,
        locale: 'en',
        timeZone: 'UTC',
      },
    );
    expect(delivered.split).toMatchObject({ is_last_to_deliver: true, is_last: true });
    expect(sampleContext('dispatched').split).toMatchObject({ is_split: false, shipment_count: 1 });
  });

  it('renders the split-shipment phrase from that information', () => {
    const first = sampleContext('delivered', { split: 'last_of_two' });
    // The other parcel is only dispatched, so this delivery is not the last one.
    expect(first.split.is_last).toBe(false);
  });
});
