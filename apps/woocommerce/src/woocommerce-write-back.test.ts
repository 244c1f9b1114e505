import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '@tidings/core';
import type { WriteBackJob } from '@tidings/engine';
import { openStore, type Store } from '@tidings/store';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWoocommerceWriteBack, noteMarker } from './woocommerce-write-back.ts';

/** The note WooCommerce's docs show being created (`_order-notes.md`), as the stub's answer. */
const NOTE_281 = readFileSync(
  new URL('../test/fixtures/rest-v3-order-note-281.json', import.meta.url),
  'utf8',
);

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  contentType: string | undefined;
  body: unknown;
}
type Handler = (req: Seen) => { status: number; body: unknown; headers?: Record<string, string> };

let server: Server;
let base: string;
let seen: Seen[] = [];
let handler: Handler = () => ({ status: 500, body: {} });
let dir: string;
let store: Store;
const clock = fixedClock('2025-06-01T10:00:00Z');

const readBody = async (req: IncomingMessage): Promise<string> => {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
};

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    const text = await readBody(req);
    const entry: Seen = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      authorization: req.headers.authorization,
      contentType: req.headers['content-type'],
      body: text ? JSON.parse(text) : undefined,
    };
    seen.push(entry);
    const out = handler(entry);
    res.writeHead(out.status, { 'content-type': 'application/json', ...out.headers });
    res.end(typeof out.body === 'string' ? out.body : JSON.stringify(out.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'tidings-woo-wb-'));
  store = await openStore(`sqlite:${join(dir, 'wb.db')}`, {
    secretKey: `k1:${Buffer.alloc(32, 3).toString('base64')}`,
  });
  await store.putTenant(
    { id: 'site', name: 'Site', active: true, config: { tenantId: 'site', name: 'Site' } },
    clock.now().toISOString(),
  );
});
afterEach(() => {
  seen = [];
});
afterAll(async () => {
  await store.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

const setCredential = async (extra: Record<string, unknown> = {}) => {
  const r = await store.putCredential(
    'site',
    'woocommerce',
    { siteUrl: `${base}/`, consumerKey: 'ck_test', consumerSecret: 'cs_test', ...extra },
    clock.now().toISOString(),
  );
  if (!r.ok) throw new Error(r.error.message);
};

const job = (over: Partial<WriteBackJob> = {}): WriteBackJob => ({
  id: 'wb_1',
  tenantId: 'site',
  orderRef: '723',
  target: 'woocommerce',
  eventId: 'plugin:abc',
  status: 'dispatched',
  note: 'Customer told: dispatched (email).',
  at: clock.now().toISOString(),
  ...over,
});

const target = () => createWoocommerceWriteBack({ store, timeoutMs: 2000 });

describe('write-back to WooCommerce REST v3', () => {
  it('adds one private note with Basic consumer key/secret, as the docs describe', async () => {
    await setCredential();
    handler = (req) =>
      req.method === 'GET' ? { status: 200, body: [] } : { status: 201, body: NOTE_281 };
    const result = await target().write(job(), { store, clock });
    expect(result).toEqual({ ok: true, fingerprints: [noteMarker('wb_1')] });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      'GET /wp-json/wc/v3/orders/723/notes',
      'POST /wp-json/wc/v3/orders/723/notes',
    ]);
    const post = seen[1];
    expect(post?.authorization).toBe(`Basic ${Buffer.from('ck_test:cs_test').toString('base64')}`);
    expect(post?.contentType).toBe('application/json');
    expect(post?.body).toEqual({
      note: `Tidings: Customer told: dispatched (email). ${noteMarker('wb_1')}`,
      customer_note: false,
      added_by_user: false,
    });
  });

  it('does not add the note twice when a retry finds it already there', async () => {
    await setCredential();
    handler = () => ({
      status: 200,
      body: [{ id: 281, note: `Tidings: earlier ${noteMarker('wb_1')}`, customer_note: false }],
    });
    expect((await target().write(job(), { store, clock })).ok).toBe(true);
    expect(seen.map((s) => s.method)).toEqual(['GET']);
  });

  it('puts the keys in the query when the site strips Authorization', async () => {
    await setCredential({ restAuth: 'query' });
    handler = (req) =>
      req.method === 'GET' ? { status: 200, body: [] } : { status: 201, body: NOTE_281 };
    await target().write(job(), { store, clock });
    expect(seen[1]?.authorization).toBeUndefined();
    expect(seen[1]?.query.get('consumer_key')).toBe('ck_test');
    expect(seen[1]?.query.get('consumer_secret')).toBe('cs_test');
  });

  it('sets the configured status on delivery, fingerprinted before the write', async () => {
    await setCredential({ deliveredStatus: 'completed' });
    handler = (req) =>
      req.method === 'PUT'
        ? { status: 200, body: { id: 723, status: 'completed' } }
        : req.method === 'GET'
          ? { status: 200, body: [] }
          : { status: 201, body: NOTE_281 };
    const result = await target().write(job({ status: 'delivered' }), { store, clock });
    expect(result).toEqual({
      ok: true,
      fingerprints: ['woocommerce:status:723:completed', noteMarker('wb_1')],
    });
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      path: '/wp-json/wc/v3/orders/723',
      body: { status: 'completed' },
    });
    const known = await store.transaction((tx) =>
      tx.hasFingerprint('site', 'woocommerce:status:723:completed', clock.now().toISOString()),
    );
    expect(known).toBe(true);
  });

  it('leaves the order status alone unless configured, and for anything but delivered', async () => {
    handler = (req) =>
      req.method === 'GET' ? { status: 200, body: [] } : { status: 201, body: NOTE_281 };
    await setCredential();
    const unset = await target().write(job({ status: 'delivered' }), { store, clock });
    expect(unset).toEqual({ ok: true, fingerprints: [noteMarker('wb_1')] });
    await setCredential({ deliveredStatus: 'completed' });
    await target().write(job({ status: 'dispatched' }), { store, clock });
    expect(seen.map((s) => s.method)).toEqual(['GET', 'POST', 'GET', 'POST']);
    expect(seen.every((s) => s.path === '/wp-json/wc/v3/orders/723/notes')).toBe(true);
  });

  it('classifies WooCommerce’s answers: 5xx and 429 retry, auth and missing orders do not', async () => {
    await setCredential();
    const cases: [number, string, string][] = [
      [503, 'woocommerce_server_error', 'retryable'],
      [429, 'woocommerce_rate_limited', 'retryable'],
      [401, 'woocommerce_auth_failed', 'permanent'],
      [404, 'woocommerce_order_not_found', 'permanent'],
      [400, 'woocommerce_rejected', 'permanent'],
    ];
    for (const [status, code, failureClass] of cases) {
      handler = () => ({
        status,
        body: { code: 'woocommerce_rest_shop_order_invalid_id', message: 'Invalid ID.' },
        headers: { 'retry-after': '7' },
      });
      const result = await target().write(job(), { store, clock });
      expect(result).toMatchObject({
        ok: false,
        error: {
          code,
          class: failureClass,
          providerStatus: status,
          providerCode: 'woocommerce_rest_shop_order_invalid_id',
        },
      });
      if (!result.ok) expect(result.error.message).not.toContain('Invalid ID.');
    }
    const limited = await target().write(job(), { store, clock });
    expect(limited.ok === false && limited.error.class).toBe('permanent');
  });

  it('reports an unreachable site as retryable, and an unset one as not applying', async () => {
    await store.putCredential(
      'site',
      'woocommerce',
      { siteUrl: 'http://127.0.0.1:9', consumerKey: 'ck', consumerSecret: 'cs' },
      clock.now().toISOString(),
    );
    const result = await target().write(job(), { store, clock });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'woocommerce_unreachable', class: 'retryable' },
    });
    await store.putCredential('site', 'woocommerce', { siteUrl: base }, clock.now().toISOString());
    expect(await target().appliesTo('site')).toBe(false);
    expect(await target().appliesTo('nobody')).toBe(false);
    expect(await target().write(job(), { store, clock })).toMatchObject({
      ok: false,
      error: { code: 'woocommerce_not_configured', class: 'permanent' },
    });
  });
});
