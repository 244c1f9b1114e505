#!/usr/bin/env node
/**
 * @module The `tidings` command: `migrate`, `tenant create`, `simulate`, `explain`. Operator
 * commands work on the database named by `TIDINGS_DATABASE_URL` (default: the embedded SQLite
 * under ./.tidings); `simulate` talks to a running hub over HTTP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { orderTimeline } from '@tidings/engine';
import { migrate, openStore } from '@tidings/store';
import { API_KEY_CREDENTIAL, hashKey } from './admin-auth.ts';
import { DEMO_KEY_FILE, DEMO_TENANT, resolveKeys } from './demo-tenant.ts';
import { readHubConfig } from './hub-config.ts';
import { newApiKey } from './local-keys.ts';
import { simulate } from './simulate.ts';

const USAGE = `Usage: tidings <command> [options]

  migrate                         apply database migrations (TIDINGS_DATABASE_URL or ./.tidings)
  tenant create <id> <name>       create a tenant and print its API key (shown once)
  simulate [--url U] [--tenant T] [--key K] [--order O]
                                  drive a realistic order journey through a running hub
  explain <orderRef> [--tenant T] print an order's timeline: events, decisions, messages

Environment: TIDINGS_DATABASE_URL, TIDINGS_SECRET_KEY, TIDINGS_DATA_DIR, PORT.`;

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
    order: { type: 'string' },
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
    let apiKey = values.key ?? process.env.TIDINGS_API_KEY;
    if (!apiKey) {
      try {
        apiKey = readFileSync(join(config.dataDir, DEMO_KEY_FILE), 'utf8').trim();
      } catch {
        fail(
          `no API key: pass --key, set TIDINGS_API_KEY, or start the hub once (npm start) to create ${join(config.dataDir, DEMO_KEY_FILE)}`,
        );
      }
    }
    const baseUrl = (values.url ?? config.publicUrl).replace(/\/$/, '');
    console.log(`Simulating an order journey for tenant ${tenantId} at ${baseUrl} …`);
    const result = await simulate({
      baseUrl,
      tenantId,
      apiKey: apiKey as string,
      ...(values.order ? { orderRef: values.order } : {}),
      print: (line) => console.log(`  ${line}`),
    }).catch((error: Error) => fail(error.message));
    console.log(
      `Done: order ${result.orderRef}. Open ${baseUrl}/dev/inbox to read the messages and why each was sent.`,
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
  default:
    fail(`unknown command "${command}"\n\n${USAGE}`);
}
