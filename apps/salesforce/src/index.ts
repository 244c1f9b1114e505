/** @module `@tidings/salesforce`: the Apex-callable service, its signing scheme and jsforce write-back. */
export * from './apex-source.ts';
export * from './external-service.ts';
export * from './jwt-bearer.ts';
export * from './org-id.ts';
export * from './request-signing.ts';
export * from './salesforce-app.ts';
export * from './salesforce-credentials.ts';
export * from './salesforce-payload.ts';
export * from './salesforce-write-back.ts';
