/**
 * @module `tidings simulate`: drives a realistic order journey through the hub's real HTTP
 * endpoints — created → processing → split into two shipments → dispatched → delayed → out for
 * delivery → delivered — as far as the chosen source platform can express it, with correctly
 * signed requests, and waits until the dispatcher has delivered what it planned.
 */
import { adminSource } from './simulate/admin-source.ts';
import { aftershipSource } from './simulate/aftership-source.ts';
import { apiSource } from './simulate/api-source.ts';
import { hubspotSource } from './simulate/hubspot-source.ts';
import { salesforceSource } from './simulate/salesforce-source.ts';
import { shopifySource } from './simulate/shopify-source.ts';
import {
  reach,
  SIMULATE_SOURCES,
  type SimulateSource,
  type SourceSetup,
} from './simulate/simulate-kit.ts';
import { woocommerceSource } from './simulate/woocommerce-source.ts';
import { zendeskSource } from './simulate/zendesk-source.ts';

export { journey } from './simulate/journey.ts';
export { SIMULATE_SOURCES, type SimulateSource } from './simulate/simulate-kit.ts';

export interface SimulateOptions {
  baseUrl: string;
  tenantId: string;
  /** Which platform the journey comes from; `admin` (the default) is the admin events API. */
  source?: SimulateSource;
  /** The tenant's API key: needed by the `admin` source. */
  apiKey?: string;
  /** The operator key: every other source sets itself up on the tenant with it. */
  adminKey?: string;
  /** The Shopify app's client secret the hub runs with (`SHOPIFY_API_SECRET`). */
  shopifySecret?: string;
  /** The HubSpot app's client secret the hub runs with (`HUBSPOT_CLIENT_SECRET`). */
  hubspotSecret?: string;
  /** The hub's `TIDINGS_PUBLIC_URL`, which HubSpot signs; defaults to `baseUrl`. */
  publicUrl?: string;
  orderRef?: string;
  /** Progress lines go here. */
  print?: (line: string) => void;
  /** How long to wait for the dispatcher to drain, in ms. */
  waitMs?: number;
  fetch?: typeof fetch;
}

export interface SimulateResult {
  source: SimulateSource;
  /** Where the journey landed (a Shopify shop is its own tenant). */
  tenantId: string;
  orderRef: string;
  events: number;
  accepted: number;
  intents: number;
  messages: number;
}

const SOURCES: Record<SimulateSource, SourceSetup> = {
  admin: adminSource,
  api: apiSource,
  woocommerce: woocommerceSource,
  shopify: shopifySource,
  zendesk: zendeskSource,
  aftership: aftershipSource,
  hubspot: hubspotSource,
  salesforce: salesforceSource,
};

interface Answer {
  outcome?: string;
  intents?: number;
  events?: { outcome?: string; intents?: number }[];
  reason?: string;
  error?: { code?: string; message?: string };
}

/** What to do about a refusal, in the words of the platform that was refused. */
const advice = (via: string, status: number, code: string): string => {
  if (code.endsWith('_not_configured') && via === 'shopify')
    return ' Start the hub with SHOPIFY_API_KEY=… SHOPIFY_API_SECRET=… (and run simulate with the same SHOPIFY_API_SECRET), or use --source api.';
  if (code === 'bad_signature' && via === 'shopify')
    return ' simulate signs with its own SHOPIFY_API_SECRET: set it to the value the hub runs with.';
  if (code === 'not_configured' && via === 'hubspot')
    return ' Start the hub with HUBSPOT_CLIENT_ID=… HUBSPOT_CLIENT_SECRET=… (and run simulate with the same HUBSPOT_CLIENT_SECRET), or use --source api.';
  if (code === 'bad_signature' && via === 'hubspot')
    return " simulate signs with its own HUBSPOT_CLIENT_SECRET over the hub's TIDINGS_PUBLIC_URL: set both to the values the hub runs with.";
  if (code.endsWith('_not_configured'))
    return ` Configure the ${via} app on the hub, or use --source api.`;
  if (status === 404 && code === 'not_found')
    return ` Does the hub mount the ${via} app, and does the tenant exist? Pass --tenant, or use --source api.`;
  if (code === 'stale_request') return ' The clocks of this machine and the hub differ: sync them.';
  return '';
};

