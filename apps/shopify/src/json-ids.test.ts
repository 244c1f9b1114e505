import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { idString, parseJsonKeepingIds } from './json-ids.ts';

describe('parseJsonKeepingIds', () => {
  it('keeps every digit of a 64-bit id that a double would round', () => {
    const r = parseJsonKeepingIds('{"id": 820982911946154508, "n": 3, "price": 12.5}');
    expect(r).toEqual({ ok: true, value: { id: '820982911946154508', n: 3, price: 12.5 } });
  });

  it('leaves digits inside strings, floats, exponents and safe integers alone', () => {
    const text = String.raw`{"note": "ref 820982911946154508 \"q\" 9007199254740993", "a": [-9223372036854775807, 1234567890123456, 0.12345678901234567890, 12345678901234567.5, 1e12345678901234567, 1234567890123456789e2], "b": {"c": 9007199254740993}}`;
    const r = parseJsonKeepingIds(text);
    expect(r).toEqual({
      ok: true,
      value: {
        note: 'ref 820982911946154508 "q" 9007199254740993',
        a: [
          '-9223372036854775807',
          1234567890123456,
          0.12345678901234568,
          12345678901234568,
          Number.POSITIVE_INFINITY,
          1.2345678901234568e20,
        ],
        b: { c: '9007199254740993' },
      },
    });
  });

  it('agrees with a source-reading reviver on a published Shopify payload', () => {
    const text = readFileSync(
      new URL('../test/fixtures/orders-cancelled.json', import.meta.url),
      'utf8',
    );
    const reviver = (_k: string, v: unknown, context: { source?: string }) =>
      typeof v === 'number' && !Number.isSafeInteger(v) && /^-?\d+$/.test(context.source ?? '')
        ? context.source
        : v;
    const expected = JSON.parse(text, reviver as (k: string, v: unknown) => unknown);
    expect(parseJsonKeepingIds(text)).toEqual({ ok: true, value: expected });
  });

  it('keeps strings that look like long integers in value position exactly as sent', () => {
    const text =
      '{"note": "a: 12345678901234567890, b", "list": "[98765432109876543210]", "id": 12345678901234567890}';
    expect(parseJsonKeepingIds(text)).toEqual({
      ok: true,
      value: {
        note: 'a: 12345678901234567890, b',
        list: '[98765432109876543210]',
        id: '12345678901234567890',
      },
    });
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
