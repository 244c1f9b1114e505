/**
 * The sidebar app in Chromium, served by `zcli apps:server` (the command class zcli runs, in
 * process: it is offline — express over `<app>/assets` plus `/app.json` built from the manifest
 * and `zcli.apps.config.json`), against a real hub with the Zendesk app mounted (SQLite in a
 * temporary directory). Zendesk's half is a stand-in for the ZAF SDK: `ZAFClient.init()` answers
 * metadata, context and `get` like Zendesk's ticket sidebar, and `request` plays Zendesk's proxy
 * (developer.zendesk.com "Making API requests from a Zendesk app"): only `secure: true` requests to
 * a `domainWhitelist` host, `{{setting.*}}` filled from the installation's secure settings
 * server-side, an HS256 token minted from the `jwt` option and put where `{{jwt.token}}` stands —
 * nothing added that the app did not ask for.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chromium from '@sparticuz/chromium';
import { type Browser, type Page, chromium as playwright } from 'playwright-core';
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

const require = createRequire(import.meta.url);
const ZcliServer = require('@zendesk/zcli-apps/dist/commands/apps/server.js')
  .default as typeof import('@zendesk/zcli-apps/dist/commands/apps/server.js').default;
const ZCLI_APPS_ROOT = join(require.resolve('@zendesk/zcli-apps/package.json'), '..');

const ZAF = join(import.meta.dirname, '..', 'zaf');
const SDK_URL = 'https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js';
const TIDINGS_HOST = 'tidings.example.com';
const TICKET = 35436;
const AGENT = { id: 1234, name: 'Avery Agent', email: 'avery@acme.example', locale: 'fr' };

interface ZafRequest {
  url: string;
  type?: string;
  contentType?: string;
  data?: string;
  headers?: Record<string, string>;
  secure?: boolean;
  jwt?: { algorithm: string; secret_key: string; expiry?: number; claims?: object };
}
type Installation = { settings: Record<string, unknown>[] };

/** The page half of the stand-in: ZAFClient.init() whose calls are answered by the test. */
const SDK_STAND_IN = `
window.ZAFClient = { init() {
  const call = (method, ...args) => window.__zaf(method, args).then((answer) =>
    answer && answer.zafError ? Promise.reject(answer.zafError) : answer);
  return { metadata: () => call('metadata'), context: () => call('context'),
    get: (paths) => call('get', paths), request: (options) => call('request', options),
    invoke: (...args) => call('invoke', ...args), on() {} };
} };`;

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

