import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATA_REQUEST_PREFIX } from '../src/compliance-webhooks.ts';
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

let h: RunningShopifyHub;
beforeEach(async () => {
  h = await startShopifyHub();
  await installShop(h.store);
});
afterEach(async () => {
  await h.stop();
});

/** An order of the compliance sample's customer, ingested through the real webhook. */
const seedOrder = async (id: string) => {
  const body = JSON.stringify({
    id: Number(id),
    name: `#${id}`,
    email: 'john@example.com',
    financial_status: 'pending',
    updated_at: '2022-01-01T10:00:00-05:00',
    line_items: [],
  });
  const r = await postWebhook(h.url, 'orders/create', body);
  expect(r.json.outcome).toBe('accepted');
};

describe('mandatory compliance webhooks', () => {
  it('answers a forged customers/redact with 401, as Shopify requires', async () => {
    const body = fixture('customers-redact.json');
    const res = await fetch(`${h.url}/shopify/webhooks`, {
      method: 'POST',
      headers: webhookHeaders('customers/redact', body, {
        'x-shopify-hmac-sha256': sign(body, 'forged'),
      }),
      body,
    });
    expect(res.status).toBe(401);
  });

  it('exports what we hold for customers/data_request and keeps it encrypted for the merchant', async () => {
    await seedOrder('299938');
    const r = await postWebhook(
      h.url,
      'customers/data_request',
      fixture('customers-data-request.json'),
    );
    expect(r.status).toBe(200);
    expect(r.json.outcome).toBe('exported');
    expect(r.json.detail).toMatchObject({ dataRequestId: '9999', recipientEntries: 1 });
    const stored = await h.store.getCredential(SHOP, `${DATA_REQUEST_PREFIX}9999`);
    expect(stored.ok).toBe(true);
    const exported = (stored as { ok: true; value: { export: { orders: { orderRef: string }[] } } })
      .value.export;
    expect(exported.orders.map((o) => o.orderRef)).toEqual(['299938']);
    const audit = await h.store.listAudit(SHOP);
    expect(audit.map((a) => a.action)).toContain('gdpr_data_request');
    expect(JSON.stringify(audit)).not.toContain('john@example.com');
  });

  it('stops every pending message of the orders named in customers/redact', async () => {
    await seedOrder('280263');
    const pending = (await h.store.listIntents(SHOP, '280263')).filter(
      (i) => i.status === 'pending',
    );
    expect(pending.length).toBeGreaterThan(0);
    const r = await postWebhook(h.url, 'customers/redact', fixture('customers-redact.json'));
    expect(r.status).toBe(200);
    expect(r.json.outcome).toBe('redacted');
    const after = await h.store.listIntents(SHOP, '280263');
    expect(after.every((i) => i.status !== 'pending')).toBe(true);
    expect((await h.store.listAudit(SHOP)).map((a) => a.action)).toContain('gdpr_customer_redact');
    // Nothing we hold names the customer any more: events, raw bodies, messages.
    expect((r.json.detail as { erased: { events: number } }).erased.events).toBeGreaterThan(0);
    const left = await h.store.findPersonalData(SHOP, ['john@example.com']);
    expect(left.events).toEqual([]);
    const events = await h.store.listEvents(SHOP, '280263');
    expect(events.length).toBeGreaterThan(0);
    expect(
      JSON.stringify(events.map((e) => [e.event, Buffer.from(e.rawBody).toString('utf8')])),
    ).not.toContain('john@example.com');
  });

  it('erases everything the shop holds on shop/redact, keeping only an inactive, audited tenant', async () => {
    await seedOrder('220458');
    expect((await h.store.listEvents(SHOP, '220458')).length).toBeGreaterThan(0);
    const r = await postWebhook(h.url, 'shop/redact', fixture('shop-redact.json'));
    expect(r.status).toBe(200);
    expect(r.json.outcome).toBe('shop_redacted');
    expect(r.json.detail).toMatchObject({ erased: { events: 1, credentials: 1 } });
    expect(await h.store.listCredentials(SHOP)).toEqual([]);
    expect(await h.store.listEvents(SHOP, '220458')).toEqual([]);
    expect(await h.store.listIntents(SHOP, '220458')).toEqual([]);
    expect(await h.store.getOrderState(SHOP, '220458')).toBeUndefined();
    const found = await h.store.findPersonalData(SHOP, ['john@example.com']);
    expect(found).toEqual({ events: [], consents: [], intents: [] });
    expect((await h.store.getTenant(SHOP))?.active).toBe(false);
    expect((await h.store.listAudit(SHOP)).at(-1)).toMatchObject({ action: 'tenant.erased' });
    // Shopify may deliver it again: the second delivery finds nothing left and still answers 200.
    const again = await postWebhook(h.url, 'shop/redact', fixture('shop-redact.json'));
    expect(again.status).toBe(200);
  });

  it('deactivates the tenant on app/uninstalled so later webhooks notify nobody', async () => {
    const r = await postWebhook(h.url, 'app/uninstalled', fixture('app-uninstalled.json'));
    expect(r.json.outcome).toBe('uninstalled');
    expect((await h.store.getTenant(SHOP))?.active).toBe(false);
    const after = await postWebhook(
      h.url,
      'orders/create',
      JSON.stringify({ id: 5, financial_status: 'paid', updated_at: '2022-01-01T10:00:00Z' }),
    );
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ outcome: 'ignored', reason: 'tenant_inactive' });
  });
});
