import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityPage } from '../src/admin-activity-routes.ts';
import { sessionToken } from './session-token.ts';
import {
  API_SECRET,
  installShop,
  postWebhook,
  type RunningShopifyHub,
  SHOP,
  startShopifyHub,
} from './shopify-harness.ts';

const OTHER_SHOP = 'other-shop.myshopify.com';
const JON = 'jon.activity@example.com';
const ANN = 'ann.activity@example.com';
const PHONE = '+14155550199';

/** An orders/create body as Shopify sends it, naming the customer (personal data). */
const newOrder = (id: number, email: string) =>
  JSON.stringify({
    id,
    name: `#${id}`,
    email,
    phone: null,
    financial_status: 'pending',
    updated_at: new Date().toISOString(),
    customer: { first_name: 'Zebulon', last_name: 'Quixotic', email, phone: null },
    billing_address: { phone: PHONE, name: 'Zebulon Quixotic' },
  });

interface Body extends ActivityPage {
  error: { code: string; message: string };
}

let h: RunningShopifyHub;

const get = async (query = '', token: string | null = sessionToken()) => {
  const res = await fetch(`${h.url}/shopify/api/activity${query}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as Body };
};

beforeAll(async () => {
  h = await startShopifyHub();
  await installShop(h.store);
  await installShop(h.store, OTHER_SHOP);
  // Ann unsubscribed from e-mail: her order's message is suppressed, with core's reason.
  await h.store.transaction((tx) =>
    tx.putConsent({
      tenantId: SHOP,
      channel: 'email',
      contact: ANN,
      state: 'opted_out',
      scope: 'all',
      at: new Date().toISOString(),
      source: 'unsubscribe',
    }),
  );
  for (const [id, email] of [
    [7001, JON],
    [7002, ANN],
  ] as const) {
    const r = await postWebhook(h.url, 'orders/create', newOrder(id, email));
    expect(r.json.outcome).toBe('accepted');
  }
  // Another shop's decisions never show.
  await h.store.transaction((tx) =>
    tx.insertDecisions({
      tenantId: OTHER_SHOP,
      orderRef: '9999',
      at: new Date().toISOString(),
      decisions: [
        { action: 'send', reason: 'ready', reasons: ['ready'], channel: 'sms', detail: 'foreign' },
      ],
    }),
  );
});
afterAll(async () => {
  await h.stop();
});

describe('GET /shopify/api/activity', () => {
  it('needs a valid session token', async () => {
    const none = await get('', null);
    expect(none.status).toBe(401);
    expect(none.json.error.code).toBe('unauthorized');
    expect(none.headers.get('x-shopify-retry-invalid-session-request')).toBe('1');
    const forged = await get('', sessionToken({}, `${API_SECRET}-not`));
    expect(forged.status).toBe(401);
    const expired = await get('', sessionToken({ exp: Math.floor(Date.now() / 1000) - 120 }));
    expect(expired.status).toBe(401);
  });

  it('lists the sent and the suppressed message, newest first, with core reasons and sentences', async () => {
    const r = await get();
    expect(r.status).toBe(200);
    const entries = r.json.entries;
    expect(entries.every((e) => e.orderRef === '7001' || e.orderRef === '7002')).toBe(true);
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    expect(entries[0]?.orderRef).toBe('7002');

    const sent = entries.find((e) => e.orderRef === '7001' && e.action === 'send');
    expect(sent).toMatchObject({
      orderNumber: '#7001',
      status: 'created',
      audience: 'customer',
      channel: 'email',
      reason: 'ready',
      ruleId: 'customer-progress',
      delivery: 'pending',
    });
    expect(sent?.detail).toMatch(/hears "created" by email now/);

    const suppressed = entries.find((e) => e.orderRef === '7002' && e.channel === 'email');
    expect(suppressed).toMatchObject({
      orderNumber: '#7002',
      status: 'created',
      action: 'suppress',
      reason: 'consent_opted_out',
    });
    expect(suppressed?.detail).toMatch(/not by email/);
    expect(suppressed?.delivery).toBeUndefined();
    // The same decisions the order's timeline explains.
    const timeline = await h.store.listDecisions(SHOP, '7002');
    expect(entries.filter((e) => e.orderRef === '7002').map((e) => e.detail)).toEqual(
      timeline.map((d) => d.decision.detail).reverse(),
    );
  });

  it('carries no personal data: no e-mail, phone, name or contact field', async () => {
    const r = await get();
    expect(r.status).toBe(200);
    for (const secret of [JON, ANN, PHONE, 'Zebulon', 'Quixotic', '@'])
      expect(r.text).not.toContain(secret);
    expect(r.text).not.toMatch(/"(to|contact|contacts|recipient|recipients|email|phone|name)":/);
  });

  it('filters by action and channel', async () => {
    const suppressed = await get('?action=suppress');
    expect(suppressed.json.entries.length).toBeGreaterThan(0);
    expect(suppressed.json.entries.every((e) => e.action === 'suppress')).toBe(true);
    const email = await get('?action=send,suppress&channel=email');
    expect(email.json.entries.map((e) => [e.orderRef, e.action])).toEqual([
      ['7002', 'suppress'],
      ['7001', 'send'],
    ]);
    const bad = await get('?action=shout');
    expect(bad.status).toBe(422);
    expect(bad.json.error.code).toBe('invalid_request');
    expect((await get('?channel=pigeon')).status).toBe(422);
  });

  it('pages by cursor with no duplicate or gap, and rejects a cursor it did not give out', async () => {
    const all = (await get('?limit=100')).json.entries;
    expect(all.length).toBe(3);
    const seen: string[] = [];
    let before: string | undefined;
    let pages = 0;
    do {
      const r = await get(`?limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.json.entries.length).toBeLessThanOrEqual(2);
      seen.push(...r.json.entries.map((e) => e.id));
      before = r.json.next;
      pages += 1;
    } while (before && pages < 50);
    expect(seen).toEqual(all.map((e) => e.id));
    expect(new Set(seen).size).toBe(seen.length);

    // Filtered pages resume where the last one ended, too.
    const first = await get('?limit=1&action=send');
    expect(first.json.next).toEqual(expect.any(String));
    const second = await get(
      `?limit=1&action=send&before=${encodeURIComponent(first.json.next ?? '')}`,
    );
    expect(second.json.entries[0]?.id).not.toBe(first.json.entries[0]?.id);
    expect(second.json.entries.map((e) => [e.orderRef, e.action])).toEqual([['7001', 'send']]);
    expect(second.json.next).toBeUndefined();

    const bad = await get('?before=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('invalid_cursor');
    expect((await get('?limit=0')).status).toBe(422);
    expect((await get('?limit=101')).status).toBe(422);
  });
});
