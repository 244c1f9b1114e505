/**
 * @module The store conformance suite (Shopify's session-storage "battery of tests" idea): every
 * backend registers these tests with a harness for its database, and must pass all of them.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { emptyOrderState, type OrderEvent, type OrderState } from '@tidings/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentRecord, Decision, Intent } from '../src/core-types.ts';
import {
  type Dialect,
  type EventInput,
  isStoreError,
  LATEST_SCHEMA_VERSION,
  migrate,
  type OpenStoreOptions,
  orderKey,
  type Store,
  type StoredIntent,
  type WriteBackJob,
} from '../src/index.ts';

/** One database for one test, and ways to reach it the Store API deliberately does not offer. */
export interface StoreHarness {
  dialect: Dialect;
  /** The URL `openStore` takes for this database. */
  url: string;
  /** Opens a store on this database (migrating unless told not to); `dispose` closes it. */
  open(options?: OpenStoreOptions): Promise<Store>;
  /** Raw SQL with `$1` parameters, for tampering and for the append-only checks. */
  sql(text: string, params?: readonly unknown[]): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

export type HarnessFactory = () => Promise<StoreHarness>;

// Two keys in both accepted spellings: hex and base64.
export const KEY_1 = 'k1:'.concat('11'.repeat(32));
export const KEY_2 = `k2:${Buffer.alloc(32, 2).toString('base64')}`;

const T = 'acme.myshopify.com';
const OTHER = 'globex.example';
const ORDER = 'gid://shopify/Order/1001';
const T0 = '2026-11-28T09:00:00.000Z';

const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

const makeEvent = (id: string, overrides: Partial<OrderEvent> = {}): OrderEvent => ({
  tenantId: T,
  source: 'shopify',
  sourceEventId: id,
  orderRef: ORDER,
  occurredAt: T0,
  status: 'dispatched',
  raw: { value: 'fulfilled', field: 'fulfillment_status' },
  recipients: [{ role: 'customer', contacts: { sms: '+15145550100' } }],
  order: { number: '#1001', lineItems: [], tags: [] },
  ...overrides,
});

const eventInput = (event: OrderEvent, receivedAt = T0): EventInput => ({
  event,
  rawBody: JSON.stringify({ id: event.sourceEventId }),
  headers: { 'x-shopify-topic': 'orders/updated' },
  receivedAt,
});

const makeIntent = (id: string, overrides: Partial<Intent> = {}): Intent => ({
  id,
  tenantId: T,
  orderRef: ORDER,
  eventId: 'evt-1',
  ruleId: 'default.dispatched',
  audience: 'customer',
  recipientIndex: 0,
  class: 'transactional',
  status: 'dispatched',
  templateKey: 'dispatched',
  locale: 'en',
  timeZone: 'UTC',
  delivery: { channel: 'sms', to: '+15145550100', notBefore: T0, rewrites: [], reasons: [] },
  fallbacks: [
    { channel: 'email', to: 'ann@example.com', notBefore: T0, rewrites: [], reasons: [] },
  ],
  notificationKeys: ['order:dispatched'],
  ...overrides,
});

const decision = (detail: string): Decision => ({
  action: 'send',
  reason: 'ready',
  reasons: ['ready'],
  channel: 'sms',
  detail,
});

const consent = (overrides: Partial<ConsentRecord> = {}): ConsentRecord => ({
  tenantId: T,
  channel: 'sms',
  contact: '+15145550100',
  state: 'opted_out',
  scope: 'all',
  at: T0,
  source: 'keyword',
  ...overrides,
});

const makeWriteBack = (id: string, overrides: Partial<WriteBackJob> = {}): WriteBackJob => ({
  id,
  tenantId: T,
  orderRef: ORDER,
  target: 'zendesk',
  eventId: 'evt-1',
  status: 'dispatched',
  note: 'Tidings: dispatched',
  at: T0,
  ...overrides,
});

const ids = (intents: readonly StoredIntent[]): string[] => intents.map((i) => i.intent.id);

const MIGRATE_CLI = fileURLToPath(new URL('../src/cli/migrate.ts', import.meta.url));

/** Runs the migrate command as its own process (`process.execPath` is the Node running vitest). */
const runMigrateCli = (url: string): Promise<{ code: number | null; out: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MIGRATE_CLI, url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });

