import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zendeskEchoKey } from '../src/echo-key.ts';
import { renderPlaceholders, triggerBodyText } from '../src/trigger-template.ts';
import { TICKET_HEADER } from '../src/webhook-route.ts';
import { zendeskSignature } from '../src/webhook-signature.ts';
import {
  ORDER_FIELD,
  postSigned,
  SIGNING_SECRET,
  STATUS_FIELD,
  startZendeskHub,
  TENANT,
  type ZendeskHub,
} from './zendesk-harness.ts';

/** The documented template, filled the way Zendesk fills it for one ticket update. */
const filled = (over: Record<string, string> = {}): string =>
  renderPlaceholders(triggerBodyText({ orderFieldId: ORDER_FIELD, statusFieldId: STATUS_FIELD }), {
    'ticket.id': '35436',
    'ticket.external_id': '',
    'ticket.updated_at_with_timestamp': '2026-11-28T14:31Z',
    'ticket.tags': 'wismo vip order_shipped',
    [`ticket.ticket_field_${ORDER_FIELD}`]: '#1001',
    [`ticket.ticket_field_${STATUS_FIELD}`]: 'order_shipped',
    'ticket.requester.id': '20978392',
    'ticket.requester.email': 'camille@example.com',
    'ticket.requester.phone': '+1 (415) 555-0100',
    'ticket.requester.language': 'fr-CA',
    'current_user.id': '11',
    ...over,
  });

/** The JSON block under "The trigger body template" in the README: what a trigger author pastes. */
const documentedTemplate = (): string => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The trigger body template'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!block) throw new Error('README: no JSON block under "The trigger body template"');
  return block;
};

describe('the documented trigger body template', () => {
  it('is the template the code builds, for the README’s field ids', () => {
    expect(JSON.parse(documentedTemplate())).toEqual(
      JSON.parse(triggerBodyText({ orderFieldId: '360001', statusFieldId: '360002' })),
    );
  });
});

