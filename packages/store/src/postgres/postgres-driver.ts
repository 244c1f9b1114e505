/** @module PostgreSQL through `pg`: a pool for statements, one pooled client per transaction. */
import pg from 'pg';
import type { Row, SqlDriver, SqlSession, SqlValue } from '../sql/sql-driver.ts';

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database?…` */
  url: string;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Called when an idle pooled connection fails (the pool replaces it). */
  onError?: (error: Error) => void;
}

const params = (values: readonly SqlValue[]): unknown[] => [...values];

const sessionOf = (client: pg.Pool | pg.PoolClient): SqlSession => ({
  query: async (sql, values = []) => (await client.query<Row>(sql, params(values))).rows,
  run: async (sql, values = []) => (await client.query(sql, params(values))).rowCount ?? 0,
  exec: async (sql) => {
    await client.query(sql);
  },
});

/** Creates a pool for `url`; connections are made lazily, on first use. */
export const openPostgres = (options: PostgresOptions): SqlDriver => {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
  // Without a listener an idle connection's error (a server restart) would crash the process.
  pool.on('error', (error) => options.onError?.(error));
  const direct = sessionOf(pool);
  return {
    dialect: 'postgres',
    ...direct,
    transaction: async (fn) => {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        let open = true;
        const inner = sessionOf(client);
        const guard = <A extends unknown[], R>(f: (...args: A) => Promise<R>) => {
          return (...args: A): Promise<R> => {
            if (!open) throw new Error('transaction already finished; use the store instead');
            return f(...args);
          };
        };
        try {
          const result = await fn({
            query: guard(inner.query),
            run: guard(inner.run),
            exec: guard(inner.exec),
          });
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
          throw error;
        } finally {
          open = false;
        }
      } finally {
        // A connection whose rollback failed is in an unknown state: destroy it.
        client.release(broken);
      }
    },
    constraintOf: (error) => {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === '23505') return 'unique';
      if (code === '23503') return 'foreign_key';
      return undefined;
    },
    close: () => pool.end(),
  };
};
