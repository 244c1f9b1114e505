import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventsApiBodySchema, eventsApiJsonSchema } from './event-body.ts';

const examples = readdirSync(new URL('./examples/', import.meta.url)).filter((f) =>
  f.endsWith('.json'),
);

describe('the canonical event body', () => {
  it.each(examples)('accepts the documented example %s', (name) => {
    const body = JSON.parse(readFileSync(new URL(`./examples/${name}`, import.meta.url), 'utf8'));
    const parsed = EventsApiBodySchema.safeParse(body);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('refuses fields it does not know, and the ones the API sets itself', () => {
    const base = {
      sourceEventId: 'e1',
      orderRef: 'o1',
      occurredAt: '2026-01-01T00:00:00Z',
      status: 'created',
      raw: { value: 'new' },
      order: { number: '1' },
    };
    expect(EventsApiBodySchema.safeParse(base).success).toBe(true);
    expect(EventsApiBodySchema.safeParse({ ...base, stauts: 'created' }).success).toBe(false);
    expect(EventsApiBodySchema.safeParse({ ...base, tenantId: 'other' }).success).toBe(false);
    expect(EventsApiBodySchema.safeParse({ ...base, source: 'shopify' }).success).toBe(false);
  });

  it('publishes a JSON Schema naming every required field', () => {
    const schema = eventsApiJsonSchema() as {
      required?: string[];
      properties?: Record<string, unknown>;
    };
    expect(schema.required).toEqual(
      expect.arrayContaining(['sourceEventId', 'orderRef', 'occurredAt', 'status', 'raw', 'order']),
    );
    expect(Object.keys(schema.properties ?? {})).not.toContain('tenantId');
  });
});
