import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitPhpRuntimes, PHP_VERSIONS, type PhpVersion, runPhpScript } from './php-runtime.ts';
import {
  errorCode,
  PLUGIN_SECRET,
  post,
  type RunningWooHub,
  SITE,
  startWooHub,
} from './woocommerce-harness.ts';

interface PhpRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

let woo: RunningWooHub;
beforeAll(async () => {
  woo = await startWooHub();
});
afterAll(async () => {
  await woo.stop();
  await exitPhpRuntimes();
});

const order = (id: number) => ({
  id,
  number: `WC-${id}`,
  status: 'processing',
  currency: 'EUR',
  total: '19.9',
  customer_id: 0,
  email: 'zoe@example.com',
  phone: '+33 6 12 34 56 78',
  first_name: 'Zoë',
  last_name: 'Ñúñez',
  country: 'FR',
  state: '',
  created: '2025-06-01T09:00:00+00:00',
  items: [
    { id: 3, product_id: 8, sku: 'TEA', name: 'Thé vert / 100 g', quantity: 2, total: '19.9' },
  ],
  meta: {
    _wc_shipment_tracking_items: [{ tracking_provider: 'colissimo', tracking_number: '6A123' }],
  },
});

/** The plugin's own PHP builds, signs and "sends" (records) its requests for these changes. */
const signInPhp = async (
  version: PhpVersion,
  changes: { from: string; to: string; order: unknown }[],
  options: { nowSeconds?: number; secret?: string; failFirst?: boolean; ping?: boolean } = {},
): Promise<PhpRequest[]> =>
  JSON.parse(
    await runPhpScript(version, 'sign-deliveries.php', {
      now: options.nowSeconds ?? Math.floor(Date.now() / 1000) - 60,
      fail_first: options.failFirst ?? false,
      ping: options.ping ?? false,
      settings: {
        endpoint_url: `${woo.url}/woocommerce/events`,
        site_id: SITE,
        secret: options.secret ?? PLUGIN_SECRET,
      },
      changes,
    }),
  ) as PhpRequest[];

const send = (r: PhpRequest) => post(r.url, { body: r.body, headers: r.headers });

// Each version signs its own orders (3000s on 7.4, 4000s on 8.3) against the one hub.
describe.each(PHP_VERSIONS)('PHP %s signs, Node verifies', (version) => {
  const base = version === '7.4' ? 3000 : 4000;
  const id = (n: number) => base + n;
  it('accepts a status change signed by the plugin’s PHP, non-ASCII body and all', async () => {
    const [request] = await signInPhp(version, [
      { from: 'pending', to: 'processing', order: order(id(1)) },
    ]);
    if (!request) throw new Error('the plugin sent nothing');
    expect(request.url).toBe(`${woo.url}/woocommerce/events`);
    const res = await send(request);
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('accepted');
    const state = await woo.store.getOrderState(SITE, String(id(1)));
    expect(state?.state.reportedProgress).toBe('processing');
    const [event] = await woo.store.listEvents(SITE, String(id(1)));
    expect(event?.event.recipients[0]?.name).toBe('Zoë Ñúñez');
    expect(event?.event.order.lineItems[0]?.title).toBe('Thé vert / 100 g');
  });

  it('rejects the plugin’s request when its body is changed', async () => {
    const [request] = await signInPhp(version, [
      { from: 'pending', to: 'processing', order: order(id(2)) },
    ]);
    if (!request) throw new Error('the plugin sent nothing');
    const res = await send({
      ...request,
      body: request.body.replace('"processing"', '"refunded"'),
    });
    expect(res.status).toBe(401);
    expect(errorCode(res.json)).toBe('bad_signature');
  });

  it('rejects a request the plugin signed long ago, and one signed with another secret', async () => {
    const [stale] = await signInPhp(
      version,
      [{ from: 'pending', to: 'processing', order: order(id(3)) }],
      {
        nowSeconds: Math.floor(Date.now() / 1000) - 3600,
      },
    );
    if (!stale) throw new Error('the plugin sent nothing');
    const res = await send(stale);
    expect(res.status).toBe(401);
    expect(errorCode(res.json)).toBe('stale_request');
    const [foreign] = await signInPhp(
      version,
      [{ from: 'pending', to: 'processing', order: order(id(3)) }],
      {
        secret: 'some-other-site-secret-0000',
      },
    );
    if (!foreign) throw new Error('the plugin sent nothing');
    expect((await send(foreign)).status).toBe(401);
  });

  it('answers the settings page’s “Test connection” ping, signed by the plugin, with 200', async () => {
    const [ping] = await signInPhp(version, [], { ping: true });
    if (!ping) throw new Error('the plugin sent no ping');
    const res = await send(ping);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, ping: true, site: SITE });
  });

  it('turns the plugin’s retry of one delivery (same id, signed anew) into one set of intents', async () => {
    const requests = await signInPhp(
      version,
      [{ from: 'pending', to: 'processing', order: order(id(4)) }],
      {
        failFirst: true,
      },
    );
    expect(requests).toHaveLength(2);
    const [first, retry] = requests;
    if (!first || !retry) throw new Error('expected an attempt and a retry');
    expect(retry.headers['X-Tidings-Delivery']).toBe(first.headers['X-Tidings-Delivery']);
    expect(retry.headers['X-Tidings-Signature']).not.toBe(first.headers['X-Tidings-Signature']);
    const a = await send(first);
    const intents = await woo.store.listIntents(SITE, String(id(4)));
    const b = await send(retry);
    expect([a.json.outcome, b.json.outcome]).toEqual(['accepted', 'duplicate']);
    expect(await woo.store.listIntents(SITE, String(id(4)))).toHaveLength(intents.length);
    expect(intents.length).toBeGreaterThan(0);
  });
});
