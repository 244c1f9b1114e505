#!/usr/bin/env node
/**
 * @module `setup install|remove`: creates (or removes) the Tidings webhook and example trigger in
 * a Zendesk account through its REST API and keeps the signing secret encrypted in our store.
 * The API token comes from the environment, never the command line (shell history).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '@tidings/store';
import { createZendeskApi } from '../zendesk-api.ts';
import { apiBaseOf } from '../zendesk-credentials.ts';
import { installZendesk, removeZendesk } from '../zendesk-setup.ts';

const USAGE = `Usage: setup <install|remove> --subdomain <acme> [options]

  install   create the webhook (signing secret stored encrypted) and an example trigger
            --email <agent@acme.com>   the API user (token auth)
            --order-field <id>         custom ticket field with the order number
            --status-field <id>        custom ticket field (dropdown) with the order status
            --activate                 create the trigger active (default: inactive, review it first)
  remove    delete the trigger and webhook install made, and the stored credential

Environment: ZENDESK_API_TOKEN (required), ZENDESK_EMAIL (instead of --email),
TIDINGS_PUBLIC_URL (install), TIDINGS_DATABASE_URL, TIDINGS_SECRET_KEY, TIDINGS_DATA_DIR,
ZENDESK_API_BASE_URL (a proxy or a local stub instead of https://<subdomain>.zendesk.com).`;

const fail = (message: string): never => {
  console.error(`setup: ${message}`);
  process.exit(1);
};

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    subdomain: { type: 'string' },
    email: { type: 'string' },
    'order-field': { type: 'string' },
    'status-field': { type: 'string' },
    activate: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});
const command = positionals[0];
if (values.help || (command !== 'install' && command !== 'remove')) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 1);
}
const env = process.env;
const subdomain = (values.subdomain ?? '').toLowerCase() || fail('--subdomain is required.');
const apiToken = env.ZENDESK_API_TOKEN || fail('ZENDESK_API_TOKEN is not set.');
const apiEmail =
  values.email ?? env.ZENDESK_EMAIL ?? fail('--email (or ZENDESK_EMAIL) is required.');
const dataDir = resolve(env.TIDINGS_DATA_DIR ?? '.tidings');
const keyFile = join(dataDir, 'secret.key');
// The hub generates its key into the data directory when none is configured; use the same one.
const secretKey =
  env.TIDINGS_SECRET_KEY ??
  (existsSync(keyFile) ? readFileSync(keyFile, 'utf8').trim() : undefined);
const store = await openStore(env.TIDINGS_DATABASE_URL ?? `sqlite:${join(dataDir, 'tidings.db')}`, {
  secretKey,
});
const apiBaseUrl = env.ZENDESK_API_BASE_URL;
const api = createZendeskApi({
  baseUrl: apiBaseOf(subdomain, apiBaseUrl ? { apiBaseUrl } : {}),
  email: apiEmail,
  apiToken,
});
try {
  if (command === 'install') {
    const publicUrl =
      env.TIDINGS_PUBLIC_URL ||
      fail('TIDINGS_PUBLIC_URL is not set (where Zendesk reaches Tidings).');
    const result = await installZendesk(api, store, {
      subdomain,
      publicUrl,
      apiEmail,
      apiToken,
      orderFieldId: values['order-field'],
      statusFieldId: values['status-field'],
      activate: values.activate ?? false,
      apiBaseUrl,
      now: () => new Date(),
    });
    if (!result.ok) fail(`${result.error.message} [${result.error.code}]`);
    else {
      console.log(`Created webhook ${result.webhookId} and trigger ${result.triggerId}${values.activate ? '' : ' (inactive: review and activate it in Admin Center)'}.
The signing secret is stored encrypted for tenant "${subdomain}".

Sidebar app secure setting "shared_secret" (shown once; paste it when installing the app):
  ${result.appSecret}`);
    }
  } else {
    const result = await removeZendesk(api, store, subdomain);
    if (!result.ok) fail(`${result.error.message} [${result.error.code}]`);
    else console.log(`Removed: ${result.removed.join(', ')}.`);
  }
} finally {
  await store.close();
}
