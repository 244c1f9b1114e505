import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aftershipSignature } from '../src/carriers/aftership/index.ts';
import { signEvent } from '../src/events-api/index.ts';
import { type SourcesHub, startSourcesHub } from './sources-harness.ts';

const SECRET = 'evt-signing-secret-0123456789abcdef0123';
const example = (name: string): string =>
  readFileSync(new URL(`../src/events-api/examples/${name}`, import.meta.url), 'utf8');

describe('POST /api/events', () => {
  let h: SourcesHub;
  const seconds = () => String(Math.floor(h.now.value.getTime() / 1000));
  const send = (body: string, options: { ts?: string; sig?: string; tenant?: string } = {}) => {
    const ts = options.ts ?? seconds();
    return h.post('/api/events', body, {
      'x-tidings-tenant': options.tenant ?? h.tenantId,
      'x-tidings-timestamp': ts,
      'x-tidings-signature': options.sig ?? signEvent(SECRET, ts, body),
    });
  };

  beforeAll(async () => {
    h = await startSourcesHub();
    await h.store.putCredential(
      h.tenantId,
      'events-api',
      { signingSecret: SECRET },
      '2026-01-01T00:00:00Z',
    );
    await h.store.putCredential(
      h.tenantId,
      'aftership',
      { webhookSecret: 'as-secret-0123456789', orderRefField: 'none' },
      '2026-01-01T00:00:00Z',
    );
  });
  afterAll(async () => {
    await h.stop();
  });

  it('accepts a signed canonical event and plans its notification', async () => {
    const res = await send(example('on-hold-payment.json'));
    expect(res).toMatchObject({ status: 202, json: { outcome: 'accepted', verdict: 'notify' } });
    const [stored] = await h.store.listEvents(h.tenantId, 'SO-10443');
    expect(stored).toMatchObject({
      source: 'api',
      sourceEventId: 'erp-7731-hold-2026-01-02T10:00:00Z',
    });
  });

  it('dedupes a re-signed redelivery of the same event id', async () => {
    h.now.value = new Date(h.now.value.getTime() + 1000);
    const res = await send(example('on-hold-payment.json'));
    expect(res).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
  });

  it('answers 409 to the same signed request replayed inside the window', async () => {
    const body = example('cancelled.json');
    const ts = seconds();
    const sig = signEvent(SECRET, ts, body);
    expect((await send(body, { ts, sig })).status).toBe(202);
    expect(await send(body, { ts, sig })).toMatchObject({
      status: 409,
      json: { error: { code: 'replayed_request' } },
    });
  });

  it('answers 401 to a changed body, a stale or future timestamp, a missing signature', async () => {
    const body = example('cancelled.json');
    const ts = seconds();
    const sig = signEvent(SECRET, ts, body);
    const changed = body.replace('SO-10444', 'SO-99999');
    expect(await send(changed, { ts, sig })).toMatchObject({
      status: 401,
      json: { error: { code: 'bad_signature' } },
    });
    const old = String(Number(ts) - 301);
    expect(await send(body, { ts: old })).toMatchObject({
      status: 401,
      json: { error: { code: 'stale_request' } },
    });
    const future = String(Number(ts) + 301);
    expect((await send(body, { ts: future })).status).toBe(401);
    const bare = await h.post('/api/events', body, { 'x-tidings-tenant': h.tenantId });
    expect(bare).toMatchObject({ status: 401, json: { error: { code: 'missing_signature' } } });
    expect((await h.post('/api/events', body)).status).toBe(401);
    expect(await h.store.listEvents(h.tenantId, 'SO-99999')).toHaveLength(0);
  });

  it('answers 422 with the paths that are wrong, and stores nothing', async () => {
    const body = JSON.stringify({
      sourceEventId: 'x',
      orderRef: 'SO-1',
      occurredAt: 'yesterday',
      status: 'teleported',
      raw: { value: 'x' },
      order: { number: '1' },
    });
    const res = await send(body);
    expect(res.status).toBe(422);
    const paths = (res.json.error as { issues: { path: string }[] }).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['event.occurredAt', 'event.status']));
    expect(await h.store.listEvents(h.tenantId, 'SO-1')).toHaveLength(0);
  });

  it('binds a tracking number and releases the carrier update parked for it', async () => {
    const carrier = JSON.stringify({
      event: 'tracking_update',
      event_id: 'as-parked-1',
      ts: Math.floor(h.now.value.getTime() / 1000),
      msg: {
        tracking_number: '1Z999AA10123456784',
        slug: 'ups',
        tag: 'InTransit',
        subtag: 'InTransit_001',
      },
    });
    const parked = await h.post(`/sources/aftership/${h.tenantId}`, carrier, {
      'aftership-hmac-sha256': aftershipSignature('as-secret-0123456789', carrier),
    });
    expect(parked).toMatchObject({ status: 202, json: { outcome: 'parked' } });

    const res = await send(example('dispatched-with-tracking.json'));
    expect(res).toMatchObject({
      status: 202,
      json: { outcome: 'accepted', releasedCarrierUpdates: 1 },
    });
    const state = await h.store.getOrderState(h.tenantId, 'SO-10442');
    expect(state?.state.shipments.find((s) => s.id === '88121')?.progress).toBe('in_transit');
  });

  it('serves the JSON Schema of the body', async () => {
    const res = await fetch(`${h.url}/api/events/schema`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { title: string }).title).toBe('Tidings canonical order event');
  });
});
