import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import vector from './fixtures/signing-vector.json' with { type: 'json' };
import { ORG_ID, type RunningSalesforceHub, startSalesforceHub } from './salesforce-harness.ts';

let sf: RunningSalesforceHub;
beforeAll(async () => {
  sf = await startSalesforceHub();
});
afterAll(async () => {
  await sf.stop();
});

let counter = 0;
const event = (over: Record<string, unknown> = {}) => {
  counter += 1;
  return {
    orderId: `8015e000000X${counter.toString(36).padStart(3, '0')}AAK`,
    orderNumber: `000001${counter}`,
    status: 'Shipped',
    statusCode: 'Activated',
    lastModifiedDate: new Date(Date.UTC(2025, 5, 1, 12, 0, counter)).toISOString(),
    customer: { name: 'Ada', email: 'ada@example.com', phone: '+14155550100' },
    ...over,
  };
};
const envelope = (events: unknown[], sentAt = new Date().toISOString()) => ({
  orgId: ORG_ID,
  sentAt,
  events,
});
interface EventResultBody {
  orderId: string | null;
  outcome: string;
  reason: string;
  eventId: string | null;
  messageIds: string[];
  messageId: string | null;
  detail?: string;
}
const errorCode = async (res: Response) =>
  ((await res.json()) as { error: { code: string } }).error.code;

describe('POST /salesforce/events', () => {
  it('accepts a request signed as the Apex does and answers one result per event, in order', async () => {
    const a = event();
    const b = event({ status: 'Delivered' });
    const res = await sf.post(envelope([a, b]));
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Record<string, unknown>[] };
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({
      orderId: a.orderId,
      outcome: 'notified',
      eventId: `${a.orderId}:Shipped:${a.lastModifiedDate}`,
    });
    expect(results[1]).toMatchObject({ orderId: b.orderId, outcome: 'notified' });
  });

  it('names the message each event planned by the intent id the store keeps', async () => {
    const e = event();
    const res = await sf.post(envelope([e]));
    const { results } = (await res.json()) as { results: EventResultBody[] };
    const stored = await sf.store.listIntents(ORG_ID, e.orderId);
    expect(stored).toHaveLength(1);
    const id = stored[0]?.intent.id;
    expect(id).toMatch(/^int/);
    expect(results[0]).toMatchObject({ outcome: 'notified', messageIds: [id], messageId: id });
  });

  it('gives no message id where nothing was planned, and none again for a duplicate', async () => {
    const draft = event({ status: 'Draft' });
    const shipped = event();
    const unknown = event({ status: 'Teleported' });
    const first = (await (await sf.post(envelope([draft, shipped, unknown]))).json()) as {
      results: EventResultBody[];
    };
    expect(first.results.map((r) => r.outcome)).toEqual(['not_notified', 'notified', 'rejected']);
    expect(first.results[0]).toMatchObject({ messageIds: [], messageId: null });
    expect(first.results[2]).toMatchObject({ messageIds: [], messageId: null });
    expect(first.results[1]?.messageId).toEqual(expect.any(String));
    const again = (await (await sf.post(envelope([shipped]))).json()) as {
      results: EventResultBody[];
    };
    expect(again.results[0]).toMatchObject({
      outcome: 'duplicate',
      messageIds: [],
      messageId: null,
    });
  });

  it('refuses the shared test vector where the org holds another secret', async () => {
    const res = await fetch(`${sf.url}/salesforce/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [vector.header]: vector.signature },
      body: vector.body,
    });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('bad_signature');
  });

  it('treats the same order, status and LastModifiedDate as one event', async () => {
    const e = event();
    const first = (await (await sf.post(envelope([e]))).json()) as {
      results: { outcome: string }[];
    };
    const again = (await (await sf.post(envelope([e]))).json()) as {
      results: { outcome: string; reason: string }[];
    };
    expect(first.results[0]?.outcome).toBe('notified');
    expect(again.results[0]).toMatchObject({ outcome: 'duplicate', reason: 'duplicate_event' });
  });

  it('refuses a forged signature and a changed body', async () => {
    const body = JSON.stringify(envelope([event()]));
    expect(await errorCode(await sf.post(body, { secret: 'not-the-secret' }))).toBe(
      'bad_signature',
    );
    const signedFor = (await import('../src/request-signing.ts')).signBody(
      'org-signing-secret-0123456789',
      body,
    );
    const tampered = body.replace('Shipped', 'Delivered');
    const res = await sf.post(tampered, { signature: signedFor });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('bad_signature');
  });

  it('refuses a missing or badly formed signature header', async () => {
    const res = await sf.post(envelope([event()]), { signature: null });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('missing_signature');
    expect(await errorCode(await sf.post(envelope([event()]), { signature: 'sha256=abc' }))).toBe(
      'bad_signature',
    );
  });

  it('refuses a request whose sentAt is outside the five-minute window', async () => {
    const old = new Date(Date.now() - 6 * 60 * 1000).toISOString();
    const res = await sf.post(envelope([event()], old));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('stale_request');
    const future = new Date(Date.now() + 6 * 60 * 1000).toISOString();
    expect(await errorCode(await sf.post(envelope([event()], future)))).toBe('stale_request');
  });

  it('refuses the exact same signed request a second time', async () => {
    const body = JSON.stringify(envelope([event()]));
    expect((await sf.post(body)).status).toBe(200);
    const replay = await sf.post(body);
    expect(replay.status).toBe(409);
    expect(await errorCode(replay)).toBe('replayed_request');
  });

  it('refuses an oversized body before reading it', async () => {
    const huge = JSON.stringify({ ...envelope([event()]), padding: 'x'.repeat(600 * 1024) });
    const res = await sf.post(huge);
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('payload_too_large');
  });

  it('refuses malformed JSON, a non-JSON content type and a bad envelope', async () => {
    expect(await errorCode(await sf.post('{"orgId":'))).toBe('malformed_json');
    expect((await sf.post(envelope([event()]), { contentType: 'text/plain' })).status).toBe(415);
    expect(await errorCode(await sf.post({ orgId: 'nope', sentAt: 'x', events: [] }))).toBe(
      'malformed_body',
    );
    const res = await sf.post({ orgId: ORG_ID, sentAt: new Date().toISOString(), events: [] });
    expect(res.status).toBe(422);
    expect(await errorCode(res)).toBe('invalid_request');
    const tooMany = Array.from({ length: 201 }, () => event());
    expect((await sf.post(envelope(tooMany))).status).toBe(422);
  });

  it('refuses an org with no signing secret', async () => {
    const res = await sf.post({ ...envelope([event()]), orgId: '00D000000000001AAA' });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('unknown_org');
  });

  it('accepts the 15-character form of the org id', async () => {
    const res = await sf.post({ ...envelope([event()]), orgId: ORG_ID.slice(0, 15) });
    expect(res.status).toBe(200);
  });

  it('rejects unknown statuses and malformed events per record, without failing the others', async () => {
    const good = event();
    const unknown = event({ status: 'Teleported' });
    const malformed = event({ orderId: 'not an id', lastModifiedDate: 'yesterday' });
    const badPhone = event({ customer: { phone: 'call-me-777' } });
    const res = await sf.post(envelope([good, unknown, malformed, badPhone]));
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: Record<string, string>[] };
    expect(results.map((r) => r.outcome)).toEqual(['notified', 'rejected', 'rejected', 'rejected']);
    expect(results[1]).toMatchObject({ reason: 'unknown_status' });
    expect(results[1]?.detail).toContain('Teleported');
    expect(results[2]).toMatchObject({ reason: 'invalid_event' });
    expect(results[2]?.detail).toContain('orderId');
    expect(results[3]).toMatchObject({ reason: 'invalid_event' });
    expect(results[3]?.detail).not.toContain('call-me-777');
  });

  it('stores Draft but tells no one', async () => {
    const res = await sf.post(envelope([event({ status: 'Draft' })]));
    const { results } = (await res.json()) as { results: Record<string, string>[] };
    expect(results[0]).toMatchObject({ outcome: 'not_notified' });
  });

  it('never logs the customer contact details', () => {
    const text = sf.logs.join('');
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('+14155550100');
  });
});

describe('the shared test vector (TidingsNotifierTest.signsTheSharedTestVector asserts the same)', () => {
  // The vector's instant, as the service's clock: its body, header and signature go in unchanged.
  let at = Date.parse(JSON.parse(vector.body).sentAt) + 30_000;
  let hub: RunningSalesforceHub;
  beforeAll(async () => {
    hub = await startSalesforceHub({ secret: vector.secret, now: () => new Date(at) });
  });
  afterAll(async () => {
    await hub.stop();
  });
  const send = (body: string) =>
    fetch(`${hub.url}/salesforce/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [vector.header]: vector.signature },
      body,
    });

  it('is accepted byte for byte, one result for its one Order', async () => {
    const res = await send(vector.body);
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { orderId: string; eventId: string }[] };
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({
      orderId: '8015e000000XyZ1AAK',
      eventId: '8015e000000XyZ1AAK:Shipped:2025-06-01T11:59:58.000Z',
    });
  });

  it('is refused with one byte changed', async () => {
    const res = await send(vector.body.replace('"Shipped"', '"Shipper"'));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('bad_signature');
  });

  it('is refused as stale once its sentAt is more than 5 minutes old', async () => {
    at = Date.parse(JSON.parse(vector.body).sentAt) + 5 * 60_000 + 1_000;
    const res = await send(vector.body);
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('stale_request');
  });
});

