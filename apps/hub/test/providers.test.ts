/**
 * @module Real providers behind the hub: a tenant's stored credential picks the adapter (Twilio
 * against a local HTTP stand-in, SendGrid and Mailgun through a recording `fetch`), the newest
 * credential of a channel wins, an undecryptable one sends nothing and says why, the dev sink
 * policy `off` sends nothing without credentials, and provider receipts and replies arrive at
 * `/receipts/:provider/:tenantId` signed as Twilio, SendGrid, Mailgun, Meta (WhatsApp) and
 * MessageBird sign them.
 */
import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHubConfig } from '../src/hub-config.ts';
import { journey } from '../src/simulate.ts';
import { type RunningHub, startHub } from './hub-harness.ts';

const PUBLIC = 'https://hub.example.test';
const SID = `AC${'1a'.repeat(16)}`;
const TOKEN = 'f'.repeat(32);
const SENDER = '+15145550199';
const CUSTOMER_PHONE = '+15145550100';
const BASE = Date.parse('2026-11-28T10:00:00Z');

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let twilio: Server;
let twilioUrl: string;
const twilioSeen: Seen[] = [];
const emailSeen: { url: string; headers: Record<string, string>; body: string }[] = [];

/** SendGrid and Mailgun have fixed hosts; their adapters take a `fetch` to record with. */
const emailFetch: typeof fetch = async (input, init) => {
  const url = String(input);
  emailSeen.push({
    url,
    headers: Object.fromEntries(new Headers(init?.headers).entries()),
    body: String(init?.body ?? ''),
  });
  if (url.includes('sendgrid')) {
    return new Response(null, {
      status: 202,
      headers: { 'x-message-id': `sg-${emailSeen.length}` },
    });
  }
  return Response.json({ id: `<mg-${emailSeen.length}@mg.example.com>`, message: 'Queued.' });
};

/** Meta's Graph API for WhatsApp: answers each send with a message id, as the Cloud API does. */
const whatsappSeen: { url: string; body: string }[] = [];
const whatsappFetch: typeof fetch = async (input, init) => {
  whatsappSeen.push({ url: String(input), body: String(init?.body ?? '') });
  return Response.json({
    messaging_product: 'whatsapp',
    contacts: [{ input: '15145550100', wa_id: '15145550100' }],
    messages: [{ id: `wamid.HUB${whatsappSeen.length}` }],
  });
};

/** MessageBird's REST API: 201 with the message id. */
const messagebirdSeen: { url: string; body: string }[] = [];
const messagebirdFetch: typeof fetch = async (input, init) => {
  messagebirdSeen.push({ url: String(input), body: String(init?.body ?? '') });
  return Response.json({ id: `mb${messagebirdSeen.length}`, recipients: {} }, { status: 201 });
};

let running: RunningHub;

beforeAll(async () => {
  twilio = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += String(d);
    });
    req.on('end', () => {
      twilioSeen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
      });
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ sid: `SM${String(twilioSeen.length).padStart(32, '0')}` }));
    });
  });
  await new Promise<void>((ready) => twilio.listen(0, '127.0.0.1', ready));
  twilioUrl = `http://127.0.0.1:${(twilio.address() as AddressInfo).port}`;
  running = await startHub(undefined, {
    publicUrl: PUBLIC,
    providers: {
      twilio: { config: { baseUrl: twilioUrl } },
      sendgrid: { deps: { fetch: emailFetch } },
      mailgun: { deps: { fetch: emailFetch } },
      'whatsapp-cloud': { deps: { fetch: whatsappFetch } },
      messagebird: { deps: { fetch: messagebirdFetch } },
    },
  });
});
afterAll(async () => {
  await running?.stop();
  await new Promise((done) => twilio?.close(done));
});

