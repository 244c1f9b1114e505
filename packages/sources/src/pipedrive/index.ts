/** @module Pipedrive deal webhooks (v2) and the note write-back. */
export * from './pipedrive-credential.ts';
export * from './pipedrive-webhook.ts';
export * from './pipedrive-write-back.ts';
