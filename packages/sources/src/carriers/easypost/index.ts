/** @module EasyPost tracker webhooks. */
export * from './easypost-signature.ts';
export * from './easypost-webhook.ts';
