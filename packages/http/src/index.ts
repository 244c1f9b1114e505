/** @module `@tidings/http`: the Fastify kit every Tidings app stands on. */
export * from './create-server.ts';
export * from './graceful-shutdown.ts';
export * from './http-error.ts';
export * from './metrics.ts';
export * from './redact.ts';
export * from './request-limits.ts';
export * from './signatures.ts';
