/** @module AfterShip tracking webhooks. */
export * from './aftership-signature.ts';
export * from './aftership-webhook.ts';
