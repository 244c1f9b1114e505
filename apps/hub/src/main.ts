/**
 * @module `npm start`: Tidings on the embedded default — SQLite under ./.tidings, the dispatcher
 * in-process, a demo tenant whose every channel is the dev sink — and the URLs to open.
 */
import { closeOnSignals } from '@tidings/http';
import { createHubspotApp } from '@tidings/hubspot';
import { createSalesforceApp } from '@tidings/salesforce';
import { createShopifyApp } from '@tidings/shopify';
import { createSourcesApp } from '@tidings/sources';
import { openStore } from '@tidings/store';
import { createWoocommerceApp } from '@tidings/woocommerce';
import { createZendeskApp } from '@tidings/zendesk';
import { buildHub } from './build-hub.ts';
import { ensureDemoTenant, resolveKeys } from './demo-tenant.ts';
import { readHubConfig } from './hub-config.ts';

const read = readHubConfig(process.env, process.cwd());
if (!read.ok) {
  console.error(
    `Tidings cannot start; fix the configuration:\n${read.problems.map((p) => `  - ${p}`).join('\n')}`,
  );
  process.exit(1);
}
const config = read.config;
const keys = resolveKeys(config);
let store: Awaited<ReturnType<typeof openStore>>;
try {
  store = await openStore(config.databaseUrl, { secretKey: keys.secretKey });
} catch (error) {
  console.error(
    `Tidings cannot open its database (${config.databaseUrl.replace(/\/\/[^@]*@/, '//…@')}): ${(error as Error).message}`,
  );
  process.exit(1);
}
const hub = await buildHub({
  store,
  clock: { now: () => new Date() },
  adminKey: keys.adminKey,
  dispatcher: config.dispatcher,
  logLevel: config.logLevel,
  print: (line) => console.log(line),
  // Each app answers 503 `*_not_configured` until its platform's credentials are set.
  apps: [
    (context) => createShopifyApp(context),
    createHubspotApp,
    createSalesforceApp,
    createZendeskApp,
    createWoocommerceApp,
    createSourcesApp,
  ],
  env: process.env,
  publicUrl: config.publicUrl,
  devSink: config.devSink,
  ...(config.slaHours !== undefined ? { slaHours: config.slaHours } : {}),
});
const demo = config.demo ? await ensureDemoTenant(store, config) : undefined;
try {
  await hub.app.listen({ port: config.port, host: config.host });
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(
    code === 'EADDRINUSE'
      ? `Tidings cannot listen on ${config.host}:${config.port}: the port is in use. Set PORT to another one.`
      : `Tidings cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
  );
  await hub.close();
  process.exit(1);
}
// The server stops taking requests first; then the background loops finish their batch.
closeOnSignals(hub.app, {
  steps: [
    async () => {
      await Promise.all([
        hub.dispatcher?.stop(),
        hub.writeBackWorker?.stop(),
        hub.scheduler?.stop(),
      ]);
    },
    () => store.close(),
  ],
});

const url = config.publicUrl;
console.log(`
Tidings is running on ${store.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}${config.dispatcher ? ' with the dispatcher in-process' : ' (dispatcher off)'}.
  Dev inbox      ${url}/dev/inbox
  Health         ${url}/healthz   ${url}/readyz
  Metrics        ${url}/metrics
  Admin API      ${url}/api   (operator key in ${keys.adminKeySource})
  Receipts       ${url}/receipts/<provider>/<tenant>
  Dev sink       ${config.devSink} (TIDINGS_DEV_SINK)${
    config.devSink === 'fallback'
      ? `
  WARNING        messages for channels without provider credentials go to the dev inbox, not to customers`
      : ''
  }${
    demo
      ? `
  Demo tenant    ${demo.tenantId} (no provider credentials: ${config.devSink === 'fallback' ? 'every channel is the dev sink' : 'nothing is sent until some are stored'}; its API key is in ${demo.keyFile})

Try it:  npx tidings simulate      then open ${url}/dev/inbox`
      : ''
  }
`);
