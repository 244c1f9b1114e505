/**
 * @module Assembles the hub: the store, the engine (ingest and, unless turned off, the
 * dispatcher), the HTTP kit with health, readiness and metrics, the admin API and the dev inbox.
 */
import type { Clock } from '@tidings/core';
import {
  type AppContext,
  createDispatcher,
  createIngest,
  createScheduler,
  createTenantConfigs,
  createWriteBackRegistry,
  createWriteBackWorker,
  type Dispatcher,
  type EngineLogger,
  type Scheduler,
  type WriteBackRegistry,
  type WriteBackWorker,
} from '@tidings/engine';
import { createServer } from '@tidings/http';
import type { Store } from '@tidings/store';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { DestinationStream } from 'pino';
import { registerAdminRoutes } from './admin-routes.ts';
import {
  type ChannelRegistry,
  createChannelRegistry,
  type ProviderOverrides,
  statusCallbackUrls,
} from './channel-registry.ts';
import { registerDevInbox } from './dev-inbox.ts';
import type { DevSinkMode } from './hub-config.ts';
import { registerReceiptRoutes } from './receipt-routes.ts';

export interface HubOptions {
  store: Store;
  clock: Clock;
  adminKey: string;
  dispatcher: boolean;
  logLevel?: string;
  logStream?: DestinationStream;
  /** SLA watch: hours a dispatched shipment may go without a carrier scan (default 48). */
  slaHours?: number;
  /** How often an idle dispatcher looks for due intents. */
  dispatchIdleMs?: number;
  /** Where dev-sink "sends" are printed (the terminal, in `npm start`). */
  print?: (line: string) => void;
  /** Platform apps and sources to mount, each a Fastify plugin made from the shared context. */
  apps?: Array<(context: AppContext) => FastifyPluginAsync>;
  /** The URL platforms and browsers reach this hub at. */
  publicUrl?: string;
  /** The environment apps read their own settings from. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Events per tenant per second through the admin API before 429. */
  ingestLimit?: { perSecond: number; burst: number };
  /**
   * Channels without a provider credential: `fallback` (the default) to the dev sink, `off` to
   * nothing, so the dispatcher moves to the rule's next channel.
   */
  devSink?: DevSinkMode;
  /** Provider adapter settings, e.g. a test's `baseUrl` or `fetch` per provider. */
  providers?: ProviderOverrides;
}

export interface Hub {
  app: FastifyInstance;
  registry: ChannelRegistry;
  dispatcher: Dispatcher | undefined;
  writeBacks: WriteBackRegistry;
  /** Runs with the dispatcher (same flag): writes statuses back to the host platforms. */
  writeBackWorker: WriteBackWorker | undefined;
  /** Runs with the dispatcher (same flag): SLA watches that raise `delayed`. */
  scheduler: Scheduler | undefined;
  /** Stops the dispatcher (finishing its batch), the server, then the store. */
  close(): Promise<void>;
}

/** Builds a ready-to-listen hub; the caller owns `listen`. */
export const buildHub = async (options: HubOptions): Promise<Hub> => {
  const { store, clock } = options;
  const app = createServer({
    ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    ...(options.logStream ? { logStream: options.logStream } : {}),
    dependencyDown: async () => !(await store.health()).ok,
    readiness: async () => {
      const health = await store.health();
      return health.ok
        ? {
            ready: true,
            checks: {
              store: {
                ok: true,
                detail: `${health.value.dialect} schema ${health.value.schemaVersion}`,
              },
            },
          }
        : { ready: false, checks: { store: { ok: false, detail: health.error.code } } };
    },
  });
  const logger: EngineLogger = {
    info: (obj, msg) => app.log.info(obj, msg),
    warn: (obj, msg) => app.log.warn(obj, msg),
    error: (obj, msg) => app.log.error(obj, msg),
  };
  const tenants = createTenantConfigs(store, clock);
  const metrics = app.metrics;
  // Apps register their write-back targets when mounted (below); ingest asks it per batch.
  const writeBacks = createWriteBackRegistry();
  const ingest = createIngest({
    store,
    clock,
    tenants,
    logger,
    writeBacks,
    onCommitted: (results) => {
      for (const r of results) {
        metrics.ingest.inc({ source: 'any', outcome: r.outcome });
        if (r.outcome === 'accepted') {
          for (const d of r.decisions)
            if (d.action === 'suppress') metrics.suppressions.inc({ reason: d.reason });
        }
      }
    },
  });
  const publicUrl = options.publicUrl ?? 'http://127.0.0.1:3000';
  const registry = createChannelRegistry({
    store,
    logger,
    ...(options.devSink ? { devSink: options.devSink } : {}),
    ...(options.print ? { print: options.print } : {}),
    ...(options.providers ? { providers: options.providers } : {}),
  });
  const dispatcher = options.dispatcher
    ? createDispatcher({
        store,
        clock,
        tenants,
        channels: registry,
        logger,
        statusCallbackUrl: statusCallbackUrls(publicUrl),
        idleMs: options.dispatchIdleMs ?? 250,
        onAttempt: (a) => {
          metrics.dispatch.inc({ channel: a.channel, provider: a.provider, outcome: a.outcome });
          metrics.providerLatency.observe({ provider: a.provider }, a.ms / 1000);
        },
        onSuppressed: (reason) => metrics.suppressions.inc({ reason }),
      })
    : undefined;
  const writeBackWorker = options.dispatcher
    ? createWriteBackWorker({
        store,
        clock,
        writeBacks,
        logger,
        idleMs: Math.max(options.dispatchIdleMs ?? 250, 250),
      })
    : undefined;
  const scheduler = options.dispatcher
    ? createScheduler({
        store,
        clock,
        ingest,
        logger,
        ...(options.slaHours !== undefined ? { slaHours: options.slaHours } : {}),
      })
    : undefined;
  registerAdminRoutes(app, {
    store,
    clock,
    tenants,
    ingest,
    adminKey: options.adminKey,
    ...(options.ingestLimit ? { ingestLimit: options.ingestLimit } : {}),
  });
  const context: AppContext = {
    store,
    clock,
    ingest,
    tenants,
    logger,
    publicUrl,
    env: options.env ?? {},
    writeBacks,
  };
  for (const makeApp of options.apps ?? []) await app.register(makeApp(context));
  registerReceiptRoutes(app, { store, registry, logger, publicUrl });
  registerDevInbox(app, registry, store);
  app.get('/', async (_req, reply) => reply.redirect('/dev/inbox'));
  dispatcher?.start();
  writeBackWorker?.start();
  scheduler?.start();
  return {
    app,
    registry,
    dispatcher,
    writeBacks,
    writeBackWorker,
    scheduler,
    async close() {
      await Promise.all([dispatcher?.stop(), writeBackWorker?.stop(), scheduler?.stop()]);
      await app.close();
      await store.close();
    },
  };
};
