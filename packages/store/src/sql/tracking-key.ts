/**
 * @module The tracking-number key, in SQL: carriers print one parcel's number as "1z 999-aa1" or
 * "1Z999AA1", so the key drops spaces, tabs, line breaks and dashes and upper-cases ASCII letters
 * (only ASCII, identically on both databases). The database computes it — in the migration's
 * trigger and in every query — so no caller can disagree with it. Changing it means a migration
 * that rewrites the keys, never an edit here.
 */
import type { Dialect } from '../repository.ts';

/** The SQL expression for the key of `operand` (a column or a `$n` parameter). */
export const trackingKeySql = (dialect: Dialect, operand: string): string =>
  dialect === 'postgres'
    ? // translate maps a–z to A–Z and deletes the characters listed past the 26th.
      `translate(${operand}, 'abcdefghijklmnopqrstuvwxyz -' || chr(9) || chr(10) || chr(13), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')`
    : // SQLite's upper() folds ASCII only (no ICU), which is what PostgreSQL's translate does above.
      `upper(replace(replace(replace(replace(replace(${operand}, ' ', ''), '-', ''), char(9), ''), char(10), ''), char(13), ''))`;

/** The same key in TypeScript, for comparing numbers already in hand. */
export const trackingKey = (trackingNumber: string): string =>
  trackingNumber.replace(/[ \t\n\r-]/g, '').replace(/[a-z]+/g, (s) => s.toUpperCase());
