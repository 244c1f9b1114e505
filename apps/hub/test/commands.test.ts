/**
 * The README's commands as a newcomer runs them: `npm start` (node apps/hub/src/main.ts) as a real
 * process on the embedded default, then `tidings simulate` as another, then the dev inbox.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const freePort = () =>
  new Promise<number>((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** Runs a command to completion, collecting its output. */
const run = (args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<{ code: number | null; out: string }>((done) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      out += String(d);
    });
    child.on('exit', (code) => done({ code, out }));
  });

it('npm start, then tidings simulate, fills the dev inbox with the journey and its reasons', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tidings-start-'));
  dirs.push(dataDir);
  const port = await freePort();
  const env = {
    ...process.env,
    PORT: String(port),
    TIDINGS_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    // The HubSpot app on the hub, and the same secret for simulate to sign with.
    HUBSPOT_CLIENT_ID: 'cmd-hubspot-client-id',
    HUBSPOT_CLIENT_SECRET: 'cmd-hubspot-client-secret-0123456789',
  };
  const server = spawn(process.execPath, ['apps/hub/src/main.ts'], { cwd: ROOT, env });
  children.push(server);
  let banner = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`the hub did not start:\n${banner}`)), 60_000);
    const read = (d: Buffer) => {
      banner += String(d);
      if (banner.includes('npx tidings simulate')) {
        clearTimeout(timer);
        ready();
      }
    };
    server.stdout.on('data', read);
    server.stderr.on('data', read);
    server.on('exit', (code) => fail(new Error(`the hub exited with ${code}:\n${banner}`)));
  });
  expect(banner).toContain(`http://127.0.0.1:${port}/dev/inbox`);
  expect(banner).toContain('Dev sink       fallback (TIDINGS_DEV_SINK)');
  expect(banner).toContain(
    'messages for channels without provider credentials go to the dev inbox, not to customers',
  );

  const simulated = await run(['apps/hub/src/cli.ts', 'simulate', '--order', 'cmd-1'], env);
  expect(simulated.out).toContain('of 11 planned message(s) delivered');
  expect(simulated.code).toBe(0);

  const inbox = (await (await fetch(`http://127.0.0.1:${port}/dev/inbox.json`)).json()) as {
    messages: { orderRef: string; why: string[] }[];
  };
  const mine = inbox.messages.filter((m) => m.orderRef === 'cmd-1');
  expect(mine).toHaveLength(11);
  expect(mine.every((m) => m.why.length > 0)).toBe(true);

  const explained = await run(['apps/hub/src/cli.ts', 'explain', 'cmd-1'], env);
  expect(explained.code).toBe(0);
  expect(explained.out).toContain('decision');

  // A signed source, set up with the operator key the hub wrote to the data directory.
  const signed = await run(
    ['apps/hub/src/cli.ts', 'simulate', '--source', 'zendesk', '--order', 'cmd-2'],
    env,
  );
  expect(signed.out).toContain('set up: a new zendesk webhook signing secret');
  expect(signed.out).toContain('[7/7] zendesk');
  expect(signed.out).toMatch(/(\d+) of \1 planned message\(s\) delivered/);
  expect(signed.code).toBe(0);

  // HubSpot and Salesforce: signed as each platform signs, on their own tenants (portal, org).
  const hubspot = await run(['apps/hub/src/cli.ts', 'simulate', '--source', 'hubspot'], env);
  expect(hubspot.out).toMatch(/set up: tenant \d{9} \(the HubSpot portal\)/);
  expect(hubspot.out).toContain('[5/6] hubspot');
  expect(hubspot.out).toContain('→ SUCCESS sent (sent_by_sms)');
  expect(hubspot.out).toMatch(/(\d+) of \1 planned message\(s\) delivered/);
  expect(hubspot.code).toBe(0);
  const salesforce = await run(['apps/hub/src/cli.ts', 'simulate', '--source', 'salesforce'], env);
  expect(salesforce.out).toContain('set up: a new Salesforce signing secret on 00D');
  expect(salesforce.out).toContain('[6/6] salesforce');
  expect(salesforce.out).toMatch(/(\d+) of \1 planned message\(s\) delivered/);
  expect(salesforce.code).toBe(0);
  const unsigned = await run(['apps/hub/src/cli.ts', 'simulate', '--source', 'hubspot'], {
    ...env,
    HUBSPOT_CLIENT_SECRET: '',
  });
  expect(unsigned.code).toBe(1);
  expect(unsigned.out).toContain('HUBSPOT_CLIENT_SECRET is not set here');
  expect(unsigned.out).toContain('401 bad_signature');

  const shopify = await run(['apps/hub/src/cli.ts', 'simulate', '--source', 'shopify'], env);
  expect(shopify.code).toBe(1);
  expect(shopify.out).toContain('Start the hub with SHOPIFY_API_KEY');
  server.kill('SIGTERM');
}, 120_000);

it('refuses to start with a bad configuration, one line per problem', async () => {
  const result = await run(['apps/hub/src/main.ts'], {
    ...process.env,
    PORT: 'ninety',
    LOG_LEVEL: 'loud',
    TIDINGS_DEV_SINK: 'sometimes',
  });
  expect(result.code).toBe(1);
  expect(result.out).toContain('PORT must be a port number');
  expect(result.out).toContain('LOG_LEVEL must be one of');
  expect(result.out).toContain('TIDINGS_DEV_SINK must be "fallback"');
});
