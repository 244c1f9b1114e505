/** @module `@tidings/core`: the pure domain of Tidings. No I/O, no Node-only modules. */
export * from './channel-kinds.ts';
export * from './clock.ts';
export * from './lifecycle.ts';
export * from './normalize/normalize-status.ts';
export * from './normalize/status-mapping.ts';
export * from './normalize/vocabularies.ts';
export type * from './normalize/vocabulary.ts';
export * from './order-event.ts';
export * from './order-state.ts';
export * from './platforms.ts';
export type * from './result.ts';
export * from './statuses.ts';
export * from './tenant-config.ts';
