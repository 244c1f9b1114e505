/** @module Name-based UUIDs (RFC 9562 v5), so an intent id becomes a stable UUID idempotency key. */
import { createHash } from 'node:crypto';

/** The namespace for Tidings intent ids (a fixed random UUID; changing it changes every key). */
export const TIDINGS_NAMESPACE = '6f0c1f4e-8a3b-4c57-9f27-2d1b5e7a9c10';

/** Returns the v5 UUID of `name` in `namespace`. */
export const uuidV5 = (name: string, namespace: string = TIDINGS_NAMESPACE): string => {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};
