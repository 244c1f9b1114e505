import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPlaceholders, triggerBodyText } from '../src/trigger-template.ts';
import { signZafToken } from '../src/zaf-auth.ts';
import {
  APP_SECRET,
  ORDER_FIELD,
  postSigned,
  STATUS_FIELD,
  startZendeskHub,
  TENANT,
  type ZendeskHub,
} from './zendesk-harness.ts';

const token = (over: Record<string, unknown> = {}, secret = APP_SECRET) =>
  signZafToken(
    {
      iss: TENANT,
      aud: 'tidings',
      sub: '1234',
      name: 'Avery Agent',
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 300,
      ...over,
    },
    secret,
  );

describe('the sidebar app backend', () => {
  let zd: ZendeskHub;
  const get = (path: string, auth?: string) =>
    fetch(`${zd.url}${path}`, auth ? { headers: { authorization: `Bearer ${auth}` } } : {});
  const post = (path: string, body: unknown, auth = token()) =>
    fetch(`${zd.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    zd = await startZendeskHub();
    const body = renderPlaceholders(
      triggerBodyText({ orderFieldId: ORDER_FIELD, statusFieldId: STATUS_FIELD }),
      {
        'ticket.id': '35436',
        [`ticket.ticket_field_${ORDER_FIELD}`]: '#1001',
        [`ticket.ticket_field_${STATUS_FIELD}`]: 'order_shipped',
        'ticket.requester.email': 'camille@example.com',
      },
    );
    expect((await postSigned(zd.url, body)).status).toBe(202);
  });
  afterAll(async () => {
    await zd.stop();
  });

  it('shows the order timeline, with the reason behind each decision, to a signed sidebar', async () => {
    const r = await get(`/zendesk/app/timeline?order=${encodeURIComponent('#1001')}`, token());
    expect(r.status).toBe(200);
    const json = (await r.json()) as {
      orderRef: string;
      state: { progress: string };
      entries: { kind: string; text: string }[];
    };
    expect(json.orderRef).toBe('#1001');
    expect(json.state.progress).toBe('dispatched');
    expect(json.entries.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['event', 'decision', 'intent']),
    );
    expect(json.entries.find((e) => e.kind === 'event')?.text).toContain('order_shipped');
    expect(JSON.stringify(json)).not.toContain('camille@example.com');
  });

  it.each<[string, () => string | undefined, string]>([
    ['no token', () => undefined, 'unauthorized'],
    [
      'a token signed with another secret',
      () => token({}, 'some-other-secret-0123456789'),
      'unauthorized',
    ],
    ['a token for another subdomain', () => token({ iss: 'globex' }), 'unauthorized'],
    [
      'an expired token',
      () => token({ exp: Math.floor(Date.now() / 1000) - 120 }),
      'stale_request',
    ],
    ['a token for another audience', () => token({ aud: 'someone-else' }), 'unauthorized'],
    [
      'an unsigned (alg none) token',
      () => {
        const [, body] = token().split('.');
        return `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${body}.x`;
      },
      'unauthorized',
    ],
  ])('refuses %s', async (_what, make, code) => {
    const r = await get('/zendesk/app/timeline?order=%231001', make());
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { code } });
  });

  it('answers 404 for an order Tidings does not know', async () => {
    expect((await get('/zendesk/app/timeline?order=NOPE', token())).status).toBe(404);
  });

  it('applies a manual override once, with the agent as actor, and notifies', async () => {
    const body = {
      orderRef: '#1001',
      status: 'delayed',
      overlayReason: 'weather',
      reason: 'Carrier called: storm closure',
      requestId: 'req-0001-abcdef',
    };
    const first = await post('/zendesk/app/override', body);
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ outcome: 'accepted', verdict: 'notify' });
    const again = await post('/zendesk/app/override', body);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ outcome: 'duplicate' });
    const audit = await zd.store.listAudit(TENANT, '#1001');
    expect(audit).toContainEqual(
      expect.objectContaining({ actor: `zendesk:${TENANT}:1234`, action: 'manual_override' }),
    );
    const events = await zd.store.listEvents(TENANT, '#1001');
    expect(events.at(-1)?.event).toMatchObject({
      source: 'manual',
      status: 'delayed',
      overlay: { kind: 'delayed', reason: 'weather' },
      override: {
        actor: { id: `zendesk:${TENANT}:1234`, name: 'Avery Agent' },
        reason: 'Carrier called: storm closure',
      },
      recipients: [{ contacts: { email: 'camille@example.com' } }],
    });
  });

  it('refuses an override without a reason or with an unknown status, naming each problem', async () => {
    const r = await post('/zendesk/app/override', {
      orderRef: '#1001',
      status: 'teleported',
      requestId: 'req-0002-abcdef',
    });
    expect(r.status).toBe(422);
    const json = (await r.json()) as { error: { code: string; issues: string[] } };
    expect(json.error.code).toBe('invalid_request');
    expect(json.error.issues.join(' ')).toMatch(/reason/);
    expect(json.error.issues.join(' ')).toMatch(/status/);
  });

  it('refuses an override without a token', async () => {
    const r = await fetch(`${zd.url}/zendesk/app/override`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(401);
  });
});
