/** @module Comparing contact points: phones by E.164, e-mail addresses case-insensitively. */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { memoize } from './bounded-memo.ts';

/**
 * A contact point in the one form two spellings of it share: E.164 for anything that reads as an
 * international phone number, lower case for an e-mail address, trimmed otherwise.
 */
export const canonicalContact = memoize((contact: string): string => {
  const trimmed = contact.trim();
  if (trimmed.includes('@')) return trimmed.toLowerCase();
  if (/^\+?[\d\s().-]{7,}$/.test(trimmed)) {
    const parsed = parsePhoneNumberFromString(trimmed.startsWith('+') ? trimmed : `+${trimmed}`);
    if (parsed) return parsed.number;
    return `+${trimmed.replace(/\D/g, '')}`;
  }
  return trimmed;
});

/** True when two contact points name the same phone, address or id. */
export const sameContact = (a: string, b: string): boolean =>
  canonicalContact(a) === canonicalContact(b);
