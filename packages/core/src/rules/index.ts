/** @module Rules as data: schema, defaults and matching. */
export * from './default-rules.ts';
export * from './match-rules.ts';
export * from './rule-schema.ts';