const admin = async (hub: RunningHub, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${hub.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${hub.adminKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const createTenant = async (hub: RunningHub, id: string, customer: string[]) => {
  const res = await admin(hub, 'POST', '/api/tenants', {
    id,
    name: `Shop ${id}`,
    config: {
      channelPreferences: { customer, internal: [] },
      compliance: { quietHours: { transactional: null, marketing: null } },
    },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
};

const putTwilio = async (hub: RunningHub, tenantId: string, authToken = TOKEN) => {
  const res = await admin(hub, 'PUT', `/api/tenants/${tenantId}/credentials/twilio`, {
    secret: { accountSid: SID, authToken, from: SENDER },
  });
  expect(res.status).toBe(200);
};

/** The order's dispatch notice, which plans one customer message. */
const ingest = async (hub: RunningHub, tenantId: string, orderRef: string) => {
  const res = await admin(
    hub,
    'POST',
    `/api/tenants/${tenantId}/events`,
    journey(orderRef, BASE)[3],
  );
  expect(res.status, JSON.stringify(res.body)).toBe(202);
};

const timelineText = async (hub: RunningHub, tenantId: string, orderRef: string) => {
  const res = await admin(hub, 'GET', `/api/tenants/${tenantId}/orders/${orderRef}/timeline`);
  return JSON.stringify(res.body);
};

const sunkFor = (hub: RunningHub, orderRef: string) =>
  hub.hub.registry.devMessages().filter((m) => m.message.orderRef === orderRef);

/** Stores a provider credential for a tenant, as the admin API's store call does. */
const storeCredential = async (
  tenantId: string,
  provider: string,
  secret: unknown,
  at = new Date().toISOString(),
) => {
  expect((await running.store.putCredential(tenantId, provider, secret, at)).ok).toBe(true);
};

/** Waits for the order's first attempt to succeed, and returns it. */
const sentAttempt = async (tenantId: string, orderRef: string) => {
  await expect
    .poll(async () => (await running.store.listAttempts(tenantId, orderRef))[0]?.outcome)
    .toBe('ok');
  const [sent] = await running.store.listAttempts(tenantId, orderRef);
  return sent;
};

/** Twilio's documented algorithm: the full URL, then each POST name+value sorted by name,
 * HMAC-SHA1 keyed with the auth token, base64. */
const twilioSignature = (authToken: string, url: string, params: Record<string, string>) =>
  createHmac('sha1', authToken)
    .update(
      Object.keys(params)
        .sort()
        .reduce((s, k) => s + k + params[k], url),
    )
    .digest('base64');

const postTwilio = async (tenantId: string, params: Record<string, string>, signature?: string) => {
  const path = `/receipts/twilio/${tenantId}`;
  const res = await fetch(`${running.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === undefined
        ? { 'x-twilio-signature': twilioSignature(TOKEN, `${PUBLIC}${path}`, params) }
        : signature === ''
          ? {}
          : { 'x-twilio-signature': signature }),
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
};

describe('a tenant with a stored Twilio credential', () => {
  let messageSid = '';

  it('sends its SMS to Twilio, not to the dev inbox', async () => {
    await createTenant(running, 'sms-shop', ['sms']);
    await putTwilio(running, 'sms-shop');
    await ingest(running, 'sms-shop', 'sms-1');

    await expect.poll(() => twilioSeen.length).toBe(1);
    const [call] = twilioSeen;
    expect(call?.method).toBe('POST');
    expect(call?.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(call?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`,
    );
    expect(call?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(call?.body);
    expect(form.get('To')).toBe(CUSTOMER_PHONE);
    expect(form.get('From')).toBe(SENDER);
    expect(form.get('Body')).toMatch(/\S/);
    expect(form.get('StatusCallback')).toBe(`${PUBLIC}/receipts/twilio/sms-shop`);

    const attempt = await sentAttempt('sms-shop', 'sms-1');
    expect(attempt?.provider).toBe('twilio');
    messageSid = attempt?.providerMessageId ?? '';
    expect(messageSid).toMatch(/^SM\d{32}$/);
    expect(sunkFor(running, 'sms-1')).toHaveLength(0);
  });

  it('refuses a forged status callback with 401 and changes nothing', async () => {
    const params = { MessageSid: messageSid, MessageStatus: 'undelivered', To: CUSTOMER_PHONE };
    const forged = await postTwilio(
      'sms-shop',
      params,
      twilioSignature('0'.repeat(32), `${PUBLIC}/receipts/twilio/sms-shop`, params),
    );
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.text).error.code).toBe('bad_signature');
    const unsigned = await postTwilio('sms-shop', params, '');
    expect(unsigned.status).toBe(401);
    // Signed over another URL (a receipt replayed against another tenant's path).
    const moved = await postTwilio(
      'sms-shop',
      params,
      twilioSignature(TOKEN, `${PUBLIC}/receipts/twilio/other-shop`, params),
    );
    expect(moved.status).toBe(401);
    const [attempt] = await running.store.listAttempts('sms-shop', 'sms-1');
    expect(attempt?.receiptState).toBeUndefined();
  });

  it('marks the attempt delivered on a correctly signed status callback', async () => {
    const res = await postTwilio('sms-shop', {
      MessageSid: messageSid,
      MessageStatus: 'delivered',
      AccountSid: SID,
      To: CUSTOMER_PHONE,
      From: SENDER,
      ApiVersion: '2010-04-01',
    });
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/xml');
    expect(res.text).toContain('<Response></Response>');
    const [attempt] = await running.store.listAttempts('sms-shop', 'sms-1');
    expect(attempt?.receiptState).toBe('delivered');
    expect(await timelineText(running, 'sms-shop', 'sms-1')).toContain('twilio reports delivered');
  });

  it("ignores a receipt another tenant signs for this tenant's message", async () => {
    await createTenant(running, 'other-shop', ['sms']);
    const otherToken = 'e'.repeat(32);
    await putTwilio(running, 'other-shop', otherToken);
    const path = '/receipts/twilio/other-shop';
    const params = { MessageSid: messageSid, MessageStatus: 'failed', To: CUSTOMER_PHONE };
    const res = await fetch(`${running.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(otherToken, `${PUBLIC}${path}`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    expect(res.status).toBe(200);
    const [attempt] = await running.store.listAttempts('sms-shop', 'sms-1');
    expect(attempt?.receiptState).toBe('delivered');
  });

  it('records an opt-out for an inbound STOP', async () => {
    const res = await postTwilio('sms-shop', {
      MessageSid: `SM${'9'.repeat(32)}`,
      SmsStatus: 'received',
      From: CUSTOMER_PHONE,
      To: SENDER,
      Body: 'STOP',
      AccountSid: SID,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Response></Response>');
    const consents = await running.store.listConsents('sms-shop', [CUSTOMER_PHONE]);
    expect(consents).toEqual([
      expect.objectContaining({ channel: 'sms', state: 'opted_out', contact: CUSTOMER_PHONE }),
    ]);
  });

  it('answers 404 for an unknown tenant, provider or missing credential', async () => {
    const params = { MessageSid: messageSid, MessageStatus: 'delivered' };
    expect((await postTwilio('no-such-shop', params)).status).toBe(404);
    const pigeon = await fetch(`${running.url}/receipts/carrier-pigeon/sms-shop`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(pigeon.status).toBe(404);
    await createTenant(running, 'bare-shop', ['sms']);
    const bare = await postTwilio('bare-shop', params);
    expect(bare.status).toBe(404);
    expect(JSON.parse(bare.text).error.message).toContain('no twilio credential');
  });
});

describe('a tenant with two e-mail providers', () => {
  it('sends through the one whose credential was stored last', async () => {
    await createTenant(running, 'mail-shop', ['email']);
    const mailgun = {
      apiKey: 'key-mailgun-0123456789abcdef',
      domain: 'mg.example.com',
      region: 'us',
      from: 'Shop <orders@mg.example.com>',
    };
    const sendgrid = { apiKey: 'SG.abcdefghijkl.mnopqrstuvwx', from: { email: 'o@shop.example' } };
    const { store } = running;
    await storeCredential('mail-shop', 'mailgun', mailgun, '2026-01-01T10:00:00Z');
    await storeCredential('mail-shop', 'sendgrid', sendgrid, '2026-01-01T10:01:00Z');
    await ingest(running, 'mail-shop', 'mail-1');
    await sentAttempt('mail-shop', 'mail-1');
    expect((await store.listAttempts('mail-shop', 'mail-1'))[0]?.provider).toBe('sendgrid');
    expect(emailSeen.map((e) => e.url)).toEqual(['https://api.sendgrid.com/v3/mail/send']);
    expect(emailSeen[0]?.headers.authorization).toBe(`Bearer ${sendgrid.apiKey}`);

    // Storing Mailgun again makes it the newest: the next message goes through it.
    await storeCredential('mail-shop', 'mailgun', mailgun, '2026-01-01T10:02:00Z');
    await ingest(running, 'mail-shop', 'mail-2');
    await sentAttempt('mail-shop', 'mail-2');
    expect((await store.listAttempts('mail-shop', 'mail-2'))[0]?.provider).toBe('mailgun');
    expect(emailSeen[1]?.url).toBe('https://api.mailgun.net/v3/mg.example.com/messages');
    expect(sunkFor(running, 'mail-1')).toHaveLength(0);
    expect(sunkFor(running, 'mail-2')).toHaveLength(0);
  });
});

describe('SendGrid Event Webhook receipts', () => {
  it('marks the message delivered on a correctly signed batch, and refuses a forged or replayed one', async () => {
    await createTenant(running, 'sg-shop', ['email']);
    // The tenant's Event Webhook verification key, as SendGrid shows it (base64 DER SPKI, P-256).
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const sendgrid = {
      apiKey: 'SG.abcdefghijkl.mnopqrstuvwx',
      from: { email: 'o@shop.example' },
      eventWebhookPublicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    };
    const { store } = running;
    await storeCredential('sg-shop', 'sendgrid', sendgrid);
    await ingest(running, 'sg-shop', 'sg-1');
    const sent = await sentAttempt('sg-shop', 'sg-1');
    expect(sent?.providerMessageId).toMatch(/^sg-/);

    const post = (body: string, timestamp: string, signature: string) =>
      fetch(`${running.url}/receipts/sendgrid/sg-shop`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-twilio-email-event-webhook-timestamp': timestamp,
          'x-twilio-email-event-webhook-signature': signature,
        },
        body,
      });
    const signed = (body: string, timestamp: string) =>
      sign(
        'sha256',
        Buffer.concat([Buffer.from(timestamp), Buffer.from(body)]),
        privateKey,
      ).toString('base64');
    const now = String(Math.floor(Date.now() / 1000));
    const batch = JSON.stringify([
      {
        event: 'delivered',
        email: 'customer@example.com',
        timestamp: Number(now),
        sg_message_id: `${sent?.providerMessageId}.filterdrecv-1`,
      },
    ]);

    // Forged (the body changed after signing) and replayed (an hour old): refused, nothing changes.
    const forged = await post(batch.replace('delivered', 'bounce'), now, signed(batch, now));
    expect(forged.status).toBe(401);
    const old = String(Number(now) - 3600);
    expect((await post(batch, old, signed(batch, old))).status).toBe(401);
    expect((await store.listAttempts('sg-shop', 'sg-1'))[0]?.receiptState).toBeUndefined();

    const ok = await post(batch, now, signed(batch, now));
    expect(ok.status).toBe(200);
    expect((await store.listAttempts('sg-shop', 'sg-1'))[0]?.receiptState).toBe('delivered');
  });
});

describe('Mailgun webhook receipts', () => {
  it('marks the message delivered on a correctly signed webhook, and refuses a forged, stale or replayed one', async () => {
    await createTenant(running, 'mg-shop', ['email']);
    const signingKey = 'mailgun-webhook-signing-key-0123';
    const mailgun = {
      apiKey: 'key-mailgun-0123456789abcdef',
      domain: 'mg.example.com',
      region: 'us',
      from: 'Shop <orders@mg.example.com>',
      webhookSigningKey: signingKey,
    };
    const { store } = running;
    await storeCredential('mg-shop', 'mailgun', mailgun);
    await ingest(running, 'mg-shop', 'mg-1');
    const sent = await sentAttempt('mg-shop', 'mg-1');
    expect(sent?.provider).toBe('mailgun');

    // Mailgun signs in the body: hex HMAC-SHA256 of timestamp + token with the signing key.
    const webhook = (event: string, timestamp: string, key = signingKey) => {
      const token = `tok-${event}-${timestamp}`;
      return JSON.stringify({
        signature: {
          timestamp,
          token,
          signature: createHmac('sha256', key)
            .update(timestamp + token)
            .digest('hex'),
        },
        'event-data': {
          event,
          timestamp: Number(timestamp),
          recipient: 'customer@example.com',
          message: { headers: { 'message-id': sent?.providerMessageId } },
        },
      });
    };
    const post = (body: string) =>
      fetch(`${running.url}/receipts/mailgun/mg-shop`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const now = String(Math.floor(Date.now() / 1000));

    // Signed with another key, altered after signing, an hour old: refused, nothing changes.
    expect((await post(webhook('delivered', now, 'someone-elses-key'))).status).toBe(401);
    expect(
      (await post(webhook('delivered', now).replace(`"timestamp":"${now}"`, '"timestamp":"1"')))
        .status,
    ).toBe(401);
    const old = String(Number(now) - 3600);
    expect((await post(webhook('delivered', old))).status).toBe(401);

    const delivered = webhook('delivered', now);
    const ok = await post(delivered);
    expect(ok.status).toBe(200);
    expect((await store.listAttempts('mg-shop', 'mg-1'))[0]?.receiptState).toBe('delivered');

    // Mailgun redelivering the same request: answered, nothing applied twice.
    const again = await post(delivered);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true });
    // Its signature (timestamp and token only) reused on another event, an opt-out: refused.
    const payload = JSON.parse(delivered) as { 'event-data': Record<string, unknown> };
    payload['event-data'].event = 'complained';
    const forged = await post(JSON.stringify(payload));
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe(
      'replayed_request',
    );
    expect((await store.listAttempts('mg-shop', 'mg-1'))[0]?.receiptState).toBe('delivered');
    expect(await store.listConsents('mg-shop', ['customer@example.com'])).toEqual([]);
  });
});

describe('WhatsApp Cloud webhooks', () => {
  it('marks the message delivered on a correctly signed status, records a STOP, and refuses a forged one', async () => {
    await createTenant(running, 'wa-shop', ['whatsapp']);
    const appSecret = 'meta-app-secret-0123456789';
    const { store } = running;
    await storeCredential('wa-shop', 'whatsapp-cloud', {
      phoneNumberId: '106540352242922',
      accessToken: 'EAAG-test-token',
      appSecret,
    });
    // WhatsApp needs the customer's opt-in (given at checkout, say) before the business writes.
    await store.transaction((tx) =>
      tx.putConsent({
        tenantId: 'wa-shop',
        channel: 'whatsapp',
        contact: CUSTOMER_PHONE,
        state: 'opted_in',
        scope: 'all',
        at: new Date(BASE - 86_400_000).toISOString(),
        source: 'checkout',
      }),
    );
    const dispatched = journey('wa-1', BASE)[3] as { recipients: { contacts: object }[] };
    for (const r of dispatched.recipients) r.contacts = { ...r.contacts, whatsapp: CUSTOMER_PHONE };
    const res = await admin(running, 'POST', '/api/tenants/wa-shop/events', dispatched);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const sent = await sentAttempt('wa-shop', 'wa-1');
    expect(sent?.provider).toBe('whatsapp-cloud');
    expect(whatsappSeen.at(-1)?.url).toMatch(/\/106540352242922\/messages$/);

    // Meta signs the raw body: X-Hub-Signature-256 = sha256=<hex HMAC with the app secret>.
    const post = (body: string, secret = appSecret) =>
      fetch(`${running.url}/receipts/whatsapp-cloud/wa-shop`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
        },
        body,
      });
    const now = String(Math.floor(Date.now() / 1000));
    const notification = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: '15550783881',
                  phone_number_id: '106540352242922',
                },
                statuses: [
                  {
                    id: sent?.providerMessageId,
                    status: 'delivered',
                    timestamp: now,
                    recipient_id: '15145550100',
                  },
                ],
                messages: [
                  {
                    from: '15145550100',
                    id: 'wamid.IN1',
                    timestamp: now,
                    type: 'text',
                    text: { body: 'STOP' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });

    // Signed with another secret: refused, nothing changes.
    expect((await post(notification, 'not-the-app-secret')).status).toBe(401);
    expect((await store.listAttempts('wa-shop', 'wa-1'))[0]?.receiptState).toBeUndefined();
    const optedIn = await store.listConsents('wa-shop', [CUSTOMER_PHONE]);
    expect(optedIn.map((c) => c.state)).toEqual(['opted_in']);

    const ok = await post(notification);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ applied: 1, optOuts: 1 });
    expect((await store.listAttempts('wa-shop', 'wa-1'))[0]?.receiptState).toBe('delivered');
    const after = await store.listConsents('wa-shop', [CUSTOMER_PHONE]);
    // The newer fact replaces the opt-in.
    expect(after.map((c) => [c.channel, c.state, c.source])).toEqual([
      ['whatsapp', 'opted_out', 'keyword'],
    ]);
  });
});

describe('MessageBird status reports', () => {
  it('asks for reports at the tenant’s receipt URL, marks the message delivered on a correctly signed one, and refuses a forged one', async () => {
    await createTenant(running, 'mb-shop', ['sms']);
    const signingKey = 'messagebird-signing-key-0123456789';
    const { store } = running;
    await storeCredential('mb-shop', 'messagebird', {
      accessKey: 'live_abcdefghijklmnop',
      originator: 'Tidings',
      signingKey,
    });
    await ingest(running, 'mb-shop', 'mb-1');
    const sent = await sentAttempt('mb-shop', 'mb-1');
    expect(sent?.provider).toBe('messagebird');
    const body = JSON.parse(messagebirdSeen.at(-1)?.body ?? '{}') as { reportUrl?: string };
    expect(body.reportUrl).toBe(`${PUBLIC}/receipts/messagebird/mb-shop`);

    // MessageBird reports by GET with the fields in the query, signed by an HS256 JWT whose
    // claims bind the full URL it called (url_hash) and a validity window.
    const jwtFor = (url: string, key = signingKey) => {
      const now = Math.floor(Date.now() / 1000);
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
        iss: 'MessageBird',
        nbf: now - 1,
        exp: now + 60,
        jti: `jti-${now}-${url.length}`,
        url_hash: createHash('sha256').update(url).digest('hex'),
      })}`;
      return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
    };
    const query = (status: string) =>
      `/receipts/messagebird/mb-shop?id=${sent?.providerMessageId}&status=${status}` +
      `&statusDatetime=${encodeURIComponent(new Date().toISOString())}&recipient=15145550100`;
    const report = (path: string, token: string) =>
      fetch(`${running.url}${path}`, { headers: { 'messagebird-signature-jwt': token } });

    // Signed for another URL (the status changed), or with another key: refused, nothing changes.
    const deliveredPath = query('delivered');
    expect(
      (await report(query('delivery_failed'), jwtFor(`${PUBLIC}${deliveredPath}`))).status,
    ).toBe(401);
    expect(
      (await report(deliveredPath, jwtFor(`${PUBLIC}${deliveredPath}`, 'other-key'))).status,
    ).toBe(401);
    expect((await store.listAttempts('mb-shop', 'mb-1'))[0]?.receiptState).toBeUndefined();

    const ok = await report(deliveredPath, jwtFor(`${PUBLIC}${deliveredPath}`));
    expect(ok.status).toBe(200);
    expect((await store.listAttempts('mb-shop', 'mb-1'))[0]?.receiptState).toBe('delivered');
  });
});

describe('a tenant whose credential cannot be decrypted', () => {
  it('sends nothing, not even to the dev sink, and logs why without the secret', async () => {
    await createTenant(running, 'tampered-shop', ['sms']);
    const secretToken = 'c'.repeat(32);
    await putTwilio(running, 'tampered-shop', secretToken);
    const db = new DatabaseSync(join(running.dataDir, 'tidings.db'));
    try {
      const row = db
        .prepare('SELECT ciphertext FROM credentials WHERE tenant_id = ? AND provider = ?')
        .get('tampered-shop', 'twilio') as { ciphertext: Uint8Array };
      const flipped = Buffer.from(row.ciphertext);
      flipped[0] = (flipped[0] ?? 0) ^ 0xff;
      db.prepare('UPDATE credentials SET ciphertext = ? WHERE tenant_id = ? AND provider = ?').run(
        flipped,
        'tampered-shop',
        'twilio',
      );
    } finally {
      db.close();
    }
    const before = twilioSeen.length;
    await ingest(running, 'tampered-shop', 'tam-1');
    await expect
      .poll(async () => (await running.store.listIntents('tampered-shop', 'tam-1'))[0]?.status)
      .toBe('parked');
    // The timeline names the real reason, not "no provider configured".
    expect((await running.store.listIntents('tampered-shop', 'tam-1'))[0]?.lastError).toBe(
      'no channel left: the twilio credential cannot be decrypted (credential_tampered)',
    );
    expect(twilioSeen.length).toBe(before);
    expect(sunkFor(running, 'tam-1')).toHaveLength(0);
    const warning = running.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.tenantId === 'tampered-shop' && l.code === 'credential_tampered');
    expect(warning).toMatchObject({ provider: 'twilio', level: 40 });
    expect(running.logs.join('')).not.toContain(secretToken);

    // Its receipts cannot be verified either: 503, so the provider retries once the key is back.
    const res = await postTwilio('tampered-shop', { MessageSid: 'SMx', MessageStatus: 'sent' });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.text).error.code).toBe('credential_unavailable');
  });
});

