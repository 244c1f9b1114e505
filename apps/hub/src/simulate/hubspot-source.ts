/**
 * @module `simulate --source hubspot`: the workflow action's execution requests as HubSpot POSTs
 * them to `/hubspot/actions/notify` (the custom-action reference's example body, with this
 * action's input fields), signed with `X-HubSpot-Signature-v3` over the URL HubSpot calls — the
 * hub's `TIDINGS_PUBLIC_URL` — and the app's client secret. A portal is its own tenant (the portal
 * id), created with the named tenant's settings. One deal moves through the journey: the first
 * step is its deal stage (`closedwon`, through core's HubSpot vocabulary), the rest are statuses
 * set statically, and "out for delivery" picks SMS in the action's channel field. A deal has no
 * parcels, so there is no split and one dispatch stands for the order. No OAuth tokens are stored:
 * without them the app skips timeline notes, and HubSpot is never called.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hubspotSignatureV3 } from '@tidings/hubspot';
import { journeyFacts, operatorApi, type SimStep, type SourceSetup } from './simulate-kit.ts';

const ACTION_PATH = '/hubspot/actions/notify';

/** A portal id for a tenant name: the name itself when it is one, else a stable 9-digit number. */
const portalIdOf = (tenantId: string): number => {
  if (/^[1-9]\d{0,14}$/.test(tenantId)) return Number(tenantId);
  const digest = createHash('sha256').update(tenantId).digest();
  return 100_000_000 + (digest.readUInt32BE(0) % 900_000_000);
};

/** What the workflow's action fields hold at each step. */
const STEPS: { status: string; label: string; channel?: string }[] = [
  { status: 'closedwon', label: 'deal stage closedwon → created' },
  { status: 'processing', label: 'processing' },
  { status: 'dispatched', label: 'dispatched' },
  { status: 'delayed', label: 'delayed' },
  { status: 'out_for_delivery', label: 'out_for_delivery, channel SMS', channel: 'sms' },
  { status: 'delivered', label: 'delivered' },
];

interface ActionAnswer {
  outputFields?: Record<string, string>;
}

export const hubspotSource: SourceSetup = async (context) => {
  const operator = operatorApi(context, 'hubspot');
  const portalId = portalIdOf(context.tenantId);
  const tenantId = String(portalId);
  await operator.ensureTenantLike(tenantId, context.tenantId, 'HubSpot portal', context.print);
  // Without the secret the requests are still sent: the hub's answer says what is missing.
  const secret = context.hubspotSecret ?? 'simulate-has-no-HUBSPOT_CLIENT_SECRET';
  const facts = journeyFacts(context.base);
  const orderRef = context.orderRef ?? `sim-${Date.now().toString(36)}`;
  const dealId = 10_000_000_000 + (context.base % 1_000_000_000);
  const workflowId = 192_814_114;
  const steps: SimStep[] = STEPS.map((step, i) => ({
    via: 'hubspot',
    label: `deal ${dealId}: ${step.label}`,
    request: () => {
      const body = JSON.stringify({
        callbackId: `ap-${portalId}-${dealId}-${i + 1}-${randomUUID().slice(0, 8)}`,
        origin: {
          portalId,
          actionDefinitionId: 10_860_211,
          actionDefinitionVersion: 1,
          extensionDefinitionId: 10_860_211,
          extensionDefinitionVersionId: 1,
        },
        context: { source: 'WORKFLOWS', workflowId },
        object: { objectId: dealId, objectType: 'DEAL' },
        inputFields: {
          status: step.status,
          recipient_email: facts.customer.email,
          recipient_phone: facts.customer.phone,
          order_reference: orderRef,
          ...(step.channel ? { channel: step.channel } : {}),
        },
      });
      const timestamp = String(Date.now());
      return {
        path: ACTION_PATH,
        headers: {
          'content-type': 'application/json',
          'x-hubspot-request-timestamp': timestamp,
          'x-hubspot-signature-v3': hubspotSignatureV3(
            secret,
            'POST',
            `${context.publicUrl}${ACTION_PATH}`,
            body,
            timestamp,
          ),
        },
        body,
      };
    },
    interpret: (answer) => {
      const out = (answer as ActionAnswer).outputFields ?? {};
      const state = out.hs_execution_state ?? '(no hs_execution_state)';
      const summary = `${state} ${out.tidings_outcome ?? ''} (${out.tidings_reason ?? ''})`;
      return state === 'FAIL_CONTINUE' || out.tidings_outcome === undefined
        ? { accepted: false, summary, refusal: summary }
        : { accepted: true, summary };
    },
  }));
  context.print(
    'HubSpot deals carry an order-wide status: one dispatch for both parcels, no per-parcel scans',
  );
  return {
    tenantId,
    orderRef,
    steps,
    countIntents: () => operator.intentCount(tenantId, orderRef),
  };
};
