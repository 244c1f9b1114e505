/** @module Tests of SMS encoding detection and segment packing, by example and by property. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countSmsSegments, isGsm7 } from './sms-segments.ts';

const BASIC = [...'@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡AZÄÖÑÜ§¿azäöñüà'];
const EXTENSION = [...'^{}\\[~]|€\f'];
const NON_GSM = [...'áíóúçêœ’“”—😀中ж'];

const gsmChar = fc.constantFrom(...BASIC);
const anyGsmChar = fc.constantFrom(...BASIC, ...EXTENSION);
const nonGsmChar = fc.constantFrom(...NON_GSM);

describe('countSmsSegments', () => {
  it.each([
    [160, 1],
    [161, 2],
    [306, 2],
    [307, 3],
    [459, 3],
    [460, 4],
  ])('bills %i GSM-7 characters as %i segment(s)', (n, segments) => {
    expect(countSmsSegments('a'.repeat(n))).toEqual({
      encoding: 'GSM-7',
      segments,
      characters: n,
    });
  });

  it.each([
    [70, 1],
    [71, 2],
    [134, 2],
    [135, 3],
  ])('bills %i UCS-2 code units as %i segment(s)', (n, segments) => {
    const text = `á${'a'.repeat(n - 1)}`;
    expect(countSmsSegments(text)).toEqual({ encoding: 'UCS-2', segments, characters: n });
  });

  it('counts "€" and the other extension characters as two septets each', () => {
    expect(countSmsSegments('€')).toEqual({ encoding: 'GSM-7', segments: 1, characters: 2 });
    expect(countSmsSegments('^{}\\[~]|€\f').characters).toBe(20);
  });

  it('fits 80 euro signs (160 septets) in one segment and moves a straddling one to the next part', () => {
    expect(countSmsSegments('€'.repeat(80)).segments).toBe(1);
    // 152 basic + "€" + 7 basic: 161 septets; the ESC pair cannot split at 153, so it opens part 2.
    expect(countSmsSegments(`${'a'.repeat(152)}€${'a'.repeat(7)}`)).toEqual({
      encoding: 'GSM-7',
      segments: 2,
      characters: 161,
    });
    // 153 septets of "€" pairs cannot exist: 76 euros (152) + 1 basic fill part one exactly.
    const exact = `${'€'.repeat(76)}a${'a'.repeat(153)}`;
    expect(countSmsSegments(exact).segments).toBe(2);
    // 306 septets divide into 2 parts, but an ESC pair at the boundary needs a third.
    const straddle = `${'a'.repeat(152)}€${'a'.repeat(152)}`;
    expect(countSmsSegments(straddle).characters).toBe(306);
    expect(countSmsSegments(straddle).segments).toBe(3);
  });

  it('counts an emoji as two UTF-16 units and never splits the surrogate pair', () => {
    expect(countSmsSegments('😀')).toEqual({ encoding: 'UCS-2', segments: 1, characters: 2 });
    expect(countSmsSegments('😀'.repeat(35)).segments).toBe(1);
    // 66 units then an emoji: 68 units would divide into one 67-unit part and one more,
    // but 71+ triggers multipart and the pair moves whole.
    const text = `á${'a'.repeat(65)}😀${'a'.repeat(66)}`;
    expect(countSmsSegments(text).characters).toBe(134);
    expect(countSmsSegments(text).segments).toBe(3);
  });

  it('switches the whole message to UCS-2 for one curly quote', () => {
    expect(countSmsSegments(`${'a'.repeat(100)}’`)).toEqual({
      encoding: 'UCS-2',
      segments: 2,
      characters: 101,
    });
  });

  it('counts empty text as no characters and no segments, since providers reject it', () => {
    expect(countSmsSegments('')).toEqual({ encoding: 'GSM-7', segments: 0, characters: 0 });
  });

  it('never gets fewer segments when text grows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(anyGsmChar, nonGsmChar), { maxLength: 400 }),
        fc.oneof(anyGsmChar, nonGsmChar),
        (chars, extra) => {
          const text = chars.join('');
          expect(countSmsSegments(text + extra).segments).toBeGreaterThanOrEqual(
            countSmsSegments(text).segments,
          );
        },
      ),
    );
  });

  it('bills n basic GSM characters as 1 up to 160, else ceil(n / 153)', () => {
    fc.assert(
      fc.property(fc.array(gsmChar, { minLength: 1, maxLength: 1000 }), (chars) => {
        const n = chars.length;
        const result = countSmsSegments(chars.join(''));
        expect(result.encoding).toBe('GSM-7');
        expect(result.characters).toBe(n);
        expect(result.segments).toBe(n <= 160 ? 1 : Math.ceil(n / 153));
      }),
    );
  });

  it('uses UCS-2 whenever any character is outside GSM-7, counting UTF-16 units', () => {
    fc.assert(
      fc.property(
        fc.array(anyGsmChar, { maxLength: 300 }),
        nonGsmChar,
        fc.nat(300),
        (chars, odd, at) => {
          const i = Math.min(at, chars.length);
          const text = [...chars.slice(0, i), odd, ...chars.slice(i)].join('');
          const result = countSmsSegments(text);
          expect(isGsm7(text)).toBe(false);
          expect(result.encoding).toBe('UCS-2');
          expect(result.characters).toBe(text.length);
          const lower = result.characters <= 70 ? 1 : Math.ceil(result.characters / 67);
          expect(result.segments).toBeGreaterThanOrEqual(lower);
        },
      ),
    );
  });

  it('never packs more than a part holds, with or without escapes', () => {
    fc.assert(
      fc.property(fc.array(anyGsmChar, { minLength: 161, maxLength: 800 }), (chars) => {
        const result = countSmsSegments(chars.join(''));
        expect(result.segments).toBeGreaterThanOrEqual(Math.ceil(result.characters / 153));
        // Each part loses at most one septet to a moved ESC pair.
        expect(result.segments).toBeLessThanOrEqual(Math.ceil(result.characters / 152));
      }),
    );
  });
});
