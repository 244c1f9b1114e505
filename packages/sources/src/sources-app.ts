/**
 * @module `createSourcesApp`: every source without an app of its own, as one Fastify plugin the
 * hub mounts from its `AppContext` — `POST /sources/{aftership,easypost,pipedrive,sap,netsuite}/
 * :tenantId` and the generic events API `POST /api/events` — plus the Pipedrive write-back and
 * the sweep that delivers parked carrier updates once their number is bound.
 */
import type { AppContext } from '@tidings/engine';
import type { FastifyPluginAsync } from 'fastify';
import { registerAftership } from './carriers/aftership/index.ts';
import { registerEasypost } from './carriers/easypost/index.ts';
import { createParkedSweep } from './carriers/parked-sweep.ts';
import { registerEventsApi } from './events-api/index.ts';
import { registerNetsuite } from './netsuite/index.ts';
import { createPipedriveWriteBack, registerPipedrive } from './pipedrive/index.ts';
import { registerSap } from './sap/index.ts';
import type { SourceDeps } from './shared/source-deps.ts';

export interface SourcesOptions {
  /**
   * How often parked carrier updates are checked against numbers bound elsewhere (default
   * 30 000 ms; 0 turns the sweep off, for tests that run it by hand).
   */
  parkedSweepMs?: number;
  /** For Pipedrive and SAP calls; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** The sources plugin; `buildHub({ apps: [createSourcesApp] })` mounts it. */
export const createSourcesApp =
  (context: AppContext, options: SourcesOptions = {}): FastifyPluginAsync =>
  async (server) => {
    const deps: SourceDeps = { context, fetch: options.fetch ?? globalThis.fetch };
    registerAftership(server, deps);
    registerEasypost(server, deps);
    registerEventsApi(server, deps);
    registerPipedrive(server, deps);
    registerSap(server, deps);
    registerNetsuite(server, deps);
    context.writeBacks.register(createPipedriveWriteBack(context.store, { fetch: deps.fetch }));

    const sweep = createParkedSweep(context, options.parkedSweepMs ?? 30_000);
    server.addHook('onReady', async () => {
      sweep.start();
    });
    server.addHook('onClose', () => sweep.stop());
  };
