/** @module Constant-time comparison and header lookup for webhook signature checks. */
import { timingSafeEqual } from 'node:crypto';
import type { InboundRequest } from '../core-contract.ts';

/** Compares two byte strings in constant time; different lengths are simply unequal. */
export const safeEqual = (a: Uint8Array | string, b: Uint8Array | string): boolean => {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : Buffer.from(a);
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Reads a header whatever case the HTTP layer stored it in. */
export const headerOf = (request: InboundRequest, name: string): string | undefined => {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
};

/** The raw body as UTF-8 text, for providers whose payload is JSON or a form. */
export const bodyText = (request: InboundRequest): string =>
  new TextDecoder().decode(request.rawBody);
