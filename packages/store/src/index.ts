/** @module `@tidings/store`: durable state for Tidings on SQLite or PostgreSQL, behind one interface. */

export type { KeyRing, SecretKey } from './credential-cipher.ts';
export { parseKeyRing } from './credential-cipher.ts';
export * from './open-store.ts';
export * from './repository.ts';
export { trackingKey } from './sql/tracking-key.ts';
export * from './store-error.ts';
export * from './store-url.ts';
export * from './tracking-repository.ts';