/**
 * Sends the journey from `options.source` and waits for its messages; throws with a message that
 * says what to do when it cannot.
 */
export const simulate = async (options: SimulateOptions): Promise<SimulateResult> => {
  const http = options.fetch ?? fetch;
  const print = options.print ?? (() => {});
  const source = options.source ?? 'admin';
  const setup = SOURCES[source];
  if (!setup) {
    throw new Error(`unknown source "${source}": use one of ${SIMULATE_SOURCES.join(', ')}`);
  }
  const context = {
    baseUrl: options.baseUrl,
    tenantId: options.tenantId,
    orderRef: options.orderRef,
    apiKey: options.apiKey,
    adminKey: options.adminKey,
    shopifySecret: options.shopifySecret,
    hubspotSecret: options.hubspotSecret,
    publicUrl: (options.publicUrl ?? options.baseUrl).replace(/\/$/, ''),
    http,
    print,
    base: Date.now() - 60 * 60_000,
  };
  const plan = await setup(context);
  let accepted = 0;
  let intents = 0;
  for (const [i, step] of plan.steps.entries()) {
    const { path, headers, body } = step.request();
    const res = await reach(context, path, { method: 'POST', headers, body });
    const answer = (await res.json().catch(() => ({}))) as Answer;
    if (res.ok && step.interpret) {
      const read = step.interpret(answer);
      if (read.refusal !== undefined) {
        throw new Error(
          `The hub turned down ${step.via} step ${i + 1} (${step.label}): ${read.refusal}`,
        );
      }
      if (read.accepted) accepted += 1;
      intents += read.intents ?? 0;
      print(`[${i + 1}/${plan.steps.length}] ${step.via} ${step.label} → ${read.summary}`);
      continue;
    }
    if (!res.ok) {
      const code = answer.error?.code ?? '';
      throw new Error(
        `The hub refused ${step.via} step ${i + 1} (${step.label}): ${res.status} ${code} ${answer.error?.message ?? ''}`.trimEnd() +
          advice(step.via, res.status, code),
      );
    }
    const planned =
      answer.intents ?? (answer.events ?? []).reduce((n, e) => n + (e.intents ?? 0), 0);
    if (answer.outcome === 'ignored') {
      throw new Error(
        `The hub ignored ${step.via} step ${i + 1} (${step.label}): ${answer.reason ?? 'no reason given'}. Is tenant ${plan.tenantId} active?`,
      );
    }
    if (answer.outcome === 'accepted') accepted += 1;
    intents += planned;
    print(
      `[${i + 1}/${plan.steps.length}]${source === 'admin' ? '' : ` ${step.via}`} ${step.label} → ${answer.outcome}, ${planned} message(s) planned`,
    );
  }
  // Platforms that answer per record, not per message, leave the count to the hub's timeline.
  if (plan.countIntents) intents = await plan.countIntents();
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  let messages = 0;
  for (;;) {
    const res = await reach(
      context,
      `/dev/inbox.json?tenant=${encodeURIComponent(plan.tenantId)}`,
      {
        method: 'GET',
      },
    );
    const inbox = (await res.json()) as { messages: { orderRef: string }[] };
    messages = inbox.messages.filter((m) => m.orderRef === plan.orderRef).length;
    if (messages >= intents || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  print(`${messages} of ${intents} planned message(s) delivered to the dev sink.`);
  return {
    source,
    tenantId: plan.tenantId,
    orderRef: plan.orderRef,
    events: plan.steps.length,
    accepted,
    intents,
    messages,
  };
};
