/**
 * @module Deterministic ids from content, so re-planning the same event after a crash yields the
 * same intent ids — the idempotency keys providers dedupe on.
 */

/**
 * cyrb53 (public domain), run with two seeds in one pass: a fast string hash with good spread;
 * the two 53-bit halves give 106 bits.
 */
const cyrb53Pair = (text: string): [number, number] => {
  let a1 = 0xdeadbeef ^ 1;
  let a2 = 0x41c6ce57 ^ 1;
  let b1 = 0xdeadbeef ^ 2;
  let b2 = 0x41c6ce57 ^ 2;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a1 = Math.imul(a1 ^ ch, 2654435761);
    a2 = Math.imul(a2 ^ ch, 1597334677);
    b1 = Math.imul(b1 ^ ch, 2654435761);
    b2 = Math.imul(b2 ^ ch, 1597334677);
  }
  const finish = (h1: number, h2: number): number => {
    const x = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    const y = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(x ^ (x >>> 13), 3266489909);
    return 4294967296 * (2097151 & y) + (x >>> 0);
  };
  return [finish(a1, a2), finish(b1, b2)];
};

/** `prefix_` + 28 hex digits derived from `parts`; equal parts, equal id. */
export const stableId = (prefix: string, parts: readonly string[]): string => {
  const [a, b] = cyrb53Pair(parts.join('\u241f'));
  return `${prefix}_${a.toString(16).padStart(14, '0')}${b.toString(16).padStart(14, '0')}`;
};
