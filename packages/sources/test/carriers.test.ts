import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { OrderEventInput } from '@tidings/core';
import { OrderEventSchema } from '@tidings/core';
import { createWriteBackWorker, type WriteBackJob } from '@tidings/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aftershipSignature } from '../src/carriers/aftership/index.ts';
import { easypostSignature, verifyEasypost } from '../src/carriers/easypost/index.ts';
import { createParkedSweep, PARKED_TTL_MS } from '../src/carriers/index.ts';
import { type SourcesHub, startSourcesHub } from './sources-harness.ts';

const fixture = (name: string): Buffer =>
  readFileSync(new URL(`../src/carriers/fixtures/${name}`, import.meta.url));

// EasyPost's clients sign JSON.stringify(JSON.parse(file)): the file without its trailing newline.
const EASYPOST_BODY = Buffer.from(fixture('easypost-event-body.raw').toString('utf8').trimEnd());
const EASYPOST_SECRET = 'sécret';
const EASYPOST_PUBLISHED =
  'hmac-sha256-hex=38f3f53c103713df81616a0a186d77141957323ec21d5fe9363db93840f527db';
const AFTERSHIP_SECRET = 'as-test-secret-0123456789';

const seedOrder = (tenantId: string, overrides: Partial<OrderEventInput> = {}) =>
  OrderEventSchema.parse({
    tenantId,
    source: 'shopify',
    sourceEventId: `seed-${overrides.orderRef ?? '1001'}`,
    orderRef: '1001',
    occurredAt: '2026-01-01T09:00:00Z',
    status: 'dispatched',
    raw: { value: 'fulfilled' },
    shipment: { id: 'f1', trackingNumber: '1Z999AA10123456784', carrier: 'UPS' },
    recipients: [{ role: 'customer', name: 'Camille', contacts: { email: 'camille@example.com' } }],
    order: { number: '#1001', promisedDate: '2026-01-03' },
    ...overrides,
  });

describe('EasyPost signature', () => {
  it("verifies EasyPost's published example (client-library fixtures, secret NFKD-normalized)", () => {
    expect(easypostSignature(EASYPOST_SECRET, EASYPOST_BODY)).toBe(EASYPOST_PUBLISHED);
    expect(verifyEasypost([EASYPOST_SECRET], EASYPOST_BODY, EASYPOST_PUBLISHED)).toBe('ok');
  });

  it('would not verify had the secret not been NFKD-normalized', () => {
    const nfc = `hmac-sha256-hex=${createHmac('sha256', EASYPOST_SECRET.normalize('NFC')).update(EASYPOST_BODY).digest('hex')}`;
    expect(nfc).not.toBe(EASYPOST_PUBLISHED);
  });

  it('rejects the published signature once one byte of the body changes', () => {
    const altered = Buffer.from(EASYPOST_BODY.toString('utf8').replace('614.4', '614.5'));
    expect(verifyEasypost([EASYPOST_SECRET], altered, EASYPOST_PUBLISHED)).toBe('bad_signature');
    expect(verifyEasypost([EASYPOST_SECRET], EASYPOST_BODY, undefined)).toBe('missing_signature');
  });
});

