/**
 * @module `tidings simulate`: drives a realistic order journey through the hub's real HTTP API —
 * created → processing → split into two shipments → dispatched → delayed → out for delivery →
 * delivered — and waits until the dispatcher has delivered what it planned.
 */

export interface SimulateOptions {
  baseUrl: string;
  tenantId: string;
  apiKey: string;
  orderRef?: string;
  /** Progress lines go here. */
  print?: (line: string) => void;
  /** How long to wait for the dispatcher to drain, in ms. */
  waitMs?: number;
  fetch?: typeof fetch;
}

export interface SimulateResult {
  orderRef: string;
  events: number;
  accepted: number;
  intents: number;
  messages: number;
}

const iso = (base: number, minutes: number) => new Date(base + minutes * 60_000).toISOString();

/** The journey's events, as the generic events API takes them. */
export const journey = (orderRef: string, base: number): Record<string, unknown>[] => {
  const customer = {
    role: 'customer',
    name: 'Camille Dupont',
    locale: 'fr-CA',
    timeZone: 'America/Toronto',
    country: 'CA',
    region: 'CA-QC',
    contacts: { email: 'camille@example.com', sms: '+15145550100' },
  };
  const order = {
    number: `#${1000 + (base % 9000)}`,
    total: { amount: '86.40', currency: 'CAD' },
    lineItems: [
      { id: 'l1', title: 'Blue Ceramic Mug', quantity: 2, categories: ['kitchen'] },
      { id: 'l2', title: 'Loose Leaf Tea', quantity: 1, categories: ['food'] },
    ],
  };
  const parcel = (id: string, tracking: string) => ({
    id,
    carrier: 'UPS',
    trackingNumber: tracking,
    trackingUrl: `https://www.ups.com/track?tracknum=${tracking}`,
  });
  const s1 = parcel('s1', '1Z999AA10123456784');
  const s2 = parcel('s2', '1Z999AA10123456785');
  const steps: [string, Record<string, unknown>][] = [
    ['created', {}],
    ['processing', {}],
    ['split_shipment', { overlay: { kind: 'split_shipment', reason: 'partial_fulfillment' } }],
    ['dispatched', { shipment: s1 }],
    ['dispatched', { shipment: s2 }],
    [
      'delayed',
      {
        shipment: s2,
        overlay: {
          kind: 'delayed',
          reason: 'weather',
          promisedDate: iso(base, 60 * 24 * 4).slice(0, 10),
        },
      },
    ],
    ['out_for_delivery', { shipment: s1 }],
    ['delivered', { shipment: s1 }],
    ['out_for_delivery', { shipment: s2 }],
    ['delivered', { shipment: s2 }],
  ];
  return steps.map(([status, extra], i) => ({
    source: 'api',
    sourceEventId: `${orderRef}:${i}:${status}`,
    orderRef,
    occurredAt: iso(base, i * 5),
    status,
    raw: { value: status },
    recipients: [customer],
    order,
    ...extra,
  }));
};

/** Sends the journey and waits for its messages; throws with a clear message when it cannot. */
export const simulate = async (options: SimulateOptions): Promise<SimulateResult> => {
  const http = options.fetch ?? fetch;
  const print = options.print ?? (() => {});
  const orderRef = options.orderRef ?? `sim-${Date.now().toString(36)}`;
  const headers = { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' };
  const events = journey(orderRef, Date.now() - 60 * 60_000);
  let accepted = 0;
  let intents = 0;
  for (const [i, body] of events.entries()) {
    const res = await http(
      `${options.baseUrl}/api/tenants/${encodeURIComponent(options.tenantId)}/events`,
      {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      },
    ).catch((cause: unknown) => {
      throw new Error(`Cannot reach ${options.baseUrl}: is the hub running (npm start)?`, {
        cause,
      });
    });
    const answer = (await res.json().catch(() => ({}))) as {
      outcome?: string;
      intents?: number;
      error?: { code: string; message: string };
    };
    if (!res.ok) {
      throw new Error(
        `The hub refused event ${i + 1} (${res.status} ${answer.error?.code ?? ''}): ${answer.error?.message ?? ''}`,
      );
    }
    if (answer.outcome === 'accepted') accepted += 1;
    intents += answer.intents ?? 0;
    print(
      `[${i + 1}/${events.length}] ${String(body.status)}${(body.shipment as { id?: string } | undefined)?.id ? ` (${(body.shipment as { id: string }).id})` : ''} → ${answer.outcome}, ${answer.intents ?? 0} message(s) planned`,
    );
  }
  const deadline = Date.now() + (options.waitMs ?? 15_000);
  let messages = 0;
  for (;;) {
    const res = await http(
      `${options.baseUrl}/dev/inbox.json?tenant=${encodeURIComponent(options.tenantId)}`,
    );
    const inbox = (await res.json()) as { messages: { orderRef: string }[] };
    messages = inbox.messages.filter((m) => m.orderRef === orderRef).length;
    if (messages >= intents || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  print(`${messages} of ${intents} planned message(s) delivered to the dev sink.`);
  return { orderRef, events: events.length, accepted, intents, messages };
};
