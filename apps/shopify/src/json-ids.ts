/** @module JSON parsing that keeps Shopify's 64-bit integer ids exact, as strings. */

/**
 * An integer literal of 16 or more digits in value position: after `:`, `[` or `,` and before
 * `,`, `]` or `}` (so never part of a float). The same digits inside a string can match too, but
 * quoting them there puts a digit right after a closing quote, which no JSON allows: such text
 * fails to parse and is parsed again, exactly, with a reviver.
 */
const LONG_INTEGER_VALUE = /(?<=[:[,]\s*)-?\d{16,}(?=\s*[,\]}])/g;

type Reviver = (key: string, value: unknown, context: { source?: string }) => unknown;

/** Exact but slow (five times a plain parse): every number's source text is looked at. */
const keepingIds: Reviver = (_key, value, context) =>
  typeof value === 'number' &&
  !Number.isSafeInteger(value) &&
  context.source !== undefined &&
  /^-?\d+$/.test(context.source)
    ? context.source
    : value;

/**
 * Parses JSON text, turning every integer that a double cannot hold exactly into its decimal
 * string (Shopify ids reach 19 digits); smaller numbers stay numbers. Long integers in value
 * position are quoted first and the text parsed plainly (the ingest bench's profile had the
 * reviver at a third of the webhook handler); the reviver is the fallback.
 */
export const parseJsonKeepingIds = (
  text: string,
):
  | { ok: true; value: unknown }
  | { ok: false; error: { code: 'malformed_json'; message: string } } => {
  const quoted = text.replace(LONG_INTEGER_VALUE, (digits) =>
    Number.isSafeInteger(Number(digits)) ? digits : `"${digits}"`,
  );
  try {
    return { ok: true, value: JSON.parse(quoted) };
  } catch {
    // Digits quoted inside a string (or truly malformed text): the exact, slower way decides.
  }
  try {
    return { ok: true, value: JSON.parse(text, keepingIds as (k: string, v: unknown) => unknown) };
  } catch {
    return { ok: false, error: { code: 'malformed_json', message: 'The body is not valid JSON.' } };
  }
};

/** An id as a decimal string, whether Shopify sent a number, a digit string or a GID. */
export const idString = (value: unknown): string | undefined => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string') {
    const gid = /^gid:\/\/shopify\/\w+\/(\d+)/.exec(value);
    if (gid?.[1]) return gid[1];
    if (/^\d+$/.test(value)) return value;
  }
  return undefined;
};
