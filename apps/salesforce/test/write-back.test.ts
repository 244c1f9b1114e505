/**
 * The jsforce write-back against a loopback stub of the Salesforce REST API: the JWT bearer token
 * exchange, the Order field update, the Chatter post, the multi-record forms, API limits and errors.
 */
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WriteBackJob } from '@tidings/engine';
import { openStore, type Store } from '@tidings/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSalesforceWriteBack } from '../src/salesforce-write-back.ts';

const ORG = '00D5e000000AbCdEAK';
const ORDER = '8015e000000XyZ1AAK';
const clock = { now: () => new Date('2025-06-01T12:00:00Z') };
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

interface Seen {
  method: string;
  path: string;
  body: unknown;
  auth: string | undefined;
}
const seen: Seen[] = [];
let apiUsed = 10;
let failWith: number | undefined;
let server: Server;
let url = '';
let store: Store;
let dir = '';

const job = (over: Partial<WriteBackJob> = {}): WriteBackJob => ({
  id: 'wb_1',
  tenantId: ORG,
  orderRef: ORDER,
  target: 'salesforce',
  eventId: `${ORDER}:Shipped:2025-06-01T11:59:58.000Z`,
  status: 'dispatched',
  note: 'Customer told by SMS that the order is on its way.',
  at: '2025-06-01T12:00:00.000Z',
  ...over,
});

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const path = req.url ?? '';
      const body =
        raw === ''
          ? undefined
          : path.includes('oauth2')
            ? Object.fromEntries(new URLSearchParams(raw))
            : JSON.parse(raw);
      seen.push({ method: req.method ?? '', path, body, auth: req.headers.authorization });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'sforce-limit-info': `api-usage=${apiUsed}/100`,
        });
        res.end(value === undefined ? '' : JSON.stringify(value));
      };
      if (path === '/services/oauth2/token') {
        json(200, {
          access_token: 'token-from-jwt',
          instance_url: url,
          id: `${url}/id/${ORG}/0055e000000AbCdAAK`,
          token_type: 'Bearer',
        });
        return;
      }
      if (failWith) {
        json(failWith, [
          {
            errorCode: failWith >= 500 ? 'SERVER_UNAVAILABLE' : 'INVALID_FIELD',
            message: 'secret detail',
          },
        ]);
        return;
      }
      if (req.method === 'PATCH' && path.startsWith('/services/data/v62.0/sobjects/Order/')) {
        res.writeHead(204, { 'sforce-limit-info': `api-usage=${apiUsed}/100` });
        res.end();
        return;
      }
      if (req.method === 'PATCH' && path === '/services/data/v62.0/composite/sobjects') {
        const records = (body as { records: { id: string }[] }).records;
        json(
          200,
          records.map((r) => ({ id: r.id, success: true, errors: [] })),
        );
        return;
      }
      if (req.method === 'POST' && path === '/services/data/v62.0/chatter/feed-elements') {
        json(201, { id: '0D55e000000AbCdCAK' });
        return;
      }
      if (req.method === 'POST' && path === '/services/data/v62.0/chatter/feed-elements/batch') {
        json(200, { hasErrors: false, results: [] });
        return;
      }
      json(404, [{ errorCode: 'NOT_FOUND', message: 'no stub route' }]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'tidings-sf-wb-'));
  store = await openStore(`sqlite:${join(dir, 'db.sqlite')}`, {
    secretKey: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
  });
  const at = clock.now().toISOString();
  await store.putTenant(
    { id: ORG, name: 'Acme', active: true, config: { tenantId: ORG, name: 'Acme' } },
    at,
  );
  await store.putCredential(
    ORG,
    'salesforce',
    {
      signingSecret: 'x',
      jwt: {
        consumerKey: '3MVG9-consumer',
        username: 'tidings@acme.example',
        privateKey: PRIVATE_PEM,
        loginUrl: url,
      },
    },
    at,
  );
});

afterAll(async () => {
  await store.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  apiUsed = 10;
  failWith = undefined;
});

