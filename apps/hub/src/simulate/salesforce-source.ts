/**
 * @module `simulate --source salesforce`: Order status changes as the org's Apex (Flow action,
 * trigger or queueable) posts them to `/salesforce/events` — the envelope `{ orgId, sentAt, events }`
 * signed `X-Tidings-Signature: v1=hex(HMAC-SHA256(org secret, raw body))` with `sentAt` inside the
 * signed body. An org is its own tenant (the 18-character org id), created with the named
 * tenant's settings; the simulator gives it a new signing secret and maps the org's custom Order
 * Status values (`Activated` is built in). "Out for delivery" asks for SMS in the action's channel
 * field. An Order has no parcels here, so there is no split and one dispatch stands for the order.
 */
import { createHash } from 'node:crypto';
import { signBody, toOrgId18 } from '@tidings/salesforce';
import {
  journeyFacts,
  newSecret,
  operatorApi,
  type SimStep,
  type SourceSetup,
} from './simulate-kit.ts';

const EVENTS_PATH = '/salesforce/events';

/** The org's Status picklist values beyond Draft/Activated, as an admin maps them. */
const ORG_STATUSES = {
  'In Fulfillment': { status: 'processing' },
  Shipped: { status: 'dispatched' },
  Delayed: { status: 'delayed', overlay: 'delayed', reason: 'carrier' },
  'Out for Delivery': { status: 'out_for_delivery' },
  Delivered: { status: 'delivered' },
} as const;

const STEPS: { status: string; channel?: string }[] = [
  { status: 'Activated' },
  { status: 'In Fulfillment' },
  { status: 'Shipped' },
  { status: 'Delayed' },
  { status: 'Out for Delivery', channel: 'sms' },
  { status: 'Delivered' },
];

/** An org id for a tenant name: the name itself when it is one, else a stable made-up one. */
const orgIdOf = (tenantId: string): string => {
  const given = toOrgId18(tenantId);
  if (given) return given;
  const body = createHash('sha256')
    .update(tenantId)
    .digest('hex')
    .slice(0, 12)
    .toUpperCase()
    .replace(/[^0-9A-Z]/g, '0');
  return toOrgId18(`00D${body}`) as string;
};

interface EventsAnswer {
  results?: { outcome?: string; reason?: string; detail?: string }[];
}

export const salesforceSource: SourceSetup = async (context) => {
  const operator = operatorApi(context, 'salesforce');
  const orgId = orgIdOf(context.tenantId);
  await operator.ensureTenantLike(orgId, context.tenantId, 'Salesforce org', context.print);
  const signingSecret = newSecret();
  await operator.putCredential(orgId, 'salesforce', { signingSecret });
  context.print(`set up: a new Salesforce signing secret on ${orgId}`);
  await operator.mergeMappings(orgId, 'salesforce', 'Status', ORG_STATUSES);
  context.print(`set up: the org's Order Status values mapped on ${orgId}`);
  context.print(
    'Salesforce Orders carry an order-wide status: one dispatch for both parcels, no per-parcel scans',
  );
  const facts = journeyFacts(context.base);
  if (
    context.orderRef !== undefined &&
    !/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(context.orderRef)
  )
    throw new Error(
      'Salesforce Order ids are 15 or 18 letters and digits: pass --order with one, or omit it',
    );
  const orderRef = context.orderRef ?? `801${String(context.base).slice(-12).padStart(12, '0')}`;
  const orderNumber = String(100 + (context.base % 9_000_000)).padStart(8, '0');
  const steps: SimStep[] = STEPS.map((step, i) => ({
    via: 'salesforce',
    label: `Order ${orderNumber} Status → ${step.status}${step.channel ? ', channel SMS' : ''}`,
    request: () => {
      const body = JSON.stringify({
        orgId,
        sentAt: new Date().toISOString(),
        events: [
          {
            orderId: orderRef,
            orderNumber,
            status: step.status,
            ...(i > 0 ? { previousStatus: STEPS[i - 1]?.status } : {}),
            lastModifiedDate: facts.at(i * 5),
            ...(step.channel ? { channel: step.channel } : {}),
            customer: {
              name: `${facts.customer.firstName} ${facts.customer.lastName}`,
              email: facts.customer.email,
              phone: facts.customer.phone,
              locale: facts.customer.locale,
            },
          },
        ],
      });
      return {
        path: EVENTS_PATH,
        headers: {
          'content-type': 'application/json',
          'x-tidings-org-id': orgId,
          'x-tidings-signature': signBody(signingSecret, body),
        },
        body,
      };
    },
    interpret: (answer) => {
      const [result] = (answer as EventsAnswer).results ?? [];
      const summary = `${result?.outcome ?? '(no result)'} (${result?.reason ?? ''})`;
      return result?.outcome === 'rejected' || result === undefined
        ? { accepted: false, summary, refusal: `${summary} ${result?.detail ?? ''}`.trim() }
        : { accepted: true, summary };
    },
  }));
  return {
    tenantId: orgId,
    orderRef,
    steps,
    countIntents: () => operator.intentCount(orgId, orderRef),
  };
};
