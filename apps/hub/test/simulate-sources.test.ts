/**
 * `tidings simulate --source …` against a real hub with every app mounted (as `npm start` mounts
 * them), Shopify configured with test secrets: each source's signed requests are accepted and the
 * dev inbox holds the journey's messages for that order, each with its explanation.
 */
import { createHubspotApp } from '@tidings/hubspot';
import { createSalesforceApp } from '@tidings/salesforce';
import { createShopifyApp } from '@tidings/shopify';
import { createSourcesApp } from '@tidings/sources';
import { createWoocommerceApp } from '@tidings/woocommerce';
import { createZendeskApp } from '@tidings/zendesk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulateSource, simulate } from '../src/simulate.ts';
import { type RunningHub, startHub } from './hub-harness.ts';

const SHOPIFY_SECRET = 'test-client-secret-0123456789abcdef';
const HUBSPOT_SECRET = 'test-hubspot-client-secret-0123456789';
/** What HubSpot signs is the URL it called: the hub's public URL, not the loopback address. */
const PUBLIC_URL = 'https://tidings.example';

const APPS = [
  (context: Parameters<typeof createShopifyApp>[0]) => createShopifyApp(context),
  createHubspotApp,
  createSalesforceApp,
  createZendeskApp,
  createWoocommerceApp,
  createSourcesApp,
];

interface InboxMessage {
  tenantId: string;
  orderRef: string;
  status: string;
  channel: string;
  why: string[];
}

const inboxOf = async (running: RunningHub, tenantId: string, orderRef: string) => {
  const res = await fetch(`${running.url}/dev/inbox.json?tenant=${encodeURIComponent(tenantId)}`);
  const { messages } = (await res.json()) as { messages: InboxMessage[] };
  return messages.filter((m) => m.orderRef === orderRef);
};

/** The statuses whose messages each source's journey must put in the inbox. */
const EXPECTED: Record<Exclude<SimulateSource, 'admin'>, string[]> = {
  api: [
    'created',
    'processing',
    'split_shipment',
    'dispatched',
    'delayed',
    'out_for_delivery',
    'delivered',
  ],
  aftership: [
    'created',
    'processing',
    'split_shipment',
    'dispatched',
    'delayed',
    'out_for_delivery',
    'delivered',
  ],
  woocommerce: [
    'created',
    'processing',
    'split_shipment',
    'dispatched',
    'delayed',
    'out_for_delivery',
    'delivered',
  ],
  zendesk: [
    'created',
    'processing',
    'split_shipment',
    'dispatched',
    'delayed',
    'out_for_delivery',
    'delivered',
  ],
  shopify: ['created', 'processing', 'dispatched', 'delayed', 'out_for_delivery', 'delivered'],
  hubspot: ['created', 'processing', 'dispatched', 'delayed', 'out_for_delivery', 'delivered'],
  salesforce: ['created', 'processing', 'dispatched', 'delayed', 'out_for_delivery', 'delivered'],
};

