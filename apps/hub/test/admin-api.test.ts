import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journey } from '../src/simulate.ts';
import { type RunningHub, startHub } from './hub-harness.ts';

let running: RunningHub;
beforeAll(async () => {
  running = await startHub();
});
afterAll(async () => running?.stop());

const api = (path: string, init: RequestInit & { key?: string | null } = {}) => {
  const { key, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (key !== null) headers.set('authorization', `Bearer ${key ?? running.apiKey}`);
  if (rest.body !== undefined && !headers.has('content-type'))
    headers.set('content-type', 'application/json');
  return fetch(`${running.url}${path}`, { ...rest, headers });
};
const eventsPath = () => `/api/tenants/${running.tenantId}/events`;
const stored = async (orderRef: string) =>
  (await running.hub.app.inject({ method: 'GET', url: '/healthz' })) && orderRef;

describe('admin API errors', () => {
  const good = () =>
    journey(
      `err-${Math.random().toString(36).slice(2, 8)}`,
      Date.parse('2026-11-28T10:00:00Z'),
    )[0] as Record<string, unknown>;

  it('answers 400, 401, 413 and 415 with their codes, storing nothing and losing nothing', async () => {
    const first = good();
    const orderRef = String(first.orderRef);
    expect((await api(eventsPath(), { method: 'POST', body: JSON.stringify(first) })).status).toBe(
      202,
    );
    const timeline = async () =>
      (await (
        await api(`/api/tenants/${running.tenantId}/orders/${orderRef}/timeline`)
      ).json()) as { entries: { kind: string }[] };
    const before = (await timeline()).entries.filter((e) => e.kind === 'event').length;

    const cases: [string, RequestInit & { key?: string | null }, number, string][] = [
      ['malformed JSON', { method: 'POST', body: '{"status":' }, 400, 'malformed_json'],
      [
        'no API key',
        { method: 'POST', body: JSON.stringify({ ...first, sourceEventId: 'x1' }), key: null },
        401,
        'unauthorized',
      ],
      [
        'a wrong API key',
        {
          method: 'POST',
          body: JSON.stringify({ ...first, sourceEventId: 'x2' }),
          key: 'tdk_wrong',
        },
        401,
        'unauthorized',
      ],
      [
        'a body over the limit',
        {
          method: 'POST',
          body: JSON.stringify({ ...first, sourceEventId: 'x3', pad: 'x'.repeat(1_100_000) }),
        },
        413,
        'payload_too_large',
      ],
      [
        'the wrong content type',
        { method: 'POST', body: 'status=created', headers: { 'content-type': 'text/plain' } },
        415,
        'unsupported_media_type',
      ],
    ];
    for (const [what, init, status, code] of cases) {
      const res = await api(eventsPath(), init);
      expect(res.status, what).toBe(status);
      expect(((await res.json()) as { error: { code: string } }).error.code, what).toBe(code);
    }
    expect((await timeline()).entries.filter((e) => e.kind === 'event').length).toBe(before);
    expect(await stored(orderRef)).toBe(orderRef);
  });

  it('answers 422 with the path of every problem in an event that is valid JSON', async () => {
    const res = await api(eventsPath(), {
      method: 'POST',
      body: JSON.stringify({ ...good(), status: 'teleported', occurredAt: 'yesterday' }),
    });
    expect(res.status).toBe(422);
    const body = (await res.json()) as { error: { code: string; issues: { path: string }[] } };
    expect(body.error.code).toBe('invalid_event');
    expect(body.error.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(['status', 'occurredAt']),
    );
  });

  it('answers a redelivered event as a duplicate, not an error', async () => {
    const e = good();
    expect((await api(eventsPath(), { method: 'POST', body: JSON.stringify(e) })).status).toBe(202);
    const again = await api(eventsPath(), { method: 'POST', body: JSON.stringify(e) });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ outcome: 'duplicate' });
  });

  it('answers 409 when a tenant exists, and needs the operator key to create one', async () => {
    const body = JSON.stringify({ id: 'acme', name: 'Acme' });
    expect((await api('/api/tenants', { method: 'POST', body })).status).toBe(401);
    const created = await api('/api/tenants', { method: 'POST', body, key: running.adminKey });
    expect(created.status).toBe(201);
    const { apiKey } = (await created.json()) as { apiKey: string };
    expect(apiKey).toMatch(/^tdk_/);
    expect((await api('/api/tenants/acme', { key: apiKey })).status).toBe(200);
    expect((await api(`/api/tenants/${running.tenantId}`, { key: apiKey })).status).toBe(401);
    const again = await api('/api/tenants', { method: 'POST', body, key: running.adminKey });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('conflict');
  });

  it('answers 422 for an invalid configuration or rule set, naming the problem', async () => {
    const config = await api(`/api/tenants/${running.tenantId}/config`, {
      method: 'PUT',
      body: JSON.stringify({ channelPreferences: { customer: ['pigeon'], internal: [] } }),
    });
    expect(config.status).toBe(422);
    expect(
      ((await config.json()) as { error: { code: string; message: string } }).error,
    ).toMatchObject({
      code: 'invalid_config',
      message: expect.stringContaining('channelPreferences.customer.0'),
    });
    const rules = await api(`/api/tenants/${running.tenantId}/rules`, {
      method: 'PUT',
      body: JSON.stringify([{ id: 'x', when: {}, notify: {} }]),
    });
    expect(rules.status).toBe(422);
  });
});

