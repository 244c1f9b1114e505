/** @module `@tidings/shopify`: the Shopify embedded app, mounted by the hub. */
export * from './admin-graphql.ts';
export * from './compliance-webhooks.ts';
export * from './graphql-documents.ts';
export * from './json-ids.ts';
export * from './shop-tenants.ts';
export * from './shopify-app.ts';
export * from './shopify-config.ts';
export * from './shopify-normalizer.ts';
export * from './shopify-write-back.ts';
