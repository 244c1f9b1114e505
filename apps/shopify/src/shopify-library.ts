/**
 * @module The `@shopify/shopify-api` instance (Node adapter) and a per-call `fetch`: the library
 * fetches through one process-wide function, so each call runs with the fetch its app was given
 * (a stub in tests) through `AsyncLocalStorage`, never by swapping a global.
 */
import '@shopify/shopify-api/adapters/node';
import { AsyncLocalStorage } from 'node:async_hooks';
import { LogSeverity, type Shopify, shopifyApi } from '@shopify/shopify-api';
import { type AbstractFetchFunc, setAbstractFetchFunc } from '@shopify/shopify-api/runtime';
import type { ShopifyConfig } from './shopify-config.ts';

export type FetchLike = typeof fetch;

const scopedFetch = new AsyncLocalStorage<FetchLike>();
const routed: AbstractFetchFunc = (input, init) =>
  (scopedFetch.getStore() ?? globalThis.fetch)(input as Parameters<FetchLike>[0], init);
setAbstractFetchFunc(routed);

/** Runs `fn` with the library fetching through `fetchImpl`. */
export const withFetch = <T>(fetchImpl: FetchLike, fn: () => Promise<T>): Promise<T> =>
  scopedFetch.run(fetchImpl, fn);

/** A configured library instance; it logs nothing of its own (errors surface as values). */
export const createShopifyLibrary = (config: ShopifyConfig): Shopify =>
  shopifyApi({
    apiKey: config.apiKey,
    apiSecretKey: config.apiSecret,
    scopes: config.scopes,
    hostName: config.appUrl.host,
    hostScheme: config.appUrl.protocol === 'http:' ? 'http' : 'https',
    apiVersion: config.apiVersion,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error, log: async () => {} },
  });
