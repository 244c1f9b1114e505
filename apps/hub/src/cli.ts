#!/usr/bin/env node
/**
 * @module The `tidings` command: `migrate`, `tenant create`, `simulate`, `explain`, `replay`,
 * `export` and `erase` (GDPR). Operator
 * commands work on the database named by `TIDINGS_DATABASE_URL` (default: the embedded SQLite
 * under ./.tidings); `simulate` talks to a running hub over HTTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { eraseContact, exportContact, orderTimeline } from '@tidings/engine';
import { migrate, openStore } from '@tidings/store';
import { API_KEY_CREDENTIAL, hashKey } from './admin-auth.ts';
import { DEMO_KEY_FILE, DEMO_TENANT, resolveKeys } from './demo-tenant.ts';
import { readHubConfig } from './hub-config.ts';
import { newApiKey } from './local-keys.ts';
import { SIMULATE_SOURCES, type SimulateSource, simulate } from './simulate.ts';

const USAGE = `Usage: tidings <command> [options]

  migrate                         apply database migrations (TIDINGS_DATABASE_URL or ./.tidings)
  tenant create <id> <name>       create a tenant and print its API key (shown once)
  simulate [--source S] [--url U] [--tenant T] [--key K] [--admin-key A] [--order O]
                                  drive a realistic order journey through a running hub, from
                                  S = admin (default: admin events API, tenant key), api (signed
                                  events API), woocommerce, shopify, zendesk or aftership (signed
                                  webhooks), hubspot (signed workflow-action executions) or
                                  salesforce (signed Apex callouts); set up with the operator key
  explain <orderRef> [--tenant T] print an order's timeline: events, decisions, messages
  replay <intentId> [--actor A]   send a dead letter (parked intent) again, from its first channel
  export <contact> [--tenant T]   print what a tenant holds about an e-mail address or phone (JSON)
  erase <contact> [--tenant T] --yes [--actor A]
                                  erase that person's personal data (GDPR art. 17); audited

Environment: TIDINGS_DATABASE_URL, TIDINGS_SECRET_KEY, TIDINGS_DATA_DIR, TIDINGS_ADMIN_KEY, PORT,
SHOPIFY_API_SECRET (simulate --source shopify signs with it), HUBSPOT_CLIENT_SECRET (simulate
--source hubspot signs with it, over TIDINGS_PUBLIC_URL).`;

const fail = (message: string): never => {
  console.error(`tidings: ${message}`);
  process.exit(1);
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    tenant: { type: 'string' },
    key: { type: 'string' },
    'admin-key': { type: 'string' },
    source: { type: 'string' },
    order: { type: 'string' },
    actor: { type: 'string' },
    yes: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
const [command, ...rest] = positionals;
if (!command || values.help) {
  console.log(USAGE);
  process.exit(command ? 0 : 1);
}
const read = readHubConfig(process.env, process.cwd());
if (!read.ok) fail(`fix the configuration:\n${read.problems.map((p) => `  - ${p}`).join('\n')}`);
const config = read.ok ? read.config : fail('unreachable');

const withStore = async <T>(
  fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>,
): Promise<T> => {
  const store = await openStore(config.databaseUrl, { secretKey: resolveKeys(config).secretKey });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
};

switch (command) {
  case 'migrate': {
    const applied = await migrate(config.databaseUrl);
    console.log(
      applied.length ? `Applied migrations ${applied.join(', ')}.` : 'The database is up to date.',
    );
    break;
  }
  case 'tenant': {
    const [sub, id, ...name] = rest;
    if (sub !== 'create' || !id || name.length === 0)
      fail('usage: tidings tenant create <id> <name>');
    await withStore(async (store) => {
      if (await store.getTenant(id as string)) fail(`tenant "${id}" already exists`);
      const at = new Date().toISOString();
      const tenantName = name.join(' ');
      await store.putTenant(
        {
          id: id as string,
          name: tenantName,
          active: true,
          config: { tenantId: id as string, name: tenantName },
        },
        at,
      );
      const apiKey = newApiKey('tdk');
      const stored = await store.putCredential(
        id as string,
        API_KEY_CREDENTIAL,
        { sha256: hashKey(apiKey) },
        at,
      );
      if (!stored.ok)
        fail(`could not store the API key (${stored.error.code}): set TIDINGS_SECRET_KEY`);
      console.log(`Created tenant ${id}. Its API key (shown once):\n${apiKey}`);
    });
    break;
  }
  case 'simulate': {
    const tenantId = values.tenant ?? DEMO_TENANT;
    const source = (values.source ?? 'admin') as SimulateSource;
    if (!SIMULATE_SOURCES.includes(source))
      fail(`unknown --source "${values.source}": use one of ${SIMULATE_SOURCES.join(', ')}`);
    const fromFile = (name: string): string | undefined => {
      try {
        return readFileSync(join(config.dataDir, name), 'utf8').trim() || undefined;
      } catch {
        return undefined;
      }
    };
    const apiKey = values.key ?? process.env.TIDINGS_API_KEY ?? fromFile(DEMO_KEY_FILE);
    if (source === 'admin' && !apiKey) {
      fail(
        `no API key: pass --key, set TIDINGS_API_KEY, or start the hub once (npm start) to create ${join(config.dataDir, DEMO_KEY_FILE)}`,
      );
    }
    const adminKey = values['admin-key'] ?? config.adminKey ?? fromFile('admin.key');
    if (source !== 'admin' && !adminKey) {
      fail(
        `--source ${source} sets the tenant up with the operator key: pass --admin-key, set TIDINGS_ADMIN_KEY, or start the hub once (npm start) to create ${join(config.dataDir, 'admin.key')}`,
      );
    }
    const shopifySecret = process.env.SHOPIFY_API_SECRET?.trim();
    if (source === 'shopify' && !shopifySecret) {
      console.log(
        'SHOPIFY_API_SECRET is not set here: the webhooks cannot be signed with the secret the hub checks. Set it to the value the hub runs with.',
      );
    }
    const hubspotSecret = process.env.HUBSPOT_CLIENT_SECRET?.trim();
    if (source === 'hubspot' && !hubspotSecret) {
      console.log(
        'HUBSPOT_CLIENT_SECRET is not set here: the executions cannot be signed with the secret the hub checks. Set it to the value the hub runs with.',
      );
    }
    const baseUrl = (values.url ?? config.publicUrl).replace(/\/$/, '');
    console.log(
      `Simulating an order journey from ${source} for tenant ${tenantId} at ${baseUrl} …`,
    );
    const result = await simulate({
      baseUrl,
      tenantId,
      source,
      ...(apiKey ? { apiKey } : {}),
      ...(adminKey ? { adminKey } : {}),
      ...(shopifySecret ? { shopifySecret } : {}),
      ...(hubspotSecret ? { hubspotSecret } : {}),
      // HubSpot signs the URL it called: the hub's public URL, even when --url reaches it elsewhere.
      publicUrl: config.publicUrl,
      ...(values.order ? { orderRef: values.order } : {}),
      print: (line) => console.log(`  ${line}`),
    }).catch((error: Error) => fail(error.message));
    console.log(
      `Done: order ${result.orderRef} of tenant ${result.tenantId}. Open ${baseUrl}/dev/inbox to read the messages and why each was sent.`,
    );
    break;
  }
  case 'explain': {
    const [orderRef] = rest;
    if (!orderRef) fail('usage: tidings explain <orderRef> [--tenant T]');
    const tenantId = values.tenant ?? DEMO_TENANT;
    await withStore(async (store) => {
      const entries = await orderTimeline(store, tenantId, orderRef as string);
      if (entries.length === 0) fail(`no order "${orderRef}" for tenant ${tenantId}`);
      for (const e of entries) console.log(`${e.at}  ${e.kind.padEnd(8)}  ${e.text}`);
    });
    break;
  }
  case 'replay': {
    const [intentId] = rest;
    if (!intentId)
      fail('usage: tidings replay <intentId>   (list them: GET /api/tenants/<id>/dead-letters)');
    await withStore(async (store) => {
      const result = await store.requeueIntent(
        intentId as string,
        new Date().toISOString(),
        values.actor ?? `cli:${process.env.USER ?? 'operator'}`,
      );
      if (!result.ok) {
        fail(
          result.error.code === 'not_parked'
            ? `${result.error.message}: only parked intents (dead letters) can be replayed`
            : `no intent "${intentId}" in ${store.dialect === 'sqlite' ? 'this SQLite database' : 'this database'}; check TIDINGS_DATABASE_URL and the id`,
        );
      }
      console.log(
        `Replayed ${intentId}: pending again, attempts reset; a running dispatcher sends it within seconds.`,
      );
    });
    break;
  }
  case 'export': {
    const [contact] = rest;
    if (!contact) fail('usage: tidings export <e-mail or phone> [--tenant T]');
    const tenantId = values.tenant ?? DEMO_TENANT;
    await withStore(async (store) => {
      if (!(await store.getTenant(tenantId))) fail(`no tenant "${tenantId}"; pass --tenant`);
      console.log(JSON.stringify(await exportContact(store, tenantId, contact as string), null, 2));
    });
    break;
  }
  case 'erase': {
    const [contact] = rest;
    if (!contact) fail('usage: tidings erase <e-mail or phone> [--tenant T] --yes');
    const tenantId = values.tenant ?? DEMO_TENANT;
    await withStore(async (store) => {
      if (!(await store.getTenant(tenantId))) fail(`no tenant "${tenantId}"; pass --tenant`);
      if (!values.yes) {
        const held = await exportContact(store, tenantId, contact as string);
        fail(
          `this would erase ${held.recipients.length} recipient entries on ${held.orders.length} orders, ${held.consents.length} consent records and ${held.messages.length} messages for tenant ${tenantId}; it cannot be undone. Run again with --yes (see it first with: tidings export <contact>)`,
        );
      }
      const report = await eraseContact(store, tenantId, contact as string, {
        actor: values.actor ?? `cli:${process.env.USER ?? 'operator'}`,
        at: new Date().toISOString(),
      });
      console.log(
        `Erased for tenant ${tenantId}: ${report.events} events (raw bodies replaced), ${report.consents} consent records, ${report.intents} messages (${report.cancelled} still waiting were cancelled), ${report.attempts} provider responses.`,
      );
    });
    break;
  }
  default:
    fail(`unknown command "${command}"\n\n${USAGE}`);
}
