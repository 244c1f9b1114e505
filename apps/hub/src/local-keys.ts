/**
 * @module Keys for the embedded default: when no `TIDINGS_SECRET_KEY` or `TIDINGS_ADMIN_KEY` is
 * given, one is generated once into the data directory (mode 0600) and reused, so credentials
 * stay readable across restarts. Production sets both in the environment.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The key in `dataDir/name`, created with `make()` the first time. */
export const localKey = (
  dataDir: string,
  name: string,
  make: () => string,
): { value: string; created: boolean } => {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, name);
  if (existsSync(path)) return { value: readFileSync(path, 'utf8').trim(), created: false };
  const value = make();
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
};

export const newSecretKey = (): string => `k1:${randomBytes(32).toString('base64')}`;
export const newApiKey = (prefix: string): string =>
  `${prefix}_${randomBytes(24).toString('base64url')}`;
