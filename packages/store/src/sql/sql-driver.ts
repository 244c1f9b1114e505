/**
 * @module The little a backend must provide for the shared SQL store: run statements, run a write
 * transaction, and say which constraint a failure broke. SQL is written once, PostgreSQL-style
 * (`$1`, `ON CONFLICT`, `RETURNING`), which SQLite also speaks.
 */
import type { Dialect } from '../repository.ts';

export type SqlValue = string | number | boolean | null | Uint8Array;
export type Row = Record<string, unknown>;

export interface SqlSession {
  /** Runs one statement and returns its rows (`RETURNING` rows for writes). */
  query(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  /** Runs one statement and returns how many rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs a script of statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface SqlDriver extends SqlSession {
  readonly dialect: Dialect;
  /**
   * Runs `fn` in a write transaction: SQLite `BEGIN IMMEDIATE` (takes the single-writer lock up
   * front, so reads inside are already serialized), PostgreSQL `BEGIN` on one pooled connection.
   */
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Which kind of constraint `error` broke, if it is a constraint violation at all. */
  constraintOf(error: unknown): 'unique' | 'foreign_key' | undefined;
  close(): Promise<void>;
}
