/** @module `@tidings/engine`: ingest, dispatch, write-backs, receipts and the order timeline. */

export * from './app-context.ts';
export * from './dispatcher.ts';
export * from './engine-context.ts';
export * from './ingest.ts';
export * from './personal-data.ts';
export * from './polling-loop.ts';
export * from './rate-limiter.ts';
export * from './receipts.ts';
export * from './retry-policy.ts';
export * from './scheduler.ts';
export * from './timeline.ts';
export * from './write-back.ts';
export * from './write-back-worker.ts';
