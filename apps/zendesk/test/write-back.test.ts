import type { WriteBackJob, WriteBackTarget } from '@tidings/engine';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { minuteOf } from '../src/echo-key.ts';
import { renderPlaceholders, triggerBodyText } from '../src/trigger-template.ts';
import { ZENDESK_WRITE_TAG } from '../src/zendesk-write-back.ts';
import {
  ORDER_FIELD,
  postSigned,
  STATUS_FIELD,
  startZendeskHub,
  TENANT,
  type ZendeskHub,
} from './zendesk-harness.ts';
import { startZendeskStub, type ZendeskStub } from './zendesk-stub.ts';

const body = (ticketId: string, order: string, status: string, updatedAt = '2026-11-28T14:31Z') =>
  renderPlaceholders(triggerBodyText({ orderFieldId: ORDER_FIELD, statusFieldId: STATUS_FIELD }), {
    'ticket.id': ticketId,
    'ticket.updated_at_with_timestamp': updatedAt,
    'ticket.tags': `wismo ${status}`,
    [`ticket.ticket_field_${ORDER_FIELD}`]: order,
    [`ticket.ticket_field_${STATUS_FIELD}`]: status,
    'ticket.requester.email': 'camille@example.com',
  });

const job = (orderRef: string, over: Partial<WriteBackJob> = {}): WriteBackJob => ({
  id: `wb:${orderRef}:dispatched`,
  tenantId: TENANT,
  orderRef,
  target: 'zendesk',
  eventId: 'e1',
  status: 'dispatched',
  note: 'Email sent: "Your order has shipped".',
  at: new Date().toISOString(),
  ...over,
});

describe('the zendesk write-back target', () => {
  let stub: ZendeskStub;
  let zd: ZendeskHub;
  let target: WriteBackTarget;
  beforeAll(async () => {
    stub = await startZendeskStub();
    zd = await startZendeskHub({
      credential: {
        apiEmail: 'bot@acme.example',
        apiToken: 'zd-token-0123456789',
        apiBaseUrl: stub.url,
      },
    });
    const found = zd.hub.writeBacks.targets().find((t) => t.target === 'zendesk');
    if (!found) throw new Error('the zendesk target was not registered');
    target = found;
  });
  afterAll(async () => {
    await zd.stop();
    await stub.close();
  });
  beforeEach(() => {
    stub.requests.length = 0;
  });
  const deps = () => ({ store: zd.store, clock: { now: () => new Date() } });

  it('registers as "zendesk" and applies to tenants with an API token', async () => {
    expect(await target.appliesTo(TENANT)).toBe(true);
    expect(await target.appliesTo('globex')).toBe(false);
  });

  it('writes a private comment, the tidings_write tag and the status field to the order’s ticket', async () => {
    expect((await postSigned(zd.url, body('35436', '#1001', 'order_processing'))).status).toBe(202);
    const result = await target.write(job('#1001'), deps());
    expect(result.ok).toBe(true);
    expect(stub.requests).toHaveLength(1);
    const [put] = stub.requests;
    expect(put).toMatchObject({
      method: 'PUT',
      path: '/api/v2/tickets/35436.json',
      body: {
        ticket: {
          comment: { public: false },
          additional_tags: [ZENDESK_WRITE_TAG],
          custom_fields: [{ id: Number(STATUS_FIELD), value: 'order_shipped' }],
        },
      },
    });
    const sentBody = put?.body as { ticket: { comment: { body: string } } } | undefined;
    const comment = sentBody?.ticket.comment.body;
    expect(comment).toContain('dispatched');
    expect(comment).toContain('[ref wb:#1001:dispatched]');
    if (!result.ok) return;
    expect(result.fingerprints).toEqual([
      `zendesk:echo:35436:${minuteOf('2026-11-28T15:00:38Z')}:order_shipped`,
    ]);

    // The write-back runner keeps the fingerprint; the trigger run our update causes is an echo.
    const [fingerprint = ''] = result.fingerprints;
    await zd.store.transaction((tx) =>
      tx.putFingerprint({
        tenantId: TENANT,
        target: 'zendesk',
        fingerprint,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    const echo = await postSigned(
      zd.url,
      body('35436', '#1001', 'order_shipped', '2026-11-28T15:00Z'),
    );
    expect(echo).toMatchObject({ status: 200, json: { outcome: 'echo' } });
    // An agent's own change a minute later is not an echo.
    const real = await postSigned(
      zd.url,
      body('35436', '#1001', 'order_delivered', '2026-11-28T15:01Z'),
    );
    expect(real.status).toBe(202);
  });

  it('writes nothing for an order that never came through a Zendesk ticket', async () => {
    const result = await target.write(job('SHOPIFY-77'), deps());
    expect(result).toEqual({ ok: true, fingerprints: [] });
    expect(stub.requests).toHaveLength(0);
  });

  it('classifies Zendesk failures: 429 retryable with Retry-After, 401 permanent', async () => {
    await postSigned(zd.url, body('35437', '#1002', 'order_processing'));
    stub.failNext.push({ status: 429, headers: { 'retry-after': '7' } });
    expect(await target.write(job('#1002'), deps())).toMatchObject({
      ok: false,
      error: {
        code: 'zendesk_rate_limited',
        class: 'retryable',
        retryAfterMs: 7000,
        providerStatus: 429,
      },
    });
    stub.failNext.push({ status: 401 });
    expect(await target.write(job('#1002'), deps())).toMatchObject({
      ok: false,
      error: { code: 'zendesk_unauthorized', class: 'permanent' },
    });
  });

  it('leaves the status field alone when no tenant value maps back to the status', async () => {
    await postSigned(zd.url, body('35438', '#1003', 'order_processing'));
    const result = await target.write(job('#1003', { status: 'in_transit' }), deps());
    expect(result.ok).toBe(true);
    const sent = stub.requests[0]?.body as { ticket: Record<string, unknown> } | undefined;
    expect(sent?.ticket).toBeDefined();
    expect(sent?.ticket.custom_fields).toBeUndefined();
  });
});