describe('the sidebar app in a browser', () => {
  let zd: ZendeskHub;
  let browser: Browser;
  let work: string;
  let zcli: { close(): void };
  let appsUrl: string;
  const proxied: ZafRequest[] = [];
  const invoked: unknown[][] = [];

  beforeAll(async () => {
    zd = await startZendeskHub();
    const body = renderPlaceholders(
      triggerBodyText({ orderFieldId: ORDER_FIELD, statusFieldId: STATUS_FIELD }),
      {
        'ticket.id': String(TICKET),
        'ticket.updated_at_with_timestamp': new Date().toISOString().slice(0, 16).concat('Z'),
        [`ticket.ticket_field_${ORDER_FIELD}`]: '#1001',
        [`ticket.ticket_field_${STATUS_FIELD}`]: 'order_shipped',
        'ticket.requester.email': 'camille@example.com',
        'ticket.requester.language': 'fr-CA',
      },
    );
    expect((await postSigned(zd.url, body)).status).toBe(202);

    // What an admin types into the installation's settings, kept where `zcli apps:server` reads them.
    work = mkdtempSync(join(tmpdir(), 'tidings-zaf-server-'));
    const app = join(work, 'zaf');
    cpSync(ZAF, app, { recursive: true });
    writeFileSync(
      join(app, 'zcli.apps.config.json'),
      JSON.stringify({
        parameters: {
          tidings_url: `https://${TIDINGS_HOST}`,
          shared_secret: APP_SECRET,
          order_field_id: ORDER_FIELD,
        },
      }),
    );
    const port = await freePort();
    zcli = await ZcliServer.run(
      [app, '--port', String(port), '--bind', '127.0.0.1'],
      ZCLI_APPS_ROOT,
    );
    appsUrl = `http://127.0.0.1:${port}`;

    browser = await playwright.launch({
      executablePath: await chromium.executablePath(),
      // Root in a container has no user namespaces for Chromium's sandbox.
      args: [...chromium.args, '--no-sandbox'],
      headless: true,
    });
  });
  afterAll(async () => {
    await browser?.close();
    zcli?.close();
    await zd?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Opens the sidebar the way Zendesk does for a ticket with `?zcli_apps=true`. */
  const openSidebar = async (): Promise<Page> => {
    const appJson = (await (await fetch(`${appsUrl}/app.json`)).json()) as {
      apps: {
        id: string;
        name: string;
        version: string;
        asset_url_prefix: string;
        locations: Record<string, Record<string, { url: string }>>;
      }[];
      installations: Installation[];
    };
    const [installed] = appJson.apps;
    const [installation] = appJson.installations;
    if (!installed || !installation) throw new Error('zcli apps:server serves no app');
    const settings: Record<string, unknown> = Object.assign({}, ...installation.settings);
    const manifest = JSON.parse(readFileSync(join(ZAF, 'manifest.json'), 'utf8')) as {
      domainWhitelist: string[];
      parameters: { name: string; secure?: boolean }[];
    };
    const secure = new Set(manifest.parameters.filter((p) => p.secure).map((p) => p.name));
    // Agents never see secure settings: metadata leaves them out.
    const visible = Object.fromEntries(Object.entries(settings).filter(([k]) => !secure.has(k)));
    const fill = (text: string) =>
      text.replace(/\{\{setting\.(\w+)\}\}/g, (_m, name: string) => String(settings[name] ?? ''));

    const proxy = async (options: ZafRequest) => {
      proxied.push(structuredClone(options));
      const url = new URL(options.url);
      if (!options.secure || !manifest.domainWhitelist.includes(url.hostname)) {
        return {
          zafError: { status: 403, responseText: 'not a secure request to a whitelisted domain' },
        };
      }
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.jwt) {
        const now = Math.floor(Date.now() / 1000);
        const token = signZafToken(
          { ...options.jwt.claims, iat: now, exp: now + (options.jwt.expiry ?? 300) },
          fill(options.jwt.secret_key),
        );
        for (const [k, v] of Object.entries(headers))
          headers[k] = v.replaceAll('{{jwt.token}}', token);
      }
      if (options.contentType) headers['content-type'] = options.contentType;
      // The whitelisted host is the hub; the proxy reaches it on loopback.
      const response = await fetch(`${zd.url}${url.pathname}${url.search}`, {
        method: options.type ?? 'GET',
        headers,
        ...(options.data ? { body: options.data } : {}),
      });
      const text = await response.text();
      if (!response.ok) return { zafError: { status: response.status, responseText: text } };
      return JSON.parse(text) as unknown;
    };

    const page = await browser.newPage();
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url === SDK_URL)
        return route.fulfill({ contentType: 'text/javascript', body: SDK_STAND_IN });
      return url.startsWith(`${appsUrl}/`) ? route.continue() : route.abort();
    });
    await page.exposeFunction('__zaf', async (method: string, args: unknown[]) => {
      switch (method) {
        case 'metadata':
          return {
            appId: Number(installed.id),
            name: installed.name,
            version: installed.version,
            settings: visible,
          };
        case 'context':
          return {
            host: 'zendesk',
            product: 'support',
            location: 'ticket_sidebar',
            account: { subdomain: TENANT },
            ticketId: TICKET,
          };
        case 'get': {
          const known: Record<string, unknown> = {
            currentUser: AGENT,
            'ticket.externalId': null,
            [`ticket.customField:custom_field_${ORDER_FIELD}`]: '#1001',
          };
          const paths = ([] as string[]).concat(args[0] as string | string[]);
          const errors = Object.fromEntries(
            paths.filter((p) => !(p in known)).map((p) => [p, { message: `unknown path ${p}` }]),
          );
          return {
            ...Object.fromEntries(paths.filter((p) => p in known).map((p) => [p, known[p]])),
            errors,
          };
        }
        case 'request':
          return proxy(args[0] as ZafRequest);
        case 'invoke':
          invoked.push(args);
          return {};
        default:
          return { zafError: { status: 0, responseText: `unsupported ZAF call ${method}` } };
      }
    });
    const location = installed.locations.support?.ticket_sidebar?.url ?? '';
    await page.goto(
      `${appsUrl}/${installed.id}/${location}?origin=https://${TENANT}.zendesk.com&app_guid=test`,
    );
    return page;
  };

  it('shows the ticket’s order timeline with the reason behind each message, then applies an override as the agent', async () => {
    const page = await openSidebar();
    // The agent's locale is French, so is the sidebar.
    await expect.poll(() => page.locator('#order-title').textContent()).toBe('Commande #1001');
    await expect
      .poll(() => page.locator('#order-state').textContent())
      .toBe('Maintenant: dispatched');

    // Every entry the hub has for the order is on the page, decisions with their reasons.
    const token = signZafToken(
      {
        iss: TENANT,
        aud: 'tidings',
        sub: String(AGENT.id),
        exp: Math.floor(Date.now() / 1000) + 60,
      },
      APP_SECRET,
    );
    const timeline = (await (
      await fetch(`${zd.url}/zendesk/app/timeline?order=${encodeURIComponent('#1001')}`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).json()) as { entries: { kind: string; text: string }[] };
    // A decision per message planned, sent or held back, each with its reasons in brackets.
    const decisions = timeline.entries.filter((e) => e.kind === 'decision').map((e) => e.text);
    expect(decisions.length).toBeGreaterThan(0);
    for (const text of decisions) expect(text).toMatch(/^[a-z_]+: .+ \([a-z_, ]+\)$/);
    const shown = await page.locator('#timeline li').allTextContents();
    expect(shown).toHaveLength(timeline.entries.length);
    for (const entry of timeline.entries)
      expect(shown.some((s) => s.endsWith(entry.text))).toBe(true);
    expect(await page.locator('#timeline li.decision').allTextContents()).toEqual(
      expect.arrayContaining(decisions.map((d) => expect.stringContaining(d))),
    );

    // The override: status and reason, through the hub, as the agent.
    await page.locator('#override-status').selectOption('delayed');
    await page.locator('#override-reason').fill('Carrier called: storm closure');
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await expect.poll(() => page.locator('#override-result').textContent()).toBe('Appliqué.');
    await expect
      .poll(() => page.locator('#timeline li.audit').allTextContents())
      .toContainEqual(expect.stringContaining(`manual_override by zendesk:${TENANT}:${AGENT.id}`));
    await expect
      .poll(() => page.locator('#order-state').textContent())
      .toBe('Maintenant: dispatched · delayed');

    const audit = await zd.store.listAudit(TENANT, '#1001');
    expect(audit).toContainEqual(
      expect.objectContaining({
        actor: `zendesk:${TENANT}:${AGENT.id}`,
        action: 'manual_override',
      }),
    );
    const last = (await zd.store.listEvents(TENANT, '#1001')).at(-1)?.event;
    expect(last).toMatchObject({
      source: 'manual',
      status: 'delayed',
      overlay: { kind: 'delayed' },
      override: {
        actor: { id: `zendesk:${TENANT}:${AGENT.id}`, name: AGENT.name },
        reason: 'Carrier called: storm closure',
        notify: true,
      },
    });

    // The page only ever held the placeholders; the secret stayed with "Zendesk".
    expect(proxied.length).toBeGreaterThanOrEqual(3);
    for (const request of proxied) {
      expect(request).toMatchObject({
        secure: true,
        headers: { Authorization: 'Bearer {{jwt.token}}' },
        jwt: { algorithm: 'HS256', secret_key: '{{setting.shared_secret}}' },
      });
      expect(request.url.startsWith(`https://${TIDINGS_HOST}/zendesk/app/`)).toBe(true);
    }
    expect(JSON.stringify(proxied)).not.toContain(APP_SECRET);
    expect(await page.content()).not.toContain(APP_SECRET);
    expect(invoked).toContainEqual(['resize', expect.objectContaining({ width: '100%' })]);
    await page.close();
  });
});
