/** @module The simulated order journey as canonical events (the admin and signed events APIs take them). */

export const iso = (base: number, minutes: number) =>
  new Date(base + minutes * 60_000).toISOString();

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
