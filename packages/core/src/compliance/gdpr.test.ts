import { describe, expect, it } from 'vitest';
import { orderEvent } from '../testing/events.ts';
import { consent, NY_PHONE, nyCustomer } from './candidate-builder.ts';
import { erasePersonalData, exportPersonalData, REDACTED } from './gdpr.ts';

const ana = nyCustomer({ name: 'Ana Lima', id: 'crm-7' });
const staff = { role: 'staff' as const, name: 'Sam', contacts: { email: 'sam@shop.example' } };
const data = {
  events: [
    orderEvent({ status: 'created', occurredAt: '2026-06-01T10:00:00Z', recipients: [ana, staff] }),
    orderEvent({ status: 'dispatched', occurredAt: '2026-06-02T10:00:00Z', recipients: [ana] }),
    orderEvent({ status: 'created', orderRef: 'order-2', recipients: [staff] }),
  ],
  consents: [
    consent({ state: 'opted_in', contact: '+1 (212) 555-0100' }),
    consent({ state: 'opted_in', channel: 'email', contact: 'sam@shop.example' }),
  ],
};

describe('GDPR', () => {
  it('exports the person’s recipient entries, orders with statuses and consent history', () => {
    const out = exportPersonalData({ email: 'ANA@example.com' }, data);
    expect(out.recipients).toHaveLength(2);
    expect(out.orders).toEqual([
      {
        tenantId: 'shop-1',
        orderRef: 'order-1001',
        orderNumber: '#1001',
        statuses: [
          { status: 'created', occurredAt: '2026-06-01T10:00:00Z' },
          { status: 'dispatched', occurredAt: '2026-06-02T10:00:00Z' },
        ],
      },
    ]);
    expect(exportPersonalData({ phone: NY_PHONE }, data).consents).toHaveLength(1);
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('erases the person’s data but keeps the events and everyone else', () => {
    const erased = erasePersonalData({ phone: '+1 212-555-0100' }, data);
    expect(erased.events).toHaveLength(3);
    expect(erased.events[0]?.recipients).toEqual([
      { role: 'customer', id: REDACTED, name: REDACTED, contacts: {} },
      staff,
    ]);
    expect(erased.consents[0]?.contact).toBe(REDACTED);
    expect(erased.consents[1]).toEqual(data.consents[1]);
    expect(exportPersonalData({ email: 'ana@example.com' }, erased).recipients).toEqual([]);
  });
});