describe('simulate --source, through every mounted app', () => {
  let running: RunningHub;
  beforeAll(async () => {
    running = await startHub(undefined, {
      apps: APPS,
      publicUrl: PUBLIC_URL,
      env: {
        SHOPIFY_API_KEY: 'test-client-id',
        SHOPIFY_API_SECRET: SHOPIFY_SECRET,
        SHOPIFY_APP_URL: 'https://tidings.example',
        HUBSPOT_CLIENT_ID: 'test-hubspot-client-id',
        HUBSPOT_CLIENT_SECRET: HUBSPOT_SECRET,
      },
    });
  });
  afterAll(async () => running?.stop());

  const run = (
    source: SimulateSource,
    extra: { shopifySecret?: string; hubspotSecret?: string } = {},
  ) => {
    const lines: string[] = [];
    return {
      lines,
      result: simulate({
        baseUrl: running.url,
        tenantId: running.tenantId,
        source,
        apiKey: running.apiKey,
        adminKey: running.adminKey,
        waitMs: 20_000,
        print: (line) => lines.push(line),
        publicUrl: PUBLIC_URL,
        hubspotSecret: HUBSPOT_SECRET,
        ...extra,
      }),
    };
  };

  for (const source of Object.keys(EXPECTED) as (keyof typeof EXPECTED)[]) {
    it(`--source ${source}: signed requests accepted, the journey's messages in the dev inbox with reasons`, async () => {
      const { lines, result: pending } = run(source, { shopifySecret: SHOPIFY_SECRET });
      const result = await pending;
      expect(result.source).toBe(source);
      expect(result.accepted).toBe(result.events);
      expect(result.intents).toBeGreaterThanOrEqual(EXPECTED[source].length);
      expect(result.messages).toBe(result.intents);
      const mine = await inboxOf(running, result.tenantId, result.orderRef);
      expect(mine).toHaveLength(result.intents);
      expect(new Set(mine.map((m) => m.status))).toEqual(new Set(EXPECTED[source]));
      for (const m of mine) expect(m.why.length).toBeGreaterThan(0);
      expect(lines.some((l) => l.startsWith(`[1/${result.events}]`))).toBe(true);
      console.log(
        `simulate --source ${source}: ${result.events} requests, ${result.intents} messages for ${result.tenantId} ${result.orderRef}`,
      );
    }, 60_000);
  }

  it('--source shopify lands on the shop tenant <tenant>.myshopify.com', async () => {
    const { result } = run('shopify', { shopifySecret: SHOPIFY_SECRET });
    expect((await result).tenantId).toBe(`${running.tenantId}.myshopify.com`);
  }, 60_000);

  it('--source shopify with another secret says to use the hub’s SHOPIFY_API_SECRET', async () => {
    await expect(run('shopify', { shopifySecret: 'not-the-hubs-secret' }).result).rejects.toThrow(
      /401 bad_signature.*SHOPIFY_API_SECRET/,
    );
  });

  it('--source hubspot lands on a portal tenant; the SMS chosen in the action is the one used', async () => {
    const { lines, result } = run('hubspot');
    const done = await result;
    expect(done.tenantId).toMatch(/^\d{9}$/);
    expect(lines.some((l) => l.includes('→ SUCCESS sent (sent_by_sms)'))).toBe(true);
    const mine = await inboxOf(running, done.tenantId, done.orderRef);
    expect(mine.filter((m) => m.status === 'out_for_delivery').map((m) => m.channel)).toEqual([
      'sms',
    ]);
  }, 60_000);

  it('--source hubspot with another secret says to use the hub’s HUBSPOT_CLIENT_SECRET', async () => {
    await expect(run('hubspot', { hubspotSecret: 'not-the-hubs-secret' }).result).rejects.toThrow(
      /401 bad_signature.*HUBSPOT_CLIENT_SECRET.*TIDINGS_PUBLIC_URL/,
    );
  });

  it('--source salesforce lands on an 18-character org id with its own signing secret', async () => {
    const done = await run('salesforce').result;
    expect(done.tenantId).toMatch(/^00D[0-9A-Z]{15}$/);
    const mine = await inboxOf(running, done.tenantId, done.orderRef);
    expect(mine.filter((m) => m.status === 'out_for_delivery').map((m) => m.channel)).toEqual([
      'sms',
    ]);
  }, 60_000);

  it('signed sources without the operator key say where to find it', async () => {
    await expect(
      simulate({ baseUrl: running.url, tenantId: running.tenantId, source: 'api' }),
    ).rejects.toThrow(/TIDINGS_ADMIN_KEY/);
  });

  it('the default (admin) source is unchanged', async () => {
    const result = await run('admin').result;
    expect(result).toMatchObject({ source: 'admin', events: 10, accepted: 10 });
    expect(result.messages).toBe(result.intents);
  }, 60_000);
});

describe('simulate --source shopify|hubspot when the hub has no Shopify or HubSpot secret', () => {
  let running: RunningHub;
  beforeAll(async () => {
    running = await startHub(undefined, { apps: APPS, env: {} });
  });
  afterAll(async () => running?.stop());

  it('says to start the hub with SHOPIFY_API_SECRET or use --source api', async () => {
    await expect(
      simulate({
        baseUrl: running.url,
        tenantId: running.tenantId,
        source: 'shopify',
        adminKey: running.adminKey,
        shopifySecret: SHOPIFY_SECRET,
      }),
    ).rejects.toThrow(/shopify_not_configured.*SHOPIFY_API_SECRET=.*--source api/);
  });

  it('says to start the hub with HUBSPOT_CLIENT_SECRET or use --source api', async () => {
    await expect(
      simulate({
        baseUrl: running.url,
        tenantId: running.tenantId,
        source: 'hubspot',
        adminKey: running.adminKey,
        hubspotSecret: HUBSPOT_SECRET,
      }),
    ).rejects.toThrow(/503 not_configured.*HUBSPOT_CLIENT_SECRET=.*--source api/);
  });
});
