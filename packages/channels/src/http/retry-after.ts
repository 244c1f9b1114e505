/** @module Reads a provider's "wait this long" hint from `Retry-After` or a reset timestamp. */
import type { Clock } from '@tidings/core';
import type { ResponseHeaders } from './provider-transport.ts';

/** Parses `Retry-After` as delta-seconds or an HTTP date (RFC 9110 §10.2.3) into milliseconds. */
export const retryAfterMs = (headers: ResponseHeaders, clock: Clock): number | undefined => {
  const raw = headers.get('retry-after')?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - clock.now().getTime());
};

/** Turns a Unix-seconds reset header (`X-RateLimit-Reset`) into milliseconds from now. */
export const resetHeaderMs = (
  headers: ResponseHeaders,
  name: string,
  clock: Clock,
): number | undefined => {
  const raw = headers.get(name)?.trim();
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Math.max(0, Number(raw) * 1000 - clock.now().getTime());
};
