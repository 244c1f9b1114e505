import { describe, expect, it } from 'vitest';
import { idString, parseJsonKeepingIds } from './json-ids.ts';

describe('parseJsonKeepingIds', () => {
  it('keeps every digit of a 64-bit id that a double would round', () => {
    const r = parseJsonKeepingIds('{"id": 820982911946154508, "n": 3, "price": 12.5}');
    expect(r).toEqual({ ok: true, value: { id: '820982911946154508', n: 3, price: 12.5 } });
  });

  it('reports malformed JSON as a value with a stable code', () => {
    expect(parseJsonKeepingIds('{"id":')).toMatchObject({
      ok: false,
      error: { code: 'malformed_json' },
    });
  });
});

describe('idString', () => {
  it('reads numbers, digit strings and GIDs alike', () => {
    expect(idString(42)).toBe('42');
    expect(idString('820982911946154508')).toBe('820982911946154508');
    expect(idString('gid://shopify/FulfillmentEvent/9191')).toBe('9191');
    expect(idString('abc')).toBeUndefined();
  });
});
