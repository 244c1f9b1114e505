import type { WriteBackJob } from '@tidings/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENTS, FULFILLMENT_EVENT_CREATE, TAGS_ADD } from '../src/graphql-documents.ts';
import { FULFILLMENT_EVENT_STATUS } from '../src/shopify-write-back.ts';
import { loadAdminSchema, validateDocument, validateVariables } from './admin-schema.ts';
import {
  fixture,
  installShop,
  postWebhook,
  type RunningShopifyHub,
  SHOP,
  type StubCall,
  startShopifyHub,
} from './shopify-harness.ts';

const schema = loadAdminSchema('2025-01');

describe('GraphQL documents against the Admin schema 2025-01', () => {
  for (const [name, doc] of Object.entries(DOCUMENTS)) {
    it(`validates ${name}`, () => {
      expect(validateDocument(schema, doc)).toEqual([]);
    });
  }

  it('catches a field, an argument type and an enum value the schema does not have', () => {
    expect(validateDocument(schema, TAGS_ADD.replace('updatedAt', 'updatedAtt'))).not.toEqual([]);
    expect(
      validateDocument(schema, TAGS_ADD.replace('$tags: [String!]!', '$tags: String')),
    ).not.toEqual([]);
    expect(
      validateVariables(schema, FULFILLMENT_EVENT_CREATE, {
        fulfillmentEvent: {
          fulfillmentId: 'gid://shopify/Fulfillment/1',
          status: 'CARRIER_PICKED_UP',
        },
      }),
    ).not.toEqual([]);
  });

  it('maps every written status to a FulfillmentEventStatus that 2025-01 has', () => {
    for (const status of Object.values(FULFILLMENT_EVENT_STATUS)) {
      expect(
        validateVariables(schema, FULFILLMENT_EVENT_CREATE, {
          fulfillmentEvent: { fulfillmentId: 'gid://shopify/Fulfillment/1', status },
        }),
      ).toEqual([]);
    }
  });
});

describe('the shopify write-back target', () => {
  let h: RunningShopifyHub;
  const ORDER = '820982911946154508';
  const answer = (call: StubCall) => {
    const q = (call.body as { query: string }).query;
    if (q.includes('fulfillmentEventCreate'))
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
    return {
      body: {
        data: {
          tagsAdd: {
            node: { id: `gid://shopify/Order/${ORDER}`, updatedAt: '2022-01-03T15:00:01Z' },
            userErrors: [],
          },
        },
      },
    };
  };

  beforeAll(async () => {
    h = await startShopifyHub();
    await installShop(h.store);
    const order = fixture('orders-cancelled.json')
      .replace('"cancelled_at": "2021-12-31T19:00:00-05:00"', '"cancelled_at": null')
      .replace('"financial_status": "voided"', '"financial_status": "paid"');
    await postWebhook(h.url, 'orders/create', order);
  });
  afterAll(async () => {
    await h.stop();
  });

  const target = () => {
    const t = h.hub.writeBacks.targets().find((x) => x.target === 'shopify');
    if (!t) throw new Error('shopify target not registered');
    return t;
  };
  const job = (over: Partial<WriteBackJob> = {}): WriteBackJob => ({
    id: 'wb-1',
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

  it('is registered and applies to installed shops only', async () => {
    expect(await target().appliesTo(SHOP)).toBe(true);
    expect(await target().appliesTo('other.myshopify.com')).toBe(false);
  });

  it('writes a fulfillment event and a tidings: tag, with valid variables, and fingerprints both', async () => {
    h.setShopify(answer);
    h.calls.length = 0;
    const r = await target().write(job(), deps());
    expect(r).toEqual({
      ok: true,
      fingerprints: [
        'shopify:fulfillment_event:9191',
        `shopify:order:${ORDER}@${Date.parse('2022-01-03T15:00:01Z')}`,
      ],
    });
    expect(h.calls.map((c) => c.url)).toEqual([
      `https://${SHOP}/admin/api/2025-01/graphql.json`,
      `https://${SHOP}/admin/api/2025-01/graphql.json`,
    ]);
    for (const call of h.calls) {
      const { query, variables } = call.body as {
        query: string;
        variables: Record<string, unknown>;
      };
      expect(validateDocument(schema, query)).toEqual([]);
      expect(validateVariables(schema, query, variables)).toEqual([]);
      expect(call.headers['x-shopify-access-token']).toBe('shpat_test_offline');
    }
    expect(
      (h.calls[1]?.body as { variables: { tags: string[] } } | undefined)?.variables.tags,
    ).toEqual(['tidings:in_transit']);
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
        '"updated_at": "2022-01-03T10:00:01-05:00"',
      );
    const o = await postWebhook(h.url, 'orders/updated', order);
    expect(o.json.outcome).toBe('echo');
  });

  it('only tags when the status came from Shopify itself', async () => {
    h.calls.length = 0;
    const events = await h.store.listEvents(SHOP, ORDER);
    const fromShopify = events.find((e) => e.source === 'shopify');
    await target().write(job({ eventId: fromShopify?.sourceEventId ?? '' }), deps());
    expect(h.calls).toHaveLength(1);
    expect((h.calls[0]?.body as { query: string } | undefined)?.query).toContain('tagsAdd');
  });

  it('returns throttling as retryable with the wait Shopify implies', async () => {
    h.setShopify(() => ({
      body: {
        errors: [
          {
            message: 'Throttled',
            extensions: {
              code: 'THROTTLED',
              cost: {
                requestedQueryCost: 12,
                throttleStatus: { currentlyAvailable: 2, restoreRate: 50 },
              },
            },
          },
        ],
      },
    }));
    const r = await target().write(job(), deps());
    expect(r).toMatchObject({
      ok: false,
      error: { class: 'retryable', code: 'shopify_throttled', retryAfterMs: 200 },
    });
    h.setShopify(() => ({ status: 429, body: {}, headers: { 'retry-after': '2' } }));
    expect(await target().write(job(), deps())).toMatchObject({
      ok: false,
      error: { class: 'retryable', retryAfterMs: 2000 },
    });
  });

  it('returns user errors and a refused token as permanent', async () => {
    h.setShopify(() => ({
      body: {
        data: {
          fulfillmentEventCreate: {
            fulfillmentEvent: null,
            userErrors: [{ field: ['status'], message: 'bad' }],
          },
        },
      },
    }));
    expect(await target().write(job(), deps())).toMatchObject({
      ok: false,
      error: { class: 'permanent', code: 'user_errors' },
    });
    h.setShopify(() => ({ status: 401, body: { errors: 'Invalid API key or access token' } }));
    expect(await target().write(job(), deps())).toMatchObject({
      ok: false,
      error: { class: 'permanent', code: 'shopify_unauthorized' },
    });
  });
});
