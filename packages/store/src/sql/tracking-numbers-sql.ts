/**
 * @module The tracking-number index over SQL (see tracking-repository.ts), for both databases;
 * the trigger that binds numbers from saved order states is in migration 4.
 */
import type { Dialect } from '../repository.ts';
import { StoreError } from '../store-error.ts';
import type {
  ParkedTrackingUpdate,
  TrackingBinding,
  TrackingNumberStore,
} from '../tracking-repository.ts';
import type { Row, SqlValue } from './sql-driver.ts';
import { trackingKey, trackingKeySql } from './tracking-key.ts';

/** What the ops need of the store's connection (calls already checked to be outside `transaction`). */
export interface TrackingSql {
  dialect: Dialect;
  query(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  constraintOf(error: unknown): 'unique' | 'foreign_key' | undefined;
}

const iso = (value: string): string => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`not an ISO-8601 instant: ${value}`);
  return date.toISOString();
};
const readIso = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : iso(String(value));

const toBinding = (row: Row): TrackingBinding => ({
  tenantId: String(row.tenant_id),
  trackingNumber: String(row.tracking_number),
  orderRef: String(row.order_ref),
  shipmentId: String(row.shipment_id),
  ...(row.carrier == null ? {} : { carrier: String(row.carrier) }),
  boundAt: readIso(row.bound_at),
});

const toParked = (row: Row): ParkedTrackingUpdate => ({
  tenantId: String(row.tenant_id),
  trackingKey: String(row.tracking_key),
  key: String(row.update_key),
  update: typeof row.body === 'string' ? JSON.parse(row.body) : row.body,
  parkedAt: readIso(row.parked_at),
});

const BINDING_COLUMNS = 'tenant_id, tracking_number, order_ref, shipment_id, carrier, bound_at';
const CHUNK = 200;