describe('the message id when staff are told too', () => {
  // A staff rule listed first plans its message first; the Flow's one id is still the customer's.
  let both: RunningSalesforceHub;
  beforeAll(async () => {
    both = await startSalesforceHub({
      config: {
        channelPreferences: { customer: ['email', 'sms'], internal: ['slack'] },
        rules: [
          {
            id: 'staff-shipped',
            when: { statuses: ['dispatched'] },
            notify: { audience: 'internal' },
          },
          {
            id: 'customer-shipped',
            when: { statuses: ['dispatched'] },
            notify: { audience: 'customer', class: 'transactional' },
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await both.stop();
  });

  it('lists every message and picks the customer one as messageId', async () => {
    const e = event();
    const res = await both.post(envelope([e]));
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: EventResultBody[] };
    const stored = await both.store.listIntents(ORG_ID, e.orderId);
    const byAudience = new Map(stored.map((s) => [s.intent.audience, s.intent.id]));
    expect([...byAudience.keys()].sort()).toEqual(['customer', 'internal']);
    expect(results[0]?.messageIds).toEqual([
      byAudience.get('internal'),
      byAudience.get('customer'),
    ]);
    expect(results[0]?.messageId).toBe(byAudience.get('customer'));
  });

  it('falls back to the first message when no customer is told', async () => {
    const { customer: _none, ...noCustomer } = event();
    const res = await both.post(envelope([noCustomer]));
    const { results } = (await res.json()) as { results: EventResultBody[] };
    const stored = await both.store.listIntents(ORG_ID, noCustomer.orderId);
    expect(stored.map((s) => s.intent.audience)).toEqual(['internal']);
    expect(results[0]).toMatchObject({
      outcome: 'notified',
      messageIds: [stored[0]?.intent.id],
      messageId: stored[0]?.intent.id,
    });
  });
});
