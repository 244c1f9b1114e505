/**
 * @module SMS encoding and segment counting (GSM 03.38 / UCS-2), packed part by part the way
 * carriers split a concatenated message, so the count is what the provider bills.
 */
import type { SmsSegments } from '../templates/template-types.ts';

/**
 * GSM 03.38 default alphabet, one septet each. ESC (0x1B) is left out on purpose: as text it
 * cannot be sent, because on the wire it announces an extension-table character.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** The extension table: each is sent as ESC + character, so it costs two septets. */
const GSM_EXTENSION = '^{}\\[~]|€\f';

const SEPTETS = new Map<string, 1 | 2>([
  ...[...GSM_BASIC].map((c): [string, 1] => [c, 1]),
  ...[...GSM_EXTENSION].map((c): [string, 2] => [c, 2]),
]);

/** Single-message and per-part capacities; the 6-byte concatenation header takes the rest. */
export const SMS_LIMITS = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
} as const;

/** True when every character of `text` is in the GSM-7 basic or extension table. */
export const isGsm7 = (text: string): boolean => {
  for (const ch of text) if (!SEPTETS.has(ch)) return false;
  return true;
};

/**
 * Packs units greedily into parts of `capacity`; a unit never straddles two parts (an ESC pair or
 * a surrogate pair moves whole to the next part), which is why plain division can be one short.
 */
const packParts = (text: string, capacity: number, costOf: (ch: string) => number): number => {
  let parts = 1;
  let used = 0;
  // Iterating a string yields code points, so an astral character (emoji) is one 2-unit step.
  for (const ch of text) {
    const cost = costOf(ch);
    if (used + cost > capacity) {
      parts += 1;
      used = cost;
    } else {
      used += cost;
    }
  }
  return parts;
};

const septetsOf = (ch: string): number => SEPTETS.get(ch) ?? 1;
const unitsOf = (ch: string): number => ch.length;

/**
 * Counts the encoding, the characters (septets for GSM-7, UTF-16 code units for UCS-2) and the
 * segments an SMS of `text` is billed as. Empty text is 0 characters and 0 segments: providers
 * reject an empty body (Twilio 21602) rather than bill it.
 */
export const countSmsSegments = (text: string): SmsSegments => {
  if (text.length === 0) return { encoding: 'GSM-7', segments: 0, characters: 0 };
  // One pass decides the encoding and sums septets; packing runs only for multipart text.
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    const cost = SEPTETS.get(ch);
    if (cost === undefined) {
      gsm = false;
      break;
    }
    septets += cost;
  }
  if (gsm) {
    const { single, part } = SMS_LIMITS['GSM-7'];
    const segments = septets <= single ? 1 : packParts(text, part, septetsOf);
    return { encoding: 'GSM-7', segments, characters: septets };
  }
  const characters = text.length;
  const { single, part } = SMS_LIMITS['UCS-2'];
  const segments = characters <= single ? 1 : packParts(text, part, unitsOf);
  return { encoding: 'UCS-2', segments, characters };
};
