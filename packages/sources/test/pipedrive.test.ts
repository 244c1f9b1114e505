import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPipedriveWriteBack, dealOrderRef } from '../src/pipedrive/index.ts';
import { basicAuthHeader } from '../src/shared/basic-auth.ts';
import { type HttpStub, startStub } from './http-stub.ts';
import { type SourcesHub, startSourcesHub } from './sources-harness.ts';

const USER = 'tidings-hook';
const PASSWORD = 'pd-hook-password-0123';

// The v2 envelope of Pipedrive's webhooks guide (sources.md §8.3), one field changed per test.
const delivery = (overrides: {
  action?: string;
  data?: Record<string, unknown>;
  previous?: Record<string, unknown> | null;
  timestamp?: number;
  entity?: string;
}) =>
  JSON.stringify({
    meta: {
      action: overrides.action ?? 'change',
      entity: overrides.entity ?? 'deal',
      version: '2.0',
      company_id: 12882925,
      user_id: 18487521,
      id: 42,
      entity_id: 42,
      webhook_id: 99,
      attempt: 1,
      host: 'acme.pipedrive.com',
      timestamp: overrides.timestamp ?? 1767279600,
      change_source: 'app',
    },
    data: {
      id: 42,
      title: 'Mugs for Camille',
      status: 'open',
      stage_id: 2,
      pipeline_id: 1,
      person_id: 7,
      value: 85,
      currency: 'EUR',
      update_time: '2026-01-01T15:00:00Z',
      ...overrides.data,
    },
    previous: overrides.previous === undefined ? null : overrides.previous,
  });

