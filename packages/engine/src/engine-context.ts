/**
 * @module What every engine part is given: the store, a clock, tenant configuration, a logger.
 * Tenant configurations are read from the store and kept briefly, so a busy ingest path does
 * not re-read and re-validate them for every event.
 */
import { type Clock, parseTenantConfig, type TenantConfig } from '@tidings/core';
import type { Store } from '@tidings/store';

/** The small logger surface the engine writes to (pino fits). Never pass personal data. */
export interface EngineLogger {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

export const silentLogger: EngineLogger = { info() {}, warn() {}, error() {} };

export type TenantLookup =
  | { ok: true; config: TenantConfig; active: boolean }
  | { ok: false; code: 'unknown_tenant' | 'invalid_config'; message: string };

/** Tenant configuration by id, cached for `ttlMs` (changes in the admin show up within it). */
export const createTenantConfigs = (
  store: Store,
  clock: Clock,
  ttlMs = 5_000,
): { get(tenantId: string): Promise<TenantLookup>; forget(tenantId?: string): void } => {
  const cache = new Map<string, { at: number; value: TenantLookup }>();
  return {
    async get(tenantId) {
      const now = clock.now().getTime();
      const hit = cache.get(tenantId);
      if (hit && now - hit.at < ttlMs) return hit.value;
      const tenant = await store.getTenant(tenantId);
      let value: TenantLookup;
      if (!tenant) {
        value = { ok: false, code: 'unknown_tenant', message: `No tenant "${tenantId}".` };
      } else {
        const parsed = parseTenantConfig({
          ...(tenant.config as object),
          tenantId,
          name: tenant.name,
        });
        value = parsed.ok
          ? { ok: true, config: parsed.config, active: tenant.active }
          : { ok: false, code: 'invalid_config', message: parsed.error.message };
      }
      cache.set(tenantId, { at: now, value });
      return value;
    },
    forget(tenantId) {
      if (tenantId === undefined) cache.clear();
      else cache.delete(tenantId);
    },
  };
};

export const systemClock: Clock = { now: () => new Date() };
