/** @module HTTP Basic credentials checked in constant time (Pipedrive webhooks, SAP event delivery). */
import { createHash } from 'node:crypto';
import { safeEqual } from '@tidings/http';

const digest = (s: string): string => createHash('sha256').update(s, 'utf8').digest('hex');

/** Whether `header` is `Basic base64(user:password)` for exactly these credentials. */
export const basicAuthMatches = (
  header: string | undefined,
  user: string,
  password: string,
): boolean => {
  const given = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')?.[1];
  const decoded = given === undefined ? '' : Buffer.from(given, 'base64').toString('utf8');
  // Hashes are equal length, so the comparison time says nothing about either value's length.
  return safeEqual(digest(decoded), digest(`${user}:${password}`)) && given !== undefined;
};

/** `Basic base64(user:password)`, for calls out. */
export const basicAuthHeader = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
