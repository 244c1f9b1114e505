/** @module `@tidings/woocommerce`: the WooCommerce companion endpoint, its write-back and plugin packaging. */
export * from './order-facts.ts';
export * from './plugin-delivery.ts';
export * from './plugin-signature.ts';
export * from './replay-cache.ts';
export * from './rest-order.ts';
export * from './site-credential.ts';
export * from './webhook-signature.ts';
export * from './woocommerce-app.ts';
export * from './woocommerce-write-back.ts';
