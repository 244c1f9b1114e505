/** @module The generic events API for systems without a source of their own. */
export * from './event-body.ts';
export * from './events-route.ts';
export * from './events-signature.ts';
