/** @module A numbered schema migration; each dialect lists its own, in order. */

export interface Migration {
  /** 1, 2, 3, … with no gaps; recorded in `schema_migrations` once applied. */
  version: number;
  name: string;
  sql: string;
}
