/** @module The shape of a platform's vocabulary: one table per status field. */
import type { PlatformId } from '../platforms.ts';
import type { StatusMapping } from './status-mapping.ts';

/** Whether a field's value describes the whole order or one shipment of it. */
export type StatusScope = 'order' | 'shipment';

export interface FieldTable {
  /** Other spellings of the field name (GraphQL camelCase, dotted paths). */
  aliases?: readonly string[];
  scope: StatusScope;
  /** Keys are lower-case values as the platform sends them (after `valueAliases`). */
  rows: Readonly<Record<string, StatusMapping>>;
  /** Other spellings of a value that mean a row (labels, prefixed forms). */
  valueAliases?: Readonly<Record<string, string>>;
  /**
   * Open families that a fixed table cannot list (AfterShip adds subtags over time); asked only
   * after `rows` and the tenant's table miss, and must return `undefined` for anything unknown.
   */
  openFamily?: {
    /** One clause for the README: which values, and what they mean. */
    describe: string;
    resolve: (value: string) => StatusMapping | undefined;
  };
  /** Values exist only in the tenant's own table (custom stages, custom picklist values). */
  tenantConfigured?: boolean;
  /** Where the table comes from, for the README. */
  source: string;
}

export interface PlatformVocabulary {
  platform: PlatformId;
  label: string;
  /** Keyed by the platform's own field name. */
  fields: Readonly<Record<string, FieldTable>>;
  /**
   * The field callers mean when they name none (EasyPost's `status`, not `status_detail`): tried
   * first; other fields only when it does not know the value.
   */
  primaryField?: string;
  /** Platform-wide value clean-up before look-up (e.g. WooCommerce's `wc-` prefix). */
  canonicalizeValue?: (value: string) => string;
}