describe('TIDINGS_DEV_SINK', () => {
  it('defaults to off in production and fallback elsewhere, and rejects other values', () => {
    const dir = '/tmp';
    const mode = (env: Record<string, string>) => {
      const read = readHubConfig(env, dir);
      return read.ok ? read.config.devSink : read.problems;
    };
    expect(mode({})).toBe('fallback');
    expect(mode({ NODE_ENV: 'production' })).toBe('off');
    expect(mode({ NODE_ENV: 'production', TIDINGS_DEV_SINK: 'fallback' })).toBe('fallback');
    expect(mode({ TIDINGS_DEV_SINK: 'off' })).toBe('off');
    expect(mode({ TIDINGS_DEV_SINK: 'yes' })).toEqual([
      'TIDINGS_DEV_SINK must be "fallback" (channels without provider credentials go to the dev inbox) or "off"; got "yes".',
    ]);
  });

  it('off: a tenant without credentials gets nothing sent and the timeline names the missing providers', async () => {
    const read = readHubConfig({ TIDINGS_DEV_SINK: 'off' }, '/tmp');
    if (!read.ok) throw new Error(read.problems.join('; '));
    const hub = await startHub(undefined, { devSink: read.config.devSink });
    try {
      await createTenant(hub, 'bare-shop', ['sms', 'email']);
      await ingest(hub, 'bare-shop', 'bare-1');
      await expect
        .poll(async () => (await hub.store.listIntents('bare-shop', 'bare-1'))[0]?.status)
        .toBe('parked');
      const [intent] = await hub.store.listIntents('bare-shop', 'bare-1');
      expect(intent?.lastError).toBe('no channel left: no email provider configured');
      expect(await timelineText(hub, 'bare-shop', 'bare-1')).toContain(
        'no email provider configured',
      );
      expect(sunkFor(hub, 'bare-1')).toHaveLength(0);
      expect(hub.hub.registry.devMessages()).toHaveLength(0);
    } finally {
      await hub.stop();
    }
  });
});
