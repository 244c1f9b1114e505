/** @module Carrier tracking sources and the tracking directory they share. */
export * from './aftership/index.ts';
export * from './carrier-update.ts';
export * from './easypost/index.ts';
export * from './tracking-directory.ts';
