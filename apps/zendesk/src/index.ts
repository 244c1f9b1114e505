/** @module `@tidings/zendesk`: trigger target, write-back target, sidebar backend and set-up. */
export * from './app-routes.ts';
export * from './echo-key.ts';
export * from './trigger-payload.ts';
export * from './trigger-template.ts';
export * from './webhook-route.ts';
export * from './webhook-signature.ts';
export * from './zaf-auth.ts';
export * from './zendesk-api.ts';
export * from './zendesk-app.ts';
export * from './zendesk-credentials.ts';
export * from './zendesk-write-back.ts';
