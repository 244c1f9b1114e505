/** @module Salesforce org ids: the tenant id is the 18-character form of the org id. */

const ID = /^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/;
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/** The 18-character form of a 15- or 18-character org id, or undefined if it is not one. */
export const toOrgId18 = (value: unknown): string | undefined => {
  if (typeof value !== 'string' || !ID.test(value)) return undefined;
  if (value.length === 18) return value;
  let suffix = '';
  for (let block = 0; block < 3; block += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = value.charAt(block * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return value + suffix;
};
