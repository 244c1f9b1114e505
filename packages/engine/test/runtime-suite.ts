/**
 * @module The engine's queued side jobs and operator tools, registered once and run on SQLite and
 * on PostgreSQL: write-backs and their echo, digests, SLA watches, dead-letter replay and GDPR
 * export/erase.
 */
import { type Clock, fixedClock } from '@tidings/core';
import type { Store } from '@tidings/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../src/dispatcher.ts';
import { createTenantConfigs, silentLogger } from '../src/engine-context.ts';
import { createIngest } from '../src/ingest.ts';
import { eraseContact, exportContact } from '../src/personal-data.ts';
import { createScheduler } from '../src/scheduler.ts';
import { orderTimeline } from '../src/timeline.ts';
import { createWriteBackRegistry } from '../src/write-back.ts';
import { createWriteBackWorker } from '../src/write-back-worker.ts';
import { event, putShopOne, type StoreFactory } from './engine-suite.ts';
import { createRecordingChannel, type RecordingChannel, resolverFor } from './recording-channel.ts';
import { createRecordingTarget, fingerprintOf, type RecordingTarget } from './recording-target.ts';

export const runtimeSuite = (name: string, factory: StoreFactory): void => {
  describe(`engine runtime on ${name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let clock: Clock & { set(to: string): void };
    let email: RecordingChannel;
    let sms: RecordingChannel;
    let slack: RecordingChannel;

    const setup = (targets: RecordingTarget[] = []) => {
      email = createRecordingChannel('email');
      sms = createRecordingChannel('sms');
      slack = createRecordingChannel('slack');
      const tenants = createTenantConfigs(store, clock, 0);
      const writeBacks = createWriteBackRegistry();
      for (const t of targets) writeBacks.register(t);
      const ingest = createIngest({ store, clock, tenants, logger: silentLogger, writeBacks });
      const dispatcher = createDispatcher({
        store,
        clock,
        tenants,
        channels: resolverFor({ email, sms, slack }),
        logger: silentLogger,
        random: () => 0,
        retry: { baseMs: 1000, maxMs: 60_000, maxAttempts: 3 },
      });
      const worker = createWriteBackWorker({
        store,
        clock,
        writeBacks,
        logger: silentLogger,
        random: () => 0.5,
        retry: { baseMs: 1000, maxMs: 60_000, maxAttempts: 3 },
      });
      return { ingest, dispatcher, worker, tenants };
    };

    const later = (ms: number) => clock.set(new Date(clock.now().getTime() + ms).toISOString());

    beforeEach(async () => {
      ({ store, dispose } = await factory());
      clock = fixedClock('2026-11-28T17:00:00Z');
      await putShopOne(store);
    });
    afterEach(async () => dispose());

    const useRules = async (rules: unknown[], templates?: Record<string, unknown>) => {
      await putShopOne(store, {
        channelPreferences: { customer: ['email'], internal: ['slack'] },
        rules,
        ...(templates ? { templates } : {}),
      });
    };

    describe('digests', () => {
      const staffDigest = {
        id: 'staff.digest',
        when: { statuses: ['delayed'] },
        notify: { audience: 'internal', channels: ['slack'], digestMinutes: 15 },
      };

      it('sends the intents of one digest due together as ONE message, and completes them all', async () => {
        await useRules([staffDigest]);
        const { ingest, dispatcher } = setup();
        for (const [order, number] of [
          ['order-1', '#1001'],
          ['order-2', '#1002'],
          ['order-3', '#1003'],
        ] as const) {
          await ingest({
            event: event({
              status: 'delayed',
              overlay: { kind: 'delayed', reason: 'carrier' },
              orderRef: order,
              shipment: { id: `f-${order}` },
              order: { number, lineItems: [] },
            }),
            rawBody: '{}',
          });
        }
        const queued = [
          ...(await store.listIntents('shop-1', 'order-1')),
          ...(await store.listIntents('shop-1', 'order-2')),
          ...(await store.listIntents('shop-1', 'order-3')),
        ];
        expect(queued).toHaveLength(3);
        expect(new Set(queued.map((i) => i.digestKey)).size).toBe(1);
        expect(await dispatcher.drain()).toBe(0); // the window is still open
        later(15 * 60_000);
        await dispatcher.drain();
        expect(slack.sent).toHaveLength(1);
        const [{ message }] = slack.sent as [RecordingChannel['sent'][number]];
        const text = JSON.stringify(message.rendering);
        expect(text).toContain('#1001');
        expect(text).toContain('+ #1002: delayed (shipment f-order-2)');
        expect(text).toContain('+ #1003: delayed (shipment f-order-3)');
        for (const order of ['order-1', 'order-2', 'order-3']) {
          const [intent] = await store.listIntents('shop-1', order);
          expect(intent?.status, order).toBe('sent');
          const [attempt] = await store.listAttempts('shop-1', order);
          expect(attempt?.outcome, order).toBe('ok');
        }
      });

      it('gives digest_items to a template that lists them, instead of appending', async () => {
        await useRules([staffDigest], {
          'internal.delayed': {
            slack: {
              en: {
                title: '{{ digest_count }} orders delayed',
                body: '{% for i in digest_items %}{{ i.order_number }} {% endfor %}',
              },
            },
          },
        });
        const { ingest, dispatcher } = setup();
        for (const number of ['#2001', '#2002']) {
          await ingest({
            event: event({
              status: 'delayed',
              overlay: { kind: 'delayed', reason: 'carrier' },
              orderRef: `o${number}`,
              order: { number, lineItems: [] },
            }),
            rawBody: '{}',
          });
        }
        later(15 * 60_000);
        await dispatcher.drain();
        expect(slack.sent).toHaveLength(1);
        const rendering = slack.sent[0]?.message.rendering as { text: string };
        expect(rendering.text).toContain('2 orders delayed');
        expect(rendering.text).toMatch(/#2001 #2002|#2002 #2001/);
        expect(rendering.text).not.toContain('+ #2002');
      });

      it('never merges messages for different contact points into one', async () => {
        await useRules([
          {
            id: 'customer.digest',
            when: { statuses: ['dispatched'] },
            notify: { audience: 'customer', channels: ['email'], digestMinutes: 15 },
          },
        ]);
        const { ingest, dispatcher } = setup();
        for (const [order, mail] of [
          ['order-a', 'a@example.com'],
          ['order-b', 'b@example.com'],
        ] as const) {
          await ingest({
            event: event({
              status: 'dispatched',
              orderRef: order,
              recipients: [{ role: 'customer', contacts: { email: mail } }],
            }),
            rawBody: '{}',
          });
        }
        later(15 * 60_000);
        await dispatcher.drain();
        expect(email.sent.map((s) => s.message.to).sort()).toEqual([
          'a@example.com',
          'b@example.com',
        ]);
      });

      it('retries every intent of a digest together when the one send fails', async () => {
        await useRules([staffDigest]);
        const { ingest } = setup();
        slack = createRecordingChannel('slack', (m, call) =>
          call === 1
            ? { ok: false, error: { code: 'http_503', class: 'retryable', message: 'busy' } }
            : { ok: true, providerMessageId: `m-${m.intentId}` },
        );
        const retrying = createDispatcher({
          store,
          clock,
          tenants: createTenantConfigs(store, clock, 0),
          channels: resolverFor({ slack }),
          logger: silentLogger,
          random: () => 0,
        });
        for (const order of ['order-1', 'order-2']) {
          await ingest({
            event: event({
              status: 'delayed',
              overlay: { kind: 'delayed', reason: 'carrier' },
              orderRef: order,
            }),
            rawBody: '{}',
          });
        }
        later(15 * 60_000);
        const first = await retrying.runOnce();
        expect(first.outcomes.retry).toBe(2);
        later(1_000);
        await retrying.drain();
        expect(slack.sent).toHaveLength(2);
        expect(slack.sent[0]?.message.intentId).toBe(slack.sent[1]?.message.intentId);
        for (const order of ['order-1', 'order-2']) {
          expect((await store.listIntents('shop-1', order))[0]?.status).toBe('sent');
        }
      });
    });

    describe('SLA watches', () => {
      const delays = async (orderRef = 'order-1') =>
        (await store.listEvents('shop-1', orderRef))
          .filter((e) => e.source === 'scheduler')
          .map((e) => [e.sourceEventId, e.event.overlay?.reason, e.event.shipment?.id]);

      it('raises delayed once for a shipment dispatched with no carrier scan for N hours', async () => {
        const { ingest, dispatcher } = setup();
        const scheduler = createScheduler({ store, clock, ingest, slaHours: 48 });
        await ingest({
          event: event({
            status: 'dispatched',
            occurredAt: '2026-11-28T16:00:00Z',
            shipment: { id: 'f1', carrier: 'UPS' },
          }),
          rawBody: '{}',
        });
        await ingest({
          event: event({
            status: 'in_transit',
            orderRef: 'order-2',
            occurredAt: '2026-11-28T16:00:00Z',
            shipment: { id: 'f2' },
          }),
          rawBody: '{}',
        });
        await dispatcher.drain();
        const before = email.sent.length;
        expect(await scheduler.runOnce()).toEqual({ checked: 0, raised: 0, duplicates: 0 });
        clock.set('2026-11-30T15:59:59Z');
        expect((await scheduler.runOnce()).raised).toBe(0);
        clock.set('2026-11-30T16:00:00Z');
        expect(await scheduler.runOnce()).toEqual({ checked: 1, raised: 1, duplicates: 0 });
        expect(await delays()).toEqual([
          ['sla:no_carrier_scan:f1:2026-11-28T16:00:00.000Z', 'no_carrier_scan', 'f1'],
        ]);
        expect(await delays('order-2')).toEqual([]);
        await dispatcher.drain();
        const told = email.sent.slice(before).map((s) => s.message.status);
        expect(told).toEqual(['delayed']);
        later(3_600_000);
        expect((await scheduler.runOnce()).raised).toBe(0);
        expect(await delays()).toHaveLength(1);
        // A carrier scan ends the watch.
        await ingest({
          event: event({
            status: 'in_transit',
            occurredAt: '2026-11-30T18:00:00Z',
            shipment: { id: 'f1' },
          }),
          rawBody: '{}',
        });
        expect((await scheduler.runOnce()).checked).toBe(0);
      });

      it('raises delayed once when the promised date passes without delivery, never after delivery', async () => {
        const { ingest, dispatcher } = setup();
        const scheduler = createScheduler({ store, clock, ingest, slaHours: 48 });
        for (const orderRef of ['order-1', 'order-2']) {
          await ingest({
            event: event({
              status: 'processing',
              orderRef,
              order: { number: '#1001', lineItems: [], promisedDate: '2026-12-01' },
            }),
            rawBody: '{}',
          });
        }
        await ingest({
          event: event({
            status: 'delivered',
            orderRef: 'order-2',
            occurredAt: '2026-11-29T12:00:00Z',
          }),
          rawBody: '{}',
        });
        clock.set('2026-12-01T23:59:59Z');
        expect((await scheduler.runOnce()).raised).toBe(0);
        clock.set('2026-12-02T00:00:00Z');
        expect(await scheduler.runOnce()).toEqual({ checked: 1, raised: 1, duplicates: 0 });
        expect(await delays()).toEqual([
          ['sla:promised_date_passed:2026-12-01', 'promised_date_passed', undefined],
        ]);
        expect(await delays('order-2')).toEqual([]);
        later(86_400_000);
        expect((await scheduler.runOnce()).raised).toBe(0);
        await dispatcher.drain();
        expect(
          email.sent.filter((s) => s.message.orderRef === 'order-1').map((s) => s.message.status),
        ).toContain('delayed');
      });
    });

    describe('dead letters', () => {
      it('replays a parked intent: it is sent again from its first channel, and the replay is audited', async () => {
        const { ingest } = setup();
        const failing = (kind: 'email' | 'sms') =>
          createRecordingChannel(kind, () => ({
            ok: false,
            error: { code: 'invalid_recipient', class: 'permanent', message: 'no' },
          }));
        const broken = createDispatcher({
          store,
          clock,
          tenants: createTenantConfigs(store, clock, 0),
          channels: resolverFor({ email: failing('email'), sms: failing('sms') }),
          logger: silentLogger,
        });
        await ingest({ event: event({ status: 'processing' }), rawBody: '{}' });
        await broken.drain();
        const [parked] = await store.listIntentsByStatus('shop-1', 'parked', 10);
        expect(parked?.lastError).toMatch(/^no channel left/);
        const { dispatcher } = setup();
        const replayed = await store.requeueIntent(
          parked?.intent.id ?? '',
          clock.now().toISOString(),
          'staff:1',
        );
        expect(replayed.ok).toBe(true);
        await dispatcher.drain();
        expect(email.sent.map((s) => s.message.intentId)).toEqual([parked?.intent.id]);
        expect(await store.listIntentsByStatus('shop-1', 'parked', 10)).toEqual([]);
        const timeline = await orderTimeline(store, 'shop-1', 'order-1');
        expect(
          timeline.some((t) => t.kind === 'audit' && t.text === 'intent.replayed by staff:1'),
        ).toBe(true);
      });
    });

    describe('personal data', () => {
      const ANA = 'ana@example.com';
      const ANA_PHONE = '+14165550100';

      it('exports what is held about a contact, erases it, and then nothing lists it any more', async () => {
        const { ingest, dispatcher } = setup();
        const first = event({ status: 'dispatched', shipment: { id: 'f1' } });
        await ingest({ event: first, rawBody: JSON.stringify(first) });
        const other = event({
          status: 'dispatched',
          orderRef: 'order-2',
          recipients: [
            { role: 'customer', name: 'Zoé Roy', contacts: { email: 'zoe@example.com' } },
          ],
        });
        await ingest({ event: other, rawBody: JSON.stringify(other) });
        await dispatcher.drain();
        await store.transaction((tx) =>
          tx.putConsent({
            tenantId: 'shop-1',
            channel: 'sms',
            contact: ANA_PHONE,
            state: 'opted_in',
            scope: 'marketing',
            at: '2026-11-28T17:00:00Z',
            source: 'checkout',
          }),
        );
        later(60_000);
        // Still waiting when the request comes: it must never go out.
        await ingest({
          event: event({ status: 'delivered', occurredAt: '2026-11-28T16:30:00Z' }),
          rawBody: '{}',
        });

        const exported = await exportContact(store, 'shop-1', 'ANA@example.com');
        expect(exported.orders.map((o) => o.orderRef)).toEqual(['order-1']);
        expect(exported.recipients.length).toBe(2);
        expect(exported.consents.map((c) => c.contact)).toEqual([ANA_PHONE]);
        expect(exported.messages.map((m) => m.status).sort()).toEqual(['pending', 'sent']);

        const report = await eraseContact(store, 'shop-1', 'ANA@example.com', {
          actor: 'staff:dpo',
          at: clock.now().toISOString(),
        });
        expect(report).toMatchObject({ events: 2, consents: 1, intents: 2, cancelled: 1 });

        for (const contact of [ANA, ANA_PHONE]) {
          const again = await exportContact(store, 'shop-1', contact);
          expect(again.recipients, contact).toEqual([]);
          expect(again.consents, contact).toEqual([]);
          expect(again.messages, contact).toEqual([]);
        }
        const everything = JSON.stringify([
          await store.listEvents('shop-1', 'order-1'),
          (await store.listEvents('shop-1', 'order-1')).map((e) =>
            new TextDecoder().decode(e.rawBody),
          ),
          await store.listIntents('shop-1', 'order-1'),
          await store.listAttempts('shop-1', 'order-1'),
          await store.listDecisions('shop-1', 'order-1'),
          await store.listConsents('shop-1', [ANA, ANA_PHONE]),
          await store.listAudit('shop-1'),
          await orderTimeline(store, 'shop-1', 'order-1'),
        ]).toLowerCase();
        for (const piece of [ANA, ANA_PHONE, 'tremblay', '"ana"']) {
          expect(everything, piece).not.toContain(piece.toLowerCase());
        }
        // Someone else's data is untouched.
        expect((await exportContact(store, 'shop-1', 'zoe@example.com')).recipients).toHaveLength(
          1,
        );
        const zoeRaw = (await store.listEvents('shop-1', 'order-2')).map((e) =>
          new TextDecoder().decode(e.rawBody),
        );
        expect(zoeRaw[0]).toContain('zoe@example.com');
        const sent = email.sent.length + sms.sent.length;
        await dispatcher.drain();
        expect(email.sent.length + sms.sent.length).toBe(sent);
      });
    });

    describe('write-backs', () => {
      it('queues one write-back per applicable target, never to the source, and once per event', async () => {
        const zendesk = createRecordingTarget('zendesk');
        const shopify = createRecordingTarget('shopify');
        const hubspot = createRecordingTarget('hubspot', { tenants: ['another-shop'] });
        const { ingest, worker } = setup([zendesk, shopify, hubspot]);
        const e = event({ status: 'dispatched', shipment: { id: 'f1' } });
        await ingest({ event: e, rawBody: '{}' });
        expect(await ingest({ event: e, rawBody: '{}' })).toEqual({ outcome: 'duplicate' });
        const queued = await store.listWriteBacks('shop-1', 'order-1');
        expect(queued.map((w) => [w.job.target, w.job.status, w.job.shipmentId, w.status])).toEqual(
          [['zendesk', 'dispatched', 'f1', 'pending']],
        );
        expect(await worker.drain()).toBe(1);
        expect(zendesk.written.map((j) => j.id)).toEqual([queued[0]?.job.id]);
        expect(shopify.written).toEqual([]);
        expect(hubspot.written).toEqual([]);
        const [done] = await store.listWriteBacks('shop-1', 'order-1');
        expect(done).toMatchObject({ status: 'done', attempts: 1 });
        expect(done?.fingerprints).toEqual([fingerprintOf('zendesk', zendesk.written[0] as never)]);
        const timeline = await orderTimeline(store, 'shop-1', 'order-1');
        expect(timeline.filter((t) => t.kind === 'write_back').map((t) => t.text)).toEqual([
          'write-back of "dispatched" to zendesk: done',
        ]);
      });

      it('queues a state sync for a target that mirrors state when its own platform lifts a hold', async () => {
        const shopify: RecordingTarget = {
          ...createRecordingTarget('shopify'),
          mirrorsState: true,
        };
        const zendesk = createRecordingTarget('zendesk');
        const { ingest } = setup([shopify, zendesk]);
        // A hold from elsewhere: news for Shopify (which tags the order) and none for Zendesk.
        await ingest({
          event: event({
            status: 'on_hold',
            source: 'zendesk',
            overlay: { kind: 'on_hold', reason: 'payment' },
          }),
          rawBody: '{}',
        });
        // Shopify itself releases it: no news for Shopify, but its mirror must follow.
        await ingest({
          event: event({ status: 'processing', source: 'shopify' }),
          rawBody: '{}',
        });
        // News from Shopify that lifts nothing: no sync.
        await ingest({
          event: event({ status: 'dispatched', source: 'shopify', shipment: { id: 'f1' } }),
          rawBody: '{}',
        });
        const jobs = (await store.listWriteBacks('shop-1', 'order-1'))
          .map((w) => [w.job.target, w.job.status, w.job.kind ?? 'news'].join(' '))
          .sort();
        expect(jobs).toEqual([
          'shopify on_hold news',
          'shopify processing sync',
          'zendesk dispatched news',
          'zendesk processing news',
        ]);
      });

      it('queues nothing for news nobody is told (a stale or repeated status)', async () => {
        const zendesk = createRecordingTarget('zendesk');
        const { ingest } = setup([zendesk]);
        await ingest({
          event: event({ status: 'delivered', occurredAt: '2026-11-28T16:00:00Z' }),
          rawBody: '{}',
        });
        const stale = await ingest({
          event: event({ status: 'dispatched', occurredAt: '2026-11-28T15:00:00Z' }),
          rawBody: '{}',
        });
        expect(stale).toMatchObject({ outcome: 'accepted', verdict: 'stale' });
        expect((await store.listWriteBacks('shop-1', 'order-1')).map((w) => w.job.status)).toEqual([
          'delivered',
        ]);
      });

      it('recognises the webhook our own write causes as an echo and notifies nobody', async () => {
        const zendesk = createRecordingTarget('zendesk');
        const { ingest, worker, dispatcher } = setup([zendesk]);
        await ingest({ event: event({ status: 'processing' }), rawBody: '{}' });
        await worker.drain();
        await dispatcher.drain();
        const sentBefore = email.sent.length + sms.sent.length;
        const [job] = zendesk.written;
        if (!job) throw new Error('nothing was written back');
        // Zendesk tells us about the ticket change we made; its app passes our marker along.
        const echo = await ingest({
          event: event({ status: 'processing', source: 'zendesk' }),
          rawBody: '{"ticket":{"status":"open"}}',
          echoFingerprint: fingerprintOf('zendesk', job),
        });
        expect(echo).toEqual({ outcome: 'echo' });
        await dispatcher.drain();
        await worker.drain();
        expect(email.sent.length + sms.sent.length).toBe(sentBefore);
        expect(zendesk.written).toHaveLength(1);
        // A fingerprint we never wrote is news like any other.
        const news = await ingest({
          event: event({ status: 'dispatched', source: 'zendesk', shipment: { id: 'f9' } }),
          rawBody: '{}',
          echoFingerprint: 'zendesk-note-somebody-else',
        });
        expect(news).toMatchObject({ outcome: 'accepted', verdict: 'notify' });
      });

      it('retries a failing write with backoff, then parks it after its attempts run out', async () => {
        const flaky = createRecordingTarget('zendesk', {
          script: (_job, call) =>
            call === 1
              ? { ok: false, error: { code: 'http_503', class: 'retryable', message: 'busy' } }
              : { ok: true, fingerprints: ['fp-1'] },
        });
        const broken = createRecordingTarget('hubspot', {
          script: () => ({
            ok: false,
            error: { code: 'http_500', class: 'retryable', message: 'down' },
          }),
        });
        const refused = createRecordingTarget('pipedrive', {
          script: () => ({
            ok: false,
            error: { code: 'http_404', class: 'permanent', message: 'no such deal' },
          }),
        });
        const { ingest, worker } = setup([flaky, broken, refused]);
        await ingest({ event: event({ status: 'processing' }), rawBody: '{}' });
        const first = await worker.runOnce();
        expect(first.outcomes).toMatchObject({ retry: 2, parked: 1 });
        for (let i = 0; i < 5; i++) {
          later(60_000);
          await worker.drain();
        }
        const byTarget = Object.fromEntries(
          (await store.listWriteBacks('shop-1', 'order-1')).map((w) => [
            w.job.target,
            [w.status, w.attempts, w.lastError],
          ]),
        );
        expect(byTarget).toEqual({
          zendesk: ['done', 2, undefined],
          hubspot: ['parked', 3, 'gave up after 3 attempts: hubspot http_500'],
          pipedrive: ['parked', 1, 'pipedrive http_404'],
        });
      });
    });
  });
};
