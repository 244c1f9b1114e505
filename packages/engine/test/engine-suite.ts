/**
 * @module The engine's behaviour, registered once and run on SQLite and on PostgreSQL: ingest
 * dedupes and plans in one transaction, the dispatcher sends, retries, falls back, records
 * opt-outs and parks poison, receipts and replies update consent, and the timeline tells it all.
 */
import {
  type Clock,
  fixedClock,
  type OrderEvent,
  type OrderEventInput,
  OrderEventSchema,
} from '@tidings/core';
import type { Store } from '@tidings/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../src/dispatcher.ts';
import { createTenantConfigs, silentLogger } from '../src/engine-context.ts';
import { createIngest, type IngestResult } from '../src/ingest.ts';
import { applyReceipt, handleInbound } from '../src/receipts.ts';
import { orderTimeline } from '../src/timeline.ts';
import {
  createRecordingChannel,
  ok,
  type RecordingChannel,
  resolverFor,
  type Script,
} from './recording-channel.ts';

export type StoreFactory = () => Promise<{ store: Store; dispose(): Promise<void> }>;

const customer = {
  role: 'customer' as const,
  name: 'Ana Tremblay',
  locale: 'fr-CA',
  timeZone: 'America/Toronto',
  country: 'CA',
  contacts: { email: 'ana@example.com', sms: '+14165550100' },
};

let n = 0;
export const event = (
  patch: Partial<OrderEventInput> & Pick<OrderEventInput, 'status'>,
): OrderEvent => {
  n += 1;
  return OrderEventSchema.parse({
    tenantId: 'shop-1',
    source: 'shopify',
    sourceEventId: `evt-${n}`,
    orderRef: 'order-1',
    occurredAt: '2026-11-28T16:00:00Z',
    raw: { value: patch.status },
    recipients: [customer],
    order: {
      number: '#1001',
      lineItems: [{ id: 'l1', title: 'Mug', quantity: 1, categories: [] }],
    },
    ...patch,
  });
};

/**
 * The suites' shop: customers on e-mail then SMS, no staff channels, default compliance — or
 * that with `config` laid over it (other channels, rules, templates), saved `at`.
 */
export const putShopOne = (
  store: Store,
  config: Record<string, unknown> = {},
  at = '2026-11-01T00:00:00Z',
) =>
  store.putTenant(
    {
      id: 'shop-1',
      name: 'Maison Lumière',
      active: true,
      config: {
        tenantId: 'shop-1',
        name: 'Maison Lumière',
        channelPreferences: { customer: ['email', 'sms'], internal: [] },
        ...config,
      } as never,
    },
    at,
  );