describe('admin API features', () => {
  it('previews a template in the recipient language with its SMS segments', async () => {
    const res = await api(`/api/tenants/${running.tenantId}/templates/preview`, {
      method: 'POST',
      body: JSON.stringify({ templateKey: 'dispatched', channel: 'sms', locale: 'fr-CA' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      locale: string;
      rendering: { text: string; segments: { segments: number } };
    };
    expect(body.locale).toBe('fr');
    expect(body.rendering.segments.segments).toBeGreaterThan(0);
  });

  it('records consent edits and serves them back', async () => {
    const post = await api(`/api/tenants/${running.tenantId}/consents`, {
      method: 'POST',
      body: JSON.stringify({ channel: 'sms', contact: '+15145550199', state: 'opted_out' }),
    });
    expect(post.status).toBe(201);
    const list = (await (
      await api(`/api/tenants/${running.tenantId}/consents?contact=%2B15145550199`)
    ).json()) as { state: string }[];
    expect(list).toEqual([expect.objectContaining({ state: 'opted_out', source: 'admin' })]);
  });

  it('applies a manual override with who and why, audited in the timeline', async () => {
    const [created] = journey('ovr-1', Date.parse('2026-11-28T10:00:00Z'));
    expect(
      (await api(eventsPath(), { method: 'POST', body: JSON.stringify(created) })).status,
    ).toBe(202);
    const res = await api(`/api/tenants/${running.tenantId}/orders/ovr-1/override`, {
      method: 'POST',
      body: JSON.stringify({
        status: 'on_hold',
        overlayReason: 'fraud',
        reason: 'card flagged by the bank',
        actor: { id: 'agent-7', name: 'Ana' },
        requestId: 'req-override-0001',
      }),
    });
    expect(res.status).toBe(202);
    const timeline = (await (
      await api(`/api/tenants/${running.tenantId}/orders/ovr-1/timeline`)
    ).json()) as {
      entries: { kind: string; text: string; data: Record<string, unknown> }[];
    };
    const audit = timeline.entries.find((e) => e.kind === 'audit');
    expect(audit?.text).toBe('manual_override by agent-7');
    expect(audit?.data).toMatchObject({
      reason: 'card flagged by the bank',
      actor: { id: 'agent-7' },
    });
    const missing = await api(`/api/tenants/${running.tenantId}/orders/nope/override`, {
      method: 'POST',
      body: JSON.stringify({
        status: 'processing',
        reason: 'because',
        actor: { id: 'a' },
        requestId: 'req-override-0002',
      }),
    });
    expect(missing.status).toBe(404);
  });

  it('turns a regulatory flag into a hold: neutral words for the customer, the detail for staff', async () => {
    const [created] = journey('flag-1', Date.parse('2026-11-28T10:00:00Z'));
    await api(eventsPath(), { method: 'POST', body: JSON.stringify(created) });
    const res = await api(`/api/tenants/${running.tenantId}/orders/flag-1/flags`, {
      method: 'POST',
      body: JSON.stringify({ flag: 'export_control_hold', flagId: 'screening-42' }),
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as { decisions: { reasons: string[]; detail: string }[] };
    expect(body.decisions.flatMap((d) => d.reasons)).toEqual(
      expect.arrayContaining(['regulatory_hold_neutral', 'regulatory_hold_detail']),
    );
    const again = await api(`/api/tenants/${running.tenantId}/orders/flag-1/flags`, {
      method: 'POST',
      body: JSON.stringify({ flag: 'export_control_hold', flagId: 'screening-42' }),
    });
    expect(await again.json()).toEqual({ outcome: 'duplicate' });
  });
});

describe('logs', () => {
  it('hold none of the personal data sent through the endpoints', async () => {
    const pii = {
      email: 'zoe.pii-check@example.org',
      phone: '+15145559876',
      name: 'Zoé Piicheck',
      street: '742 Evergreen Terrace',
    };
    const [created] = journey('pii-1', Date.parse('2026-11-28T10:00:00Z'));
    const event = {
      ...created,
      recipients: [
        {
          role: 'customer',
          name: pii.name,
          locale: 'en',
          contacts: { email: pii.email, sms: pii.phone },
        },
      ],
      order: { number: '#9001', tags: [pii.street] },
    };
    await api(eventsPath(), { method: 'POST', body: JSON.stringify(event) });
    await api(eventsPath(), {
      method: 'POST',
      body: JSON.stringify({ ...event, sourceEventId: 'bad', status: 'nope' }),
    });
    await api(`/api/tenants/${running.tenantId}/consents`, {
      method: 'POST',
      body: JSON.stringify({ channel: 'email', contact: pii.email, state: 'opted_in' }),
    });
    await api(`/api/tenants/${running.tenantId}/consents?contact=${encodeURIComponent(pii.email)}`);
    await api(`/api/tenants/${running.tenantId}/orders/pii-1/override`, {
      method: 'POST',
      body: JSON.stringify({
        status: 'processing',
        reason: `asked by ${pii.name} at ${pii.phone}`,
        actor: { id: 'agent-1', name: pii.name },
        requestId: 'req-pii-00001',
      }),
    });
    await api(`/api/tenants/${running.tenantId}/templates/preview`, {
      method: 'POST',
      body: JSON.stringify({
        templateKey: 'created',
        channel: 'email',
        event: { ...event, tenantId: running.tenantId },
      }),
    });
    await running.hub.dispatcher?.drain();
    const log = running.logs.join('');
    expect(log.length).toBeGreaterThan(1000);
    for (const secret of [
      pii.email,
      pii.phone,
      '555-9876',
      pii.name,
      'Piicheck',
      pii.street,
      running.apiKey,
    ]) {
      expect(log, secret).not.toContain(secret);
    }
  });
});

describe('rate limits', () => {
  it('answers 429 with Retry-After when a tenant sends events faster than its budget', async () => {
    const limited = await startHub(undefined, { ingestLimit: { perSecond: 1, burst: 2 } });
    try {
      const send = (i: number) =>
        fetch(`${limited.url}/api/tenants/${limited.tenantId}/events`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${limited.apiKey}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify(journey(`rl-${i}`, Date.parse('2026-11-28T10:00:00Z'))[0]),
        });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await send(i)).status);
      expect(statuses.slice(0, 2)).toEqual([202, 202]);
      const refused = await send(9);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe(
        'rate_limited',
      );
    } finally {
      await limited.stop();
    }
  });
});
