/**
 * @module `npm run bench` for core: planner throughput on a realistic event, and our render path
 * against a bare liquidjs render of the same parsed templates, measured in one run as ratios.
 */
import { Liquid, type Template } from 'liquidjs';
import {
  advance,
  defaultTemplateParts,
  emptyOrderState,
  type OrderEvent,
  OrderEventSchema,
  parseTenantConfig,
  plan,
  type RenderRequest,
  renderTemplate,
} from '../src/index.ts';
import { ORDER_FILTERS } from '../src/templates/template-filters.ts';
import { sampleContext } from '../src/templates/template-fixtures.ts';

const MEASURE_MS = Number(process.env.TIDINGS_BENCH_MS ?? 1500);
const ROUNDS = 3;

/** Runs `fn` in batches for about `ms` milliseconds and returns calls per second. */
const rate = (fn: () => void, ms: number): number => {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 200; i++) fn();
    calls += 200;
    elapsed = performance.now() - start;
  }
  return (calls * 1000) / elapsed;
};

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

// --- the planner: default rules, three customer channels, a team channel, compliance included ---
const customer = {
  role: 'customer' as const,
  name: 'Camille Dupont',
  locale: 'fr-CA',
  timeZone: 'America/Toronto',
  country: 'CA',
  region: 'CA-ON',
  contacts: { sms: '+15145550100', email: 'camille@example.com', whatsapp: '+15145550100' },
};
const base = {
  tenantId: 'shop-1',
  source: 'shopify' as const,
  orderRef: 'gid://shopify/Order/5678901234567890123',
  recipients: [customer],
  order: {
    number: '#1001',
    total: { amount: '123.45', currency: 'CAD' },
    lineItems: [
      { id: 'l1', title: 'Blue Ceramic Mug', quantity: 2, categories: ['kitchen'] },
      { id: 'l2', title: 'Loose Leaf Tea', quantity: 1, categories: ['food'] },
    ],
  },
};
const event = (status: string, id: string, at: string, shipment?: string): OrderEvent =>
  OrderEventSchema.parse({
    ...base,
    sourceEventId: id,
    occurredAt: at,
    status,
    raw: { value: status },
    ...(shipment
      ? { shipment: { id: shipment, carrier: 'UPS', trackingNumber: '1Z999AA10123456784' } }
      : {}),
  });
let state = emptyOrderState('shop-1', base.orderRef);
state = advance(state, event('created', 'e1', '2026-11-28T14:00:00Z')).state;
state = advance(state, event('processing', 'e2', '2026-11-28T14:05:00Z')).state;
const dispatched = event('dispatched', 'e3', '2026-11-28T15:00:00Z', 'f1');
const parsedConfig = parseTenantConfig({
  tenantId: 'shop-1',
  name: 'Acme',
  defaultTimeZone: 'America/Toronto',
  channelPreferences: { customer: ['sms', 'email', 'whatsapp'], internal: ['slack'] },
});
if (!parsedConfig.ok) throw new Error(parsedConfig.error.message);
const config = parsedConfig.config;
const now = '2026-11-28T17:00:00Z';
const sanity = plan(dispatched, state, config, now);
if (sanity.intents.length !== 1)
  throw new Error(`expected one intent, got ${sanity.intents.length}`);

// --- rendering: ours (lookup with fr-CA → fr fallback, sandbox limits, our filters) vs bare ---
const context = sampleContext('dispatched');
const requests: RenderRequest[] = (['sms', 'email'] as const).map((channel) => ({
  templateKey: 'dispatched',
  channel,
  locale: 'fr-CA',
  timeZone: 'America/Toronto',
  rewrites: [],
  context,
}));
for (const r of requests) {
  const result = renderTemplate(r);
  if (!result.ok) throw new Error(`${r.channel}: ${result.error.message}`);
}
const bare = new Liquid();
for (const [name, filter] of Object.entries(ORDER_FILTERS)) bare.registerFilter(name, filter);
const globals = {
  locale: 'fr-CA',
  language: 'fr',
  time_zone: 'America/Toronto',
  rewrites: {},
};
const bareTemplates: Template[][][] = requests.map((r) => {
  const parts = defaultTemplateParts(r.templateKey, r.channel, 'fr');
  if (!parts) throw new Error(`no default ${r.channel} template`);
  return Object.values(parts).map((source) => bare.parse(source));
});
const [smsRequest, emailRequest] = requests as [RenderRequest, RenderRequest];
let flip = 0;
const ours = () => {
  flip ^= 1;
  renderTemplate(flip ? smsRequest : emailRequest);
};
const bareRender = () => {
  flip ^= 1;
  for (const tpl of bareTemplates[flip ? 0 : 1] ?? []) bare.renderSync(tpl, context, { globals });
};

const plans: number[] = [];
const renders: number[] = [];
const bares: number[] = [];
rate(() => plan(dispatched, state, config, now), 300);
rate(ours, 300);
rate(bareRender, 300);
for (let round = 0; round < ROUNDS; round++) {
  plans.push(rate(() => plan(dispatched, state, config, now), MEASURE_MS));
  // Interleaved, so both sides see the same machine load.
  renders.push(rate(ours, MEASURE_MS));
  bares.push(rate(bareRender, MEASURE_MS));
}
const p = median(plans);
const r = median(renders);
const b = median(bares);
console.log(`plans/s per round: ${plans.map((x) => x.toFixed(0)).join(', ')}`);
console.log(
  `renders/s per round (ours, sms+email alternating): ${renders.map((x) => x.toFixed(0)).join(', ')}`,
);
console.log(`bare liquidjs renders/s per round: ${bares.map((x) => x.toFixed(0)).join(', ')}`);
console.log(
  `core bench: plans_per_s=${p.toFixed(0)} renders_per_s=${r.toFixed(0)} bare_renders_per_s=${b.toFixed(0)} ratio=${(r / b).toFixed(2)}`,
);