describe('carrier webhooks through the hub', () => {
  let h: SourcesHub;
  /** What the store platform was asked to write, through the engine's write-back worker. */
  const written: WriteBackJob[] = [];
  const writeBack = () =>
    createWriteBackWorker({
      store: h.store,
      clock: { now: () => new Date(h.now.value) },
      writeBacks: h.context().writeBacks,
      logger: h.context().logger,
    }).drain();

  beforeAll(async () => {
    // The sweep is run by hand below, so each test says when parked updates are looked at.
    h = await startSourcesHub({ parkedSweepMs: 0 });
    h.context().writeBacks.register({
      target: 'shopify',
      appliesTo: async () => true,
      write: async (job) => {
        written.push(job);
        return { ok: true, fingerprints: [`tidings:${job.id}`] };
      },
    });
    await h.store.putCredential(
      h.tenantId,
      'easypost',
      { webhookSecret: EASYPOST_SECRET },
      '2026-01-01T00:00:00Z',
    );
    await h.store.putCredential(
      h.tenantId,
      'aftership',
      { webhookSecret: AFTERSHIP_SECRET },
      '2026-01-01T00:00:00Z',
    );
  });
  afterAll(async () => {
    await h.stop();
  });

  const easypost = (body: Buffer | string, signature = easypostSignature(EASYPOST_SECRET, body)) =>
    h.post(`/sources/easypost/${h.tenantId}`, body, { 'x-hmac-signature': signature });
  const aftership = (
    body: Buffer | string,
    signature = aftershipSignature(AFTERSHIP_SECRET, body),
  ) => h.post(`/sources/aftership/${h.tenantId}`, body, { 'aftership-hmac-sha256': signature });

  it('parks the published EasyPost event for an unknown tracking code, then delivers it once an order carries the code', async () => {
    const first = await easypost(EASYPOST_BODY, EASYPOST_PUBLISHED);
    expect(first).toMatchObject({ status: 202, json: { outcome: 'parked' } });
    const again = await easypost(EASYPOST_BODY, EASYPOST_PUBLISHED);
    expect(again).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
    expect(await h.store.listEvents(h.tenantId, '2002')).toHaveLength(0);
    const [parked] = await h.store.listParkedTrackingUpdates(h.tenantId, 10);
    // Only normalized facts are kept while parked, never the carrier's body.
    expect(parked).toMatchObject({ trackingKey: '1', key: 'easypost:evt_1' });
    expect(JSON.stringify(parked?.update)).not.toContain('614.4');

    const context = h.context();
    const sweep = createParkedSweep(context, 0);
    expect(await sweep.runOnce()).toEqual({ released: 0, purged: 0 });
    // Another app's fulfillment (here a Shopify-shaped event) carries the code: saving the
    // order's state binds it in the store, and the next sweep delivers what was parked.
    await context.ingest({
      event: seedOrder(h.tenantId, {
        orderRef: '2002',
        sourceEventId: 'seed-2002',
        shipment: { id: 'f9', trackingNumber: '1', carrier: 'FedEx' },
      }),
      rawBody: '{}',
    });
    expect(await h.store.findTrackingNumber(h.tenantId, '1')).toMatchObject({
      orderRef: '2002',
      shipmentId: 'f9',
    });
    expect(await sweep.runOnce()).toEqual({ released: 1, purged: 0 });
    expect(await h.store.listParkedTrackingUpdates(h.tenantId, 10)).toEqual([]);
    const events = await h.store.listEvents(h.tenantId, '2002');
    expect(events.map((e) => [e.source, e.sourceEventId, e.event.status])).toEqual([
      ['shopify', 'seed-2002', 'dispatched'],
      ['easypost', 'evt_1', 'in_transit'],
    ]);
    const state = await h.store.getOrderState(h.tenantId, '2002');
    expect(state?.state.shipments.find((s) => s.id === 'f9')?.progress).toBe('in_transit');

    const redelivered = await easypost(EASYPOST_BODY, EASYPOST_PUBLISHED);
    expect(redelivered).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
  });

  it('advances a known order to delivered from an AfterShip webhook that names the order', async () => {
    await h.context().ingest({ event: seedOrder(h.tenantId), rawBody: '{}' });
    const body = fixture('aftership-tracking-update.json');
    const res = await aftership(body);
    expect(res).toMatchObject({ status: 202, json: { outcome: 'accepted', shipmentId: 'f1' } });
    const state = await h.store.getOrderState(h.tenantId, '1001');
    expect(state?.state.shipments.find((s) => s.id === 'f1')?.progress).toBe('delivered');
    const events = await h.store.listEvents(h.tenantId, '1001');
    const carrier = events.find((e) => e.source === 'aftership');
    expect(carrier?.event.recipients[0]?.contacts.email).toBe('camille@example.com');
    expect(Buffer.from(carrier?.rawBody ?? []).equals(body)).toBe(true);

    const redelivery = await aftership(body);
    expect(redelivery).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
    // The number is bound: an update without the order field finds the order too.
    expect(await h.store.findTrackingNumber(h.tenantId, '1z999aa1 0123456784')).toMatchObject({
      orderRef: '1001',
      shipmentId: 'f1',
    });
  });

  it('advances the shipment of a known tracking number to delivered and, through the engine, writes back to the store platform', async () => {
    await h.context().ingest({
      event: seedOrder(h.tenantId, {
        orderRef: '5005',
        sourceEventId: 'seed-5005',
        shipment: { id: 'ful-55', trackingNumber: '9400 1118-9922', carrier: 'USPS' },
      }),
      rawBody: '{}',
    });
    await writeBack();
    written.length = 0;
    // The carrier names no order: the tracking number alone finds order 5005 and shipment ful-55.
    const body = JSON.stringify({
      event: 'tracking_update',
      event_id: 'as-5005-delivered',
      ts: 1767280000,
      msg: {
        tracking_number: '9400111899 22',
        slug: 'usps',
        tag: 'Delivered',
        subtag: 'Delivered_001',
      },
    });
    expect(await aftership(body)).toMatchObject({
      status: 202,
      json: { outcome: 'accepted', verdict: 'notify', shipmentId: 'ful-55' },
    });
    const state = await h.store.getOrderState(h.tenantId, '5005');
    expect(state?.state.shipments.find((s) => s.id === 'ful-55')?.progress).toBe('delivered');
    expect(await writeBack()).toBe(1);
    expect(written).toEqual([
      expect.objectContaining({
        target: 'shopify',
        orderRef: '5005',
        shipmentId: 'ful-55',
        status: 'delivered',
        eventId: 'as-5005-delivered',
      }),
    ]);
  });

  it('raises delayed with the revised date when the estimate passes the promised date', async () => {
    await h.context().ingest({
      event: seedOrder(h.tenantId, {
        orderRef: '3003',
        sourceEventId: 'seed-3003',
        shipment: { id: 's3', trackingNumber: 'TRK3003' },
      }),
      rawBody: '{}',
    });
    const body = JSON.stringify({
      event: 'edd_revise',
      event_id: 'edd-3003-1',
      ts: 1767279000,
      msg: {
        tracking_number: 'TRK3003',
        slug: 'dhl',
        tag: 'InTransit',
        subtag: 'InTransit_001',
        expected_delivery: '2026-01-06T12:00:00Z',
        order_id: '3003',
      },
    });
    const watched = async (promisedBefore: string) =>
      (
        await h.store.listSlaCandidates({
          unscannedBefore: '2000-01-01T00:00:00Z',
          promisedBefore,
          limit: 100,
        })
      ).find((c) => c.orderRef === '3003');
    expect((await watched('2026-01-04'))?.promisedDate).toBe('2026-01-03');
    const res = await aftership(body);
    expect(res.status).toBe(202);
    const events = await h.store.listEvents(h.tenantId, '3003');
    expect(events.at(-1)?.event).toMatchObject({
      status: 'in_transit',
      overlay: { kind: 'delayed', reason: 'carrier', promisedDate: '2026-01-06' },
    });
    // The SLA watch now holds the order to the carrier's date, not the one first promised.
    expect(await watched('2026-01-04')).toBeUndefined();
    expect((await watched('2026-01-07'))?.promisedDate).toBe('2026-01-06');
  });

  it('answers 401 to a changed body or a forged signature and stores nothing', async () => {
    const body = fixture('aftership-tracking-update.json').toString('utf8');
    const signature = aftershipSignature(AFTERSHIP_SECRET, body);
    const changed = body.replace('"Delivered"', '"InTransit"').replace('1001', '4004');
    expect(await aftership(changed, signature)).toMatchObject({
      status: 401,
      json: { error: { code: 'bad_signature' } },
    });
    expect(
      await aftership(changed, aftershipSignature('someone-elses-secret', changed)),
    ).toMatchObject({
      status: 401,
    });
    const missing = await h.post(`/sources/aftership/${h.tenantId}`, changed);
    expect(missing).toMatchObject({ status: 401, json: { error: { code: 'missing_signature' } } });
    const forgedEasypost = await easypost(EASYPOST_BODY, `hmac-sha256-hex=${'0'.repeat(64)}`);
    expect(forgedEasypost.status).toBe(401);
    expect(await h.store.listEvents(h.tenantId, '4004')).toHaveLength(0);
  });

  it('answers 401 source_not_configured for a tenant without carrier credentials', async () => {
    const res = await h.post('/sources/aftership/nobody', '{}', { 'aftership-hmac-sha256': 'x' });
    expect(res).toMatchObject({ status: 401, json: { error: { code: 'source_not_configured' } } });
  });

  it('answers 413, 415, 400 and 422 to oversized, non-JSON, malformed and ill-shaped bodies', async () => {
    const huge = JSON.stringify({ event: 'tracking_update', pad: 'x'.repeat(300 * 1024) });
    expect((await aftership(huge)).status).toBe(413);
    const form = await h.post(`/sources/aftership/${h.tenantId}`, 'a=b', {
      'content-type': 'application/x-www-form-urlencoded',
      'aftership-hmac-sha256': aftershipSignature(AFTERSHIP_SECRET, 'a=b'),
    });
    expect(form.status).toBe(415);
    const text = await fetch(`${h.url}/sources/easypost/${h.tenantId}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    expect((await aftership('{"event":')).status).toBe(400);
    const shapeless = await aftership(JSON.stringify({ event: 'tracking_update', event_id: 'x1' }));
    expect(shapeless).toMatchObject({ status: 422, json: { error: { code: 'invalid_payload' } } });
  });

  it('answers 422 naming an unknown tag, and stores nothing', async () => {
    const body = JSON.stringify({
      event: 'tracking_update',
      event_id: 'bad-tag-1',
      msg: { tracking_number: '1Z999AA10123456784', tag: 'Teleported', order_id: '1001' },
    });
    const res = await aftership(body);
    expect(res).toMatchObject({
      status: 422,
      json: { error: { code: 'unknown_status', value: 'Teleported', field: 'tag' } },
    });
    const events = await h.store.listEvents(h.tenantId, '1001');
    expect(events.some((e) => e.sourceEventId === 'bad-tag-1')).toBe(false);
  });

  it('drops updates parked for longer than the retention when the sweep runs', async () => {
    const body = JSON.stringify({
      event: 'tracking_update',
      event_id: 'as-never-bound',
      msg: { tracking_number: 'NOBODY-1', tag: 'InTransit' },
    });
    expect(await aftership(body)).toMatchObject({ status: 202, json: { outcome: 'parked' } });
    const sweep = createParkedSweep(h.context(), 0);
    expect((await sweep.runOnce()).purged).toBe(0);
    const before = h.now.value;
    h.now.value = new Date(before.getTime() + PARKED_TTL_MS + 60_000);
    try {
      expect((await sweep.runOnce()).purged).toBe(1);
    } finally {
      h.now.value = before;
    }
    expect(await h.store.listParkedTrackingUpdates(h.tenantId, 10)).toEqual([]);
  });

  it('acknowledges events that carry no status without storing them', async () => {
    const body = JSON.stringify({
      id: 'evt_batch',
      object: 'Event',
      description: 'batch.created',
      result: { object: 'Batch' },
    });
    expect(await easypost(body)).toMatchObject({ status: 200, json: { outcome: 'ignored' } });
  });
});
