/**
 * @module What the hub hands every platform app and source when it mounts them: the store, the
 * ingest entry point, tenant configuration, a logger, the public URL, the app's own environment
 * and the write-back registry. Apps are Fastify plugins created from this context, e.g.
 * `await server.register(createShopifyApp(context))`.
 */
import type { Clock } from '@tidings/core';
import type { Store } from '@tidings/store';
import type { createTenantConfigs, EngineLogger } from './engine-context.ts';
import type { IngestInput, IngestResult } from './ingest.ts';
import type { WriteBackRegistry } from './write-back.ts';

export interface AppContext {
  store: Store;
  clock: Clock;
  ingest: (input: IngestInput) => Promise<IngestResult>;
  tenants: ReturnType<typeof createTenantConfigs>;
  logger: EngineLogger;
  /** The URL platforms and browsers reach the hub at (OAuth redirects, webhook and receipt URLs). */
  publicUrl: string;
  /** The process environment; each app reads only its own variables (e.g. `SHOPIFY_API_SECRET`). */
  env: Readonly<Record<string, string | undefined>>;
  writeBacks: WriteBackRegistry;
}
