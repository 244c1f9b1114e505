import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  errorCode,
  post,
  type RunningWooHub,
  SITE,
  SITE_URL,
  signedPluginRequest,
  signedWebhookRequest,
  startWooHub,
  statusChange,
} from './woocommerce-harness.ts';

const ORDER_727 = readFileSync(
  new URL('./fixtures/rest-v3-order-727.json', import.meta.url),
  'utf8',
);

let woo: RunningWooHub;
const events = () => `${woo.url}/woocommerce/events`;
const webhooks = () => `${woo.url}/woocommerce/webhooks`;

beforeAll(async () => {
  woo = await startWooHub();
});
afterAll(async () => {
  await woo.stop();
});

describe('POST /woocommerce/events (the plugin)', () => {
  it('accepts a signed status change and plans the customer messages', async () => {
    const res = await post(
      events(),
      signedPluginRequest(statusChange(1001, 'pending', 'processing')),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, outcome: 'accepted', verdict: 'notify' });
    expect(res.json.intents).toBeGreaterThan(0);
    const state = await woo.store.getOrderState(SITE, '1001');
    expect(state?.state.reportedProgress).toBe('processing');
    const [event] = await woo.store.listEvents(SITE, '1001');
    expect(event?.source).toBe('woocommerce');
  });

  it('turns the same delivery id, signed anew, into one set of intents', async () => {
    const payload = statusChange(1002, 'pending', 'processing');
    const first = await post(events(), signedPluginRequest(payload));
    const intents = await woo.store.listIntents(SITE, '1002');
    const again = await post(
      events(),
      signedPluginRequest(payload, { timestamp: Math.floor(Date.now() / 1000) + 1 }),
    );
    expect(first.json.outcome).toBe('accepted');
    expect(again.status).toBe(200);
    expect(again.json.outcome).toBe('duplicate');
    expect(await woo.store.listIntents(SITE, '1002')).toHaveLength(intents.length);
  });

  it('answers 409 to the exact same signed request sent twice', async () => {
    const request = signedPluginRequest(statusChange(1003, 'pending', 'on-hold'));
    expect((await post(events(), request)).status).toBe(200);
    const replayed = await post(events(), request);
    expect(replayed.status).toBe(409);
    expect(errorCode(replayed.json)).toBe('replayed_request');
  });

  it('rejects a body changed after signing', async () => {
    const request = signedPluginRequest(statusChange(1004, 'pending', 'processing'));
    const forged = { ...request, body: request.body.replace('"processing"', '"completed"') };
    const res = await post(events(), forged);
    expect(res.status).toBe(401);
    expect(errorCode(res.json)).toBe('bad_signature');
    expect(await woo.store.listEvents(SITE, '1004')).toHaveLength(0);
  });

  it('rejects a signature made with another secret', async () => {
    const res = await post(
      events(),
      signedPluginRequest(statusChange(1005, 'pending', 'processing'), {
        secret: 'not-the-site-secret-0123456789',
      }),
    );
    expect(res.status).toBe(401);
    expect(errorCode(res.json)).toBe('bad_signature');
  });

  it('rejects a stale or far-future timestamp, even correctly signed', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const timestamp of [now - 600, now + 600]) {
      const res = await post(
        events(),
        signedPluginRequest(statusChange(1006, 'pending', 'processing'), { timestamp }),
      );
      expect(res.status).toBe(401);
      expect(errorCode(res.json)).toBe('stale_request');
    }
  });

  it('rejects unsigned requests and unknown sites', async () => {
    const request = signedPluginRequest(statusChange(1007, 'pending', 'processing'));
    const { 'x-tidings-signature': _dropped, ...unsigned } = request.headers;
    const missing = await post(events(), { ...request, headers: unsigned });
    expect(missing.status).toBe(401);
    expect(errorCode(missing.json)).toBe('missing_signature');
    const unknown = await post(
      events(),
      signedPluginRequest(statusChange(1007, 'pending', 'processing'), { site: 'other.example' }),
    );
    expect(unknown.status).toBe(401);
    expect(errorCode(unknown.json)).toBe('unknown_site');
  });

  it('rejects an oversized body with 413 before reading it', async () => {
    const huge = statusChange(1008, 'pending', 'processing', {
      items: Array.from({ length: 3000 }, (_, i) => ({
        id: i,
        quantity: 1,
        name: 'x'.repeat(100),
        categories: [],
      })),
    });
    const res = await post(events(), signedPluginRequest(huge));
    expect(res.status).toBe(413);
    expect(errorCode(res.json)).toBe('payload_too_large');
  });

  it('answers malformed JSON with 400 and a malformed delivery with 422 naming the paths', async () => {
    const broken = await post(events(), signedPluginRequest('{"schema":1,'));
    expect(broken.status).toBe(400);
    expect(errorCode(broken.json)).toBe('malformed_json');
    const wrong = statusChange(1009, 'pending', 'processing', { changed_at: 'yesterday', id: -1 });
    const invalid = await post(events(), signedPluginRequest(wrong));
    expect(invalid.status).toBe(422);
    expect(errorCode(invalid.json)).toBe('invalid_request');
    const paths = (invalid.json.error as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['order.id', 'order.changed_at']));
  });

  it('checks the signature before it reads any JSON', async () => {
    const request = signedPluginRequest('{"schema":1,', {
      secret: 'not-the-site-secret-0123456789',
    });
    const res = await post(events(), request);
    expect(res.status).toBe(401);
    expect(errorCode(res.json)).toBe('bad_signature');
  });

  it('refuses a body whose delivery id differs from the signed header', async () => {
    const payload = statusChange(1010, 'pending', 'processing');
    const request = signedPluginRequest(
      JSON.stringify({ ...payload, delivery_id: 'aaaaaaaa-0000-4000-8000-000000000000' }),
      { deliveryId: 'bbbbbbbb-0000-4000-8000-000000000000' },
    );
    const res = await post(events(), request);
    expect(res.status).toBe(422);
    expect(errorCode(res.json)).toBe('invalid_request');
  });

  it('names an extension status nobody mapped, and takes one the tenant mapped', async () => {
    const unmapped = await post(
      events(),
      signedPluginRequest(statusChange(1011, 'processing', 'awaiting-shipment')),
    );
    expect(unmapped.status).toBe(422);
    expect(errorCode(unmapped.json)).toBe('unknown_status');
    expect(String((unmapped.json.error as { message: string }).message)).toContain(
      'awaiting-shipment',
    );
    const mapped = await post(
      events(),
      signedPluginRequest(
        statusChange(1011, 'processing', 'shipped', {
          tracking: [{ carrier: 'UPS', number: '1Z999AA10123456784', url: 'https://ups.test/t' }],
        }),
      ),
    );
    expect(mapped.status).toBe(200);
    const state = await woo.store.getOrderState(SITE, '1011');
    expect(state?.state.shipments[0]?.trackingNumber).toBe('1Z999AA10123456784');
  });

  it('takes the first status of a new order, with no previous status', async () => {
    const res = await post(events(), signedPluginRequest(statusChange(1012, null, 'pending')));
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('accepted');
  });

  it('answers the settings page’s signed ping without ingesting anything', async () => {
    const res = await post(
      events(),
      signedPluginRequest({ schema: 1, event: 'ping', site_url: SITE_URL }),
    );
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, ping: true, site: SITE });
  });

  it('refuses bodies that are not JSON', async () => {
    const request = signedPluginRequest(statusChange(1013, 'pending', 'processing'));
    const res = await post(events(), {
      ...request,
      headers: { ...request.headers, 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
  });

  it('recognises the echo of our own status write-back', async () => {
    await woo.store.transaction((tx) =>
      tx.putFingerprint({
        tenantId: SITE,
        target: 'woocommerce:order-status',
        fingerprint: 'woocommerce:status:1014:completed',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      }),
    );
    const res = await post(
      events(),
      signedPluginRequest(statusChange(1014, 'processing', 'completed')),
    );
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('echo');
  });

  it('never logs the customer’s e-mail or phone', () => {
    const logs = woo.logs.join('\n');
    expect(logs).not.toContain('ada@example.com');
    expect(logs).not.toContain('+33612345678');
  });
});

describe('POST /woocommerce/webhooks (built-in webhooks)', () => {
  it('answers WooCommerce’s unsigned form ping with exactly 200', async () => {
    const res = await fetch(webhooks(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=12',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, ping: true });
  });

  it('refuses any other unsigned form', async () => {
    const res = await fetch(webhooks(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'webhook_id=12&status=completed',
    });
    expect(res.status).toBe(400);
  });

  it('ingests the REST v3 order from WooCommerce’s docs, signed with the webhook secret', async () => {
    const res = await post(webhooks(), signedWebhookRequest(ORDER_727));
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('accepted');
    const state = await woo.store.getOrderState(SITE, '727');
    expect(state?.state.reportedProgress).toBe('processing');
    const again = await post(webhooks(), signedWebhookRequest(ORDER_727));
    expect(again.json.outcome).toBe('duplicate');
  });

  it('acknowledges topics without a status so WooCommerce never disables the webhook', async () => {
    const res = await post(
      webhooks(),
      signedWebhookRequest('{"id":93}', { topic: 'product.updated' }),
    );
    expect(res.status).toBe(200);
    expect(res.json.ignored).toBe('product.updated');
  });

  it('rejects a forged or missing signature', async () => {
    const forged = signedWebhookRequest(ORDER_727, { secret: 'guess' });
    const bad = await post(webhooks(), forged);
    expect(bad.status).toBe(401);
    expect(errorCode(bad.json)).toBe('bad_signature');
    const { 'x-wc-webhook-signature': _s, ...headers } = signedWebhookRequest(ORDER_727).headers;
    const missing = await post(webhooks(), { body: ORDER_727, headers });
    expect(missing.status).toBe(401);
    expect(errorCode(missing.json)).toBe('missing_signature');
  });

  it('finds the site from ?site= when X-WC-Webhook-Source is absent', async () => {
    const order = JSON.parse(ORDER_727) as Record<string, unknown>;
    const body = JSON.stringify({ ...order, id: 728, status: 'on-hold' });
    const { 'x-wc-webhook-source': _src, ...headers } = signedWebhookRequest(body).headers;
    const res = await post(`${webhooks()}?site=${SITE}`, { body, headers });
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('accepted');
  });

  it('names an unknown status and rejects a signed body that is not an order', async () => {
    const order = JSON.parse(ORDER_727) as Record<string, unknown>;
    const custom = await post(
      webhooks(),
      signedWebhookRequest(JSON.stringify({ ...order, id: 729, status: 'backordered' })),
    );
    expect(custom.status).toBe(422);
    expect(errorCode(custom.json)).toBe('unknown_status');
    const notOrder = await post(webhooks(), signedWebhookRequest('[1,2,3]'));
    expect(notOrder.status).toBe(422);
    expect(errorCode(notOrder.json)).toBe('invalid_event');
  });
});

describe('WooCommerce’s published signature example', () => {
  it('verifies on the webhook route (empty secret over the body "secret")', async () => {
    // plugins/woocommerce/tests/legacy/unit-tests/webhooks/crud.php, test_generate_signature():
    // a new WC_Webhook (empty secret) signs "secret" as this value.
    const example = await startWooHub({ credential: { siteUrl: SITE_URL, webhookSecret: '' } });
    try {
      const headers = {
        ...signedWebhookRequest('secret').headers,
        'x-wc-webhook-signature': 'GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=',
      };
      const verified = await post(`${example.url}/woocommerce/webhooks`, {
        body: 'secret',
        headers,
      });
      // Past the signature check: "secret" is not JSON, so the next check answers.
      expect(verified.status).toBe(400);
      expect(errorCode(verified.json)).toBe('malformed_json');
      const tampered = await post(`${example.url}/woocommerce/webhooks`, {
        body: 'secret!',
        headers,
      });
      expect(errorCode(tampered.json)).toBe('bad_signature');
      expect(tampered.status).toBe(401);
    } finally {
      await example.stop();
    }
  });
});
