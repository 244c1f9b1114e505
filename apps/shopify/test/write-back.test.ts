import type { WriteBackJob } from '@tidings/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TAG_PREFIX } from '../src/shopify-write-back.ts';
import { loadAdminSchema, validateDocument, validateVariables } from './admin-graphql-schema.ts';
import { sessionToken } from './session-token.ts';
import {
  fixture,
  installShop,
  OPERATOR_KEY,
  postWebhook,
  type RunningShopifyHub,
  SHOP,
  startShopifyHub,
} from './shopify-harness.ts';
import {
  type RecordedRequest,
  type ShopifyHttpStub,
  type StubAnswer,
  startShopifyHttpStub,
} from './shopify-stub.ts';

const schema = loadAdminSchema('2025-01');
const ORDER = '820982911946154508';
const GRAPHQL_PATH = '/admin/api/2025-01/graphql.json';

/** Which mutation a recorded request ran. */
const mutationOf = (r: RecordedRequest): string =>
  /\{\s*(\w+)\(/.exec(r.body?.query ?? '')?.[1] ?? '';

/** Shopify's success answers, with the order's `updatedAt` moving on at each write. */
const shopifyOk = (r: RecordedRequest): StubAnswer => {
  const node = { id: `gid://shopify/Order/${ORDER}` };
  switch (mutationOf(r)) {
    case 'fulfillmentEventCreate':
      return {
        body: {
          data: {
            fulfillmentEventCreate: {
              fulfillmentEvent: {
                id: 'gid://shopify/FulfillmentEvent/9191',
                status: 'IN_TRANSIT',
                happenedAt: '2022-01-03T10:00:00Z',
              },
              userErrors: [],
            },
          },
        },
      };
    case 'tagsAdd':
      return {
        body: {
          data: {
            tagsAdd: { node: { ...node, updatedAt: '2022-01-03T15:00:01Z' }, userErrors: [] },
          },
        },
      };
    case 'tagsRemove':
      return {
        body: {
          data: {
            tagsRemove: { node: { ...node, updatedAt: '2022-01-03T15:00:02Z' }, userErrors: [] },
          },
        },
      };
    case 'metafieldsSet':
      return {
        body: {
          data: {
            metafieldsSet: {
              metafields: [
                {
                  id: 'gid://shopify/Metafield/77',
                  namespace: 'tidings',
                  key: 'status',
                  value: String(
                    (r.body?.variables?.metafields as { value: string }[] | undefined)?.[0]?.value,
                  ),
                  owner: { ...node, updatedAt: '2022-01-03T15:00:03Z' },
                },
              ],
              userErrors: [],
            },
          },
        },
      };
    default:
      return { status: 404, body: { errors: 'Not Found' } };
  }
};

/** Answers `mutation` with `answer`, everything else as Shopify would on success. */
const failing =
  (mutation: string, answer: StubAnswer) =>
  (r: RecordedRequest): StubAnswer =>
    mutationOf(r) === mutation ? answer : shopifyOk(r);

const THROTTLED: StubAnswer = {
  body: {
    errors: [
      {
        message: 'Throttled',
        extensions: {
          code: 'THROTTLED',
          documentation: 'https://shopify.dev/api/usage/rate-limits',
        },
      },
    ],
    extensions: {
      cost: {
        requestedQueryCost: 12,
        actualQueryCost: null,
        throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 2, restoreRate: 100 },
      },
    },
  },
};

describe('the shopify write-back target, against a local HTTP stub of the Admin API', () => {
  let h: RunningShopifyHub;
  let stub: ShopifyHttpStub;

  beforeAll(async () => {
    stub = await startShopifyHttpStub();
    h = await startShopifyHub({ fetch: stub.fetch });
    await installShop(h.store);
    const order = fixture('orders-cancelled.json')
      .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
      .replace('"financial_status": "voided"', '"financial_status": "paid"');
    await postWebhook(h.url, 'orders/create', order);
  });
  afterAll(async () => {
    await h.stop();
    await stub.close();
  });
  beforeEach(() => {
    stub.answer(shopifyOk);
    stub.requests.length = 0;
  });

  const target = () => {
    const t = h.hub.writeBacks.targets().find((x) => x.target === 'shopify');
    if (!t) throw new Error('shopify target not registered');
    return t;
  };
  const job = (over: Partial<WriteBackJob> = {}): WriteBackJob => ({
    id: `wb-${Math.random().toString(36).slice(2)}`,
    tenantId: SHOP,
    orderRef: ORDER,
    target: 'shopify',
    eventId: 'carrier:1',
    status: 'in_transit',
    shipmentId: '123456',
    note: 'In transit with UPS',
    at: '2022-01-03T10:00:00.000Z',
    ...over,
  });
  const deps = () => ({ store: h.store, clock: { now: () => new Date() } });

  /** Every request so far is a valid document with valid variables, sent with the offline token. */
  const expectValidRequests = () => {
    expect(stub.requests.length).toBeGreaterThan(0);
    for (const r of stub.requests) {
      expect(r.shop).toBe(SHOP);
      expect(r.method).toBe('POST');
      expect(r.path).toBe(GRAPHQL_PATH);
      expect(r.headers['x-shopify-access-token']).toBe('shpat_test_offline');
      expect(validateDocument(schema, r.body?.query ?? '')).toEqual([]);
      expect(validateVariables(schema, r.body?.query ?? '', r.body?.variables ?? {})).toEqual([]);
    }
  };

  /** A manual override through the admin API, as a staff member would make it. */
  const override = async (
    status: string,
    reason: string,
    shipmentId?: string,
    orderRef: string = ORDER,
  ) => {
    const res = await fetch(`${h.url}/shopify/api/orders/${orderRef}/override`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sessionToken()}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        status,
        reason,
        notify: true,
        requestId: `${status}-${shipmentId ?? 'order'}-${Date.now()}`,
        ...(shipmentId ? { shipmentId } : {}),
      }),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  };

  /** Claims and runs the pending shopify write-back jobs as the engine's worker would. */
  const runPending = async () => {
    const now = () => new Date().toISOString();
    const claimed = (await h.store.claimWriteBacks(now(), 50, 60_000, 'test')).filter(
      (w) => w.job.target === 'shopify',
    );
    const results = [];
    for (const w of claimed) {
      const r = await target().write(w.job, deps());
      results.push(r);
      if (r.ok)
        await h.store.completeWriteBack(
          w.job.id,
          'test',
          {
            values: r.fingerprints ?? [],
            expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
          now(),
        );
    }
    return results;
  };

  it('is registered and applies to installed shops only', async () => {
    expect(await target().appliesTo(SHOP)).toBe(true);
    expect(await target().appliesTo('other.myshopify.com')).toBe(false);
  });

  it('writes a fulfillment event, a tidings: tag and the status metafield, and fingerprints each echo', async () => {
    const r = await target().write(job(), deps());
    expect(r).toEqual({
      ok: true,
      fingerprints: [
        'shopify:fulfillment_event:9191',
        `shopify:order:${ORDER}@${Date.parse('2022-01-03T15:00:01Z')}`,
        `shopify:order:${ORDER}@${Date.parse('2022-01-03T15:00:03Z')}`,
      ],
    });
    expect(stub.requests.map(mutationOf)).toEqual([
      'fulfillmentEventCreate',
      'tagsAdd',
      'metafieldsSet',
    ]);
    expectValidRequests();
    expect(stub.requests[1]?.body?.variables).toEqual({
      id: `gid://shopify/Order/${ORDER}`,
      tags: ['tidings:in_transit'],
    });
    // The order's own state says "processing" (only the orders/create webhook was ingested).
    expect(stub.requests[2]?.body?.variables).toEqual({
      metafields: [
        {
          ownerId: `gid://shopify/Order/${ORDER}`,
          namespace: 'tidings',
          key: 'status',
          type: 'single_line_text_field',
          value: 'processing',
        },
      ],
    });
  });

  it('recognises the fulfillment_events/create and orders/updated echoes of that write', async () => {
    const event = fixture('fulfillment-events-create.json')
      .replace('"id": 1234567', '"id": 9191')
      .replace('"gid://shopify/FulfillmentEvent/1234567"', '"gid://shopify/FulfillmentEvent/9191"');
    const e = await postWebhook(h.url, 'fulfillment_events/create', event);
    expect(e.json.outcome).toBe('echo');
    const order = fixture('orders-cancelled.json')
      .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
      .replace('"financial_status": "voided"', '"financial_status": "paid"')
      .replace(
        '"updated_at": "2021-12-31T19:00:00-05:00"',
        '"updated_at": "2022-01-03T10:00:03-05:00"',
      );
    const o = await postWebhook(h.url, 'orders/updated', order);
    expect(o.json.outcome).toBe('echo');
  });

  it('writes no fulfillment event when the status came from Shopify itself', async () => {
    const events = await h.store.listEvents(SHOP, ORDER);
    const fromShopify = events.find((e) => e.source === 'shopify');
    await target().write(job({ eventId: fromShopify?.sourceEventId ?? '' }), deps());
    expect(stub.requests.map(mutationOf)).toEqual(['tagsAdd', 'metafieldsSet']);
  });

  it('does not create a second fulfillment event when a job is retried after a later step failed', async () => {
    const retried = job();
    stub.answer(failing('metafieldsSet', THROTTLED));
    expect(await target().write(retried, deps())).toMatchObject({ ok: false });
    stub.answer(shopifyOk);
    expect(await target().write(retried, deps())).toMatchObject({ ok: true });
    expect(stub.requests.map(mutationOf)).toEqual([
      'fulfillmentEventCreate',
      'tagsAdd',
      'metafieldsSet',
      'tagsAdd',
      'metafieldsSet',
    ]);
  });

  it('tags a hold made by a staff member, and removes the tag once the hold is lifted', async () => {
    await override('on_hold', 'Customer asked us to wait');
    expect((await runPending()).every((r) => r.ok)).toBe(true);
    expect(stub.requests.map(mutationOf)).toEqual(['tagsAdd', 'metafieldsSet']);
    expect(stub.requests[0]?.body?.variables?.tags).toEqual([`${TAG_PREFIX}on_hold`]);
    expect(
      (stub.requests[1]?.body?.variables?.metafields as { value: string }[] | undefined)?.[0]
        ?.value,
    ).toBe('on_hold');

    stub.requests.length = 0;
    await override('dispatched', 'Handed to the courier at the counter');
    expect((await runPending()).every((r) => r.ok)).toBe(true);
    expect(stub.requests.map(mutationOf)).toEqual(['tagsAdd', 'tagsRemove', 'metafieldsSet']);
    expectValidRequests();
    expect(stub.requests[0]?.body?.variables?.tags).toEqual([`${TAG_PREFIX}dispatched`]);
    expect(stub.requests[1]?.body?.variables).toEqual({
      id: `gid://shopify/Order/${ORDER}`,
      tags: [`${TAG_PREFIX}on_hold`],
    });
    expect(
      (stub.requests[2]?.body?.variables?.metafields as { value: string }[] | undefined)?.[0]
        ?.value,
    ).toBe('dispatched');
  });

  it('takes our hold tag off when Shopify itself releases the hold (a sync job: no event, no tag added)', async () => {
    // An order of its own, so the holds of the other tests do not count.
    const other = '820982911946154509';
    const created = await postWebhook(
      h.url,
      'orders/create',
      fixture('orders-cancelled.json')
        .replace('"id": 820982911946154508', `"id": ${other}`)
        .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
        .replace('"financial_status": "voided"', '"financial_status": "paid"'),
    );
    expect(created.json.outcome).toBe('accepted');
    await override('on_hold', 'Waiting for the customer to confirm the address', undefined, other);
    stub.requests.length = 0;
    expect((await runPending()).every((r) => r.ok)).toBe(true);
    expect(stub.requests.map(mutationOf)).toEqual(['tagsAdd', 'metafieldsSet']);

    // The merchant releases the hold in Shopify; the webhook's fulfillment order is looked up.
    stub.answer((r) =>
      mutationOf(r) === 'fulfillmentOrder'
        ? {
            body: {
              data: {
                fulfillmentOrder: {
                  id: 'gid://shopify/FulfillmentOrder/1',
                  orderId: `gid://shopify/Order/${other}`,
                },
              },
            },
          }
        : shopifyOk(r),
    );
    const released = await postWebhook(
      h.url,
      'fulfillment_orders/hold_released',
      fixture('fulfillment-orders-hold-released.json'),
    );
    expect(released.json.outcome).toBe('accepted');
    const pending = (await h.store.listWriteBacks(SHOP, other)).filter(
      (w) => w.status === 'pending' && w.job.target === 'shopify',
    );
    expect(pending.map((w) => w.job.kind)).toEqual(['sync']);

    stub.requests.length = 0;
    expect((await runPending()).every((r) => r.ok)).toBe(true);
    expect(stub.requests.map(mutationOf)).toEqual(['tagsRemove', 'metafieldsSet']);
    expectValidRequests();
    expect(stub.requests[0]?.body?.variables?.tags).toEqual([`${TAG_PREFIX}on_hold`]);
  });

  it('removes the tidings:delayed tag once a carrier reports the order delivered', async () => {
    await override('delayed', 'Courier reports a backlog');
    expect((await runPending()).every((r) => r.ok)).toBe(true);
    expect(stub.requests.map(mutationOf)).toEqual(['tagsAdd', 'metafieldsSet']);
    expect(stub.requests[0]?.body?.variables?.tags).toEqual([`${TAG_PREFIX}delayed`]);

    // The carrier's "delivered" through the hub's event API (as a tracking source sends it).
    stub.requests.length = 0;
    const res = await fetch(`${h.url}/api/tenants/${SHOP}/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${OPERATOR_KEY}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        source: 'api',
        sourceEventId: `carrier-delivered-${Date.now()}`,
        orderRef: ORDER,
        occurredAt: new Date().toISOString(),
        status: 'delivered',
        raw: { value: 'Delivered' },
        order: { number: '#9999' },
      }),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    expect((await runPending()).every((r) => r.ok)).toBe(true);
    expect(stub.requests.map(mutationOf)).toEqual(['tagsAdd', 'tagsRemove', 'metafieldsSet']);
    expectValidRequests();
    // The hold's tag came off before and is not removed again; only the delay's is.
    expect(stub.requests[1]?.body?.variables?.tags).toEqual([`${TAG_PREFIX}delayed`]);
    expect(
      (stub.requests[2]?.body?.variables?.metafields as { value: string }[] | undefined)?.[0]
        ?.value,
    ).toBe('delivered');
  });

  it('returns cost-based throttling as retryable, waiting as long as the bucket needs to refill', async () => {
    // 12 points requested, 2 available, 100 restored per second: 100 ms.
    for (const step of ['tagsAdd', 'metafieldsSet']) {
      stub.answer(failing(step, THROTTLED));
      expect(await target().write({ ...job(), status: 'on_hold' }, deps())).toMatchObject({
        ok: false,
        error: {
          class: 'retryable',
          code: 'shopify_throttled',
          providerCode: 'THROTTLED',
          retryAfterMs: 100,
        },
      });
    }
    stub.answer(() => ({
      status: 429,
      body: { errors: 'Throttled' },
      headers: { 'retry-after': '2' },
    }));
    expect(await target().write(job(), deps())).toMatchObject({
      ok: false,
      error: {
        class: 'retryable',
        code: 'shopify_throttled',
        providerStatus: 429,
        retryAfterMs: 2000,
      },
    });
    stub.answer(() => ({ status: 429, body: THROTTLED.body }));
    expect(await target().write(job(), deps())).toMatchObject({
      ok: false,
      error: { class: 'retryable', code: 'shopify_throttled', retryAfterMs: 100 },
    });
  });

  it('returns user errors of every mutation, and a refused token, as permanent', async () => {
    const userErrors = [{ field: ['tags'], message: 'bad', code: 'INVALID' }];
    const refusals: [string, StubAnswer][] = [
      [
        'fulfillmentEventCreate',
        { body: { data: { fulfillmentEventCreate: { fulfillmentEvent: null, userErrors } } } },
      ],
      ['tagsAdd', { body: { data: { tagsAdd: { node: null, userErrors } } } }],
      ['metafieldsSet', { body: { data: { metafieldsSet: { metafields: null, userErrors } } } }],
    ];
    for (const [mutation, answer] of refusals) {
      stub.answer(failing(mutation, answer));
      expect(await target().write(job(), deps())).toMatchObject({
        ok: false,
        error: { class: 'permanent', code: 'user_errors' },
      });
    }
    stub.answer(() => ({ status: 401, body: { errors: 'Invalid API key or access token' } }));
    expect(await target().write(job(), deps())).toMatchObject({
      ok: false,
      error: { class: 'permanent', code: 'shopify_unauthorized' },
    });
  });
});
