import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aftershipSignature } from '../src/carriers/aftership/index.ts';
import { NetsuitePayloadSchema, netsuiteEvent } from '../src/netsuite/index.ts';
import { netsuiteSignature } from '../src/netsuite/netsuite-signature.ts';
import { loadScript, type Posted, SCRIPT_PATH } from './netsuite-script.ts';
import { type SourcesHub, startSourcesHub } from './sources-harness.ts';

const SECRET = 'ns-api-secret-value-0123456789abcdef';
const ACCOUNT = '1234567_SB1';

const salesOrder = (status: string, extra: Record<string, unknown> = {}) => ({
  type: 'salesorder',
  id: 8812,
  values: {
    orderstatus: status,
    tranid: 'SO1042',
    otherrefnum: '1001',
    email: 'camille@example.com',
    lastmodifieddate: '2026-01-01T14:00:00Z',
    ...extra,
  },
});

describe('the NetSuite user event script, run with stand-ins for N/*', () => {
  let h: SourcesHub;
  let script: ReturnType<typeof loadScript>;
  const forward = (p: Posted) =>
    h.post(new URL(p.url).pathname, p.body, {
      'content-type': p.headers['Content-Type'] ?? '',
      'x-tidings-timestamp': p.headers['X-Tidings-Timestamp'] ?? '',
      'x-tidings-signature': p.headers['X-Tidings-Signature'] ?? '',
    });

  beforeAll(async () => {
    h = await startSourcesHub({ at: new Date().toISOString() });
    await h.store.putCredential(
      h.tenantId,
      'netsuite',
      { signingSecret: SECRET, accountId: ACCOUNT },
      '2026-01-01T00:00:00Z',
    );
    await h.store.putCredential(
      h.tenantId,
      'aftership',
      { webhookSecret: 'as-secret-0123456789', orderRefField: 'none' },
      '2026-01-01T00:00:00Z',
    );
    script = loadScript({
      secrets: { custsecret_tidings_signing: SECRET },
      parameters: {
        custscript_tidings_endpoint: `${h.url}/sources/netsuite/${h.tenantId}`,
        custscript_tidings_secret: 'custsecret_tidings_signing',
      },
      accountId: ACCOUNT,
      salesOrders: {
        '8812': { tranid: 'SO1042', otherrefnum: '1001', email: 'camille@example.com' },
      },
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('is a SuiteScript 2.1 user event script using only the N modules it is given', () => {
    const source = readFileSync(SCRIPT_PATH, 'utf8');
    expect(source).toMatch(/@NApiVersion 2\.1/);
    expect(source).toMatch(/@NScriptType UserEventScript/);
    expect(script.dependencies.sort()).toEqual([
      'N/crypto',
      'N/encode',
      'N/https',
      'N/log',
      'N/runtime',
      'N/search',
    ]);
  });

  it('posts a sales-order status change, signed, which the endpoint accepts', async () => {
    script.afterSubmit({ type: 'edit', oldRecord: salesOrder('B'), newRecord: salesOrder('D') });
    const posted = script.posts.at(-1);
    expect(posted?.url).toBe(`${h.url}/sources/netsuite/${h.tenantId}`);
    const ts = posted?.headers['X-Tidings-Timestamp'] ?? '';
    expect(posted?.headers['X-Tidings-Signature']).toBe(
      netsuiteSignature(SECRET, ts, posted?.body ?? ''),
    );
    expect(JSON.parse(posted?.body ?? '{}')).toMatchObject({
      accountId: ACCOUNT,
      recordType: 'salesorder',
      id: '8812',
      status: { old: 'B', new: 'D' },
      order: { id: '8812', tranId: 'SO1042', otherRefNum: '1001' },
    });
    const res = await forward(posted as Posted);
    expect(res).toMatchObject({ status: 202, json: { outcome: 'accepted' } });
    const [stored] = await h.store.listEvents(h.tenantId, 'SO1042');
    expect(stored?.event).toMatchObject({
      source: 'netsuite',
      status: 'dispatched',
      previousStatus: 'processing',
      overlay: { kind: 'split_shipment' },
      recipients: [{ role: 'customer', contacts: { email: 'camille@example.com' } }],
    });
    expect(await forward(posted as Posted)).toMatchObject({
      status: 200,
      json: { outcome: 'duplicate' },
    });
  });

  it('posts a shipped fulfillment with its tracking numbers, binding them to the order', async () => {
    const carrier = JSON.stringify({
      event: 'tracking_update',
      event_id: 'ns-parked-1',
      ts: Math.floor(Date.now() / 1000),
      msg: { tracking_number: '9400100000000000000001', slug: 'usps', tag: 'InTransit' },
    });
    const parked = await h.post(`/sources/aftership/${h.tenantId}`, carrier, {
      'aftership-hmac-sha256': aftershipSignature('as-secret-0123456789', carrier),
    });
    expect(parked.json).toMatchObject({ outcome: 'parked' });

    script.afterSubmit({
      type: 'ship',
      oldRecord: { type: 'itemfulfillment', id: 9911, values: { shipstatus: 'B' } },
      newRecord: {
        type: 'itemfulfillment',
        id: 9911,
        values: {
          shipstatus: 'C',
          createdfrom: '8812',
          tranid: 'IF77',
          lastmodifieddate: '2026-01-01T14:30:00Z',
        },
        texts: { shipmethod: 'USPS Priority' },
        packages: ['9400100000000000000001', ''],
      },
    });
    const posted = script.posts.at(-1) as Posted;
    expect(JSON.parse(posted.body)).toMatchObject({
      recordType: 'itemfulfillment',
      order: { tranId: 'SO1042' },
      fulfillment: {
        tranId: 'IF77',
        carrier: 'USPS Priority',
        trackingNumbers: ['9400100000000000000001'],
      },
    });
    const res = await forward(posted);
    expect(res).toMatchObject({ status: 202, json: { releasedCarrierUpdates: 1 } });
    const state = await h.store.getOrderState(h.tenantId, 'SO1042');
    expect(state?.state.shipments.find((s) => s.id === 'IF77')?.progress).toBe('in_transit');
  });

  it('posts nothing when the status did not change or the record was deleted, and never fails the save', () => {
    const before = script.posts.length;
    script.afterSubmit({ type: 'edit', oldRecord: salesOrder('B'), newRecord: salesOrder('B') });
    script.afterSubmit({ type: 'delete', oldRecord: salesOrder('B'), newRecord: salesOrder('B') });
    expect(script.posts).toHaveLength(before);
    const broken = loadScript({
      secrets: {},
      parameters: {
        custscript_tidings_endpoint: 'https://x',
        custscript_tidings_secret: 'custsecret_missing',
      },
      accountId: ACCOUNT,
    });
    expect(() =>
      broken.afterSubmit({ type: 'edit', oldRecord: salesOrder('A'), newRecord: salesOrder('B') }),
    ).not.toThrow();
    expect(broken.logs[0]?.title).toBe('Tidings callout failed');
    const refused = loadScript({
      secrets: { s: SECRET },
      parameters: { custscript_tidings_endpoint: 'https://x', custscript_tidings_secret: 's' },
      accountId: ACCOUNT,
      respond: () => ({ code: 401, body: '' }),
    });
    refused.afterSubmit({ type: 'edit', oldRecord: salesOrder('A'), newRecord: salesOrder('B') });
    expect(refused.logs[0]?.title).toBe('Tidings refused the status change');
  });

  it('answers 401 to a changed body, a stale timestamp or another secret; 403 to another account', async () => {
    script.afterSubmit({
      type: 'edit',
      oldRecord: salesOrder('D'),
      newRecord: salesOrder('F', { lastmodifieddate: '2026-01-01T15:00:00Z' }),
    });
    const posted = script.posts.at(-1) as Posted;
    const changed = { ...posted, body: posted.body.replace('"F"', '"C"') };
    expect(await forward(changed)).toMatchObject({
      status: 401,
      json: { error: { code: 'bad_signature' } },
    });
    const ts = String(Math.floor(Date.now() / 1000) - 600);
    const stale = {
      ...posted,
      headers: {
        ...posted.headers,
        'X-Tidings-Timestamp': ts,
        'X-Tidings-Signature': netsuiteSignature(SECRET, ts, posted.body),
      },
    };
    expect(await forward(stale)).toMatchObject({
      status: 401,
      json: { error: { code: 'stale_request' } },
    });
    const other = {
      ...posted,
      headers: {
        ...posted.headers,
        'X-Tidings-Signature': netsuiteSignature(
          'x'.repeat(40),
          posted.headers['X-Tidings-Timestamp'] ?? '',
          posted.body,
        ),
      },
    };
    expect((await forward(other)).status).toBe(401);
    const foreignBody = posted.body.replace(ACCOUNT, '999');
    const now = String(Math.floor(Date.now() / 1000));
    const foreign = {
      ...posted,
      body: foreignBody,
      headers: {
        ...posted.headers,
        'X-Tidings-Timestamp': now,
        'X-Tidings-Signature': netsuiteSignature(SECRET, now, foreignBody),
      },
    };
    expect((await forward(foreign)).status).toBe(403);
    expect(
      (await h.store.listEvents(h.tenantId, 'SO1042')).some(
        (e) => e.sourceEventId.startsWith('salesorder:') && e.event.raw.value === 'C',
      ),
    ).toBe(false);
  });
});

describe('the NetSuite endpoint’s status tables', () => {
  const payload = (recordType: 'salesorder' | 'itemfulfillment', status: string) =>
    NetsuitePayloadSchema.parse({
      accountId: '1',
      recordType,
      id: '1',
      eventType: 'edit',
      lastModified: '2026-01-01T00:00:00Z',
      status: { old: null, new: status },
      order: { id: '1', tranId: 'SO1' },
    });
  const map = (recordType: 'salesorder' | 'itemfulfillment', status: string) => {
    const built = netsuiteEvent(
      't',
      payload(recordType, status),
      { orderRefField: 'tranId' },
      { statusMappings: {} },
      { recipients: [], order: { number: 'SO1', lineItems: [], tags: [] } },
    );
    if (!built.ok) throw new Error(built.error.message);
    return built.event;
  };

  it.each([
    ['A', 'created'],
    ['B', 'processing'],
    ['C', 'cancelled'],
    ['D', 'dispatched'],
    ['E', 'dispatched'],
    ['F', 'dispatched'],
    ['G', 'dispatched'],
    ['H', 'completed'],
    ['SalesOrd:B', 'processing'],
    ['Pending Fulfillment', 'processing'],
  ])('maps SalesOrd %s to %s', (letter, status) => {
    expect(map('salesorder', letter).status).toBe(status);
  });

  it('closes an order as completed only if something shipped, else cancelled', () => {
    expect(map('salesorder', 'H').guard).toEqual({
      requires: 'any_shipped',
      otherwise: 'cancelled',
    });
  });

  it.each([
    ['A', 'processing'],
    ['B', 'processing'],
    ['C', 'dispatched'],
    ['ItemShip:C', 'dispatched'],
  ])('maps ship status %s to %s on the fulfillment’s shipment', (letter, status) => {
    const event = map('itemfulfillment', letter);
    expect(event.status).toBe(status);
    expect(event.shipment?.id).toBe('if-1');
  });

  it('names an unknown letter', () => {
    const built = netsuiteEvent(
      't',
      payload('salesorder', 'Z'),
      { orderRefField: 'tranId' },
      { statusMappings: {} },
      { recipients: [], order: { number: 'SO1', lineItems: [], tags: [] } },
    );
    expect(built).toMatchObject({ ok: false, error: { code: 'unknown_status', value: 'Z' } });
  });
});

describe('the SDF project', () => {
  const file = (p: string) => readFileSync(new URL(`../netsuite/${p}`, import.meta.url), 'utf8');

  it('deploys the script file and its objects', () => {
    expect(file('src/manifest.xml')).toMatch(/projecttype="ACCOUNTCUSTOMIZATION"/);
    const deploy = file('src/deploy.xml');
    expect(deploy).toContain('<path>~/FileCabinet/SuiteScripts/Tidings/*</path>');
    expect(deploy).toContain('<path>~/Objects/*</path>');
  });

  it('deploys the user event script on sales orders and item fulfillments with its two parameters', () => {
    const object = file('src/Objects/customscript_tidings_status_ue.xml');
    expect(object).toContain(
      '<scriptfile>[/SuiteScripts/Tidings/tidings_status_ue.js]</scriptfile>',
    );
    expect(object.match(/<recordtype>([A-Z]+)<\/recordtype>/g)).toEqual([
      '<recordtype>SALESORDER</recordtype>',
      '<recordtype>ITEMFULFILLMENT</recordtype>',
    ]);
    expect(object).toContain('scriptid="custscript_tidings_endpoint"');
    expect(object).toContain('scriptid="custscript_tidings_secret"');
    expect(readFileSync(SCRIPT_PATH, 'utf8')).toContain("param('custscript_tidings_endpoint')");
  });
});
