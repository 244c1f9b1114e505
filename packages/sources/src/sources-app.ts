/**
 * @module `createSourcesApp`: every source without an app of its own, as one Fastify plugin the
 * hub mounts from its `AppContext` — `POST /sources/{aftership,easypost,pipedrive,sap,netsuite}/
 * :tenantId` and the generic events API `POST /api/events` — plus the Pipedrive write-back.
 */
import type { AppContext } from '@tidings/engine';
import type { FastifyPluginAsync } from 'fastify';
import { registerAftership } from './carriers/aftership/index.ts';
import { registerEasypost } from './carriers/easypost/index.ts';
import {
  createTrackingDirectory,
  storeSlots,
  type TrackingDirectory,
} from './carriers/tracking-directory.ts';
import { registerEventsApi } from './events-api/index.ts';
import { registerNetsuite } from './netsuite/index.ts';
import { createPipedriveWriteBack, registerPipedrive } from './pipedrive/index.ts';
import { registerSap } from './sap/index.ts';
import type { SourceDeps } from './shared/source-deps.ts';

export interface SourcesOptions {
  /** Defaults to the store-backed directory. */
  directory?: TrackingDirectory;
  /** For Pipedrive and SAP calls; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

/** The sources plugin; `buildHub({ apps: [createSourcesApp] })` mounts it. */
export const createSourcesApp =
  (context: AppContext, options: SourcesOptions = {}): FastifyPluginAsync =>
  async (server) => {
    const deps: SourceDeps = {
      context,
      directory:
        options.directory ??
        createTrackingDirectory(storeSlots(context.store, context.clock), context.clock),
      fetch: options.fetch ?? globalThis.fetch,
    };
    registerAftership(server, deps);
    registerEasypost(server, deps);
    registerEventsApi(server, deps);
    registerPipedrive(server, deps);
    registerSap(server, deps);
    registerNetsuite(server, deps);
    context.writeBacks.register(createPipedriveWriteBack(context.store, { fetch: deps.fetch }));
  };
