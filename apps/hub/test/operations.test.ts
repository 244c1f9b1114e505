/**
 * @module Operator tools over HTTP and the CLI: dead letters listed and replayed, and GDPR export
 * and erase by contact point, after which no listing returns the contact.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '@tidings/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHub, type Hub } from '../src/build-hub.ts';
import { journey } from '../src/simulate.ts';

const SECRET = `k1:${Buffer.alloc(32, 9).toString('base64')}`;
const ADMIN = 'tdo_operations-test-key-0123456789';
const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const CONTACT = 'camille@example.com';
const PHONE = '+15145550100';

let dir: string;
let url: string;
let store: Store;
let hub: Hub;
const keys: Record<string, string> = {};

/** The hub without its dispatcher, so parked intents stay parked while we look at them. */
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tidings-ops-'));
  url = `sqlite:${join(dir, 'tidings.db')}`;
  store = await openStore(url, { secretKey: SECRET });
  hub = await buildHub({
    store,
    clock: { now: () => new Date() },
    adminKey: ADMIN,
    dispatcher: false,
  });
  for (const id of ['shop-a', 'shop-b']) {
    const res = await call('POST', '/api/tenants', { id, name: id }, ADMIN);
    keys[id] = ((await res.json()) as { apiKey: string }).apiKey;
  }
});
afterAll(async () => {
  await hub?.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = async (method: string, path: string, body?: unknown, key?: string) => {
  const res = await hub.app.inject({
    method: method as 'GET',
    url: path,
    headers: {
      authorization: `Bearer ${key ?? keys['shop-a']}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: res.statusCode, json: async () => res.json() as unknown, text: res.body };
};

const ingestOrder = async (orderRef: string) => {
  const dispatched = journey(orderRef, Date.parse('2026-11-28T10:00:00Z'))[3];
  const res = await call('POST', '/api/tenants/shop-a/events', dispatched);
  expect(res.status, res.text).toBe(202);
};

/** Claims everything due by tomorrow as a stand-in worker and parks it. */
const parkAll = async (): Promise<string[]> => {
  const claimed = await store.claimDue('2030-01-01T00:00:00Z', 100, 60_000, 'test-worker');
  for (const item of claimed) {
    await store.parkIntent(
      item.intent.id,
      'test-worker',
      'no channel left: sendgrid invalid_recipient',
      '2030-01-01T00:00:00Z',
    );
  }
  return claimed.map((i) => i.intent.id);
};

const runCli = (args: string[]): Promise<{ code: number | null; out: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: {
        ...process.env,
        TIDINGS_DATABASE_URL: url,
        TIDINGS_SECRET_KEY: SECRET,
        TIDINGS_DATA_DIR: dir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });

describe('dead letters', () => {
  let parked: string[];

  beforeAll(async () => {
    await ingestOrder('dl-1');
    parked = await parkAll();
    expect(parked.length).toBeGreaterThan(0);
  });

  it('lists a tenant its parked intents, with the error and without contact points', async () => {
    const res = await call('GET', '/api/tenants/shop-a/dead-letters');
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: { id: string; error: string }[] };
    expect(items.map((i) => i.id).sort()).toEqual([...parked].sort());
    expect(items[0]?.error).toMatch(/invalid_recipient/);
    expect(res.text).not.toContain(CONTACT);
    expect(res.text).not.toContain(PHONE);
    const other = await call('GET', '/api/tenants/shop-b/dead-letters', undefined, keys['shop-b']);
    expect(await other.json()).toEqual({ items: [] });
    expect(
      (await call('GET', '/api/tenants/shop-a/dead-letters', undefined, keys['shop-b'])).status,
    ).toBe(401);
  });

  it('replays one over HTTP (audited), answers 409 when it is not parked and 404 across tenants', async () => {
    const [id] = parked as [string];
    const foreign = await call(
      'POST',
      `/api/tenants/shop-b/dead-letters/${id}/replay`,
      {},
      keys['shop-b'],
    );
    expect(foreign.status).toBe(404);
    const res = await call('POST', `/api/tenants/shop-a/dead-letters/${id}/replay`, {
      actor: 'staff:ana',
    });
    expect(res.status, res.text).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'pending', replayed: { id, attempts: 0 } });
    const again = await call('POST', `/api/tenants/shop-a/dead-letters/${id}/replay`);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('not_parked');
    const audit = await store.listAudit('shop-a', 'dl-1');
    expect(audit.map((a) => [a.action, a.actor])).toContainEqual(['intent.replayed', 'staff:ana']);
  });

  it('replays one from the CLI: tidings replay <intentId>', async () => {
    // Park again whatever the previous test replayed, so there is a dead letter to replay here.
    await parkAll();
    const [id] = parked;
    const run = await runCli(['replay', id as string, '--actor', 'cli:test']);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain(`Replayed ${id}`);
    expect((await store.getIntent(id as string))?.status).toBe('pending');
    const twice = await runCli(['replay', id as string]);
    expect(twice.code).toBe(1);
    expect(twice.out).toMatch(/only parked intents/);
    const missing = await runCli(['replay', 'int_nope']);
    expect(missing.out).toMatch(/no intent "int_nope"/);
  });
});

describe('personal data', () => {
  it('exports and erases by contact over HTTP; afterwards no listing returns the contact', async () => {
    await ingestOrder('gdpr-1');
    const consent = await call('POST', '/api/tenants/shop-a/consents', {
      channel: 'sms',
      contact: PHONE,
      state: 'opted_in',
      scope: 'marketing',
    });
    expect(consent.status).toBe(201);
    const exported = await call('POST', '/api/tenants/shop-a/personal-data/export', {
      contact: CONTACT,
    });
    expect(exported.status).toBe(200);
    const held = (await exported.json()) as {
      recipients: unknown[];
      consents: unknown[];
      messages: unknown[];
    };
    expect(held.recipients.length).toBeGreaterThan(0);
    expect(held.consents.length).toBe(1);
    expect(held.messages.length).toBeGreaterThan(0);
    // Another tenant sees nothing of it.
    const foreign = await call(
      'POST',
      '/api/tenants/shop-b/personal-data/export',
      { contact: CONTACT },
      keys['shop-b'],
    );
    expect(((await foreign.json()) as { recipients: unknown[] }).recipients).toEqual([]);

    const erased = await call('POST', '/api/tenants/shop-a/personal-data/erase', {
      contact: CONTACT,
      actor: 'staff:dpo',
    });
    expect(erased.status, erased.text).toBe(200);
    expect(((await erased.json()) as { erased: { events: number } }).erased.events).toBeGreaterThan(
      0,
    );

    for (const contact of [CONTACT, PHONE]) {
      const after = (await (
        await call('POST', '/api/tenants/shop-a/personal-data/export', { contact })
      ).json()) as {
        recipients: unknown[];
        consents: unknown[];
        messages: unknown[];
      };
      expect([after.recipients, after.consents, after.messages], contact).toEqual([[], [], []]);
    }
    const listings = [
      await call('GET', '/api/tenants/shop-a/orders/gdpr-1/timeline'),
      await call('GET', '/api/tenants/shop-a/orders/dl-1/timeline'),
      await call('GET', `/api/tenants/shop-a/consents?contact=${encodeURIComponent(PHONE)}`),
      await call('GET', '/api/tenants/shop-a/dead-letters'),
    ];
    for (const listing of listings) {
      expect(listing.status).toBe(200);
      expect(listing.text).not.toContain(CONTACT);
      expect(listing.text).not.toContain(PHONE);
      expect(listing.text).not.toContain('Dupont');
    }
    const raw = (await store.listEvents('shop-a', 'gdpr-1')).map((e) =>
      new TextDecoder().decode(e.rawBody),
    );
    expect(raw.join('')).not.toContain(CONTACT);
    const audit = await store.listAudit('shop-a');
    expect(audit.at(-1)).toMatchObject({ action: 'personal_data.erased', actor: 'staff:dpo' });
    expect(JSON.stringify(audit)).not.toContain(CONTACT);
  });

  it('exports and erases from the CLI, erasing only with --yes', async () => {
    const body = journey('gdpr-cli', Date.parse('2026-11-28T10:00:00Z'))[3] as Record<
      string,
      unknown
    >;
    const zoe = {
      ...body,
      sourceEventId: 'zoe-1',
      recipients: [{ role: 'customer', name: 'Zoé Roy', contacts: { email: 'zoe@example.com' } }],
    };
    expect((await call('POST', '/api/tenants/shop-a/events', zoe)).status).toBe(202);
    const exported = await runCli(['export', 'zoe@example.com', '--tenant', 'shop-a']);
    expect(exported.code, exported.out).toBe(0);
    expect(JSON.parse(exported.out).recipients).toHaveLength(1);
    const unconfirmed = await runCli(['erase', 'zoe@example.com', '--tenant', 'shop-a']);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.out).toMatch(/--yes/);
    expect(unconfirmed.out).not.toContain('zoe@example.com');
    const erased = await runCli(['erase', 'zoe@example.com', '--tenant', 'shop-a', '--yes']);
    expect(erased.code, erased.out).toBe(0);
    expect(erased.out).toMatch(/^Erased for tenant shop-a: 1 events/);
    const after = await runCli(['export', 'zoe@example.com', '--tenant', 'shop-a']);
    expect(JSON.parse(after.out).recipients).toEqual([]);
  });
});