/** Registers the whole suite for one backend. */
export const defineStoreConformance = (name: string, createHarness: HarnessFactory): void => {
  describe(`${name}: store conformance`, () => {
    let h: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      h = await createHarness();
      store = await h.open({ secretKey: KEY_1 });
      await store.putTenant(
        { id: T, name: 'Acme', active: true, config: { tenantId: T, name: 'Acme' } },
        T0,
      );
      await store.putTenant(
        { id: OTHER, name: 'Globex', active: true, config: { tenantId: OTHER, name: 'Globex' } },
        T0,
      );
    });

    afterEach(async () => {
      await h.dispose();
    });

    describe('migrations and health', () => {
      it('reports healthy at the latest schema version once opened', async () => {
        const health = await store.health();
        expect(health).toEqual({
          ok: true,
          value: { dialect: h.dialect, schemaVersion: LATEST_SCHEMA_VERSION[h.dialect] },
        });
      });

      it('applies nothing the second time, whether by migrate() or by opening again', async () => {
        expect(await migrate(h.url)).toEqual([]);
        const again = await h.open({ secretKey: KEY_1 });
        expect((await again.getTenant(T))?.name).toBe('Acme');
        const rows = await h.sql('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((r) => Number(r.version))).toEqual(
          Array.from({ length: LATEST_SCHEMA_VERSION[h.dialect] }, (_, i) => i + 1),
        );
      });

      it('migrates once when three migrate commands start at the same time on a fresh database', async () => {
        const fresh = await createHarness();
        try {
          const unmigrated = await fresh.open({ migrate: false });
          const pending = await unmigrated.health();
          expect(pending.ok ? undefined : pending.error.code).toBe('migrations_pending');
          const runs = await Promise.all([1, 2, 3].map(() => runMigrateCli(fresh.url)));
          for (const run of runs) expect(run.code, run.out).toBe(0);
          expect(runs.filter((r) => r.out.includes('applied migration')).length).toBe(1);
          expect(runs.filter((r) => r.out.includes('up to date')).length).toBe(2);
          const password = fresh.url.startsWith('postgres') ? new URL(fresh.url).password : '';
          if (password !== '') for (const run of runs) expect(run.out).not.toContain(password);
          expect((await unmigrated.health()).ok).toBe(true);
        } finally {
          await fresh.dispose();
        }
      });

      it('reports unreachable once closed', async () => {
        await store.close();
        const health = await store.health();
        expect(health.ok ? undefined : health.error.code).toBe('unreachable');
      });
    });

    describe('tenants', () => {
      it('creates, updates (keeping createdAt), reads and lists tenants', async () => {
        const updated = await store.putTenant(
          {
            id: T,
            name: 'Acme Inc',
            active: false,
            config: { tenantId: T, name: 'Acme Inc', defaultLocale: 'fr' },
          },
          at(5),
        );
        expect(updated).toMatchObject({
          id: T,
          name: 'Acme Inc',
          active: false,
          createdAt: T0,
          updatedAt: at(5),
        });
        expect((await store.getTenant(T))?.config).toEqual({
          tenantId: T,
          name: 'Acme Inc',
          defaultLocale: 'fr',
        });
        expect(await store.getTenant('nobody')).toBeUndefined();
        expect((await store.listTenants()).map((t) => [t.id, t.active])).toEqual(
          [
            [T, false],
            [OTHER, true],
          ].sort(),
        );
      });

      it('deletes an empty tenant with its credentials, and refuses one that has data', async () => {
        await store.putCredential(OTHER, 'twilio', { sid: 'AC1' }, T0);
        expect(await store.deleteTenant(OTHER)).toEqual({ ok: true, value: true });
        expect(await store.getTenant(OTHER)).toBeUndefined();
        expect(await store.listCredentials(OTHER)).toEqual([]);
        const missing = await store.deleteTenant(OTHER);
        expect(missing.ok ? undefined : missing.error.code).toBe('not_found');
        await store.transaction((tx) => tx.insertEvent(eventInput(makeEvent('e1'))));
        const inUse = await store.deleteTenant(T);
        expect(inUse.ok ? undefined : inUse.error.code).toBe('tenant_in_use');
        expect(await store.getTenant(T)).toBeDefined();
      });
    });

    describe('credentials', () => {
      const secret = { accountSid: 'AC123', authToken: 'super-secret-token' };

      it('round-trips a secret, storing only ciphertext and listing no secret', async () => {
        const put = await store.putCredential(T, 'twilio', secret, T0);
        expect(put).toEqual({
          ok: true,
          value: { tenantId: T, provider: 'twilio', keyId: 'k1', updatedAt: T0 },
        });
        expect(await store.getCredential(T, 'twilio')).toEqual({ ok: true, value: secret });
        expect(await store.listCredentials(T)).toEqual([
          { tenantId: T, provider: 'twilio', keyId: 'k1', updatedAt: T0 },
        ]);
        const [row] = await h.sql('SELECT ciphertext, iv, tag FROM credentials');
        expect(Buffer.from(row?.ciphertext as Uint8Array).toString('latin1')).not.toContain(
          'super-secret',
        );
        expect((row?.iv as Uint8Array | undefined)?.length).toBe(12);
        expect((row?.tag as Uint8Array | undefined)?.length).toBe(16);
        const missing = await store.getCredential(T, 'sendgrid');
        expect(missing.ok ? undefined : missing.error.code).toBe('not_found');
        expect(await store.deleteCredential(T, 'twilio')).toBe(true);
        expect(await store.deleteCredential(T, 'twilio')).toBe(false);
      });

      it('answers not_found for an unknown tenant and secret_key_missing without a key', async () => {
        const unknown = await store.putCredential('nobody', 'twilio', secret, T0);
        expect(unknown.ok ? undefined : unknown.error.code).toBe('not_found');
        const keyless = await h.open({ secretKey: '' });
        const put = await keyless.putCredential(T, 'twilio', secret, T0);
        expect(put.ok ? undefined : put.error.code).toBe('secret_key_missing');
        const get = await keyless.getCredential(T, 'twilio');
        expect(get.ok ? undefined : get.error.code).toBe('secret_key_missing');
      });

      it('detects a flipped ciphertext byte and a row moved to another tenant', async () => {
        await store.putCredential(T, 'twilio', secret, T0);
        const [row] = await h.sql('SELECT ciphertext FROM credentials WHERE tenant_id = $1', [T]);
        const flipped = Buffer.from(row?.ciphertext as Uint8Array);
        flipped[0] = (flipped[0] ?? 0) ^ 0x01;
        await h.sql('UPDATE credentials SET ciphertext = $1 WHERE tenant_id = $2', [flipped, T]);
        const tampered = await store.getCredential(T, 'twilio');
        expect(tampered.ok ? undefined : tampered.error.code).toBe('credential_tampered');
        expect(JSON.stringify(tampered)).not.toContain('super-secret');

        await store.putCredential(T, 'sendgrid', { apiKey: 'SG.x' }, T0);
        await h.sql(
          `INSERT INTO credentials (tenant_id, provider, key_id, iv, tag, ciphertext, created_at, updated_at)
           SELECT $1, provider, key_id, iv, tag, ciphertext, created_at, updated_at
           FROM credentials WHERE tenant_id = $2 AND provider = 'sendgrid'`,
          [OTHER, T],
        );
        const moved = await store.getCredential(OTHER, 'sendgrid');
        expect(moved.ok ? undefined : moved.error.code).toBe('credential_tampered');
      });

      it('rotates: old rows decrypt under a ring listing the old key, and are re-encrypted by rotateCredentials', async () => {
        await store.putCredential(T, 'twilio', secret, T0);
        await store.putCredential(OTHER, 'sendgrid', { apiKey: 'SG.x' }, T0);
        const both = await h.open({ secretKey: `${KEY_2},${KEY_1}` });
        expect(await both.getCredential(T, 'twilio')).toEqual({ ok: true, value: secret });
        const rotated = await both.rotateCredentials(at(1));
        expect(rotated).toEqual({ ok: true, value: { rotated: 2, unchanged: 0, failed: [] } });
        expect((await both.listCredentials(T)).map((c) => c.keyId)).toEqual(['k2']);
        const again = await both.rotateCredentials(at(2));
        expect(again).toEqual({ ok: true, value: { rotated: 0, unchanged: 2, failed: [] } });

        const onlyNew = await h.open({ secretKey: KEY_2 });
        expect(await onlyNew.getCredential(T, 'twilio')).toEqual({ ok: true, value: secret });
        const onlyOld = await h.open({ secretKey: KEY_1 });
        const stale = await onlyOld.getCredential(T, 'twilio');
        expect(stale.ok ? undefined : stale.error.code).toBe('credential_key_unknown');
        const report = await onlyOld.rotateCredentials(at(3));
        expect(report.ok && report.value.failed.map((f) => f.code)).toEqual([
          'credential_key_unknown',
          'credential_key_unknown',
        ]);
      });

      it('refuses to open with a malformed TIDINGS_SECRET_KEY, naming no key material', async () => {
        const error = await h.open({ secretKey: 'k1:not-a-key' }).catch((e: unknown) => e);
        expect(isStoreError(error, 'invalid_secret_key')).toBe(true);
        expect(String((error as Error).message)).not.toContain('not-a-key');
      });
    });

    describe('events', () => {
      it('inserts many events at once, in order, answering duplicates within the list and before it', async () => {
        await store.transaction((tx) => tx.insertEvent(eventInput(makeEvent('e-known'))));
        const answers = await store.transaction((tx) =>
          tx.insertEvents([
            eventInput(makeEvent('e-a'), at(1)),
            eventInput(makeEvent('e-known'), at(1)),
            eventInput(makeEvent('e-b', { orderRef: 'o-2' }), at(1)),
            eventInput(makeEvent('e-a'), at(1)),
            eventInput(makeEvent('e-a', { tenantId: OTHER }), at(1)),
          ]),
        );
        expect(answers).toEqual(['inserted', 'duplicate', 'inserted', 'duplicate', 'inserted']);
        expect((await store.listEvents(T, ORDER)).map((e) => e.sourceEventId)).toEqual([
          'e-known',
          'e-a',
        ]);
        expect((await store.listEvents(OTHER, ORDER)).map((e) => e.sourceEventId)).toEqual(['e-a']);
        expect(await store.transaction((tx) => tx.insertEvents([]))).toEqual([]);
      });

      it('inserts many intents and decision sets at once, naming the new intents', async () => {
        const fresh = await store.transaction(async (tx) => {
          await tx.insertIntents([makeIntent('i-old')], T0);
          const ids = await tx.insertNewIntents(
            [makeIntent('i-old'), makeIntent('i-1'), makeIntent('i-2')],
            T0,
          );
          await tx.insertDecisionSets([
            { tenantId: T, orderRef: ORDER, eventId: 'e-1', at: T0, decisions: [decision('d1')] },
            { tenantId: T, orderRef: 'o-2', eventId: 'e-2', at: at(1), decisions: [] },
            {
              tenantId: OTHER,
              orderRef: ORDER,
              at: at(2),
              decisions: [decision('d2'), decision('d3')],
            },
          ]);
          return ids;
        });
        expect([...fresh].sort()).toEqual(['i-1', 'i-2']);
        expect((await store.listDecisions(T, ORDER)).map((d) => d.eventId)).toEqual(['e-1']);
        expect(await store.listDecisions(OTHER, ORDER)).toHaveLength(2);
      });

      it('detects a redelivery by the insert itself and keeps the raw bytes exactly', async () => {
        const raw = new Uint8Array([0x7b, 0x22, 0xff, 0x00, 0xe9, 0x7d]);
        const first = await store.transaction((tx) =>
          tx.insertEvent({ ...eventInput(makeEvent('e1')), rawBody: raw }),
        );
        const again = await store.transaction((tx) =>
          tx.insertEvent(eventInput(makeEvent('e1'), at(1))),
        );
        const otherSource = await store.transaction((tx) =>
          tx.insertEvent(eventInput(makeEvent('e1', { source: 'woocommerce' }), at(2))),
        );
        const otherTenant = await store.transaction((tx) =>
          tx.insertEvent(eventInput(makeEvent('e1', { tenantId: OTHER }), at(2))),
        );
        expect([first, again, otherSource, otherTenant]).toEqual([
          'inserted',
          'duplicate',
          'inserted',
          'inserted',
        ]);
        const events = await store.listEvents(T, ORDER);
        expect(events.map((e) => [e.source, e.sourceEventId, e.receivedAt])).toEqual([
          ['shopify', 'e1', T0],
          ['woocommerce', 'e1', at(2)],
        ]);
        expect([...(events[0]?.rawBody ?? [])]).toEqual([...raw]);
        expect(events[0]?.event).toEqual(makeEvent('e1'));
        expect(events[0]?.headers).toEqual({ 'x-shopify-topic': 'orders/updated' });
        expect(new TextDecoder().decode(events[1]?.rawBody)).toBe('{"id":"e1"}');
      });

      it('reads the events of many orders of one tenant at once, each order in listEvents order', async () => {
        const O2 = 'gid://shopify/Order/1002';
        await store.transaction(async (tx) => {
          await tx.insertEvent(eventInput(makeEvent('a2'), at(2)));
          await tx.insertEvent(eventInput(makeEvent('a1'), at(1)));
          await tx.insertEvent(eventInput(makeEvent('b1', { orderRef: O2 }), at(1)));
          await tx.insertEvent(eventInput(makeEvent('c1', { orderRef: 'not-asked' }), at(1)));
          await tx.insertEvent(eventInput(makeEvent('f1', { tenantId: OTHER }), at(1)));
        });
        const events = await store.listEventsOfOrders(T, [ORDER, O2, ORDER, 'none']);
        const of = (ref: string) =>
          events.filter((e) => e.orderRef === ref).map((e) => e.sourceEventId);
        expect(of(ORDER)).toEqual((await store.listEvents(T, ORDER)).map((e) => e.sourceEventId));
        expect(of(ORDER)).toEqual(['a1', 'a2']);
        expect(of(O2)).toEqual(['b1']);
        expect(events).toHaveLength(3);
        expect(events.find((e) => e.sourceEventId === 'b1')?.event).toEqual(
          makeEvent('b1', { orderRef: O2 }),
        );
        expect(await store.listEventsOfOrders(T, [])).toEqual([]);
        // Raw bodies stay unread: a webhook body can be tens of kilobytes.
        expect(events[0]).not.toHaveProperty('rawBody');
        expect(events[0]?.headers).toEqual((await store.listEvents(T, ORDER))[0]?.headers);
      });

      it('reads just the named events of one tenant, exact pairs only, in listEvents order', async () => {
        const O2 = 'gid://shopify/Order/1002';
        await store.transaction(async (tx) => {
          await tx.insertEvent(eventInput(makeEvent('a2'), at(2)));
          await tx.insertEvent(eventInput(makeEvent('a1'), at(1)));
          await tx.insertEvent(eventInput(makeEvent('b1', { orderRef: O2 }), at(1)));
          await tx.insertEvent(eventInput(makeEvent('b2', { orderRef: O2 }), at(3)));
          await tx.insertEvent(eventInput(makeEvent('a1', { tenantId: OTHER }), at(1)));
        });
        const docs = await store.getEventDocuments(T, [
          { orderRef: O2, sourceEventId: 'b2' },
          { orderRef: ORDER, sourceEventId: 'a2' },
          { orderRef: ORDER, sourceEventId: 'a1' },
          { orderRef: ORDER, sourceEventId: 'a1' },
          // Both parts exist, but not together: not an event.
          { orderRef: ORDER, sourceEventId: 'b1' },
          { orderRef: 'none', sourceEventId: 'a1' },
        ]);
        expect(docs.map((d) => [d.orderRef, d.sourceEventId])).toEqual([
          [ORDER, 'a1'],
          [ORDER, 'a2'],
          [O2, 'b2'],
        ]);
        expect(docs[2]?.event).toEqual(makeEvent('b2', { orderRef: O2 }));
        expect(docs.every((d) => d.tenantId === T)).toBe(true);
        expect(docs[0]).not.toHaveProperty('rawBody');
        expect(await store.getEventDocuments(T, [])).toEqual([]);
      });

      it('takes many events in one transaction, duplicates among them included', async () => {
        const results = await store.transaction(async (tx) => {
          const out: string[] = [];
          for (let i = 0; i < 60; i += 1) {
            out.push(
              await tx.insertEvent(eventInput(makeEvent(`g${i % 40}`, { orderRef: `o-${i % 7}` }))),
            );
          }
          return out;
        });
        expect(results.filter((r) => r === 'inserted').length).toBe(40);
        expect(results.filter((r) => r === 'duplicate').length).toBe(20);
        expect((await store.listEvents(T, 'o-3')).length).toBeGreaterThan(0);
      });

      it('rolls the whole transaction back when the callback throws', async () => {
        await expect(
          store.transaction(async (tx) => {
            await tx.insertEvent(eventInput(makeEvent('e1')));
            await tx.insertIntents([makeIntent('int-1')], T0);
            throw new Error('planner bug');
          }),
        ).rejects.toThrow('planner bug');
        expect(await store.listEvents(T, ORDER)).toEqual([]);
        expect(await store.getIntent('int-1')).toBeUndefined();
        // The store is usable afterwards.
        expect(await store.transaction((tx) => tx.insertEvent(eventInput(makeEvent('e1'))))).toBe(
          'inserted',
        );
      });

      it('throws unknown_tenant for an event of a tenant that does not exist', async () => {
        const error = await store
          .transaction((tx) => tx.insertEvent(eventInput(makeEvent('e1', { tenantId: 'nobody' }))))
          .catch((e: unknown) => e);
        expect(isStoreError(error, 'unknown_tenant')).toBe(true);
      });

      it('refuses Store calls made from inside transaction(), which would deadlock or escape it', async () => {
        await expect(store.transaction(() => store.getTenant(T))).rejects.toThrow(
          /inside transaction/,
        );
        expect((await store.getTenant(T))?.id).toBe(T);
      });
    });

    describe('order state', () => {
      const state = (notified: string[]): OrderState => ({
        ...emptyOrderState(T, ORDER),
        notified,
      });

      it('saves a new state at version 1 and each save after it one higher', async () => {
        const v1 = await store.transaction(async (tx) => {
          expect(await tx.loadOrderState(T, ORDER)).toBeUndefined();
          return tx.saveOrderState(state(['a']), 0, T0);
        });
        expect(v1).toBe(1);
        const v2 = await store.transaction(async (tx) => {
          const loaded = await tx.loadOrderState(T, ORDER);
          expect(loaded).toEqual({ state: state(['a']), version: 1, updatedAt: T0 });
          return tx.saveOrderState(state(['a', 'b']), loaded?.version ?? -1, at(1));
        });
        expect(v2).toBe(2);
        expect(await store.getOrderState(T, ORDER)).toEqual({
          state: state(['a', 'b']),
          version: 2,
          updatedAt: at(1),
        });
      });

      it('reads the states of many orders at once, by order ref', async () => {
        await store.transaction(async (tx) => {
          await tx.saveOrderState(state(['a']), 0, T0);
          await tx.saveOrderState({ ...emptyOrderState(T, 'o-2'), notified: ['b'] }, 0, at(1));
          await tx.saveOrderState({ ...emptyOrderState(OTHER, ORDER), notified: ['x'] }, 0, T0);
        });
        const states = await store.getOrderStates(T, [ORDER, 'o-2', 'never-saved']);
        expect([...states.keys()].sort()).toEqual([ORDER, 'o-2'].sort());
        expect(states.get(ORDER)).toEqual(await store.getOrderState(T, ORDER));
        expect(states.get('o-2')).toMatchObject({ version: 1, updatedAt: at(1) });
        expect((await store.getOrderStates(T, [])).size).toBe(0);
      });

      it('throws version_conflict for a stale version or a second "new" save, rolling back the rest', async () => {
        await store.transaction((tx) => tx.saveOrderState(state(['a']), 0, T0));
        const stale = await store
          .transaction(async (tx) => {
            await tx.insertEvent(eventInput(makeEvent('e-conflict')));
            return tx.saveOrderState(state(['x']), 5, at(1));
          })
          .catch((e: unknown) => e);
        expect(isStoreError(stale, 'version_conflict')).toBe(true);
        expect(await store.listEvents(T, ORDER)).toEqual([]);
        const twiceNew = await store
          .transaction((tx) => tx.saveOrderState(state(['y']), 0, at(1)))
          .catch((e: unknown) => e);
        expect(isStoreError(twiceNew, 'version_conflict')).toBe(true);
        expect((await store.getOrderState(T, ORDER))?.state.notified).toEqual(['a']);
      });

      it('loads and saves many orders at once, keeping each version check and the SLA columns', async () => {
        const watch = { open: true, unscannedSince: at(2), promisedDate: '2026-12-01' };
        await store.transaction((tx) => tx.saveOrderState(state(['a']), 0, T0, watch));
        await store.transaction(async (tx) => {
          const loaded = await tx.loadOrderStates([
            { tenantId: T, orderRef: ORDER },
            { tenantId: T, orderRef: 'o-2' },
            { tenantId: OTHER, orderRef: ORDER },
            { tenantId: T, orderRef: ORDER },
          ]);
          expect([...loaded.keys()]).toEqual([orderKey(T, ORDER)]);
          expect(loaded.get(orderKey(T, ORDER))).toEqual({
            state: state(['a']),
            version: 1,
            updatedAt: T0,
          });
          await tx.saveOrderStates(
            [
              { state: state(['a', 'b']), expectedVersion: 1, watch: { open: false } },
              {
                state: { ...emptyOrderState(T, 'o-2'), notified: ['n'] },
                expectedVersion: 0,
                watch: { open: true, unscannedSince: at(3) },
              },
              { state: emptyOrderState(OTHER, ORDER), expectedVersion: 0, watch: { open: false } },
            ],
            at(5),
          );
        });
        expect(await store.getOrderState(T, ORDER)).toEqual({
          state: state(['a', 'b']),
          version: 2,
          updatedAt: at(5),
        });
        expect((await store.getOrderState(T, 'o-2'))?.version).toBe(1);
        expect((await store.getOrderState(OTHER, ORDER))?.version).toBe(1);
        // The promised date is kept when a save brings none; the watch columns are replaced.
        const [row] = await h.sql(
          'SELECT watch_open, unscanned_since, promised_date FROM order_states WHERE tenant_id = $1 AND order_ref = $2',
          [T, ORDER],
        );
        expect({ open: Number(row?.watch_open), since: row?.unscanned_since ?? null }).toEqual({
          open: 0,
          since: null,
        });
        expect(row?.promised_date).toBe('2026-12-01');
      });

      it('rolls a whole many-order save back when one order moved on since it was read', async () => {
        await store.transaction((tx) => tx.saveOrderState(state(['a']), 0, T0));
        const conflict = await store
          .transaction(async (tx) => {
            await tx.insertEvent(eventInput(makeEvent('e-many')));
            await tx.saveOrderStates(
              [
                { state: emptyOrderState(T, 'o-new'), expectedVersion: 0, watch: { open: true } },
                { state: state(['x']), expectedVersion: 0, watch: { open: true } },
              ],
              at(1),
            );
          })
          .catch((e: unknown) => e);
        expect(isStoreError(conflict, 'version_conflict')).toBe(true);
        expect(await store.getOrderState(T, 'o-new')).toBeUndefined();
        expect(await store.listEvents(T, ORDER)).toEqual([]);
        expect((await store.getOrderState(T, ORDER))?.state.notified).toEqual(['a']);
      });

      it('serializes concurrent read-modify-write transactions on one order (no lost update)', async () => {
        await store.transaction((tx) => tx.saveOrderState(state([]), 0, T0));
        const stores =
          h.dialect === 'postgres'
            ? await Promise.all([1, 2, 3].map(() => h.open({ secretKey: KEY_1 })))
            : [store];
        await Promise.all(
          Array.from({ length: 12 }, (_, i) =>
            (stores[i % stores.length] ?? store).transaction(async (tx) => {
              const loaded = await tx.loadOrderState(T, ORDER);
              if (loaded === undefined) throw new Error('state vanished');
              await new Promise((r) => setTimeout(r, 2));
              return tx.saveOrderState(
                { ...loaded.state, notified: [...loaded.state.notified, `k${i}`] },
                loaded.version,
                at(1),
              );
            }),
          ),
        );
        const final = await store.getOrderState(T, ORDER);
        expect(final?.version).toBe(13);
        expect(final?.state.notified.length).toBe(12);
      });
    });

    describe('intents and decisions', () => {
      it('inserts intents as pending, ignoring ids it already has whatever their status', async () => {
        const inserted = await store.transaction((tx) =>
          tx.insertIntents(
            [makeIntent('int-1'), makeIntent('int-2', { digestKey: 'dig-1' }), makeIntent('int-1')],
            T0,
          ),
        );
        expect(inserted).toBe(2);
        await store.claimDue(T0, 1, 60_000, 'w1');
        const again = await store.transaction((tx) =>
          tx.insertIntents([makeIntent('int-1'), makeIntent('int-3')], at(1)),
        );
        expect(again).toBe(1);
        expect((await store.getIntent('int-1'))?.status).toBe('leased');
        const two = await store.getIntent('int-2');
        expect(two).toMatchObject({
          status: 'pending',
          attempts: 0,
          deliveryIndex: 0,
          notBefore: T0,
          digestKey: 'dig-1',
        });
        expect(two?.intent).toEqual(makeIntent('int-2', { digestKey: 'dig-1' }));
        expect(two?.delivery.channel).toBe('sms');
        expect(ids(await store.listIntents(T, ORDER))).toEqual(['int-1', 'int-2', 'int-3']);
        const many = Array.from({ length: 450 }, (_, i) =>
          makeIntent(`bulk-${i}`, { orderRef: 'bulk' }),
        );
        expect(await store.transaction((tx) => tx.insertIntents(many, T0))).toBe(450);
      });

      it('cancels only the pending intents of an order', async () => {
        await store.transaction((tx) =>
          tx.insertIntents(
            [makeIntent('a'), makeIntent('b'), makeIntent('c', { orderRef: 'other' })],
            T0,
          ),
        );
        await store.claimDue(T0, 1, 60_000, 'w1');
        expect(
          await store.transaction((tx) =>
            tx.cancelPendingIntents(T, ORDER, 'order cancelled', at(1)),
          ),
        ).toBe(1);
        expect(await store.getIntent('b')).toMatchObject({
          status: 'cancelled',
          lastError: 'order cancelled',
        });
        expect((await store.getIntent('a'))?.status).toBe('leased');
        expect((await store.getIntent('c'))?.status).toBe('pending');
      });

      it('keeps decisions per event and lists them in time order', async () => {
        await store.transaction(async (tx) => {
          await tx.insertDecisions({
            tenantId: T,
            orderRef: ORDER,
            eventId: 'e2',
            at: at(2),
            decisions: [decision('second'), decision('third')],
          });
          await tx.insertDecisions({
            tenantId: T,
            orderRef: ORDER,
            eventId: 'e1',
            at: at(1),
            decisions: [decision('first')],
          });
          await tx.insertDecisions({ tenantId: T, orderRef: ORDER, at: at(3), decisions: [] });
        });
        const listed = await store.listDecisions(T, ORDER);
        expect(listed.map((d) => [d.eventId, d.decision.detail, d.at])).toEqual([
          ['e1', 'first', at(1)],
          ['e2', 'second', at(2)],
          ['e2', 'third', at(2)],
        ]);
        expect(listed[0]?.decision).toEqual(decision('first'));
      });

      it("lists a tenant's recent decisions across orders, newest first, ties by insertion", async () => {
        await store.transaction(async (tx) => {
          await tx.insertDecisionSets([
            { tenantId: T, orderRef: 'o-1', eventId: 'e1', at: at(1), decisions: [decision('a')] },
            {
              tenantId: T,
              orderRef: 'o-2',
              eventId: 'e2',
              at: at(3),
              decisions: [decision('b'), decision('c')],
            },
            { tenantId: OTHER, orderRef: 'o-9', at: at(9), decisions: [decision('foreign')] },
            { tenantId: T, orderRef: 'o-1', at: at(2), decisions: [decision('recheck')] },
          ]);
        });
        const page = await store.listRecentDecisions(T, { limit: 10 });
        expect(page.ok && page.value.next).toBe(undefined);
        expect(page.ok && page.value.decisions.map((d) => [d.orderRef, d.decision.detail])).toEqual(
          [
            ['o-2', 'c'],
            ['o-2', 'b'],
            ['o-1', 'recheck'],
            ['o-1', 'a'],
          ],
        );
        const first = page.ok ? page.value.decisions.at(-1) : undefined;
        expect(first).toMatchObject({ tenantId: T, eventId: 'e1', at: at(1) });
        expect(first?.decision).toEqual(decision('a'));
        const foreign = await store.listRecentDecisions(OTHER, { limit: 10 });
        expect(foreign.ok && foreign.value.decisions.map((d) => d.decision.detail)).toEqual([
          'foreign',
        ]);
        expect(await store.listRecentDecisions('nobody.example', { limit: 10 })).toEqual({
          ok: true,
          value: { decisions: [] },
        });
      });

      it('pages recent decisions by cursor with no duplicate or gap, and clamps the limit', async () => {
        // 230 decisions over 12 orders, many sharing an instant, so pages split ties.
        const sets = Array.from({ length: 46 }, (_, k) => ({
          tenantId: T,
          orderRef: `o-${k % 12}`,
          eventId: `e-${k}`,
          at: at(Math.floor(k / 3)),
          decisions: Array.from({ length: 5 }, (_, j) => decision(`${k}.${j}`)),
        }));
        await store.transaction((tx) => tx.insertDecisionSets(sets));
        const expected = sets
          .flatMap((set, k) => set.decisions.map((d, j) => ({ k, j, detail: d.detail })))
          .sort((x, y) => Math.floor(y.k / 3) - Math.floor(x.k / 3) || y.k - x.k || y.j - x.j)
          .map((x) => x.detail);

        const seen: string[] = [];
        let before: string | undefined;
        let pages = 0;
        do {
          const page = await store.listRecentDecisions(T, {
            limit: 7,
            ...(before ? { before } : {}),
          });
          if (!page.ok) throw new Error(page.error.message);
          expect(page.value.decisions.length).toBe(page.value.next ? 7 : expected.length % 7);
          seen.push(...page.value.decisions.map((d) => d.decision.detail));
          before = page.value.next;
          pages += 1;
          if (pages === 2) {
            // Recorded while paging: newer than the cursor, so on no later page.
            await store.transaction((tx) =>
              tx.insertDecisions({
                tenantId: T,
                orderRef: 'o-new',
                at: at(100),
                decisions: [decision('late')],
              }),
            );
          }
        } while (before);
        expect(pages).toBe(Math.ceil(expected.length / 7));
        expect(seen).toEqual(expected);

        const clampLow = await store.listRecentDecisions(T, { limit: 0 });
        expect(clampLow.ok && clampLow.value.decisions.map((d) => d.decision.detail)).toEqual([
          'late',
        ]);
        const clampHigh = await store.listRecentDecisions(T, { limit: 10_000 });
        expect(clampHigh.ok && clampHigh.value.decisions.length).toBe(200);
        expect(clampHigh.ok && clampHigh.value.next).toEqual(expect.any(String));
      });

      it('refuses a cursor it did not make', async () => {
        const made = Buffer.from(JSON.stringify([T0, 1])).toString('base64url');
        expect((await store.listRecentDecisions(T, { limit: 5, before: made })).ok).toBe(true);
        for (const before of [
          'not-a-cursor',
          '',
          Buffer.from(JSON.stringify(['yesterday', 1])).toString('base64url'),
          Buffer.from(JSON.stringify([T0, -1])).toString('base64url'),
          Buffer.from("'; DROP TABLE decisions; --").toString('base64url'),
        ]) {
          const page = await store.listRecentDecisions(T, { limit: 5, before });
          expect(page.ok ? 'ok' : page.error.code).toBe('invalid_cursor');
        }
      });
    });

    describe('outbox', () => {
      beforeEach(async () => {
        await store.transaction((tx) =>
          tx.insertIntents(
            [
              makeIntent('due-2', { delivery: { ...makeIntent('x').delivery, notBefore: at(-1) } }),
              makeIntent('due-1', { delivery: { ...makeIntent('x').delivery, notBefore: at(-2) } }),
              makeIntent('later', { delivery: { ...makeIntent('x').delivery, notBefore: at(30) } }),
            ],
            at(-5),
          ),
        );
      });

      it('claims due intents in due order, leasing them to the worker', async () => {
        await store.transaction((tx) =>
          tx.insertIntents(
            [
              makeIntent('a-last', {
                delivery: { ...makeIntent('x').delivery, notBefore: at(-0.5) },
              }),
            ],
            at(-5),
          ),
        );
        const claimed = await store.claimDue(T0, 10, 3_600_000, 'w1');
        expect(ids(claimed)).toEqual(['due-1', 'due-2', 'a-last']);
        expect(claimed[0]).toMatchObject({
          status: 'leased',
          leaseOwner: 'w1',
          leaseUntil: at(60),
          attempts: 1,
        });
        expect(await store.claimDue(T0, 10, 60_000, 'w2')).toEqual([]);
        expect(ids(await store.claimDue(at(30), 10, 60_000, 'w2'))).toEqual(['later']);
      });

      it('counts the backlog: intents due, not those in flight or due later', async () => {
        expect(await store.countDue(T0)).toBe(2);
        expect(await store.countDue(at(-1.5))).toBe(1);
        expect(await store.countDue(at(30))).toBe(3);
        // A lease takes an intent out of the backlog until it runs out.
        await store.claimDue(T0, 1, 60_000, 'w1');
        expect(await store.countDue(T0)).toBe(1);
        expect(await store.countDue(at(1))).toBe(2);
        await store.transaction((tx) =>
          tx.insertIntents(
            [
              makeIntent('foreign', {
                tenantId: OTHER,
                delivery: { ...makeIntent('x').delivery, notBefore: at(-1) },
              }),
            ],
            at(-5),
          ),
        );
        expect(await store.countDue(T0)).toBe(2);
      });

      it('honours the limit', async () => {
        expect(ids(await store.claimDue(T0, 1, 60_000, 'w1'))).toEqual(['due-1']);
        expect(ids(await store.claimDue(T0, 1, 60_000, 'w1'))).toEqual(['due-2']);
      });

      it('lets another worker claim an intent whose lease expired, and the first then loses it', async () => {
        await store.claimDue(T0, 1, 60_000, 'w1');
        expect(await store.claimDue(at(0.5), 10, 60_000, 'w2').then(ids)).toEqual(['due-2']);
        const reclaimed = await store.claimDue(at(1), 10, 60_000, 'w3');
        expect(ids(reclaimed)).toEqual(['due-1']);
        expect(reclaimed[0]).toMatchObject({ leaseOwner: 'w3', attempts: 2 });
        const late = await store.completeIntent('due-1', 'w1', at(1));
        expect(late.ok ? undefined : late.error.code).toBe('lease_lost');
        const done = await store.completeIntent('due-1', 'w3', at(1));
        expect(done.ok && done.value).toMatchObject({ status: 'sent', attempts: 2 });
        expect((await store.getIntent('due-1'))?.leaseOwner).toBeUndefined();
        const twice = await store.completeIntent('due-1', 'w3', at(2));
        expect(twice.ok ? undefined : twice.error.code).toBe('lease_lost');
      });

      it('extends the leases a worker still holds, so a long batch is not re-claimed by another', async () => {
        await store.claimDue(T0, 10, 60_000, 'w1');
        expect(
          (await store.extendLeases(['due-1', 'due-2'], 'w1', at(10), at(0.5))).sort(),
        ).toEqual(['due-1', 'due-2']);
        expect(await store.extendLeases(['due-1'], 'w2', at(20), at(0.5))).toEqual([]);
        expect(await store.claimDue(at(5), 10, 60_000, 'w2')).toEqual([]);
        expect((await store.getIntent('due-1'))?.leaseUntil).toBe(at(10));
        expect(ids(await store.claimDue(at(11), 10, 60_000, 'w2'))).toEqual(['due-1', 'due-2']);
        expect(await store.extendLeases(['due-1'], 'w1', at(30), at(11))).toEqual([]);
      });

      it('reschedules for later, on the same delivery or the next fallback, until none is left', async () => {
        await store.claimDue(T0, 1, 60_000, 'w1');
        const retry = await store.rescheduleIntent('due-1', 'w1', at(5), { error: 'HTTP 503' }, T0);
        expect(retry.ok && retry.value).toMatchObject({
          status: 'pending',
          notBefore: at(5),
          lastError: 'HTTP 503',
          deliveryIndex: 0,
        });
        expect(ids(await store.claimDue(at(4), 10, 600_000, 'w1'))).toEqual(['due-2']);
        expect(ids(await store.claimDue(at(5), 10, 60_000, 'w1'))).toEqual(['due-1']);
        const fallback = await store.rescheduleIntent(
          'due-1',
          'w1',
          at(5),
          { advanceDelivery: true, error: 'invalid number' },
          at(5),
        );
        expect(fallback.ok && fallback.value).toMatchObject({ deliveryIndex: 1, attempts: 2 });
        expect(fallback.ok && fallback.value.delivery.channel).toBe('email');
        await store.claimDue(at(5), 10, 60_000, 'w1');
        const none = await store.rescheduleIntent(
          'due-1',
          'w1',
          at(6),
          { advanceDelivery: true, error: 'bounced' },
          at(5),
        );
        expect(none.ok ? undefined : none.error.code).toBe('no_fallback_left');
        expect((await store.getIntent('due-1'))?.status).toBe('leased');
      });

      it('parks, suppresses and releases leased intents, and counts by status', async () => {
        await store.claimDue(at(30), 10, 60_000, 'w1');
        expect((await store.parkIntent('due-1', 'w1', 'poison: 8 attempts', at(30))).ok).toBe(true);
        expect((await store.suppressIntent('due-2', 'w1', 'consent_opted_out', at(30))).ok).toBe(
          true,
        );
        const released = await store.releaseLease('later', 'w1', at(30));
        expect(released.ok && released.value).toMatchObject({ status: 'pending', attempts: 0 });
        expect(await store.getIntent('due-1')).toMatchObject({
          status: 'parked',
          lastError: 'poison: 8 attempts',
        });
        expect(await store.getIntent('due-2')).toMatchObject({
          status: 'suppressed',
          lastError: 'consent_opted_out',
        });
        const notMine = await store.parkIntent('later', 'w1', 'x', at(30));
        expect(notMine.ok ? undefined : notMine.error.code).toBe('lease_lost');
        expect(await store.countByStatus()).toEqual({
          pending: 1,
          leased: 0,
          sent: 0,
          parked: 1,
          suppressed: 1,
          cancelled: 0,
        });
        expect(await store.countByStatus(OTHER)).toEqual({
          pending: 0,
          leased: 0,
          sent: 0,
          parked: 0,
          suppressed: 0,
          cancelled: 0,
        });
      });

      it('gathers the due intents of a digest for the worker, leaving later and foreign ones', async () => {
        const digest = (id: string, minutes: number, overrides: Partial<Intent> = {}) =>
          makeIntent(id, {
            digestKey: 'dig-1',
            delivery: { ...makeIntent('x').delivery, notBefore: at(minutes) },
            ...overrides,
          });
        await store.transaction((tx) =>
          tx.insertIntents(
            [
              digest('d-1', -3),
              digest('d-2', -3),
              digest('d-3', -3),
              digest('d-later', 90),
              digest('d-other', -3, { digestKey: 'dig-2' }),
              digest('d-foreign', -3, { tenantId: OTHER }),
            ],
            at(-5),
          ),
        );
        const [first] = await store.claimDue(T0, 1, 60_000, 'w1');
        expect(first?.intent.id).toBe('d-1');
        const rest = await store.claimDigest(T, 'dig-1', T0, 60_000, 'w1');
        expect(ids(rest)).toEqual(['d-2', 'd-3']);
        expect(rest[0]).toMatchObject({ status: 'leased', leaseOwner: 'w1', attempts: 1 });
        expect(await store.claimDigest(T, 'dig-1', T0, 60_000, 'w2')).toEqual([]);
        expect(ids(await store.claimDigest(T, 'dig-1', at(90), 60_000, 'w2'))).toEqual([
          'd-1',
          'd-2',
          'd-3',
          'd-later',
        ]);
      });

      it('settles a batch in one call: attempt ends and every kind of outcome, each under its own lease', async () => {
        const last = (id: string, minutes: number) =>
          makeIntent(id, {
            fallbacks: [],
            delivery: { ...makeIntent('x').delivery, notBefore: at(minutes) },
          });
        await store.transaction((tx) =>
          tx.insertIntents(
            [last('b-park', -1), last('b-supp', -1), last('b-last', -1), last('stolen', 40)],
            at(-5),
          ),
        );
        expect(ids(await store.claimDue(at(30), 10, 3_600_000, 'w1')).sort()).toEqual(
          ['b-last', 'b-park', 'b-supp', 'due-1', 'due-2', 'later'].sort(),
        );
        expect(ids(await store.claimDue(at(40), 10, 600_000, 'w2'))).toEqual(['stolen']);
        await store.recordAttemptStarts(
          ['due-1', 'due-2'].map((intentId) => ({
            intentId,
            attempt: 1,
            channel: 'sms' as const,
            provider: 'twilio',
            startedAt: at(30),
          })),
        );
        const results = await store.settleIntents(
          'w1',
          [
            {
              id: 'due-1',
              attemptEnd: {
                intentId: 'due-1',
                attempt: 1,
                finishedAt: at(30.5),
                outcome: 'ok',
                providerMessageId: 'SM1',
              },
              outcome: { kind: 'complete' },
            },
            {
              id: 'due-2',
              attemptEnd: {
                intentId: 'due-2',
                attempt: 1,
                finishedAt: at(30.5),
                outcome: 'retryable',
                error: 'http_503: busy',
                providerStatus: 503,
              },
              outcome: { kind: 'reschedule', notBefore: at(45), error: 'twilio http_503' },
            },
            {
              id: 'later',
              outcome: {
                kind: 'reschedule',
                notBefore: at(31),
                error: 'bad',
                advanceDelivery: true,
              },
            },
            { id: 'b-park', outcome: { kind: 'park', error: 'poison' } },
            { id: 'b-supp', outcome: { kind: 'suppress', reason: 'consent_opted_out' } },
            {
              id: 'b-last',
              outcome: { kind: 'reschedule', notBefore: at(31), error: 'x', advanceDelivery: true },
            },
            { id: 'stolen', outcome: { kind: 'complete' } },
          ],
          at(31),
        );
        expect(results.map((r) => (r.ok ? r.value.status : r.error.code))).toEqual([
          'sent',
          'pending',
          'pending',
          'parked',
          'suppressed',
          'no_fallback_left',
          'lease_lost',
        ]);
        expect(await store.getIntent('due-1')).toMatchObject({ status: 'sent', updatedAt: at(31) });
        expect((await store.getIntent('due-1'))?.leaseOwner).toBeUndefined();
        expect(await store.getIntent('due-2')).toMatchObject({
          status: 'pending',
          notBefore: at(45),
          lastError: 'twilio http_503',
          deliveryIndex: 0,
        });
        expect(await store.getIntent('later')).toMatchObject({
          deliveryIndex: 1,
          notBefore: at(31),
        });
        expect(await store.getIntent('b-park')).toMatchObject({
          status: 'parked',
          lastError: 'poison',
        });
        expect(await store.getIntent('b-supp')).toMatchObject({
          status: 'suppressed',
          lastError: 'consent_opted_out',
        });
        expect(await store.getIntent('b-last')).toMatchObject({
          status: 'leased',
          leaseOwner: 'w1',
        });
        expect(await store.getIntent('stolen')).toMatchObject({
          status: 'leased',
          leaseOwner: 'w2',
        });
        const attempts = await store.listAttempts(T, ORDER);
        expect(attempts.map((a) => [a.intentId, a.outcome, a.providerMessageId])).toEqual([
          ['due-1', 'ok', 'SM1'],
          ['due-2', 'retryable', undefined],
        ]);
        expect(await store.findAttemptByProviderMessageId('twilio', 'SM1')).toMatchObject({
          intentId: 'due-1',
          finishedAt: at(30.5),
        });
        // Every column of an attempt end lands, typed (one statement ends them all).
        expect(attempts[1]).toMatchObject({
          intentId: 'due-2',
          attempt: 1,
          finishedAt: at(30.5),
          outcome: 'retryable',
          providerStatus: 503,
          error: 'http_503: busy',
        });
        expect(attempts[1]?.providerCode).toBeUndefined();
        expect(await store.settleIntents('w1', [], at(31))).toEqual([]);
      });

      it('settles all or nothing: a malformed item rolls the whole batch back', async () => {
        await store.claimDue(T0, 10, 600_000, 'w1');
        await expect(
          store.settleIntents(
            'w1',
            [
              { id: 'due-1', outcome: { kind: 'complete' } },
              { id: 'due-2', outcome: { kind: 'reschedule', notBefore: 'not a time', error: 'x' } },
            ],
            at(1),
          ),
        ).rejects.toThrow();
        expect(await store.getIntent('due-1')).toMatchObject({
          status: 'leased',
          leaseOwner: 'w1',
        });
        expect(await store.getIntent('due-2')).toMatchObject({
          status: 'leased',
          leaseOwner: 'w1',
        });
      });

      it('records many attempt starts at once, all or none', async () => {
        await store.claimDue(T0, 10, 600_000, 'w1');
        const start = (intentId: string) => ({
          intentId,
          attempt: 1,
          channel: 'sms' as const,
          provider: 'twilio',
          startedAt: at(1),
        });
        await expect(
          store.recordAttemptStarts([start('due-1'), start('no-such-intent')]),
        ).rejects.toThrow(/no intent no-such-intent/);
        expect(await store.listAttempts(T, ORDER)).toEqual([]);
        await store.recordAttemptStarts([start('due-1'), start('due-2')]);
        expect((await store.listAttempts(T, ORDER)).map((a) => [a.intentId, a.tenantId])).toEqual([
          ['due-1', T],
          ['due-2', T],
        ]);
        await store.recordAttemptStarts([]);
      });

      it('never gives one intent to two of eight concurrent claimers (500 intents)', async () => {
        const bulk = Array.from({ length: 500 }, (_, i) =>
          makeIntent(`c-${String(i).padStart(3, '0')}`, {
            orderRef: `o-${i % 50}`,
            delivery: { ...makeIntent('x').delivery, notBefore: at(-1) },
          }),
        );
        await store.transaction((tx) => tx.insertIntents(bulk, at(-5)));
        const workers =
          h.dialect === 'postgres'
            ? await Promise.all(
                Array.from({ length: 8 }, () => h.open({ secretKey: KEY_1, poolSize: 2 })),
              )
            : Array.from({ length: 8 }, () => store);
        const seen = new Map<string, string[]>();
        await Promise.all(
          workers.map(async (worker, w) => {
            for (;;) {
              const batch = await worker.claimDue(T0, 17, 60_000, `w${w}`);
              if (batch.length === 0) return;
              for (const item of batch)
                seen.set(item.intent.id, [...(seen.get(item.intent.id) ?? []), `w${w}`]);
            }
          }),
        );
        const claimedOnce = [...seen.entries()].filter(([id]) => id.startsWith('c-'));
        expect(claimedOnce.length).toBe(500);
        expect(claimedOnce.filter(([, by]) => by.length !== 1)).toEqual([]);
        expect((await store.countByStatus()).leased).toBe(502);
      });
    });

    describe('attempts and receipts', () => {
      beforeEach(async () => {
        await store.transaction((tx) =>
          tx.insertIntents([makeIntent('int-1'), makeIntent('int-2')], T0),
        );
        await store.claimDue(T0, 10, 60_000, 'w1');
      });

      it('records attempts from start to end and finds them by provider message id', async () => {
        await store.recordAttemptStart({
          intentId: 'int-1',
          attempt: 1,
          channel: 'sms',
          provider: 'twilio',
          startedAt: at(1),
        });
        await store.recordAttemptStart({
          intentId: 'int-2',
          attempt: 1,
          channel: 'sms',
          provider: 'twilio',
          startedAt: at(0.5),
        });
        const ended = await store.recordAttemptEnd({
          intentId: 'int-1',
          attempt: 1,
          finishedAt: at(1.1),
          outcome: 'ok',
          providerMessageId: 'SM123',
          providerStatus: 201,
          providerBody: '{"sid":"SM123"}',
        });
        expect(ended.ok && ended.value).toMatchObject({
          tenantId: T,
          orderRef: ORDER,
          outcome: 'ok',
          providerStatus: 201,
          finishedAt: at(1.1),
        });
        const found = await store.findAttemptByProviderMessageId('twilio', 'SM123');
        expect(found).toMatchObject({
          intentId: 'int-1',
          attempt: 1,
          providerBody: '{"sid":"SM123"}',
        });
        expect(await store.findAttemptByProviderMessageId('sendgrid', 'SM123')).toBeUndefined();
        const listed = await store.listAttempts(T, ORDER);
        expect(listed.map((a) => a.intentId)).toEqual(['int-2', 'int-1']);
        expect(listed[0]?.finishedAt).toBeUndefined();
        const missing = await store.recordAttemptEnd({
          intentId: 'int-1',
          attempt: 9,
          finishedAt: at(2),
          outcome: 'retryable',
        });
        expect(missing.ok ? undefined : missing.error.code).toBe('not_found');
      });

      it('applies receipts in order of meaning, not arrival: a late "sent" never undoes "delivered"', async () => {
        await store.recordAttemptStart({
          intentId: 'int-1',
          attempt: 1,
          channel: 'sms',
          provider: 'twilio',
          startedAt: at(1),
        });
        await store.recordAttemptEnd({
          intentId: 'int-1',
          attempt: 1,
          finishedAt: at(1),
          outcome: 'ok',
          providerMessageId: 'SM1',
        });
        const delivered = await store.applyReceipt({
          provider: 'twilio',
          providerMessageId: 'SM1',
          state: 'delivered',
          at: at(3),
        });
        expect(delivered.ok && delivered.value.applied).toBe(true);
        const lateSent = await store.applyReceipt({
          provider: 'twilio',
          providerMessageId: 'SM1',
          state: 'sent',
          at: at(2),
        });
        expect(lateSent.ok && lateSent.value).toMatchObject({
          applied: false,
          attempt: { receiptState: 'delivered', receiptAt: at(3) },
        });
        const read = await store.applyReceipt({
          provider: 'twilio',
          providerMessageId: 'SM1',
          state: 'read',
          at: at(4),
          providerCode: 'read',
        });
        expect(read.ok && read.value.attempt).toMatchObject({
          receiptState: 'read',
          receiptAt: at(4),
          receiptCode: 'read',
        });
        const unknown = await store.applyReceipt({
          provider: 'twilio',
          providerMessageId: 'SM404',
          state: 'delivered',
          at: at(4),
        });
        expect(unknown.ok ? undefined : unknown.error.code).toBe('not_found');
      });
    });

    describe('consent', () => {
      it('keeps the newest fact per channel, contact and scope, ignoring older ones', async () => {
        const results = await store.transaction(async (tx) => [
          await tx.putConsent(consent({ state: 'opted_in', at: at(1), source: 'checkout' })),
          await tx.putConsent(consent({ state: 'opted_out', at: at(5) })),
          await tx.putConsent(consent({ state: 'opted_in', at: at(3), source: 'admin' })),
          await tx.putConsent(
            consent({ scope: 'marketing', state: 'opted_in', at: at(2), source: 'checkout' }),
          ),
          await tx.putConsent(
            consent({
              channel: 'email',
              contact: 'ann@example.com',
              state: 'opted_in',
              at: at(1),
              source: 'checkout',
            }),
          ),
          await tx.putConsent(consent({ contact: '+15145550199', at: at(1) })),
          await tx.putConsent(consent({ tenantId: OTHER, at: at(9) })),
        ]);
        expect(results).toEqual([
          'stored',
          'stored',
          'stale',
          'stored',
          'stored',
          'stored',
          'stored',
        ]);
        const listed = await store.listConsents(T, ['+15145550100', 'ann@example.com']);
        expect(listed).toEqual([
          consent({
            channel: 'email',
            contact: 'ann@example.com',
            state: 'opted_in',
            at: at(1),
            source: 'checkout',
          }),
          consent({ scope: 'marketing', state: 'opted_in', at: at(2), source: 'checkout' }),
          consent({ state: 'opted_out', at: at(5) }),
        ]);
        expect(await store.listConsents(T, [])).toEqual([]);
      });
    });

    describe('write-back fingerprints', () => {
      it('recognises our own write until it expires, per tenant, and purges expired ones', async () => {
        await store.transaction(async (tx) => {
          await tx.putFingerprint({
            tenantId: T,
            target: 'shopify:order-note',
            fingerprint: 'fp-1',
            expiresAt: at(10),
          });
          await tx.putFingerprint({
            tenantId: T,
            target: 'shopify:order-note',
            fingerprint: 'fp-2',
            expiresAt: at(1),
          });
        });
        const seen = await store.transaction(async (tx) => [
          await tx.hasFingerprint(T, 'fp-1', at(5)),
          await tx.hasFingerprint(T, 'fp-1', at(10)),
          await tx.hasFingerprint(OTHER, 'fp-1', at(5)),
          await tx.hasFingerprint(T, 'fp-3', at(5)),
        ]);
        expect(seen).toEqual([true, false, false, false]);
        expect(await store.purgeExpiredFingerprints(at(5))).toBe(1);
        expect(await store.transaction((tx) => tx.hasFingerprint(T, 'fp-1', at(5)))).toBe(true);
      });
    });

    describe('dead letters', () => {
      beforeEach(async () => {
        await store.transaction((tx) =>
          tx.insertIntents([makeIntent('p-1'), makeIntent('p-2'), makeIntent('ok-1')], T0),
        );
        await store.claimDue(T0, 10, 60_000, 'w1');
        await store.rescheduleIntent('p-1', 'w1', T0, { advanceDelivery: true, error: 'x' }, T0);
        await store.claimDue(T0, 10, 60_000, 'w1');
        await store.parkIntent('p-1', 'w1', 'no channel left: invalid number', at(1));
        await store.parkIntent('p-2', 'w1', 'gave up after 8 attempts', at(2));
      });

      it('lists parked intents per tenant, most recently parked first, up to a limit', async () => {
        expect(ids(await store.listIntentsByStatus(T, 'parked', 10))).toEqual(['p-2', 'p-1']);
        expect(ids(await store.listIntentsByStatus(T, 'parked', 1))).toEqual(['p-2']);
        expect(ids(await store.listIntentsByStatus(T, 'leased', 10))).toEqual(['ok-1']);
        expect(await store.listIntentsByStatus(OTHER, 'parked', 10)).toEqual([]);
      });

      it('replays a parked intent from its first delivery with attempts reset, and audits it', async () => {
        const replayed = await store.requeueIntent('p-1', at(10), 'staff:7');
        expect(replayed.ok && replayed.value).toMatchObject({
          status: 'pending',
          attempts: 0,
          deliveryIndex: 0,
          notBefore: at(10),
        });
        expect(replayed.ok && replayed.value.lastError).toBeUndefined();
        expect(ids(await store.claimDue(at(10), 10, 60_000, 'w2'))).toEqual(['ok-1', 'p-1']);
        const [entry] = await store.listAudit(T, ORDER);
        expect(entry).toMatchObject({
          actor: 'staff:7',
          action: 'intent.replayed',
          detail: { intentId: 'p-1', parkedFor: 'no channel left: invalid number', attempts: 2 },
        });
        const again = await store.requeueIntent('p-1', at(11));
        expect(again.ok ? undefined : again.error.code).toBe('not_parked');
        const missing = await store.requeueIntent('nope', at(11));
        expect(missing.ok ? undefined : missing.error.code).toBe('not_found');
      });
    });

    describe('SLA watch', () => {
      const state = (orderRef: string): OrderState => emptyOrderState(T, orderRef);

      it('finds open orders past a line, keeps the promised date it knows, and pages by key', async () => {
        await store.transaction(async (tx) => {
          await tx.saveOrderState(state('o-unscanned'), 0, T0, {
            open: true,
            unscannedSince: at(-600),
          });
          await tx.saveOrderState(state('o-promised'), 0, T0, {
            open: true,
            promisedDate: '2026-11-20',
          });
          await tx.saveOrderState(state('o-fine'), 0, T0, {
            open: true,
            unscannedSince: at(-10),
            promisedDate: '2026-12-20',
          });
          await tx.saveOrderState(state('o-closed'), 0, T0, {
            open: false,
            unscannedSince: at(-600),
          });
          await tx.saveOrderState(state('o-unwatched'), 0, T0);
        });
        const query = { unscannedBefore: at(-60), promisedBefore: '2026-11-28', limit: 10 };
        const found = await store.listSlaCandidates(query);
        expect(found.map((c) => [c.orderRef, c.unscannedSince, c.promisedDate])).toEqual([
          ['o-promised', undefined, '2026-11-20'],
          ['o-unscanned', at(-600), undefined],
        ]);
        expect(found[0]?.state).toEqual(state('o-promised'));
        const page = await store.listSlaCandidates({
          ...query,
          limit: 1,
          after: { tenantId: T, orderRef: 'o-promised' },
        });
        expect(page.map((c) => c.orderRef)).toEqual(['o-unscanned']);
        // A later save without a promised date keeps the one known; a scan clears the line.
        await store.transaction((tx) =>
          tx.saveOrderState(state('o-promised'), 1, at(1), { open: true }),
        );
        await store.transaction((tx) =>
          tx.saveOrderState(state('o-unscanned'), 1, at(1), { open: true }),
        );
        expect((await store.listSlaCandidates(query)).map((c) => c.orderRef)).toEqual([
          'o-promised',
        ]);
        await store.transaction((tx) =>
          tx.saveOrderState(state('o-promised'), 2, at(2), { open: false }),
        );
        expect(await store.listSlaCandidates(query)).toEqual([]);
      });
    });

    describe('personal data', () => {
      const ANN = 'ann@example.com';

      beforeEach(async () => {
        await store.transaction(async (tx) => {
          await tx.insertEvent(
            eventInput(
              makeEvent('e-ann', {
                recipients: [{ role: 'customer', contacts: { email: 'Ann@Example.com' } }],
              }),
            ),
          );
          await tx.insertEvent({
            ...eventInput(makeEvent('e-raw', { recipients: [] })),
            rawBody: JSON.stringify({ billing: { email: ANN } }),
          });
          await tx.insertEvent(eventInput(makeEvent('e-other')));
          await tx.insertEvent(
            eventInput(
              makeEvent('e-lookalike', {
                recipients: [{ role: 'customer', contacts: { email: 'joann@example.com' } }],
              }),
            ),
          );
          await tx.putConsent(consent({ channel: 'email', contact: ANN }));
          await tx.putConsent(consent({ channel: 'email', contact: 'zoe@example.com' }));
          await tx.insertIntents(
            [
              makeIntent('i-ann', {
                delivery: { ...makeIntent('x').delivery, channel: 'email', to: ANN },
                fallbacks: [],
              }),
              makeIntent('i-sent-ann', {
                delivery: { ...makeIntent('x').delivery, channel: 'email', to: ANN },
                fallbacks: [],
              }),
              makeIntent('i-other', { fallbacks: [] }),
            ],
            T0,
          );
        });
      });

      it('finds events (parsed or raw), consents and intents mentioning a contact, in any case', async () => {
        const found = await store.findPersonalData(T, [ANN.toUpperCase()]);
        expect(found.events.map((e) => e.sourceEventId).sort()).toEqual([
          'e-ann',
          'e-lookalike',
          'e-raw',
        ]);
        expect(found.consents.map((c) => c.contact)).toEqual([ANN]);
        expect(ids(found.intents)).toEqual(['i-ann', 'i-sent-ann']);
        expect(await store.findPersonalData(OTHER, [ANN])).toEqual({
          events: [],
          consents: [],
          intents: [],
        });
        expect((await store.findPersonalData(T, ['100%_'])).events).toEqual([]);
      });

      it('erases in one transaction: events and raw bodies, consent contacts, waiting intents, audited', async () => {
        await store.claimDue(T0, 10, 60_000, 'w1');
        await store.recordAttemptStart({
          intentId: 'i-sent-ann',
          attempt: 1,
          channel: 'email',
          provider: 'sendgrid',
          startedAt: T0,
        });
        await store.recordAttemptEnd({
          intentId: 'i-sent-ann',
          attempt: 1,
          finishedAt: T0,
          outcome: 'ok',
          providerBody: `{"to":"${ANN}"}`,
        });
        await store.completeIntent('i-sent-ann', 'w1', T0);
        const found = await store.findPersonalData(T, [ANN]);
        const erased = (e: OrderEvent): OrderEvent => ({
          ...e,
          recipients: e.recipients.map((r) => ({ role: r.role, contacts: {} })),
        });
        const report = await store.erasePersonalData({
          tenantId: T,
          events: found.events
            .filter((e) => e.sourceEventId !== 'e-lookalike')
            .map((e) => ({ seq: e.seq, event: erased(e.event) })),
          consents: found.consents,
          intents: found.intents.map((i) => ({
            id: i.intent.id,
            intent: { ...i.intent, delivery: { ...i.intent.delivery, to: '[redacted]' } },
          })),
          at: at(5),
          actor: 'staff:dpo',
        });
        expect(report).toEqual({ events: 2, consents: 1, intents: 2, cancelled: 1, attempts: 1 });
        const after = await store.findPersonalData(T, [ANN]);
        expect(after.events.map((e) => e.sourceEventId)).toEqual(['e-lookalike']);
        expect(after.consents).toEqual([]);
        expect(after.intents).toEqual([]);
        const events = await store.listEvents(T, ORDER);
        const raw = new TextDecoder().decode(
          events.find((e) => e.sourceEventId === 'e-raw')?.rawBody,
        );
        expect(JSON.parse(raw)).toMatchObject({ erased: true });
        expect(await store.getIntent('i-ann')).toMatchObject({
          status: 'cancelled',
          lastError: 'personal_data_erased',
        });
        expect((await store.getIntent('i-sent-ann'))?.status).toBe('sent');
        expect(JSON.stringify(await store.listAttempts(T, ORDER))).not.toContain(ANN);
        const consents = await h.sql('SELECT contact, state FROM consents ORDER BY contact');
        expect(consents.map((c) => String(c.contact).startsWith('[redacted]:'))).toEqual([
          true,
          false,
        ]);
        const audit = await store.listAudit(T);
        expect(audit.at(-1)).toMatchObject({ actor: 'staff:dpo', action: 'personal_data.erased' });
        expect(JSON.stringify(audit)).not.toContain(ANN);
      });
    });

    describe('tenant erasure', () => {
      /** Every table with a tenant_id column, read from the database's own catalogue. */
      const tenantTables = async (): Promise<string[]> => {
        const rows =
          h.dialect === 'postgres'
            ? await h.sql(
                `SELECT table_name AS name FROM information_schema.columns
                 WHERE column_name = 'tenant_id' AND table_schema = current_schema()`,
              )
            : await h.sql(
                `SELECT m.name AS name FROM sqlite_master m, pragma_table_info(m.name) p
                 WHERE m.type = 'table' AND p.name = 'tenant_id'`,
              );
        return rows.map((r) => String(r.name)).sort();
      };
      const rowsOf = async (tenantId: string): Promise<Record<string, number>> => {
        const counts: Record<string, number> = {};
        for (const table of await tenantTables()) {
          const [row] = await h.sql(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = $1`, [
            tenantId,
          ]);
          counts[table] = Number(row?.n);
        }
        return counts;
      };

      beforeEach(async () => {
        for (const tenantId of [T, OTHER]) {
          await store.transaction(async (tx) => {
            await tx.insertEvent(eventInput(makeEvent(`e-${tenantId}`, { tenantId })));
            await tx.insertIntents([makeIntent(`i-${tenantId}`, { tenantId, fallbacks: [] })], T0);
            await tx.insertWriteBacks([makeWriteBack(`wb-${tenantId}`, { tenantId })], T0);
            await tx.putConsent(consent({ tenantId, channel: 'sms', contact: '+15145550100' }));
          });
          await store.putCredential(tenantId, 'twilio', { authToken: 'secret' }, T0);
        }
        await store.claimDue(T0, 10, 60_000, 'w1');
        await store.recordAttemptStart({
          intentId: `i-${T}`,
          attempt: 1,
          channel: 'sms',
          provider: 'twilio',
          startedAt: T0,
        });
      });

      it("erases every table that holds a tenant's data, keeps the tenant inactive and audited, and leaves others alone", async () => {
        const before = await rowsOf(T);
        const otherBefore = await rowsOf(OTHER);
        const result = await store.eraseTenantData({ tenantId: T, at: at(1), actor: 'shopify' });
        expect(result.ok).toBe(true);
        const after = await rowsOf(T);
        // Only the tenant row and the append-only audit log may keep rows; a new table with a
        // tenant_id that erasure forgets makes this fail.
        for (const [table, n] of Object.entries(after)) {
          if (table === 'tenants' || table === 'audit_log') continue;
          expect({ table, n }).toEqual({ table, n: 0 });
        }
        for (const table of [
          'events',
          'intents',
          'attempts',
          'writebacks',
          'consents',
          'credentials',
        ]) {
          expect({ table, had: (before[table] ?? 0) > 0 }).toEqual({ table, had: true });
        }
        expect(result.ok ? result.value : undefined).toMatchObject({
          events: 1,
          intents: 1,
          attempts: 1,
        });
        const tenant = await store.getTenant(T);
        expect(tenant?.active).toBe(false);
        expect(JSON.stringify(tenant?.config)).not.toContain('Acme');
        const audit = await store.listAudit(T);
        expect(audit.at(-1)).toMatchObject({ actor: 'shopify', action: 'tenant.erased' });
        expect(await store.listEvents(T, ORDER)).toEqual([]);
        expect(await rowsOf(OTHER)).toEqual(otherBefore);
        expect((await store.getTenant(OTHER))?.active).toBe(true);
        const again = await store.eraseTenantData({ tenantId: T, at: at(2), actor: 'shopify' });
        expect(again.ok).toBe(true);
        const missing = await store.eraseTenantData({ tenantId: 'nobody', at: at(2), actor: 'x' });
        expect(missing.ok ? undefined : missing.error.code).toBe('not_found');
      });
    });

    describe('write-back queue', () => {
      beforeEach(async () => {
        await store.transaction((tx) =>
          tx.insertWriteBacks(
            [makeWriteBack('wb-2'), makeWriteBack('wb-1', { target: 'shopify', shipmentId: 's1' })],
            T0,
          ),
        );
      });

      it('queues each job once: the same ids again insert nothing and change nothing', async () => {
        const again = await store.transaction((tx) =>
          tx.insertWriteBacks(
            [makeWriteBack('wb-1', { note: 'changed' }), makeWriteBack('wb-3')],
            at(1),
          ),
        );
        expect(again).toBe(1);
        const listed = await store.listWriteBacks(T, ORDER);
        expect(listed.map((w) => w.job.id)).toEqual(['wb-1', 'wb-2', 'wb-3']);
        expect(listed[0]).toMatchObject({
          status: 'pending',
          attempts: 0,
          notBefore: T0,
          fingerprints: [],
          job: { target: 'shopify', shipmentId: 's1', note: 'Tidings: dispatched' },
        });
        expect(await store.listWriteBacks(OTHER, ORDER)).toEqual([]);
      });

      it('claims with a lease, completes with fingerprints that then mark the echo', async () => {
        const claimed = await store.claimWriteBacks(T0, 10, 60_000, 'w1');
        expect(claimed.map((w) => w.job.id)).toEqual(['wb-1', 'wb-2']);
        expect(claimed[0]).toMatchObject({ status: 'leased', leaseOwner: 'w1', attempts: 1 });
        expect(await store.claimWriteBacks(at(0.5), 10, 60_000, 'w2')).toEqual([]);
        const done = await store.completeWriteBack(
          'wb-1',
          'w1',
          { values: ['fp-a', 'fp-b'], expiresAt: at(60) },
          at(0.5),
        );
        expect(done.ok && done.value).toMatchObject({
          status: 'done',
          fingerprints: ['fp-a', 'fp-b'],
        });
        expect(
          await store.transaction(async (tx) => [
            await tx.hasFingerprint(T, 'fp-b', at(30)),
            await tx.hasFingerprint(T, 'fp-b', at(61)),
          ]),
        ).toEqual([true, false]);
        const twice = await store.completeWriteBack(
          'wb-1',
          'w1',
          { values: [], expiresAt: at(1) },
          at(1),
        );
        expect(twice.ok ? undefined : twice.error.code).toBe('lease_lost');
      });

      it('lets another worker take over an expired lease; the first then loses it', async () => {
        await store.claimWriteBacks(T0, 1, 60_000, 'w1');
        const taken = await store.claimWriteBacks(at(2), 10, 60_000, 'w2');
        // wb-2 was due at T0, wb-1 again when w1's lease ran out (T0 + 1 min).
        expect(taken.map((w) => [w.job.id, w.attempts])).toEqual([
          ['wb-2', 1],
          ['wb-1', 2],
        ]);
        const late = await store.parkWriteBack('wb-1', 'w1', 'x', at(2));
        expect(late.ok ? undefined : late.error.code).toBe('lease_lost');
      });

      it('reschedules with an error until due again, and parks', async () => {
        await store.claimWriteBacks(T0, 10, 60_000, 'w1');
        const later = await store.rescheduleWriteBack('wb-1', 'w1', at(5), 'HTTP 503', T0);
        expect(later.ok && later.value).toMatchObject({
          status: 'pending',
          notBefore: at(5),
          lastError: 'HTTP 503',
        });
        const parked = await store.parkWriteBack('wb-2', 'w1', 'gave up', T0);
        expect(parked.ok && parked.value.status).toBe('parked');
        expect(await store.claimWriteBacks(at(4), 10, 60_000, 'w1')).toEqual([]);
        const again = await store.claimWriteBacks(at(5), 10, 60_000, 'w1');
        expect(again.map((w) => [w.job.id, w.attempts])).toEqual([['wb-1', 2]]);
        expect((await store.getWriteBack('wb-2'))?.lastError).toBe('gave up');
        expect(await store.getWriteBack('nope')).toBeUndefined();
      });

      it('refuses a job for an unknown tenant', async () => {
        const error = await store
          .transaction((tx) =>
            tx.insertWriteBacks([makeWriteBack('wb-x', { tenantId: 'nobody' })], T0),
          )
          .catch((e: unknown) => e);
        expect(isStoreError(error, 'unknown_tenant')).toBe(true);
      });
    });

    describe('tracking numbers', () => {
      const shipped = (
        orderRef: string,
        shipments: { id: string; trackingNumber?: string; carrier?: string }[],
        tenantId = T,
      ): OrderState => ({
        ...emptyOrderState(tenantId, orderRef),
        shipments: shipments.map((s) => ({
          progress: 'dispatched',
          progressAt: T0,
          active: true,
          pickup: false,
          overlays: [],
          ...s,
        })),
      });
      const ref = (b: { orderRef: string; shipmentId: string } | undefined) =>
        b && `${b.orderRef}/${b.shipmentId}`;

      it('binds the numbers saved order states carry, in any spelling, and never takes one back', async () => {
        await store.transaction(async (tx) => {
          await tx.saveOrderState(
            shipped('o-1', [
              { id: 'f1', trackingNumber: '1z 999-aa1', carrier: 'UPS' },
              { id: 'f2' },
              { id: 'f3', trackingNumber: ' - ' },
            ]),
            0,
            T0,
          );
        });
        const found = await store.findTrackingNumber(T, '1Z999AA1');
        expect(found).toEqual({
          tenantId: T,
          trackingNumber: '1z 999-aa1',
          orderRef: 'o-1',
          shipmentId: 'f1',
          carrier: 'UPS',
          boundAt: T0,
        });
        expect(await store.findTrackingNumber(T, '1z999\taa1')).toEqual(found);
        expect(await store.findTrackingNumber(OTHER, '1Z999AA1')).toBeUndefined();
        expect((await store.listTrackingNumbers(T, 'o-1')).map(ref)).toEqual(['o-1/f1']);

        // A second order is given the same number (a reused label): the newer binding wins…
        await store.transaction((tx) =>
          tx.saveOrderState(shipped('o-2', [{ id: 'g1', trackingNumber: '1Z999AA1' }]), 0, at(5)),
        );
        expect(ref(await store.findTrackingNumber(T, '1Z999AA1'))).toBe('o-2/g1');
        // …and the first order saved again with the number it always had does not take it back.
        await store.transaction((tx) =>
          tx.saveOrderState(
            shipped('o-1', [{ id: 'f1', trackingNumber: '1z 999-aa1' }, { id: 'f2' }]),
            1,
            at(6),
          ),
        );
        expect(ref(await store.findTrackingNumber(T, '1Z999AA1'))).toBe('o-2/g1');
        // A number newly on a shipment in an update is bound, keeping the first binding's time.
        await store.transaction((tx) =>
          tx.saveOrderState(
            shipped('o-1', [
              { id: 'f1', trackingNumber: '1z 999-aa1' },
              { id: 'f2', trackingNumber: 'JD0002' },
            ]),
            2,
            at(7),
          ),
        );
        expect(await store.findTrackingNumber(T, 'jd0002')).toMatchObject({
          orderRef: 'o-1',
          shipmentId: 'f2',
          boundAt: at(7),
        });
        // Two shipments of one state with one number: the later shipment wins, nothing fails.
        await store.transaction((tx) =>
          tx.saveOrderState(
            shipped('o-3', [
              { id: 'h1', trackingNumber: 'DUP-1' },
              { id: 'h2', trackingNumber: 'dup1' },
            ]),
            0,
            at(8),
          ),
        );
        expect(ref(await store.findTrackingNumber(T, 'DUP1'))).toBe('o-3/h2');
      });

      it('binds numbers given directly: latest wins, keepExisting does not, unknown tenants refused', async () => {
        const bind = (orderRef: string, shipmentId: string) => ({
          tenantId: T,
          trackingNumber: 'pkg-7',
          orderRef,
          shipmentId,
        });
        expect(await store.bindTrackingNumbers([bind('o-1', 's1')], T0)).toBe(1);
        // The same binding again writes nothing and keeps its time.
        expect(await store.bindTrackingNumbers([bind('o-1', 's1')], at(1))).toBe(0);
        expect((await store.findTrackingNumber(T, 'PKG7'))?.boundAt).toBe(T0);
        expect(
          await store.bindTrackingNumbers([bind('o-9', 's9')], at(2), { keepExisting: true }),
        ).toBe(0);
        expect(ref(await store.findTrackingNumber(T, 'PKG7'))).toBe('o-1/s1');
        // Many in one call, one key twice: the last given wins.
        expect(
          await store.bindTrackingNumbers(
            [bind('o-2', 's2'), bind('o-3', 's3'), { ...bind('o-4', 's4'), trackingNumber: 'X1' }],
            at(3),
          ),
        ).toBe(2);
        expect(ref(await store.findTrackingNumber(T, 'pkg 7'))).toBe('o-3/s3');
        expect(ref(await store.findTrackingNumber(T, 'x1'))).toBe('o-4/s4');
        expect(
          await store.bindTrackingNumbers([{ ...bind('o', 's'), trackingNumber: ' -' }], T0),
        ).toBe(0);
        const error = await store
          .bindTrackingNumbers([{ ...bind('o', 's'), tenantId: 'nobody' }], T0)
          .catch((e: unknown) => e);
        expect(isStoreError(error, 'unknown_tenant')).toBe(true);
      });

      it('parks updates once, releases them when their number is bound, and purges old ones', async () => {
        const park = (trackingNumber: string, key: string, minutes: number, tenantId = T) =>
          store.parkTrackingUpdate({
            tenantId,
            trackingNumber,
            key,
            update: {
              source: 'easypost',
              eventId: key,
              statuses: [{ field: 'status', value: 'delivered' }],
            },
            parkedAt: at(minutes),
          });
        expect(await park('EZ-1', 'easypost:evt_1', 0)).toBe('parked');
        expect(await park('ez1', 'easypost:evt_1', 1)).toBe('known');
        expect(await park('EZ1', 'easypost:evt_2', 2)).toBe('parked');
        expect(await park('EZ2', 'easypost:evt_3', 3)).toBe('parked');
        expect(await park('EZ1', 'easypost:evt_4', 4, OTHER)).toBe('parked');
        expect(
          (await store.listParkedTrackingUpdates(T, 10)).map((p) => [p.trackingKey, p.key]),
        ).toEqual([
          ['EZ1', 'easypost:evt_1'],
          ['EZ1', 'easypost:evt_2'],
          ['EZ2', 'easypost:evt_3'],
        ]);
        expect(await store.listReleasableTrackingUpdates({ limit: 10 })).toEqual([]);

        // Bound through an order state (any app's fulfillment): now releasable, oldest first.
        await store.transaction((tx) =>
          tx.saveOrderState(shipped('o-1', [{ id: 'f1', trackingNumber: 'ez-1' }]), 0, at(10)),
        );
        const released = await store.listReleasableTrackingUpdates({ limit: 10 });
        expect(released.map((r) => [r.tenantId, r.key, ref(r.binding)])).toEqual([
          [T, 'easypost:evt_1', 'o-1/f1'],
          [T, 'easypost:evt_2', 'o-1/f1'],
        ]);
        expect(released[0]?.update).toEqual({
          source: 'easypost',
          eventId: 'easypost:evt_1',
          statuses: [{ field: 'status', value: 'delivered' }],
        });
        expect(released[0]?.parkedAt).toBe(T0);
        expect(await store.listReleasableTrackingUpdates({ limit: 1 })).toHaveLength(1);
        expect(await store.listReleasableTrackingUpdates({ tenantId: OTHER, limit: 10 })).toEqual(
          [],
        );
        expect(
          await store.listReleasableTrackingUpdates({
            tenantId: T,
            trackingNumbers: ['EZ2'],
            limit: 10,
          }),
        ).toEqual([]);
        expect(
          (
            await store.listReleasableTrackingUpdates({
              tenantId: T,
              trackingNumbers: ['e z 1'],
              limit: 10,
            })
          ).map((r) => r.key),
        ).toEqual(['easypost:evt_1', 'easypost:evt_2']);

        expect(await store.deleteParkedTrackingUpdate(T, 'EZ1', 'easypost:evt_1')).toBe(true);
        expect(await store.deleteParkedTrackingUpdate(T, 'EZ1', 'easypost:evt_1')).toBe(false);
        expect(
          (await store.listReleasableTrackingUpdates({ limit: 10 })).map((r) => r.key),
        ).toEqual(['easypost:evt_2']);
        expect(await store.purgeParkedTrackingUpdates(at(3))).toBe(1);
        expect((await store.listParkedTrackingUpdates(T, 10)).map((p) => p.key)).toEqual([
          'easypost:evt_3',
        ]);
        const error = await park('EZ9', 'x', 0, 'nobody').catch((e: unknown) => e);
        expect(isStoreError(error, 'unknown_tenant')).toBe(true);
      });

      it('indexes the order states saved before migration 4 when it runs', async () => {
        await store.transaction(async (tx) => {
          await tx.saveOrderState(shipped('old-1', [{ id: 'f1', trackingNumber: 'OLD-1' }]), 0, T0);
          await tx.saveOrderState(
            shipped('old-2', [{ id: 'f1', trackingNumber: 'old1' }]),
            0,
            at(1),
          );
        });
        // Back to schema 3, as a database migrated by an earlier build would be.
        if (h.dialect === 'postgres') {
          await h.sql('DROP TRIGGER order_states_bind_tracking_insert ON order_states');
          await h.sql('DROP TRIGGER order_states_bind_tracking_update ON order_states');
          await h.sql('DROP FUNCTION order_states_bind_tracking()');
        } else {
          await h.sql('DROP TRIGGER order_states_bind_tracking_insert');
          await h.sql('DROP TRIGGER order_states_bind_tracking_update');
        }
        await h.sql('DROP TABLE tracking_numbers');
        await h.sql('DROP TABLE parked_tracking_updates');
        await h.sql('DROP INDEX decisions_recent');
        await h.sql('DELETE FROM schema_migrations WHERE version >= 4');
        expect(await migrate(h.url)).toContain(4);
        // The newer state wins the number, as it would have had the trigger been there.
        expect(ref(await store.findTrackingNumber(T, 'old1'))).toBe('old-2/f1');
        expect((await store.findTrackingNumber(T, 'old1'))?.boundAt).toBe(at(1));
      });
    });

    describe('audit log', () => {
      it('appends entries and lists them in time order, per order or per tenant', async () => {
        await store.transaction(async (tx) => {
          await tx.appendAudit({
            tenantId: T,
            orderRef: ORDER,
            at: at(2),
            actor: 'staff:42',
            action: 'override',
            detail: { from: 'delivered', to: 'dispatched' },
          });
          await tx.appendAudit({
            tenantId: T,
            orderRef: ORDER,
            at: at(1),
            actor: 'system',
            action: 'consent.updated',
            detail: {},
          });
          await tx.appendAudit({
            tenantId: T,
            at: at(3),
            actor: 'system',
            action: 'credentials.rotated',
            detail: { rotated: 2 },
          });
        });
        expect((await store.listAudit(T, ORDER)).map((e) => e.action)).toEqual([
          'consent.updated',
          'override',
        ]);
        const all = await store.listAudit(T);
        expect(all.map((e) => e.action)).toEqual([
          'consent.updated',
          'override',
          'credentials.rotated',
        ]);
        expect(all[1]).toMatchObject({
          actor: 'staff:42',
          detail: { from: 'delivered', to: 'dispatched' },
          orderRef: ORDER,
        });
        expect(all[2]?.orderRef).toBeUndefined();
      });

      it('rejects UPDATE and DELETE on the audit log in the database itself', async () => {
        await store.transaction((tx) =>
          tx.appendAudit({ tenantId: T, at: T0, actor: 'system', action: 'a', detail: {} }),
        );
        await expect(h.sql(`UPDATE audit_log SET actor = 'mallory'`)).rejects.toThrow(
          /append-only/,
        );
        await expect(h.sql('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
        expect((await store.listAudit(T)).map((e) => e.actor)).toEqual(['system']);
        expect('updateAudit' in store || 'deleteAudit' in store).toBe(false);
      });
    });
  });
};
