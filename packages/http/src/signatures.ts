/** @module Signature primitives for webhook verification: HMACs and constant-time comparison. */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Compares two strings in time independent of where they differ. */
export const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

/** HMAC-SHA256 of `data` under `key`, base64 (Shopify, WooCommerce, AfterShip, Zendesk, HubSpot v3). */
export const hmacSha256Base64 = (key: string | Buffer, data: string | Buffer): string =>
  createHmac('sha256', key).update(data).digest('base64');

/** HMAC-SHA256 of `data` under `key`, lower-case hex (EasyPost, our own plugin signatures). */
export const hmacSha256Hex = (key: string | Buffer, data: string | Buffer): string =>
  createHmac('sha256', key).update(data).digest('hex');

/**
 * Whether a signing timestamp is within `toleranceMs` of `now` (either side, for clock skew).
 * Accepts seconds or milliseconds since the epoch, or an ISO instant.
 */
export const isFresh = (timestamp: string, now: number, toleranceMs: number): boolean => {
  const n = Number(timestamp);
  const ms =
    Number.isFinite(n) && timestamp.trim() !== ''
      ? n < 1e12
        ? n * 1000
        : n
      : Date.parse(timestamp);
  return Number.isFinite(ms) && Math.abs(now - ms) <= toleranceMs;
};
