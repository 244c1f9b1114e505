/** @module `application/x-www-form-urlencoded` both ways, keeping repeated names and their order. */

/** Encodes name/value pairs in order; `undefined` values are left out. */
export const encodeForm = (pairs: ReadonlyArray<readonly [string, string | undefined]>): string => {
  const params = new URLSearchParams();
  for (const [name, value] of pairs) if (value !== undefined) params.append(name, value);
  return params.toString();
};

/** Decodes a form body into pairs, exactly as posted (repeated names stay repeated). */
export const decodeForm = (body: Uint8Array | string): Array<[string, string]> => {
  const text = typeof body === 'string' ? body : new TextDecoder().decode(body);
  return [...new URLSearchParams(text).entries()];
};

/** The first value of each name, for reading fields once a signature has been checked. */
export const firstValues = (pairs: ReadonlyArray<[string, string]>): Map<string, string> => {
  const map = new Map<string, string>();
  for (const [name, value] of pairs) if (!map.has(name)) map.set(name, value);
  return map;
};