describe('the salesforce write-back target', () => {
  it('exchanges a signed JWT, then updates the Order field and posts to its Chatter feed', async () => {
    const target = createSalesforceWriteBack({}, store);
    expect(target.target).toBe('salesforce');
    expect(await target.appliesTo(ORG)).toBe(true);
    expect(await target.appliesTo('00D000000000001AAA')).toBe(false);
    const result = await target.write(job(), { store, clock });
    expect(result).toEqual({ ok: true, fingerprints: [] });

    const [token, update, post] = seen;
    expect(token?.method).toBe('POST');
    expect(token?.path).toBe('/services/oauth2/token');
    const form = token?.body as Record<string, string>;
    expect(form.grant_type).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const [h, p, s] = (form.assertion ?? '').split('.');
    expect(
      createVerify('RSA-SHA256')
        .update(`${h}.${p}`)
        .verify(publicKey, Buffer.from(s ?? '', 'base64url')),
    ).toBe(true);
    expect(JSON.parse(Buffer.from(p ?? '', 'base64url').toString())).toEqual({
      iss: '3MVG9-consumer',
      sub: 'tidings@acme.example',
      aud: url,
      exp: Math.floor(clock.now().getTime() / 1000) + 180,
    });

    expect(update).toMatchObject({
      method: 'PATCH',
      path: `/services/data/v62.0/sobjects/Order/${ORDER}`,
      body: { Tidings_Status__c: 'dispatched: Customer told by SMS that the order is on its way.' },
      auth: 'Bearer token-from-jwt',
    });
    expect(post).toMatchObject({
      method: 'POST',
      path: '/services/data/v62.0/chatter/feed-elements',
      body: {
        feedElementType: 'FeedItem',
        subjectId: ORDER,
        body: { messageSegments: [{ type: 'Text', text: expect.stringContaining('dispatched') }] },
      },
    });
    expect(seen).toHaveLength(3);
  });

  it('reuses the session and honours an explicit API version', async () => {
    const target = createSalesforceWriteBack({ apiVersion: '61.0' }, store);
    await target.write(job(), { store, clock });
    await target.write(job(), { store, clock });
    expect(seen.filter((s) => s.path === '/services/oauth2/token')).toHaveLength(1);
    expect(
      seen
        .filter((s) => s.path.startsWith('/services/data/'))
        .every((s) => s.path.startsWith('/services/data/v61.0/')),
    ).toBe(true);
  });

  it('writes several Orders as one sObject Collections request and one Chatter batch', async () => {
    const target = createSalesforceWriteBack({}, store);
    const other = '8015e000000XyZ2AAK';
    const result = await target.writeMany(
      [job(), job({ id: 'wb_2', orderRef: other, status: 'delivered' })],
      { store, clock },
    );
    expect(result.ok).toBe(true);
    const data = seen.filter((s) => s.path.startsWith('/services/data/'));
    expect(data.map((s) => `${s.method} ${s.path}`)).toEqual([
      'PATCH /services/data/v62.0/composite/sobjects',
      'POST /services/data/v62.0/chatter/feed-elements/batch',
    ]);
    expect(data[0]?.body).toMatchObject({
      allOrNone: false,
      records: [
        {
          id: ORDER,
          Tidings_Status__c: expect.stringMatching(/^dispatched/),
          attributes: { type: 'Order' },
        },
        { id: other, Tidings_Status__c: expect.stringMatching(/^delivered/) },
      ],
    });
    expect(data[1]?.body).toMatchObject({
      inputs: [{ richInput: { subjectId: ORDER } }, { richInput: { subjectId: other } }],
    });
  });

  it('defers instead of spending the last of the org daily API requests', async () => {
    const target = createSalesforceWriteBack({}, store);
    await target.write(job(), { store, clock });
    apiUsed = 95;
    await target.write(job(), { store, clock }); // this response reports 95/100
    const before = seen.length;
    const result = await target.write(job(), { store, clock });
    expect(result).toMatchObject({
      ok: false,
      error: { class: 'retryable', code: 'api_limit_near' },
    });
    expect(seen.length).toBe(before);
  });

  it('classifies a 5xx as retryable and a 4xx as permanent, without keeping the body', async () => {
    const target = createSalesforceWriteBack({}, store);
    await target.write(job(), { store, clock });
    failWith = 503;
    const down = await target.write(job(), { store, clock });
    expect(down).toMatchObject({
      ok: false,
      error: { class: 'retryable', providerCode: 'SERVER_UNAVAILABLE' },
    });
    failWith = 400;
    const bad = await target.write(job(), { store, clock });
    expect(bad).toMatchObject({
      ok: false,
      error: { class: 'permanent', providerCode: 'INVALID_FIELD' },
    });
    expect(JSON.stringify(bad)).not.toContain('secret detail');
  });

  it('refuses an order reference that is not a Salesforce id without calling out', async () => {
    const target = createSalesforceWriteBack({}, store);
    const result = await target.write(job({ orderRef: '#1001' }), { store, clock });
    expect(result).toMatchObject({
      ok: false,
      error: { class: 'permanent', code: 'not_a_salesforce_order' },
    });
    expect(seen).toHaveLength(0);
  });
});
