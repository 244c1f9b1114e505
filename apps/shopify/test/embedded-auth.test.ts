import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSession } from '../src/shop-tenants.ts';
import { sessionToken } from './session-token.ts';
import {
  fixture,
  postWebhook,
  type RunningShopifyHub,
  SHOP,
  startShopifyHub,
} from './shopify-harness.ts';

let h: RunningShopifyHub;
beforeEach(async () => {
  h = await startShopifyHub();
});
afterEach(async () => {
  await h.stop();
});

const api = (path: string, token?: string, init: RequestInit = {}) =>
  fetch(`${h.url}/shopify/api${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });

describe('embedded auth', () => {
  it('installs the shop on its first session token by exchanging it for an offline token', async () => {
    const token = sessionToken();
    const res = await api('/session', token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ shop: SHOP, userId: '42' });
    const exchange = h.calls.find((c) => c.url === `https://${SHOP}/admin/oauth/access_token`);
    expect(exchange?.body).toMatchObject({
      client_id: 'test-client-id',
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      subject_token: token,
      subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      requested_token_type: 'urn:shopify:params:oauth:token-type:offline-access-token',
    });
    expect((await h.store.getTenant(SHOP))?.active).toBe(true);
    expect((await loadSession(h.store, SHOP))?.accessToken).toBe('shpat_test_offline');
    // Encrypted at rest: the credential list says who and when, never the token.
    expect(JSON.stringify(await h.store.listCredentials(SHOP))).not.toContain('shpat_');
    // Installed once: the next call does not exchange again.
    await api('/session', sessionToken());
    expect(h.calls.filter((c) => c.url.endsWith('/oauth/access_token'))).toHaveLength(1);
  });

  it('refuses admin API calls without a token, with a forged one or an expired one', async () => {
    const missing = await api('/rules');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('x-shopify-retry-invalid-session-request')).toBe('1');
    expect((await api('/rules', sessionToken({}, 'another-secret'))).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    expect((await api('/rules', sessionToken({ exp: now - 120, nbf: now - 300 }))).status).toBe(
      401,
    );
    expect((await api('/rules', sessionToken({ aud: 'someone-else' }))).status).toBe(401);
    expect(h.calls).toHaveLength(0);
  });

  it('answers 502 token_exchange_failed when Shopify refuses the exchange', async () => {
    h.setShopify(() => ({ status: 400, body: { error: 'invalid_subject_token' } }));
    const res = await api('/session', sessionToken());
    expect(res.status).toBe(502);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'token_exchange_failed',
    );
  });

  it('reinstalls after app/uninstalled with a fresh token exchange', async () => {
    await api('/session', sessionToken());
    await postWebhook(h.url, 'app/uninstalled', fixture('app-uninstalled.json'));
    expect((await h.store.getTenant(SHOP))?.active).toBe(false);
    expect(await loadSession(h.store, SHOP)).toBeUndefined();
    const res = await api('/session', sessionToken());
    expect(res.status).toBe(200);
    expect((await h.store.getTenant(SHOP))?.active).toBe(true);
    expect(h.calls.filter((c) => c.url.endsWith('/oauth/access_token'))).toHaveLength(2);
  });

  it('saves rules and templates and previews with a segment count', async () => {
    const token = sessionToken();
    const rules = (await (await api('/rules', token)).json()) as { id: string; enabled: boolean }[];
    expect(rules.length).toBeGreaterThan(0);
    const first = rules[0];
    if (!first) throw new Error('no default rules');
    const saved = await api('/rules', token, {
      method: 'PUT',
      body: JSON.stringify(rules.map((r, i) => (i === 0 ? { ...r, enabled: false } : r))),
    });
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { enabled: boolean }[])[0]?.enabled).toBe(false);
    const bad = await api('/rules', token, { method: 'PUT', body: JSON.stringify([{ id: 'X' }]) });
    expect(bad.status).toBe(422);

    const preview = await api('/preview', token, {
      method: 'POST',
      body: JSON.stringify({
        templateKey: 'dispatched',
        channel: 'sms',
        locale: 'en',
        parts: { text: 'Order {{ order.number }} is on its way 🚚' },
      }),
    });
    expect(preview.status).toBe(200);
    const rendering = (
      (await preview.json()) as { rendering: { text: string; segments: { encoding: string } } }
    ).rendering;
    expect(rendering.text).toContain('#1001');
    expect(rendering.segments.encoding).toBe('UCS-2');

    const put = await api('/templates/dispatched/sms/en', token, {
      method: 'PUT',
      body: JSON.stringify({ parts: { text: 'Shipped: {{ order.number }}' } }),
    });
    expect(put.status).toBe(200);
    const got = (await (await api('/templates/dispatched/sms/en', token)).json()) as {
      source: string;
    };
    expect(got.source).toBe('shop');
  });
});
