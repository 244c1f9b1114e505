/** @module What each source's routes are built from: the hub's context and the sources' own ports. */
import type { AppContext } from '@tidings/engine';
import type { TrackingDirectory } from '../carriers/tracking-directory.ts';

export interface SourceDeps {
  context: AppContext;
  /** Tracking number → order and shipment, with updates parked until bound. */
  directory: TrackingDirectory;
  /** For calls out (Pipedrive, SAP OData); tests pass a stub's. */
  fetch: typeof fetch;
}
