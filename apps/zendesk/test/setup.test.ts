import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@tidings/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderPlaceholders } from '../src/trigger-template.ts';
import { createZendeskApi } from '../src/zendesk-api.ts';
import { loadZendeskCredential } from '../src/zendesk-credentials.ts';
import {
  installZendesk,
  removeZendesk,
  TRIGGER_TITLE,
  WEBHOOK_NAME,
} from '../src/zendesk-setup.ts';
import {
  ORDER_FIELD,
  postSigned,
  STATUS_FIELD,
  startZendeskHub,
  TENANT,
  type ZendeskHub,
} from './zendesk-harness.ts';
import { startZendeskStub, type ZendeskStub } from './zendesk-stub.ts';

const EMAIL = 'admin@acme.example';
const TOKEN = 'zd-api-token-0123456789';

describe('setup by API', () => {
  let stub: ZendeskStub;
  let zd: ZendeskHub;
  beforeAll(async () => {
    stub = await startZendeskStub();
    zd = await startZendeskHub();
  });
  afterAll(async () => {
    await zd.stop();
    await stub.close();
  });
  beforeEach(() => {
    stub.requests.length = 0;
  });

  const api = () => createZendeskApi({ baseUrl: stub.url, email: EMAIL, apiToken: TOKEN });
  const install = () =>
    installZendesk(api(), zd.store, {
      subdomain: TENANT,
      publicUrl: 'https://tidings.example.com/',
      apiEmail: EMAIL,
      apiToken: TOKEN,
      orderFieldId: ORDER_FIELD,
      statusFieldId: STATUS_FIELD,
      apiBaseUrl: stub.url,
      now: () => new Date(),
    });

  it('creates a trigger-connected webhook and a trigger with the documented bodies', async () => {
    const result = await install();
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v2/users/me.json',
      'POST /api/v2/webhooks',
      `GET /api/v2/webhooks/${result.webhookId}/signing_secret`,
      'POST /api/v2/triggers',
    ]);
    const expectedAuth = `Basic ${Buffer.from(`${EMAIL}/token:${TOKEN}`).toString('base64')}`;
    expect(stub.requests.every((r) => r.authorization === expectedAuth)).toBe(true);
    expect(stub.webhooks.get(result.webhookId)).toEqual({
      name: WEBHOOK_NAME,
      endpoint: `https://tidings.example.com/zendesk/webhooks?subdomain=${TENANT}`,
      http_method: 'POST',
      request_format: 'json',
      status: 'active',
      subscriptions: ['conditional_ticket_events'],
      description: expect.any(String),
    });
    const trigger = stub.triggers.get(result.triggerId);
    expect(trigger).toMatchObject({
      title: TRIGGER_TITLE,
      active: false,
      conditions: {
        all: [{ field: `custom_fields_${STATUS_FIELD}`, operator: 'changed' }],
        any: [],
      },
    });
    const action = ((trigger?.actions ?? []) as { field: string; value: string[] }[])[0];
    expect(action?.field).toBe('notification_webhook');
    expect(action?.value[0]).toBe(result.webhookId);
    expect(action?.value[1]).toContain(`{{ticket.ticket_field_${STATUS_FIELD}}}`);

    const stored = await loadZendeskCredential(zd.store, TENANT);
    expect(stored).toMatchObject({
      ok: true,
      credential: {
        signingSecret: stub.signingSecret,
        webhookId: result.webhookId,
        triggerId: result.triggerId,
        apiEmail: EMAIL,
        appSecret: result.appSecret,
      },
    });

    // The trigger's own body, filled by "Zendesk" and signed with the secret it handed out, is accepted.
    const body = renderPlaceholders(action?.value[1] ?? '', {
      'ticket.id': '91001',
      [`ticket.ticket_field_${ORDER_FIELD}`]: 'SETUP-1',
      [`ticket.ticket_field_${STATUS_FIELD}`]: 'order_processing',
      'ticket.requester.email': 'pat@example.com',
    });
    const r = await postSigned(zd.url, body, { secret: stub.signingSecret });
    expect(r.status).toBe(202);
  });

  it('removes the trigger, then the webhook, then the stored credential', async () => {
    const result = await removeZendesk(api(), zd.store, TENANT);
    expect(result).toMatchObject({ ok: true });
    expect(stub.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE']);
    expect(stub.requests[0]?.path).toMatch(/^\/api\/v2\/triggers\//);
    expect(stub.triggers.size).toBe(0);
    expect(stub.webhooks.size).toBe(0);
    expect((await loadZendeskCredential(zd.store, TENANT)).ok).toBe(false);
  });

  it('undoes the webhook when the trigger cannot be created', async () => {
    stub.failNext.push({ status: 422, path: /^POST \/api\/v2\/triggers$/ });
    const result = await install();
    expect(result).toMatchObject({ ok: false, error: { code: 'zendesk_unprocessable' } });
    expect(stub.webhooks.size).toBe(0);
    expect((await loadZendeskCredential(zd.store, TENANT)).ok).toBe(false);
  });

  it('refuses a subdomain Tidings has no tenant for, before calling Zendesk', async () => {
    const result = await installZendesk(api(), zd.store, {
      subdomain: 'globex',
      publicUrl: 'https://tidings.example.com',
      apiEmail: EMAIL,
      apiToken: TOKEN,
      now: () => new Date(),
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_tenant' } });
    expect(stub.requests).toHaveLength(0);
  });

  it('runs as a command: install prints the app secret once, remove cleans up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tidings-zd-cli-'));
    const key = `k1:${Buffer.alloc(32, 3).toString('base64')}`;
    const url = `sqlite:${join(dir, 'tidings.db')}`;
    const store = await openStore(url, { secretKey: key });
    await store.putTenant(
      {
        id: 'initech',
        name: 'Initech',
        active: true,
        config: { tenantId: 'initech', name: 'Initech' },
      },
      new Date().toISOString(),
    );
    await store.close();
    const env = {
      ...process.env,
      TIDINGS_DATABASE_URL: url,
      TIDINGS_SECRET_KEY: key,
      TIDINGS_PUBLIC_URL: 'https://tidings.example.com',
      ZENDESK_API_TOKEN: TOKEN,
      ZENDESK_API_BASE_URL: stub.url,
    };
    // Asynchronous: the stub answers from this process's event loop.
    const run = (...args: string[]) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, ['src/cli/setup.ts', ...args], { env });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => {
          stdout += String(d);
        });
        child.stderr.on('data', (d) => {
          stderr += String(d);
        });
        child.on('close', (status) => resolve({ status, stdout, stderr }));
      });
    try {
      const installed = await run('install', '--subdomain', 'initech', '--email', EMAIL);
      expect(installed.stderr).toBe('');
      expect(installed.status).toBe(0);
      expect(installed.stdout).toMatch(/Created webhook \S+ and trigger \d+/);
      expect(installed.stdout).not.toContain(TOKEN);
      expect(stub.webhooks.size).toBe(1);
      const removed = await run('remove', '--subdomain', 'initech', '--email', EMAIL);
      expect(removed.status).toBe(0);
      expect(stub.webhooks.size).toBe(0);
      const bad = await run('install', '--subdomain', 'nope', '--email', EMAIL);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('unknown_tenant');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