describe('POST /zendesk/webhooks', () => {
  let zd: ZendeskHub;
  beforeAll(async () => {
    zd = await startZendeskHub();
  });
  afterAll(async () => {
    await zd.stop();
  });

  it('accepts the documented trigger template, filled as Zendesk fills it, and plans a message', async () => {
    const started = Date.now();
    const r = await postSigned(zd.url, filled());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.status).toBe(202);
    expect(r.json).toMatchObject({ outcome: 'accepted', verdict: 'notify' });
    expect(r.json.intents).toBeGreaterThan(0);
    const [stored] = await zd.store.listEvents(TENANT, '#1001');
    expect(stored?.event).toMatchObject({
      source: 'zendesk',
      status: 'dispatched',
      occurredAt: '2026-11-28T14:31:00.000Z',
      raw: { value: 'order_shipped', field: 'order_status' },
      recipients: [
        {
          role: 'customer',
          locale: 'fr-CA',
          contacts: { email: 'camille@example.com', sms: '+14155550100' },
        },
      ],
    });
    expect(stored?.headers[TICKET_HEADER]).toBe('35436');
    const intents = await zd.store.listIntents(TENANT, '#1001');
    expect(intents.map((i) => i.intent.templateKey)).toContain('dispatched');
  });

  it('accepts the README’s template text, pasted and filled by Zendesk, and plans the message', async () => {
    // Zendesk renders the pasted text itself; every placeholder value goes in verbatim.
    const body = renderPlaceholders(documentedTemplate(), {
      'ticket.id': '60001',
      'ticket.external_id': 'SHOP-60001',
      'ticket.updated_at_with_timestamp': '2026-11-28T15:02Z',
      'ticket.tags': 'delayed wismo',
      'ticket.ticket_field_360001': '#6001',
      'ticket.ticket_field_360002': 'order_delayed',
      'ticket.requester.id': '20978393',
      'ticket.requester.email': 'noor@example.com',
      'ticket.requester.phone': '',
      'ticket.requester.language': 'German',
      'current_user.id': '11',
    });
    const r = await postSigned(zd.url, body);
    expect(r).toMatchObject({ status: 202, json: { outcome: 'accepted', verdict: 'notify' } });
    const [stored] = await zd.store.listEvents(TENANT, '#6001');
    expect(stored?.event).toMatchObject({
      status: 'delayed',
      overlay: { kind: 'delayed', reason: 'carrier' },
      occurredAt: '2026-11-28T15:02:00.000Z',
      recipients: [{ locale: 'de', contacts: { email: 'noor@example.com' } }],
    });
    expect(stored?.event.recipients[0]?.contacts).not.toHaveProperty('sms');
    const intents = await zd.store.listIntents(TENANT, '#6001');
    expect(intents.map((i) => i.intent.templateKey)).toContain('delayed');
  });

  it('answers a redelivery of the same rendered body as a duplicate, even with a new timestamp', async () => {
    const body = filled({ 'ticket.id': '50001', [`ticket.ticket_field_${ORDER_FIELD}`]: '#2001' });
    expect((await postSigned(zd.url, body)).status).toBe(202);
    const later = new Date(Date.now() + 30_000).toISOString();
    const again = await postSigned(zd.url, body, { timestamp: later });
    expect(again).toMatchObject({ status: 200, json: { outcome: 'duplicate' } });
    expect(await zd.store.listEvents(TENANT, '#2001')).toHaveLength(1);
  });

  it('rejects a body signed with another secret', async () => {
    const r = await postSigned(zd.url, filled(), { secret: 'not-the-secret-0123456789' });
    expect(r).toMatchObject({ status: 401, json: { error: { code: 'bad_signature' } } });
  });

  it('rejects a body changed after signing', async () => {
    const body = filled();
    const timestamp = new Date().toISOString();
    const signature = zendeskSignature(SIGNING_SECRET, timestamp, Buffer.from(body));
    const changed = body.replace('order_shipped"', 'order_cancelled"');
    const r = await postSigned(zd.url, changed, { timestamp, signature });
    expect(r).toMatchObject({ status: 401, json: { error: { code: 'bad_signature' } } });
  });

  it('rejects a request without the signature headers', async () => {
    const r = await fetch(`${zd.url}/zendesk/webhooks?subdomain=${TENANT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: filled(),
    });
    expect(r.status).toBe(401);
    expect(await r.json()).toMatchObject({ error: { code: 'missing_signature' } });
  });

  it('rejects a stale signing timestamp, correctly signed', async () => {
    const old = new Date(Date.now() - 10 * 60_000).toISOString();
    const r = await postSigned(zd.url, filled(), { timestamp: old });
    expect(r).toMatchObject({ status: 401, json: { error: { code: 'stale_request' } } });
  });

  it('rejects a replay of a captured request once its timestamp is stale', async () => {
    const at = new Date(Date.now() - 6 * 60_000).toISOString();
    const r = await postSigned(zd.url, filled({ 'ticket.id': '77' }), { timestamp: at });
    expect(r.status).toBe(401);
  });

  it('answers 413 to an oversized body before anything else', async () => {
    const big = JSON.stringify({ tidings: 'zendesk-trigger/1', pad: 'x'.repeat(70 * 1024) });
    const r = await postSigned(zd.url, big);
    expect(r).toMatchObject({ status: 413, json: { error: { code: 'payload_too_large' } } });
  });

  it('answers 400 to malformed JSON (never 5xx, so Zendesk does not retry it)', async () => {
    const r = await postSigned(zd.url, '{"ticket": {"id": "1", "tags": "a "quoted" tag"}}');
    expect(r).toMatchObject({ status: 400, json: { error: { code: 'malformed_json' } } });
  });

  it('answers 422 to a signed body that is neither the template nor a ticket event', async () => {
    const r = await postSigned(zd.url, JSON.stringify({ hello: 'world' }));
    expect(r).toMatchObject({ status: 422, json: { error: { code: 'unrecognised_payload' } } });
  });

  it('answers 422 naming an unmapped order status value', async () => {
    const r = await postSigned(
      zd.url,
      filled({ [`ticket.ticket_field_${STATUS_FIELD}`]: 'order_teleported' }),
    );
    expect(r).toMatchObject({ status: 422, json: { error: { code: 'unknown_status' } } });
    expect(String((r.json.error as { message: string }).message)).toContain('order_teleported');
  });

  it('answers 422 when the ticket names no order', async () => {
    const r = await postSigned(zd.url, filled({ [`ticket.ticket_field_${ORDER_FIELD}`]: '' }));
    expect(r).toMatchObject({ status: 422, json: { error: { code: 'missing_order_ref' } } });
  });

  it('falls back to a mapped tag when the status field is empty', async () => {
    const r = await postSigned(
      zd.url,
      filled({
        'ticket.id': '60001',
        [`ticket.ticket_field_${ORDER_FIELD}`]: '#3001',
        [`ticket.ticket_field_${STATUS_FIELD}`]: '',
        'ticket.tags': 'wismo delayed',
      }),
    );
    expect(r.status).toBe(202);
    const [e] = await zd.store.listEvents(TENANT, '#3001');
    expect(e?.event).toMatchObject({
      status: 'delayed',
      overlay: { kind: 'delayed', reason: 'carrier' },
    });
  });

  it('treats an unknown subdomain like a bad signature and a missing one as a bad URL', async () => {
    expect((await postSigned(zd.url, filled(), { subdomain: 'globex' })).status).toBe(401);
    const r = await fetch(`${zd.url}/zendesk/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ error: { code: 'missing_tenant' } });
  });

  it('accepts the plain ticket-event payload for the status field and ignores other events', async () => {
    const event = (type: string, extra: Record<string, unknown>) =>
      JSON.stringify({
        type,
        account_id: 88888888,
        id: `01HN-${type}`,
        time: '2026-11-28T14:40:10Z',
        zendesk_event_version: '2022-11-06',
        subject: 'zen:ticket:70001',
        detail: {
          id: '70001',
          external_id: '#4001',
          tags: ['order_delivered'],
          updated_at: '2026-11-28T14:40:10Z',
        },
        event: extra,
      });
    const changed = await postSigned(
      zd.url,
      event('zen:event-type:ticket.custom_field_changed', {
        current: 'order_delivered',
        previous: 'order_shipped',
        custom_field: { id: Number(STATUS_FIELD), title: 'Order status', field_type: 'tagger' },
      }),
    );
    expect(changed.status).toBe(202);
    const [e] = await zd.store.listEvents(TENANT, '#4001');
    expect(e?.event).toMatchObject({
      status: 'delivered',
      sourceEventId: 'event:01HN-zen:event-type:ticket.custom_field_changed',
    });
    const other = await postSigned(
      zd.url,
      event('zen:event-type:ticket.priority_changed', { current: 'high' }),
    );
    expect(other).toMatchObject({ status: 200, json: { outcome: 'ignored' } });
    const otherField = await postSigned(
      zd.url,
      event('zen:event-type:ticket.custom_field_changed', {
        current: 'x',
        custom_field: { id: 1 },
      }),
    );
    expect(otherField).toMatchObject({ status: 200, json: { outcome: 'ignored' } });
  });

  it('recognises the trigger run our own write-back caused as an echo', async () => {
    const echo = zendeskEchoKey('80001', '2026-11-28T15:02:41Z', 'order_shipped');
    await zd.store.transaction((tx) =>
      tx.putFingerprint({
        tenantId: TENANT,
        target: 'zendesk',
        fingerprint: echo,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    const r = await postSigned(
      zd.url,
      filled({
        'ticket.id': '80001',
        [`ticket.ticket_field_${ORDER_FIELD}`]: '#5001',
        'ticket.updated_at_with_timestamp': '2026-11-28T15:02Z',
        'ticket.tags': 'order_shipped tidings_write',
      }),
    );
    expect(r).toMatchObject({ status: 200, json: { outcome: 'echo' } });
    expect(await zd.store.listIntents(TENANT, '#5001')).toHaveLength(0);
  });
});
