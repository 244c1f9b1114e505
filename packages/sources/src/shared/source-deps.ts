/** @module What each source's routes are built from: the hub's context and the sources' own ports. */
import type { AppContext } from '@tidings/engine';

export interface SourceDeps {
  context: AppContext;
  /** For calls out (Pipedrive, SAP OData); tests pass a stub's. */
  fetch: typeof fetch;
}
