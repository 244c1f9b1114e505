/**
 * @module Where `shared/` (specs and reference) lives: beside the repository, as CI clones it, or
 * wherever `TIDINGS_SHARED_DIR` says.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root is three levels above this file (packages/channels/test). */
const repoRoot = resolve(import.meta.dirname, '../../..');

/** Returns the specs directory, or throws one clear sentence on how to provide it. */
export const specsDir = (): string => {
  const shared = process.env.TIDINGS_SHARED_DIR ?? resolve(repoRoot, '../shared');
  const dir = resolve(shared, 'specs');
  if (!existsSync(dir)) {
    throw new Error(
      `Provider specs not found at ${dir}. Channel tests validate every request against the ` +
        `providers' own OpenAPI files: put a copy of shared/ beside the repository (${resolve(repoRoot, '../shared')}) ` +
        'or set TIDINGS_SHARED_DIR to its path.',
    );
  }
  return dir;
};