export const engineSuite = (name: string, factory: StoreFactory): void => {
  describe(`engine on ${name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let clock: Clock & { set(to: string): void };
    let email: RecordingChannel;
    let sms: RecordingChannel;

    const setup = (scripts: { email?: Script; sms?: Script } = {}, channels = ['email', 'sms']) => {
      email = createRecordingChannel('email', scripts.email ?? ok);
      sms = createRecordingChannel('sms', scripts.sms ?? ok);
      const tenants = createTenantConfigs(store, clock, 0);
      const ingest = createIngest({ store, clock, tenants, logger: silentLogger });
      const dispatcher = createDispatcher({
        store,
        clock,
        tenants,
        channels: resolverFor({ email, sms }),
        logger: silentLogger,
        random: () => 0,
        retry: { baseMs: 1000, maxMs: 60_000, maxAttempts: 3 },
      });
      return { ingest, dispatcher, channels };
    };

    beforeEach(async () => {
      ({ store, dispose } = await factory());
      clock = fixedClock('2026-11-28T17:00:00Z'); // noon in Toronto
      await putShopOne(store);
    });
    afterEach(async () => dispose());

    it('accepts an event once: the redelivery is a duplicate and plans nothing', async () => {
      const { ingest } = setup();
      const e = event({ status: 'dispatched', shipment: { id: 'f1' } });
      const first = await ingest({ event: e, rawBody: JSON.stringify(e) });
      const again = await ingest({ event: e, rawBody: JSON.stringify(e) });
      expect(first).toMatchObject({ outcome: 'accepted', verdict: 'notify', intents: 1 });
      expect(again).toEqual({ outcome: 'duplicate' });
      expect((await store.listIntents('shop-1', 'order-1')).length).toBe(1);
      expect((await store.listEvents('shop-1', 'order-1')).length).toBe(1);
    });

    it('rejects an event for an unknown tenant without storing it', async () => {
      const { ingest } = setup();
      const e = event({ status: 'created', tenantId: 'nobody' });
      expect(await ingest({ event: e, rawBody: '{}' })).toMatchObject({
        outcome: 'rejected',
        code: 'unknown_tenant',
      });
      expect(await store.listEvents('nobody', 'order-1')).toEqual([]);
    });

    it('sends what it planned, rendered, with the intent id as idempotency key', async () => {
      const { ingest, dispatcher } = setup();
      await ingest({
        event: event({ status: 'dispatched', shipment: { id: 'f1', carrier: 'UPS' } }),
        rawBody: '{}',
      });
      await dispatcher.drain();
      expect(email.sent).toHaveLength(1);
      const [{ message }] = email.sent as [RecordingChannel['sent'][number]];
      const [intent] = await store.listIntents('shop-1', 'order-1');
      expect(message.intentId).toBe(intent?.intent.id);
      expect(message.to).toBe('ana@example.com');
      expect(message.rendering).toMatchObject({
        channel: 'email',
        subject: expect.stringContaining('#1001'),
      });
      expect(intent?.status).toBe('sent');
      const timeline = (await orderTimeline(store, 'shop-1', 'order-1')).map((t) => t.kind);
      expect(timeline).toEqual(expect.arrayContaining(['event', 'decision', 'intent', 'attempt']));
    });

    it('logs its progress while busy: outcome counts, rate and backlog, no personal data', async () => {
      const lines: { obj: Record<string, unknown>; msg: string }[] = [];
      const logger = {
        ...silentLogger,
        info: (obj: Record<string, unknown>, msg: string) => {
          lines.push({ obj, msg });
        },
      };
      const { ingest } = setup();
      const dispatcher = createDispatcher({
        store,
        clock,
        tenants: createTenantConfigs(store, clock, 0),
        channels: resolverFor({ email, sms }),
        logger,
        batchSize: 1,
        progressEveryMs: 10_000,
      });
      for (const [orderRef, shipment] of [
        ['order-1', 'f1'],
        ['order-2', 'f2'],
        ['order-3', 'f3'],
      ] as const) {
        await ingest({
          event: event({ status: 'dispatched', orderRef, shipment: { id: shipment } }),
          rawBody: '{}',
        });
      }
      await dispatcher.runOnce();
      // Within the window: nothing yet.
      expect(lines).toEqual([]);
      clock.set('2026-11-28T17:00:11Z');
      await dispatcher.runOnce();
      expect(email.sent).toHaveLength(2);
      expect(lines).toEqual([
        {
          msg: 'dispatch progress',
          obj: expect.objectContaining({
            claimed: 2,
            sent: 2,
            retry: 0,
            parked: 0,
            seconds: 11,
            due: 1,
          }),
        },
      ]);
      expect(JSON.stringify(lines)).not.toMatch(/ana@example|Tremblay|5550100|#1001/);
      await dispatcher.drain();
      // The next window holds the last send; an idle one after it says nothing.
      clock.set('2026-11-28T17:00:22Z');
      await dispatcher.runOnce();
      expect(lines.at(-1)?.obj).toMatchObject({ claimed: 1, sent: 1, due: 0 });
      clock.set('2026-11-28T17:00:40Z');
      await dispatcher.runOnce();
      expect(lines).toHaveLength(2);
    });

    it('retries a retryable failure after its backoff, then sends', async () => {
      const { ingest, dispatcher } = setup({
        email: (m, call) =>
          call === 1
            ? {
                ok: false,
                error: {
                  code: 'http_503',
                  class: 'retryable',
                  message: 'unavailable',
                  retryAfterMs: 5_000,
                },
              }
            : ok(m, call, undefined),
      });
      await ingest({ event: event({ status: 'processing' }), rawBody: '{}' });
      expect((await dispatcher.runOnce()).outcomes.retry).toBe(1);
      expect((await dispatcher.runOnce()).claimed).toBe(0); // not due yet
      clock.set('2026-11-28T17:00:06Z');
      expect((await dispatcher.runOnce()).outcomes.sent).toBe(1);
      const attempts = await store.listAttempts('shop-1', 'order-1');
      expect(attempts.map((a) => a.outcome)).toEqual(['retryable', 'ok']);
      expect(new Set(email.sent.map((s) => s.message.intentId)).size).toBe(1);
    });

    it('falls back to the next channel on a permanent failure', async () => {
      const { ingest, dispatcher } = setup({
        email: () => ({
          ok: false,
          error: { code: 'invalid_address', class: 'permanent', message: 'no such mailbox' },
        }),
      });
      await ingest({ event: event({ status: 'processing' }), rawBody: '{}' });
      await dispatcher.drain();
      expect(email.sent).toHaveLength(1);
      expect(sms.sent).toHaveLength(1);
      expect(sms.sent[0]?.message.to).toBe('+14165550100');
      expect((await store.listIntents('shop-1', 'order-1'))[0]?.status).toBe('sent');
    });

    it('parks a poison intent after its attempts run out, and keeps sending the others', async () => {
      const { ingest, dispatcher } = setup({
        email: (m, call) =>
          m.orderRef === 'order-poison'
            ? { ok: false, error: { code: 'timeout', class: 'retryable', message: 'timed out' } }
            : ok(m, call, undefined),
      });
      await ingest({
        event: event({ status: 'processing', orderRef: 'order-poison' }),
        rawBody: '{}',
      });
      await ingest({ event: event({ status: 'processing' }), rawBody: '{}' });
      for (let i = 0; i < 5; i++) {
        await dispatcher.drain();
        clock.set(new Date(clock.now().getTime() + 120_000).toISOString());
      }
      expect((await store.listIntents('shop-1', 'order-poison'))[0]?.status).toBe('parked');
      expect((await store.listIntents('shop-1', 'order-1'))[0]?.status).toBe('sent');
    });

    it('records an opt-out the provider reports, and later SMS to that contact are suppressed with a reason', async () => {
      const { ingest, dispatcher } = setup({
        sms: () => ({
          ok: false,
          error: {
            code: 'twilio_21610',
            class: 'consent',
            message: 'unsubscribed recipient',
            providerCode: '21610',
          },
        }),
      });
      await putShopOne(
        store,
        { channelPreferences: { customer: ['sms'], internal: [] } },
        '2026-11-02T00:00:00Z',
      );
      await ingest({ event: event({ status: 'processing' }), rawBody: '{}' });
      await dispatcher.drain();
      const [first] = await store.listIntents('shop-1', 'order-1');
      expect(first?.status).toBe('suppressed');
      const consents = await store.listConsents('shop-1', ['+14165550100']);
      expect(consents).toEqual([
        expect.objectContaining({ state: 'opted_out', source: 'provider', channel: 'sms' }),
      ]);

      const later = await ingest({
        event: event({ status: 'dispatched', shipment: { id: 'f1' } }),
        rawBody: '{}',
      });
      expect(later).toMatchObject({ outcome: 'accepted', intents: 0 });
      const decisions = (later as Extract<IngestResult, { outcome: 'accepted' }>).decisions;
      expect(decisions).toContainEqual(
        expect.objectContaining({
          channel: 'sms',
          action: 'suppress',
          reason: 'consent_opted_out',
        }),
      );
    });

    it('cancels messages still waiting when the order is cancelled', async () => {
      const { ingest, dispatcher } = setup();
      clock.set('2026-11-28T08:00:00Z'); // 03:00 in Toronto: the update waits for the morning
      await ingest({ event: event({ status: 'processing' }), rawBody: '{}' });
      expect((await store.listIntents('shop-1', 'order-1'))[0]?.status).toBe('pending');
      await ingest({ event: event({ status: 'cancelled' }), rawBody: '{}' });
      const statuses = (await store.listIntents('shop-1', 'order-1')).map((i) => [
        i.intent.status,
        i.status,
      ]);
      expect(statuses).toContainEqual(['processing', 'cancelled']);
      expect(statuses).toContainEqual(['cancelled', 'pending']);
      clock.set('2026-11-28T14:00:00Z');
      await dispatcher.drain();
      expect(email.sent.map((s) => s.message.status)).toEqual(['cancelled']);
    });

    it('applies receipts, and a bounce opts the address out', async () => {
      const { ingest, dispatcher } = setup();
      await ingest({ event: event({ status: 'processing' }), rawBody: '{}' });
      await dispatcher.drain();
      const [attempt] = await store.listAttempts('shop-1', 'order-1');
      const id = attempt?.providerMessageId ?? '';
      expect(
        await applyReceipt(store, email.provider, {
          providerMessageId: id,
          state: 'bounced',
          at: '2026-11-28T17:01:00Z',
        }),
      ).toBe('applied');
      expect(
        await applyReceipt(store, email.provider, {
          providerMessageId: 'nope',
          state: 'delivered',
          at: '2026-11-28T17:01:00Z',
        }),
      ).toBe('unknown_message');
      expect(await store.listConsents('shop-1', ['ana@example.com'])).toEqual([
        expect.objectContaining({ state: 'opted_out', source: 'bounce' }),
      ]);
    });

    it('records STOP and START replies as consent, and answers HELP', async () => {
      const at = '2026-11-28T17:02:00Z';
      const inbound = (text: string) => ({
        from: '+14165550100',
        to: '+15550001111',
        text,
        at,
        providerMessageId: 'in-1',
      });
      expect(
        await handleInbound(store, clock, 'shop-1', 'sms', inbound('STOP'), {
          brand: 'Maison',
          contact: 'help@maison.example',
        }),
      ).toEqual({ keyword: 'stop' });
      expect((await store.listConsents('shop-1', ['+14165550100']))[0]).toMatchObject({
        state: 'opted_out',
        source: 'keyword',
      });
      const help = await handleInbound(store, clock, 'shop-1', 'sms', inbound('help'), {
        brand: 'Maison',
        contact: 'help@maison.example',
      });
      expect(help.reply).toContain('help@maison.example');
    });

    it('groups concurrent ingests into fewer commits than events', async () => {
      let transactions = 0;
      const original = store.transaction.bind(store);
      store.transaction = ((fn) => {
        transactions += 1;
        return original(fn);
      }) as Store['transaction'];
      const { ingest } = setup();
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          ingest({ event: event({ status: 'created', orderRef: `o-${i}` }), rawBody: '{}' }),
        ),
      );
      expect(results.every((r) => r.outcome === 'accepted')).toBe(true);
      expect(transactions).toBeLessThan(20);
    });
  });
};
