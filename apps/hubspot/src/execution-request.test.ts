import { parseOrderEvent } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import { type ExecutionRequest, toOrderEvent } from './execution-request.ts';

const request = (inputFields: Record<string, string>): ExecutionRequest => ({
  callbackId: 'ap-1',
  origin: { portalId: 42 },
  object: { objectId: '614', objectType: 'DEAL', properties: {} },
  inputFields: {
    status: 'dispatched',
    recipient_email: 'ada@example.com',
    recipient_phone: '+1 (415) 555-0100',
    ...inputFields,
  },
});
const at = { occurredAt: '2026-11-28T17:00:00.000Z' };

const mapped = (inputFields: Record<string, string>) => {
  const m = toOrderEvent(request(inputFields), at);
  if (!m.ok) throw new Error(m.error.message);
  const parsed = parseOrderEvent(m.event);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.event;
};

describe('toOrderEvent: the template and channel inputs', () => {
  it("become core's per-event notify choice, keeping every contact point", () => {
    const event = mapped({ template: 'delivered', channel: 'sms' });
    expect(event.notify).toEqual({ template: 'delivered', channels: ['sms'] });
    expect(event.recipients[0]?.contacts).toEqual({
      email: 'ada@example.com',
      sms: '+14155550100',
      whatsapp: '+14155550100',
    });
    // Still tagged, for tenant rules written against what the workflow chose.
    expect(event.order.tags).toEqual([
      'hubspot-object:deal',
      'tidings-template:delivered',
      'tidings-channel:sms',
    ]);
  });

  it('leave the choice to the rules when "auto" or empty', () => {
    expect(mapped({ template: 'auto', channel: 'auto' }).notify).toBeUndefined();
    expect(mapped({}).notify).toBeUndefined();
    expect(mapped({ channel: 'WhatsApp' }).notify).toEqual({ channels: ['whatsapp'] });
  });

  it('refuse a channel the action does not offer', () => {
    const m = toOrderEvent(request({ channel: 'pigeon' }), at);
    expect(m).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
