/**
 * @module Several status fields of one platform read together (AfterShip tag and subtag, EasyPost
 * status and status_detail, SAP's header statuses) into one event status: the progress or
 * terminal they imply, with the first condition any of them raises alongside.
 */
import {
  eventStatusOf,
  type NormalizedStatus,
  type NormalizeError,
  normalizeStatus,
  type OrderEvent,
  type TenantConfig,
  type TenantStatusMappings,
} from '@tidings/core';

export interface StatusField {
  field: string;
  value: string;
}

export type EventStatus = Pick<
  OrderEvent,
  'status' | 'raw' | 'overlay' | 'pickup' | 'guard' | 'voidShipment'
>;

/**
 * zod infers `TenantConfig['statusMappings']` with `| undefined` on optional keys, which
 * `exactOptionalPropertyTypes` will not assign to core's `TenantStatusMappings`; parsed values
 * never hold an explicit `undefined`, so the two are the same data.
 */
export const tenantMappings = (m: TenantConfig['statusMappings']): TenantStatusMappings =>
  m as TenantStatusMappings;

/** Every field through core's tables (tenant rows first); the first unknown value is the error. */
export const normalizeFields = (
  platform: string,
  fields: readonly StatusField[],
  mappings: TenantConfig['statusMappings'],
): { ok: true; parts: NormalizedStatus[] } | { ok: false; error: NormalizeError } => {
  const parts: NormalizedStatus[] = [];
  for (const { field, value } of fields) {
    const n = normalizeStatus(platform, value, field, { mappings: tenantMappings(mappings) });
    if (!n.ok) return { ok: false, error: n.error };
    parts.push(n);
  }
  return { ok: true, parts };
};

const isCondition = (n: NormalizedStatus): boolean =>
  n.overlay !== undefined && n.status === n.overlay;

/**
 * One event status from several normalized fields, earlier fields first: the first rung or
 * terminal wins; the first condition (hold, delay, exception, split) rides along when the winner
 * raises none; with no rung, the first condition is the status; with neither, the first `ignore`.
 */
export const combineStatuses = (parts: readonly NormalizedStatus[]): EventStatus | undefined => {
  const rung = parts.find((n) => n.status !== 'ignore' && !isCondition(n));
  const condition = parts.find(isCondition);
  if (rung) {
    const base = eventStatusOf(rung);
    if (base.overlay || !condition?.overlay) return base;
    return {
      ...base,
      overlay: condition.reason
        ? { kind: condition.overlay, reason: condition.reason }
        : { kind: condition.overlay },
    };
  }
  if (condition) return eventStatusOf(condition);
  const first = parts[0];
  return first ? eventStatusOf(first) : undefined;
};
