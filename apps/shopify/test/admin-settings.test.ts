import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionToken } from './session-token.ts';
import {
  installShop,
  type RunningShopifyHub,
  SHOP,
  type StubCall,
  startShopifyHub,
} from './shopify-harness.ts';

let h: RunningShopifyHub;
beforeAll(async () => {
  h = await startShopifyHub();
  await installShop(h.store);
});
afterAll(async () => {
  await h.stop();
});

/** A response body as the tests read it: the error envelope typed, the rest asserted on. */
interface Body {
  error: { code: string; message: string; fields?: Record<string, string> };
  check: { ok: boolean; detail: string };
  [key: string]: unknown;
}

const api = async (method: string, path: string, body?: unknown, token = sessionToken()) => {
  const res = await fetch(`${h.url}/shopify/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Body };
};

const TWILIO = {
  accountSid: `AC${'a1'.repeat(16)}`,
  authToken: 'f'.repeat(32),
  from: '+14155550100',
};

/** Answers the providers' read-only check endpoints; `overrides` by URL prefix. */
const providers =
  (overrides: Record<string, { status?: number; body: unknown }> = {}) =>
  (call: StubCall) => {
    for (const [prefix, answer] of Object.entries(overrides))
      if (call.url.startsWith(prefix)) return answer;
    if (call.url.startsWith('https://api.twilio.com/2010-04-01/Accounts/'))
      return { body: { sid: TWILIO.accountSid, status: 'active' } };
    if (call.url.startsWith('https://api.sendgrid.com/v3/scopes'))
      return { body: { scopes: ['mail.send', 'user.profile.read'] } };
    return { status: 404, body: { message: 'not found' } };
  };

describe('channel set-up with credential checks', () => {
  beforeEach(() => {
    h.setShopify(providers());
    h.calls.length = 0;
  });

  it('lists the providers of every customer channel, none set up yet, and the channel order', async () => {
    const r = await api('GET', '/channels');
    expect(r.status).toBe(200);
    expect(r.json.customerChannels).toEqual(['email', 'sms']);
    const names = (r.json.providers as { provider: string; configured: boolean }[]).map((p) => [
      p.provider,
      p.configured,
    ]);
    expect(names).toEqual([
      ['twilio', false],
      ['messagebird', false],
      ['sendgrid', false],
      ['mailgun', false],
      ['whatsapp-cloud', false],
      ['onesignal', false],
    ]);
  });

  it('refuses values of the wrong shape by field, without calling the provider', async () => {
    const r = await api('PUT', '/channels/twilio', {
      values: { accountSid: 'nope', authToken: '', extra: 'x' },
    });
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('invalid_credentials');
    expect(Object.keys(r.json.error.fields ?? {}).sort()).toEqual([
      'accountSid',
      'authToken',
      'extra',
      'from',
    ]);
    expect(h.calls).toEqual([]);
    expect((await api('PUT', '/channels/carrier-pigeon', { values: {} })).status).toBe(404);
  });

  it('checks Twilio credentials live, stores them in the adapter shape, and never returns the secret', async () => {
    const r = await api('PUT', '/channels/twilio', { values: TWILIO });
    expect(r.status).toBe(200);
    expect(r.json.check).toMatchObject({ ok: true, status: 'verified' });
    expect(h.calls.map((c) => c.url)).toEqual([
      `https://api.twilio.com/2010-04-01/Accounts/${TWILIO.accountSid}.json`,
    ]);
    expect(h.calls[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString('base64')}`,
    );
    const stored = await h.store.getCredential(SHOP, 'twilio');
    expect(stored.ok && stored.value).toEqual(TWILIO);

    const list = await api('GET', '/channels');
    const twilio = (list.json.providers as Record<string, unknown>[]).find(
      (p) => p.provider === 'twilio',
    );
    expect(twilio).toMatchObject({ configured: true, secretsSet: ['authToken'] });
    expect(twilio?.values).toEqual({
      accountSid: TWILIO.accountSid,
      authToken: '',
      from: TWILIO.from,
      messagingServiceSid: '',
    });
    expect(JSON.stringify(list.json)).not.toContain(TWILIO.authToken);

    // Saving again without the secret keeps the stored one.
    const again = await api('PUT', '/channels/twilio', {
      values: { ...TWILIO, authToken: '', from: '+14155550199' },
    });
    expect(again.status).toBe(200);
    const kept = await h.store.getCredential(SHOP, 'twilio');
    expect(kept.ok && kept.value).toEqual({ ...TWILIO, from: '+14155550199' });
  });

  it('does not store credentials the provider refuses, and says when the provider is down', async () => {
    h.setShopify(
      providers({
        'https://api.sendgrid.com/v3/scopes': { body: { scopes: ['user.profile.read'] } },
      }),
    );
    const values = {
      apiKey: 'SG.abcdefghijkl.mnopqrstuvwxyz0123',
      fromEmail: 'orders@shop.example',
      region: 'global',
    };
    const noScope = await api('PUT', '/channels/sendgrid', { values });
    expect(noScope.status).toBe(422);
    expect(noScope.json.error).toMatchObject({ code: 'credentials_rejected' });
    expect(noScope.json.error.message).toContain('mail.send');
    h.setShopify(providers({ 'https://api.sendgrid.com/': { status: 401, body: {} } }));
    expect((await api('PUT', '/channels/sendgrid', { values })).json.error.code).toBe(
      'credentials_rejected',
    );
    h.setShopify(providers({ 'https://api.sendgrid.com/': { status: 503, body: {} } }));
    const down = await api('PUT', '/channels/sendgrid', { values });
    expect(down.status).toBe(502);
    expect(down.json.error.code).toBe('provider_unreachable');
    expect((await h.store.getCredential(SHOP, 'sendgrid')).ok).toBe(false);
    h.setShopify(providers());
    expect((await api('PUT', '/channels/sendgrid', { values })).status).toBe(200);
  });

  it('re-checks stored credentials on demand, and removes them', async () => {
    h.setShopify(
      providers({
        'https://api.twilio.com/': { body: { sid: TWILIO.accountSid, status: 'suspended' } },
      }),
    );
    const r = await api('POST', '/channels/twilio/check');
    expect(r.status).toBe(200);
    expect(r.json.check).toMatchObject({ ok: false, code: 'credentials_rejected' });
    expect(r.json.check.detail).toContain('suspended');
    expect((await api('DELETE', '/channels/twilio')).status).toBe(204);
    expect((await api('DELETE', '/channels/twilio')).status).toBe(404);
    expect((await api('POST', '/channels/twilio/check')).status).toBe(404);
  });

  it('checks only the format where the provider has no read-only endpoint (OneSignal)', async () => {
    const r = await api('PUT', '/channels/onesignal', {
      values: {
        appId: '5eb5a37e-b458-11e3-ac11-000c2940e62c',
        restApiKey: 'os_v2_app_0123456789abcdefghij',
      },
    });
    expect(r.status).toBe(200);
    expect(r.json.check).toMatchObject({ ok: true, status: 'format_only' });
    expect(h.calls).toEqual([]);
  });

  it('saves the customer channel order, refusing unknown or repeated channels', async () => {
    expect((await api('PUT', '/channel-preferences', { customer: ['fax'] })).status).toBe(422);
    expect((await api('PUT', '/channel-preferences', { customer: ['sms', 'sms'] })).status).toBe(
      422,
    );
    const r = await api('PUT', '/channel-preferences', { customer: ['sms', 'email'] });
    expect(r.json.customerChannels).toEqual(['sms', 'email']);
    const tenant = await h.store.getTenant(SHOP);
    expect(tenant?.config).toMatchObject({ channelPreferences: { customer: ['sms', 'email'] } });
    await api('PUT', '/channel-preferences', { customer: ['email', 'sms'] });
  });
});

describe('compliance settings', () => {
  it('shows the settings and the jurisdiction rules core enforces', async () => {
    const r = await api('GET', '/compliance');
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      defaultTimeZone: 'UTC',
      quietHours: { transactional: null, marketing: null },
      explicitConsentChannels: [],
      restrictedCategories: [],
    });
    const fl = (r.json.jurisdictions as { id: string }[]).find((j) => j.id === 'US-FL');
    expect(fl).toMatchObject({
      marketingWindow: { start: '08:00', end: '20:00' },
      frequencyCap: { max: 3, hours: 24 },
      verified: true,
    });
  });

  it('saves quiet hours, consent channels, restricted categories, time zone and cancel URL', async () => {
    const r = await api('PUT', '/compliance', {
      defaultTimeZone: 'Europe/Paris',
      quietHours: {
        critical: null,
        transactional: { start: '22:00', end: '07:30' },
        marketing: { start: '20:00', end: '09:00' },
      },
      explicitConsentChannels: ['sms', 'whatsapp'],
      restrictedCategories: ['CBD oil', 'knives'],
      cancelUrl: 'https://shop.example/cancel',
    });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      defaultTimeZone: 'Europe/Paris',
      quietHours: { transactional: { start: '22:00', end: '07:30' } },
      restrictedCategories: ['CBD oil', 'knives'],
      cancelUrl: 'https://shop.example/cancel',
    });
    const config = (await h.store.getTenant(SHOP))?.config as {
      defaultTimeZone: string;
      compliance: { explicitConsentChannels: string[] };
    };
    expect(config.defaultTimeZone).toBe('Europe/Paris');
    expect(config.compliance.explicitConsentChannels).toEqual(['sms', 'whatsapp']);
    const audit = await h.store.listAudit(SHOP);
    expect(audit.map((a) => a.action)).toContain('compliance_settings_saved');
  });

  it('refuses a bad time, time zone, channel or setting name with 422', async () => {
    const bad = [
      { quietHours: { transactional: { start: '25:00', end: '07:00' } } },
      { defaultTimeZone: 'Mars/Olympus_Mons' },
      { explicitConsentChannels: ['fax'] },
      { cancelUrl: 'not a url' },
      { quietHourz: {} },
    ];
    for (const body of bad) {
      const r = await api('PUT', '/compliance', body);
      expect(r.status, JSON.stringify(body)).toBe(422);
      expect(['invalid_config', 'invalid_request']).toContain(r.json.error.code);
    }
    await api('PUT', '/compliance', {
      defaultTimeZone: 'UTC',
      quietHours: { critical: null, transactional: null, marketing: null },
      explicitConsentChannels: [],
      cancelUrl: '',
    });
  });
});

describe('test send from the template editor', () => {
  it('plans a real message for a test order through the engine, and says why', async () => {
    const r = await api('POST', '/test-send', {
      templateKey: 'dispatched',
      channel: 'email',
      locale: 'en',
      to: 'staff@shop.example',
    });
    expect(r.status).toBe(202);
    expect(r.json.orderRef).toMatch(/^test-/);
    expect(r.json.intents).toBe(1);
    expect(r.json.decisions).toContainEqual(
      expect.objectContaining({ action: 'send', channel: 'email' }),
    );
    const intents = await h.store.listIntents(SHOP, r.json.orderRef as string);
    expect(intents).toHaveLength(1);
    expect(intents[0]).toMatchObject({
      delivery: { channel: 'email', to: 'staff@shop.example' },
      intent: { audience: 'customer', templateKey: 'dispatched' },
    });
  });

  it('refuses a recipient that does not fit the channel, and an unknown template', async () => {
    const sms = await api('POST', '/test-send', {
      templateKey: 'delivered',
      channel: 'sms',
      to: 'staff@shop.example',
    });
    expect(sms.status).toBe(422);
    expect(sms.json.error.code).toBe('invalid_recipient');
    const key = await api('POST', '/test-send', {
      templateKey: 'teleported',
      channel: 'email',
      to: 'staff@shop.example',
    });
    expect(key.status).toBe(422);
  });

  it('needs a valid session token like every admin call', async () => {
    const r = await api('POST', '/test-send', { templateKey: 'delivered' }, 'forged');
    expect(r.status).toBe(401);
    expect((await api('GET', '/compliance', undefined, 'forged')).status).toBe(401);
    expect((await api('GET', '/channels', undefined, 'forged')).status).toBe(401);
  });
});
