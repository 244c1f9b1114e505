/** @module JSON parsing that keeps Shopify's 64-bit integer ids exact, as strings. */

type Reviver = (key: string, value: unknown, context: { source?: string }) => unknown;

/**
 * Parses JSON text, turning every integer that a double cannot hold exactly into its decimal
 * string (Shopify ids reach 19 digits); smaller numbers stay numbers.
 */
export const parseJsonKeepingIds = (
  text: string,
):
  | { ok: true; value: unknown }
  | { ok: false; error: { code: 'malformed_json'; message: string } } => {
  const reviver: Reviver = (_key, value, context) =>
    typeof value === 'number' &&
    !Number.isSafeInteger(value) &&
    context.source !== undefined &&
    /^-?\d+$/.test(context.source)
      ? context.source
      : value;
  try {
    return { ok: true, value: JSON.parse(text, reviver as (k: string, v: unknown) => unknown) };
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
