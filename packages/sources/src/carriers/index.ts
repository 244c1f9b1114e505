/** @module Carrier tracking sources and what they share: the update's path to an order, parking. */
export * from './aftership/index.ts';
export * from './carrier-update.ts';
export * from './easypost/index.ts';
export * from './parked-sweep.ts';
