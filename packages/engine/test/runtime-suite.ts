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
import { orderTimeline } from '../src/timeline.ts';
import { createWriteBackRegistry } from '../src/write-back.ts';
import { createWriteBackWorker } from '../src/write-back-worker.ts';
import { event, type StoreFactory } from './engine-suite.ts';
import { createRecordingChannel, type RecordingChannel, resolverFor } from './recording-channel.ts';
import { createRecordingTarget, fingerprintOf, type RecordingTarget } from './recording-target.ts';

export const runtimeSuite = (name: string, factory: StoreFactory): void => {
  describe(`engine runtime on ${name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    let clock: Clock & { set(to: string): void };
    let email: RecordingChannel;
    let sms: RecordingChannel;

    const setup = (targets: RecordingTarget[] = []) => {
      email = createRecordingChannel('email');
      sms = createRecordingChannel('sms');
      const tenants = createTenantConfigs(store, clock, 0);
      const writeBacks = createWriteBackRegistry();
      for (const t of targets) writeBacks.register(t);
      const ingest = createIngest({ store, clock, tenants, logger: silentLogger, writeBacks });
      const dispatcher = createDispatcher({
        store,
        clock,
        tenants,
        channels: resolverFor({ email, sms }),
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
      await store.putTenant(
        {
          id: 'shop-1',
          name: 'Maison Lumière',
          active: true,
          config: {
            tenantId: 'shop-1',
            name: 'Maison Lumière',
            channelPreferences: { customer: ['email', 'sms'], internal: [] },
          },
        },
        '2026-11-01T00:00:00Z',
      );
    });
    afterEach(async () => dispose());

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