describe('Pipedrive', () => {
  let h: SourcesHub;
  let api: HttpStub;

  beforeAll(async () => {
    api = await startStub((req) => {
      if (req.method === 'GET' && req.path === '/api/v2/persons/7') {
        return {
          status: 200,
          body: {
            success: true,
            data: {
              id: 7,
              name: 'Camille',
              emails: [{ value: 'camille@example.com', primary: true }],
              phones: [{ value: '06 12', primary: true }],
            },
          },
        };
      }
      if (req.method === 'POST' && req.path === '/api/v1/notes') {
        return { status: 201, body: { success: true, data: { id: 501 } } };
      }
      return { status: 404, body: { success: false } };
    });
    h = await startSourcesHub({
      config: {
        statusMappings: {
          pipedrive: { stage_id: { '3': { status: 'processing' }, '4': { status: 'dispatched' } } },
        },
      },
    });
    await h.store.putCredential(
      h.tenantId,
      'pipedrive',
      {
        webhookUser: USER,
        webhookPassword: PASSWORD,
        apiToken: 'pd-token-xyz',
        apiBaseUrl: api.url,
      },
      '2026-01-01T00:00:00Z',
    );
  });
  afterAll(async () => {
    await h.stop();
    await api.stop();
  });

  const send = (body: string, auth = basicAuthHeader(USER, PASSWORD)) =>
    h.post(`/sources/pipedrive/${h.tenantId}`, body, { authorization: auth });

  it('maps a stage change through the tenant table, with the person as the customer', async () => {
    const res = await send(delivery({ data: { stage_id: 3 }, previous: { stage_id: 2 } }));
    expect(res).toMatchObject({ status: 202, json: { outcome: 'accepted' } });
    const [stored] = await h.store.listEvents(h.tenantId, dealOrderRef(42));
    expect(stored?.event).toMatchObject({
      source: 'pipedrive',
      status: 'processing',
      raw: { value: '3', field: 'stage_id' },
      recipients: [{ role: 'customer', contacts: { email: 'camille@example.com' } }],
      order: { number: '42', total: { amount: '85.00', currency: 'EUR' } },
    });
    expect(api.requests.find((r) => r.method === 'GET')?.headers['x-api-token']).toBe(
      'pd-token-xyz',
    );
  });

  it('dedupes a redelivery (a retry has the same meta and previous values)', async () => {
    const res = await send(delivery({ data: { stage_id: 3 }, previous: { stage_id: 2 } }));
    expect(res).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
  });

  it.each([
    ['won', { status: 'won' }, { status: 'open' }, 'created'],
    ['lost', { status: 'lost' }, { status: 'won' }, 'cancelled'],
    ['open', { status: 'open' }, { status: 'lost' }, 'ignore'],
  ])('maps status %s', async (_name, data, previous, expected) => {
    const res = await send(delivery({ data, previous, timestamp: 1767280000 + expected.length }));
    expect(res.status).toBe(202);
    const events = await h.store.listEvents(h.tenantId, dealOrderRef(42));
    expect(events.at(-1)?.event.status).toBe(expected);
  });

  it('stores a deleted deal as known-but-silent', async () => {
    const body = JSON.stringify({
      ...JSON.parse(delivery({ action: 'delete' })),
      data: null,
      previous: { id: 42, status: 'open' },
    });
    expect((await send(body)).status).toBe(202);
    const events = await h.store.listEvents(h.tenantId, dealOrderRef(42));
    expect(events.at(-1)?.event).toMatchObject({ status: 'ignore', raw: { value: 'deleted' } });
  });

  it('answers 422 naming a stage the tenant has not mapped, and stores nothing', async () => {
    const res = await send(delivery({ data: { id: 77, stage_id: 9 }, previous: { stage_id: 3 } }));
    expect(res).toMatchObject({
      status: 422,
      json: { error: { code: 'unknown_status', value: '9', field: 'stage_id' } },
    });
    expect(await h.store.listEvents(h.tenantId, dealOrderRef(77))).toHaveLength(0);
  });

  it('acknowledges edits that change neither stage nor status, and other entities, without storing', async () => {
    const edit = await send(
      delivery({ data: { id: 78, title: 'Renamed' }, previous: { title: 'Old' } }),
    );
    expect(edit).toMatchObject({ status: 200, json: { outcome: 'ignored' } });
    const person = await send(delivery({ entity: 'person', data: { id: 79 } }));
    expect(person).toMatchObject({ status: 200, json: { outcome: 'ignored' } });
    expect(await h.store.listEvents(h.tenantId, dealOrderRef(78))).toHaveLength(0);
  });

  it('answers 401 to wrong or missing Basic credentials, and 422 to a v1 webhook', async () => {
    const body = delivery({ data: { id: 80, stage_id: 4 }, previous: { stage_id: 3 } });
    expect((await send(body, basicAuthHeader(USER, 'wrong-password-000'))).status).toBe(401);
    expect((await send(body, basicAuthHeader(`${USER}x`, PASSWORD))).status).toBe(401);
    expect((await h.post(`/sources/pipedrive/${h.tenantId}`, body)).status).toBe(401);
    const v1 = body.replace('"version":"2.0"', '"version":"1.0"');
    expect(await send(v1)).toMatchObject({
      status: 422,
      json: { error: { code: 'unsupported_webhook_version' } },
    });
    expect(await h.store.listEvents(h.tenantId, dealOrderRef(80))).toHaveLength(0);
  });

  it('writes a note on the deal through the API, as Pipedrive expects it', async () => {
    const target = h.hub.writeBacks.targets().find((t) => t.target === 'pipedrive');
    expect(target).toBeDefined();
    expect(await target?.appliesTo(h.tenantId)).toBe(true);
    const result = await target?.write(
      {
        id: 'wb-1',
        tenantId: h.tenantId,
        orderRef: dealOrderRef(42),
        target: 'pipedrive',
        eventId: 'e1',
        status: 'dispatched',
        note: 'Told the customer: dispatched <UPS>',
        at: '2026-01-01T15:00:00Z',
      },
      { store: h.store, clock: { now: () => new Date() } },
    );
    expect(result).toEqual({ ok: true, fingerprints: ['tidings:wb-1', 'pipedrive-note:501'] });
    const post = api.requests.find((r) => r.method === 'POST');
    expect(post?.path).toBe('/api/v1/notes');
    expect(post?.headers['x-api-token']).toBe('pd-token-xyz');
    expect(post?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(post?.body ?? '{}')).toEqual({
      content:
        '<p>Told the customer: dispatched &#60;UPS&#62;</p><p><small>tidings:wb-1</small></p>',
      deal_id: 42,
    });
  });

  it('classifies Pipedrive failures: 429 and 5xx retryable, others permanent; non-deal orders untouched', async () => {
    const failing = await startStub(() => ({
      status: 429,
      body: { success: false },
      headers: { 'retry-after': '7' },
    }));
    const broken = await startStub(() => ({ status: 400, body: { success: false, error: 'bad' } }));
    try {
      const job = {
        id: 'wb-2',
        tenantId: h.tenantId,
        orderRef: dealOrderRef(42),
        target: 'pipedrive',
        eventId: 'e2',
        status: 'delivered' as const,
        note: 'Delivered',
        at: '2026-01-01T15:00:00Z',
      };
      const deps = { store: h.store, clock: { now: () => new Date() } };
      for (const [stub, cls] of [
        [failing, 'retryable'],
        [broken, 'permanent'],
      ] as const) {
        await h.store.putCredential(
          h.tenantId,
          'pipedrive',
          { webhookUser: USER, webhookPassword: PASSWORD, apiToken: 't', apiBaseUrl: stub.url },
          '2026-01-01T00:00:00Z',
        );
        const result = await createPipedriveWriteBack(h.store, { fetch }).write(job, deps);
        expect(result).toMatchObject({ ok: false, error: { class: cls } });
      }
      const other = await createPipedriveWriteBack(h.store, { fetch }).write(
        { ...job, orderRef: '1001' },
        deps,
      );
      expect(other).toEqual({ ok: true, fingerprints: [] });
    } finally {
      await failing.stop();
      await broken.stop();
    }
  });
});
