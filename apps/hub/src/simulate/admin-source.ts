/** @module `simulate --source admin` (the default): the journey through the hub's admin events API, with the tenant's API key. */
import { journey } from './journey.ts';
import type { SourceSetup } from './simulate-kit.ts';

const shipmentOf = (event: Record<string, unknown>): string => {
  const id = (event.shipment as { id?: string } | undefined)?.id;
  return id ? ` (${id})` : '';
};

export const adminSource: SourceSetup = async (context) => {
  const apiKey = context.apiKey;
  if (!apiKey) {
    throw new Error(
      'no API key: pass --key, set TIDINGS_API_KEY, or start the hub once (npm start) to create .tidings/demo-api.key',
    );
  }
  const orderRef = context.orderRef ?? `sim-${Date.now().toString(36)}`;
  const path = `/api/tenants/${encodeURIComponent(context.tenantId)}/events`;
  return {
    tenantId: context.tenantId,
    orderRef,
    steps: journey(orderRef, context.base).map((event) => ({
      via: 'admin',
      label: `${String(event.status)}${shipmentOf(event)}`,
      request: () => ({
        path,
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(event),
      }),
    })),
  };
};
