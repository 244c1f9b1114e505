import { describe, expect, it } from 'vitest';
import { mapZendeskPayload, toE164, toLocale } from './trigger-payload.ts';

const ctx = {
  tenantId: 'acme',
  now: '2026-11-28T15:00:00.000Z',
  mappings: {
    zendesk: {
      order_status: { order_shipped: { status: 'dispatched' as const } },
      tag: {
        shipped: { status: 'dispatched' as const },
        delayed: {
          status: 'delayed' as const,
          overlay: 'delayed' as const,
          reason: 'carrier' as const,
        },
      },
    },
  },
};
const raw = (v: unknown) => Buffer.from(JSON.stringify(v));
const template = (ticket: Record<string, string>) => ({
  tidings: 'zendesk-trigger/1',
  ticket: { id: '7', order_number: 'A-1', ...ticket },
});

describe('mapZendeskPayload', () => {
  it('gives the same event id to the same rendered body and a new one to a new rendering', () => {
    const a = template({ order_status: 'order_shipped', updated_at: '2026-11-28T14:00Z' });
    const b = template({ order_status: 'order_shipped', updated_at: '2026-11-28T14:01Z' });
    const ida = mapZendeskPayload(a, raw(a), ctx);
    const again = mapZendeskPayload(a, raw(a), ctx);
    const idb = mapZendeskPayload(b, raw(b), ctx);
    if (
      !ida.ok ||
      ida.kind !== 'event' ||
      !again.ok ||
      again.kind !== 'event' ||
      !idb.ok ||
      idb.kind !== 'event'
    )
      throw new Error('mapped');
    expect(again.event.sourceEventId).toBe(ida.event.sourceEventId);
    expect(idb.event.sourceEventId).not.toBe(ida.event.sourceEventId);
    expect(ida.event.sourceEventId).toMatch(/^ticket:7:body:[0-9a-f]{32}$/);
  });

  it('ignores unmapped tags but refuses two mapped tags that disagree', () => {
    const one = template({ tags: 'vip wismo delayed' });
    expect(mapZendeskPayload(one, raw(one), ctx)).toMatchObject({
      ok: true,
      event: { status: 'delayed' },
    });
    const two = template({ tags: 'shipped delayed' });
    expect(mapZendeskPayload(two, raw(two), ctx)).toMatchObject({
      ok: false,
      error: { code: 'ambiguous_status' },
    });
    const none = template({ tags: 'vip' });
    expect(mapZendeskPayload(none, raw(none), ctx)).toMatchObject({
      ok: false,
      error: { code: 'no_order_status' },
    });
  });

  it('never maps the ticket’s own status (open, solved) as an order status', () => {
    const body = template({ order_status: 'solved' });
    expect(mapZendeskPayload(body, raw(body), ctx)).toMatchObject({
      ok: false,
      error: { code: 'unknown_status' },
    });
  });

  it('refuses a ticket id that is not a number', () => {
    const body = template({ id: '{{ticket.id}}', order_status: 'order_shipped' });
    expect(mapZendeskPayload(body, raw(body), ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
  });
});

describe('contact clean-up', () => {
  it.each([
    ['+1 (415) 555-0100', '+14155550100'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['415-555-0100', undefined],
    ['', undefined],
  ])('phone %s → %s', (input, expected) => {
    expect(toE164(input)).toBe(expected);
  });

  it.each([
    ['fr-CA', 'fr-CA'],
    ['French', 'fr'],
    ['de', 'de'],
    ['Klingon (Qo’noS)', undefined],
  ])('language %s → %s', (input, expected) => {
    expect(toLocale(input)).toBe(expected);
  });
});