export const createTrackingNumberOps = (db: TrackingSql): TrackingNumberStore => {
  const key = (operand: string) => trackingKeySql(db.dialect, operand);
  const unknownTenant = (tenantId: string) => (error: unknown) => {
    if (db.constraintOf(error) === 'foreign_key') {
      throw new StoreError('unknown_tenant', `tenant "${tenantId}" does not exist`, {
        cause: error,
      });
    }
    throw error;
  };

  return {
    async bindTrackingNumbers(bindings, at, options = {}) {
      const when = iso(at);
      let written = 0;
      for (let i = 0; i < bindings.length; i += CHUNK) {
        // One row per key and statement (PostgreSQL refuses to update a row twice in one): the
        // last binding given for a key wins, as it would one statement at a time.
        const batch = [
          ...new Map(
            bindings
              .slice(i, i + CHUNK)
              .filter((b) => trackingKey(b.trackingNumber) !== '')
              .map((b) => [`${b.tenantId}\u0000${trackingKey(b.trackingNumber)}`, b]),
          ).values(),
        ];
        if (batch.length === 0) continue;
        const params = batch.flatMap((b): SqlValue[] => [
          b.tenantId,
          b.trackingNumber,
          b.orderRef,
          b.shipmentId,
          b.carrier ?? null,
        ]);
        const rows = batch
          .map((_, r) => {
            const p = (n: number) => `$${r * 5 + n}`;
            return `(${p(1)}, ${key(p(2))}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, $${params.length + 1})`;
          })
          .join(', ');
        const onConflict = options.keepExisting
          ? 'DO NOTHING'
          : `DO UPDATE SET tracking_number = excluded.tracking_number, order_ref = excluded.order_ref,
               shipment_id = excluded.shipment_id, carrier = excluded.carrier, bound_at = excluded.bound_at
             WHERE tracking_numbers.order_ref <> excluded.order_ref
                OR tracking_numbers.shipment_id <> excluded.shipment_id`;
        written += await db
          .run(
            `INSERT INTO tracking_numbers (tenant_id, tracking_key, tracking_number, order_ref, shipment_id, carrier, bound_at)
             VALUES ${rows} ON CONFLICT (tenant_id, tracking_key) ${onConflict}`,
            [...params, when],
          )
          .catch(unknownTenant(batch[0]?.tenantId ?? '?'));
      }
      return written;
    },

    async findTrackingNumber(tenantId, trackingNumber) {
      const [row] = await db.query(
        `SELECT ${BINDING_COLUMNS} FROM tracking_numbers WHERE tenant_id = $1 AND tracking_key = ${key('$2')}`,
        [tenantId, trackingNumber],
      );
      return row === undefined ? undefined : toBinding(row);
    },

    async listTrackingNumbers(tenantId, orderRef) {
      const rows = await db.query(
        `SELECT ${BINDING_COLUMNS} FROM tracking_numbers WHERE tenant_id = $1 AND order_ref = $2 ORDER BY tracking_key`,
        [tenantId, orderRef],
      );
      return rows.map(toBinding);
    },

    async parkTrackingUpdate(input) {
      const rows = await db
        .query(
          `INSERT INTO parked_tracking_updates (tenant_id, tracking_key, update_key, body, parked_at)
           VALUES ($1, ${key('$2')}, $3, $4, $5)
           ON CONFLICT (tenant_id, tracking_key, update_key) DO NOTHING RETURNING update_key`,
          [
            input.tenantId,
            input.trackingNumber,
            input.key,
            JSON.stringify(input.update),
            iso(input.parkedAt),
          ],
        )
        .catch(unknownTenant(input.tenantId));
      return rows.length === 1 ? 'parked' : 'known';
    },

    async listReleasableTrackingUpdates(query) {
      const params: SqlValue[] = [];
      const where: string[] = [];
      if (query.tenantId !== undefined) {
        params.push(query.tenantId);
        where.push(`p.tenant_id = $${params.length}`);
      }
      if (query.trackingNumbers !== undefined) {
        if (query.tenantId === undefined) throw new TypeError('trackingNumbers needs tenantId');
        if (query.trackingNumbers.length === 0) return [];
        const keys = query.trackingNumbers.map((n) => {
          params.push(n);
          return key(`$${params.length}`);
        });
        where.push(`p.tracking_key IN (${keys.join(', ')})`);
      }
      params.push(Math.max(1, Math.floor(query.limit)));
      const rows = await db.query(
        `SELECT p.tenant_id, p.tracking_key, p.update_key, p.body, p.parked_at,
                t.tracking_number, t.order_ref, t.shipment_id, t.carrier, t.bound_at
         FROM parked_tracking_updates p
         JOIN tracking_numbers t ON t.tenant_id = p.tenant_id AND t.tracking_key = p.tracking_key
         ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY p.tenant_id, p.tracking_key, p.parked_at, p.update_key
         LIMIT $${params.length}`,
        params,
      );
      return rows.map((row) => ({ ...toParked(row), binding: toBinding(row) }));
    },

    async listParkedTrackingUpdates(tenantId, limit) {
      const rows = await db.query(
        `SELECT tenant_id, tracking_key, update_key, body, parked_at FROM parked_tracking_updates
         WHERE tenant_id = $1 ORDER BY parked_at, tracking_key, update_key LIMIT $2`,
        [tenantId, Math.max(1, Math.floor(limit))],
      );
      return rows.map(toParked);
    },

    async deleteParkedTrackingUpdate(tenantId, trackingKey, updateKey) {
      const n = await db.run(
        'DELETE FROM parked_tracking_updates WHERE tenant_id = $1 AND tracking_key = $2 AND update_key = $3',
        [tenantId, trackingKey, updateKey],
      );
      return n > 0;
    },

    purgeParkedTrackingUpdates: (parkedBefore) =>
      db.run('DELETE FROM parked_tracking_updates WHERE parked_at < $1', [iso(parkedBefore)]),
  };
};
