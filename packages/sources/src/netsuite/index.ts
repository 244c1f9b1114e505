/** @module NetSuite: the endpoint the Tidings user event script posts to. */
export * from './netsuite-payload.ts';
export * from './netsuite-route.ts';
export * from './netsuite-signature.ts';
