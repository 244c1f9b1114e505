/**
 * @module The repository written once over a `SqlDriver`: SQLite and PostgreSQL differ only in
 * their driver, their migrations, row locking (`FOR UPDATE`) and the outbox claim statement.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type {
  ChannelKind,
  ConsentRecord,
  Decision,
  Delivery,
  DeliveryState,
  Intent,
  OrderState,
  SourceId,
  TenantConfigInput,
} from '../core-types.ts';
import { type KeyRing, open, seal } from '../credential-cipher.ts';
import {
  type Attempt,
  type AttemptEnd,
  type AttemptOutcome,
  type AuditEntry,
  type CredentialInfo,
  ERASED_RAW_BODY,
  type EventDocument,
  type Health,
  INTENT_STATUSES,
  type IntentStatus,
  type LeaseResult,
  orderKey,
  RECENT_DECISIONS_MAX,
  type RescheduleOptions,
  type RotationReport,
  type SettleResult,
  type SlaCandidate,
  type Store,
  type StoredDecision,
  type StoredEvent,
  type StoredIntent,
  type StoredWriteBack,
  type StoreTx,
  type Tenant,
  type VersionedOrderState,
  type WriteBackJob,
  type WriteBackLeaseResult,
  type WriteBackStatus,
} from '../repository.ts';
import { failure, StoreError, type StoreResult } from '../store-error.ts';
import type { Migration } from './migration.ts';
import { schemaVersion } from './schema-migrator.ts';
import type { Row, SqlDriver, SqlSession, SqlValue } from './sql-driver.ts';
import { createTrackingNumberOps } from './tracking-numbers-sql.ts';

export interface SqlStoreOptions {
  driver: SqlDriver;
  migrations: readonly Migration[];
  /** Absent: credential operations answer `secret_key_missing`. */
  keyRing: KeyRing | undefined;
}

// ── Row decoding: SQLite gives text, integers and Uint8Array; PostgreSQL Date, jsonb objects,
// booleans and Buffer (bigint as string). Both are read through these.

/** An ISO instant in a canonical form, so SQLite's text comparisons order correctly. */
/** Tables holding a tenant's data, children first, for `eraseTenantData`. */
export const TENANT_DATA_TABLES = [
  'attempts',
  'writebacks',
  'intents',
  'decisions',
  'fingerprints',
  'consents',
  'parked_tracking_updates',
  'tracking_numbers',
  'order_states',
  'events',
  'credentials',
] as const;

/** Already canonical (what `toISOString` writes): kept as is, skipping a parse on hot paths. */
const CANONICAL_INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

const instant = (value: string): string => {
  if (CANONICAL_INSTANT.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`not an ISO-8601 instant: ${value}`);
  return date.toISOString();
};

const readInstant = (value: unknown): string =>
  value instanceof Date ? value.toISOString() : instant(String(value));

const readOptionalInstant = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : readInstant(value);

const readJson = <T>(value: unknown): T =>
  (typeof value === 'string' ? JSON.parse(value) : value) as T;

const readText = (value: unknown): string | undefined =>
  value === null || value === undefined ? undefined : String(value);

const readNumber = (value: unknown): number => Number(value);

const readBytes = (value: unknown): Uint8Array =>
  value instanceof Uint8Array ? value : new Uint8Array(0);

const readBool = (value: unknown): boolean => value === true || value === 1 || value === 1n;

/** Copies `value` into `target[key]` only when present (exactOptionalPropertyTypes). */
const optional = <T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void => {
  if (value !== undefined) target[key] = value;
};

const json = (value: unknown): string => JSON.stringify(value);

/** An `order_states` row (`state, version, updated_at`) as the store hands it out. */
const toVersionedState = (row: Row): VersionedOrderState => ({
  state: readJson<OrderState>(row.state),
  version: readNumber(row.version),
  updatedAt: readInstant(row.updated_at),
});

/** The feed cursor: the last decision's (at, seq), opaque to callers (base64url JSON). */
const decisionCursor = (d: StoredDecision): string =>
  Buffer.from(JSON.stringify([d.at, d.seq])).toString('base64url');

const readDecisionCursor = (cursor: string): { at: string; seq: number } | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, seq] = value as unknown[];
    return typeof at === 'string' &&
      CANONICAL_INSTANT.test(at) &&
      Number.isSafeInteger(seq) &&
      (seq as number) > 0
      ? { at, seq: seq as number }
      : undefined;
  } catch {
    return undefined;
  }
};

const deliveryAt = (intent: Intent, index: number): Delivery | undefined =>
  index === 0 ? intent.delivery : intent.fallbacks[index - 1];

const toIntent = (row: Row): StoredIntent => {
  const intent = readJson<Intent>(row.intent);
  const deliveryIndex = readNumber(row.delivery_index);
  const delivery = deliveryAt(intent, deliveryIndex);
  if (delivery === undefined) {
    throw new Error(`intent ${intent.id} points at delivery ${deliveryIndex}, which it lacks`);
  }
  const stored: StoredIntent = {
    intent,
    status: String(row.status) as IntentStatus,
    notBefore: readInstant(row.not_before),
    attempts: readNumber(row.attempts),
    deliveryIndex,
    delivery,
    createdAt: readInstant(row.created_at),
    updatedAt: readInstant(row.updated_at),
  };
  optional(stored, 'leaseOwner', readText(row.lease_owner));
  optional(stored, 'leaseUntil', readOptionalInstant(row.lease_until));
  optional(stored, 'digestKey', readText(row.digest_key));
  optional(stored, 'lastError', readText(row.last_error));
  return stored;
};

const WRITE_BACK_COLUMNS =
  'id, tenant_id, order_ref, event_id, target, job, status, not_before, attempts, lease_owner, lease_until, last_error, fingerprints, created_at, updated_at';

const toWriteBack = (row: Row): StoredWriteBack => {
  const stored: StoredWriteBack = {
    job: readJson<WriteBackJob>(row.job),
    status: String(row.status) as WriteBackStatus,
    notBefore: readInstant(row.not_before),
    attempts: readNumber(row.attempts),
    fingerprints: readJson<string[]>(row.fingerprints),
    createdAt: readInstant(row.created_at),
    updatedAt: readInstant(row.updated_at),
  };
  optional(stored, 'leaseOwner', readText(row.lease_owner));
  optional(stored, 'leaseUntil', readOptionalInstant(row.lease_until));
  optional(stored, 'lastError', readText(row.last_error));
  return stored;
};

const toAttempt = (row: Row): Attempt => {
  const attempt: Attempt = {
    intentId: String(row.intent_id),
    attempt: readNumber(row.attempt),
    tenantId: String(row.tenant_id),
    orderRef: String(row.order_ref),
    channel: String(row.channel) as ChannelKind,
    provider: String(row.provider),
    startedAt: readInstant(row.started_at),
  };
  optional(attempt, 'finishedAt', readOptionalInstant(row.finished_at));
  optional(attempt, 'outcome', readText(row.outcome) as AttemptOutcome | undefined);
  optional(attempt, 'providerMessageId', readText(row.provider_message_id));
  optional(
    attempt,
    'providerStatus',
    row.provider_status === null ? undefined : readNumber(row.provider_status),
  );
  optional(attempt, 'providerCode', readText(row.provider_code));
  optional(attempt, 'providerBody', readText(row.provider_body));
  optional(attempt, 'error', readText(row.error));
  optional(attempt, 'receiptState', readText(row.receipt_state) as DeliveryState | undefined);
  optional(attempt, 'receiptAt', readOptionalInstant(row.receipt_at));
  optional(attempt, 'receiptCode', readText(row.receipt_code));
  return attempt;
};

/** The columns of `EventDocument`: the raw body stays on disk. */
const EVENT_DOCUMENT_COLUMNS =
  'seq, tenant_id, source, source_event_id, order_ref, occurred_at, received_at, event, headers';

const toEventDocument = (row: Row): EventDocument => ({
  seq: readNumber(row.seq),
  tenantId: String(row.tenant_id),
  source: String(row.source) as SourceId,
  sourceEventId: String(row.source_event_id),
  orderRef: String(row.order_ref),
  occurredAt: readInstant(row.occurred_at),
  receivedAt: readInstant(row.received_at),
  event: readJson(row.event),
  headers: readJson(row.headers),
});

const toEvent = (row: Row): StoredEvent => ({
  ...toEventDocument(row),
  rawBody: readBytes(row.raw_body),
});

/** `%text%` for LIKE … ESCAPE '\', lower-cased, with LIKE's wildcards taken literally. */
const containsPattern = (text: string): string =>
  `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const toTenant = (row: Row): Tenant => ({
  id: String(row.tenant_id),
  name: String(row.name),
  active: readBool(row.active),
  config: readJson<TenantConfigInput>(row.config),
  createdAt: readInstant(row.created_at),
  updatedAt: readInstant(row.updated_at),
});

const toConsent = (row: Row): ConsentRecord => ({
  tenantId: String(row.tenant_id),
  channel: String(row.channel) as ChannelKind,
  contact: String(row.contact),
  state: String(row.state) as ConsentRecord['state'],
  scope: String(row.scope) as ConsentRecord['scope'],
  at: readInstant(row.at),
  source: String(row.source) as ConsentRecord['source'],
});

const toCredentialInfo = (row: Row): CredentialInfo => ({
  tenantId: String(row.tenant_id),
  provider: String(row.provider),
  keyId: String(row.key_id),
  updatedAt: readInstant(row.updated_at),
});

/**
 * Later receipts may arrive first. A receipt replaces the recorded one only if it says more
 * (`read` after `delivered`), or as much but later; a late `sent` never undoes `delivered`.
 */
const RECEIPT_RANK: Record<DeliveryState, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  undelivered: 2,
  failed: 2,
  bounced: 2,
  read: 3,
  complained: 4,
  unsubscribed: 4,
};

/** Rows per multi-row INSERT: few round trips, well under both databases' parameter limits. */
const CHUNK = 200;

const chunks = <T>(items: readonly T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
};

/** `($1, $2, $3), ($4, $5, $6), …` for `rows` rows of `width` parameters. */
const valuesList = (rows: number, width: number): string =>
  Array.from(
    { length: rows },
    (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
  ).join(', ');

const INTENT_COLUMNS =
  'id, tenant_id, order_ref, event_id, intent, status, not_before, attempts, lease_owner, lease_until, digest_key, delivery_index, last_error, created_at, updated_at';

/** Creates the repository over a driver. Migrations are applied by the caller (`openStore`). */
export const createSqlStore = (options: SqlStoreOptions): Store => {
  const { driver, migrations, keyRing } = options;
  const forUpdate = driver.dialect === 'postgres' ? ' FOR UPDATE' : '';
  const latest = Math.max(0, ...migrations.map((m) => m.version));
  // Set while a transaction's callback runs: a Store method called from inside it would wait
  // for the transaction it is part of (SQLite) or bypass its locks (PostgreSQL).
  const insideTransaction = new AsyncLocalStorage<true>();
  let closed = false;

  const outside = (): void => {
    if (closed) throw new Error('the store is closed');
    if (insideTransaction.getStore()) {
      throw new Error('Store method called inside transaction(); use the tx argument instead');
    }
  };

  const db = {
    query: (sql: string, params?: readonly SqlValue[]) => {
      outside();
      return driver.query(sql, params);
    },
    run: (sql: string, params?: readonly SqlValue[]) => {
      outside();
      return driver.run(sql, params);
    },
    transaction: <T>(fn: (session: SqlSession) => Promise<T>) => {
      outside();
      return driver.transaction(fn);
    },
  };

  /** Turns a broken foreign key into the failure it means for the caller. */
  const rethrowConstraint = (error: unknown, tenantId: string): never => {
    if (driver.constraintOf(error) === 'foreign_key') {
      throw new StoreError('unknown_tenant', `tenant "${tenantId}" does not exist`, {
        cause: error,
      });
    }
    throw error;
  };

  const eventKey = (tenantId: unknown, source: unknown, sourceEventId: unknown): string =>
    `${String(tenantId)}\u0000${String(source)}\u0000${String(sourceEventId)}`;

  const txOf = (s: SqlSession): StoreTx => {
    const tx: StoreTx = {
      insertEvent: async (input) => {
        const [answer] = await tx.insertEvents([input]);
        return answer ?? 'duplicate';
      },

      insertEvents: async (inputs) => {
        const fresh = new Set<string>();
        for (const batch of chunks(inputs)) {
          const params = batch.flatMap(({ event, rawBody, receivedAt, headers }): SqlValue[] => [
            event.tenantId,
            event.source,
            event.sourceEventId,
            event.orderRef,
            instant(event.occurredAt),
            instant(receivedAt),
            json(event),
            typeof rawBody === 'string' ? new TextEncoder().encode(rawBody) : rawBody,
            json(headers),
          ]);
          const rows = await s
            .query(
              `INSERT INTO events (tenant_id, source, source_event_id, order_ref, occurred_at, received_at, event, raw_body, headers)
             VALUES ${valuesList(batch.length, 9)}
             ON CONFLICT (tenant_id, source, source_event_id) DO NOTHING
             RETURNING tenant_id, source, source_event_id`,
              params,
            )
            .catch((error: unknown) => rethrowConstraint(error, batch[0]?.event.tenantId ?? '?'));
          for (const row of rows)
            fresh.add(eventKey(row.tenant_id, row.source, row.source_event_id));
        }
        // The first occurrence of a key in the list took the row; any later one is a duplicate.
        return inputs.map(({ event }) =>
          fresh.delete(eventKey(event.tenantId, event.source, event.sourceEventId))
            ? 'inserted'
            : 'duplicate',
        );
      },

      loadOrderStates: async (keys) => {
        const byTenant = new Map<string, Set<string>>();
        for (const { tenantId, orderRef } of keys) {
          const refs = byTenant.get(tenantId) ?? new Set<string>();
          refs.add(orderRef);
          byTenant.set(tenantId, refs);
        }
        const found = new Map<string, VersionedOrderState>();
        for (const [tenantId, refs] of byTenant) {
          for (const [ref, state] of await readOrderStates(s, tenantId, refs, true)) {
            found.set(orderKey(tenantId, ref), state);
          }
        }
        return found;
      },

      saveOrderStates: async (items, at) => {
        const now = instant(at);
        for (const batch of chunks(items)) {
          // One upsert: a new order is inserted at version 1; a known one is updated only if it
          // is still at the version it was read at (excluded.version - 1), so a lost race returns
          // no row for that order and rolls the whole transaction back.
          const rows = await s
            .query(
              `INSERT INTO order_states (tenant_id, order_ref, state, version, updated_at, watch_open, unscanned_since, promised_date)
             VALUES ${valuesList(batch.length, 8)}
             ON CONFLICT (tenant_id, order_ref) DO UPDATE
               SET state = excluded.state, version = excluded.version, updated_at = excluded.updated_at,
                   watch_open = excluded.watch_open, unscanned_since = excluded.unscanned_since,
                   promised_date = COALESCE(excluded.promised_date, order_states.promised_date)
               WHERE order_states.version = excluded.version - 1
             RETURNING tenant_id, order_ref`,
              batch.flatMap(({ state, expectedVersion, watch }): SqlValue[] => [
                state.tenantId,
                state.orderRef,
                json(state),
                expectedVersion + 1,
                now,
                watch.open ? 1 : 0,
                watch.unscannedSince ? instant(watch.unscannedSince) : null,
                watch.promisedDate ?? null,
              ]),
            )
            .catch((error: unknown) => rethrowConstraint(error, batch[0]?.state.tenantId ?? '?'));
          if (rows.length !== batch.length) {
            const saved = new Set(
              rows.map((r) => orderKey(String(r.tenant_id), String(r.order_ref))),
            );
            const lost = batch.find(
              (i) => !saved.has(orderKey(i.state.tenantId, i.state.orderRef)),
            );
            throw new StoreError(
              'version_conflict',
              `order state changed since version ${lost?.expectedVersion ?? '?'} was read; retry the transaction`,
            );
          }
        }
      },

      loadOrderState: async (tenantId, orderRef) => {
        const [row] = await s.query(
          `SELECT state, version, updated_at FROM order_states WHERE tenant_id = $1 AND order_ref = $2${forUpdate}`,
          [tenantId, orderRef],
        );
        return row === undefined ? undefined : toVersionedState(row);
      },

      saveOrderState: async (state, expectedVersion, at, watch) => {
        // Without a watch the SLA columns are left as they are (a new row: not watched).
        const watchParams: SqlValue[] = watch
          ? [watch.open ? 1 : 0, watch.unscannedSince ? instant(watch.unscannedSince) : null]
          : [];
        const promised = watch?.promisedDate ?? null;
        const rows =
          expectedVersion === 0
            ? await s
                .query(
                  `INSERT INTO order_states (tenant_id, order_ref, state, version, updated_at, watch_open, unscanned_since, promised_date)
                 VALUES ($1, $2, $3, 1, $4, $5, $6, $7)
                 ON CONFLICT (tenant_id, order_ref) DO NOTHING
                 RETURNING version`,
                  [
                    state.tenantId,
                    state.orderRef,
                    json(state),
                    instant(at),
                    ...(watch ? watchParams : [0, null]),
                    promised,
                  ],
                )
                .catch((error: unknown) => rethrowConstraint(error, state.tenantId))
            : await s.query(
                `UPDATE order_states SET state = $3, version = version + 1, updated_at = $5,
                 promised_date = COALESCE($6, promised_date)${watch ? ', watch_open = $7, unscanned_since = $8' : ''}
               WHERE tenant_id = $1 AND order_ref = $2 AND version = $4
               RETURNING version`,
                [
                  state.tenantId,
                  state.orderRef,
                  json(state),
                  expectedVersion,
                  instant(at),
                  promised,
                  ...watchParams,
                ],
              );
        const [row] = rows;
        if (row === undefined) {
          throw new StoreError(
            'version_conflict',
            `order state changed since version ${expectedVersion} was read; retry the transaction`,
          );
        }
        return readNumber(row.version);
      },

      insertIntents: async (intents, at) => (await tx.insertNewIntents(intents, at)).size,

      insertNewIntents: async (intents, at) => {
        const now = instant(at);
        const inserted = new Set<string>();
        for (const batch of chunks(intents)) {
          const params = batch.flatMap((intent): SqlValue[] => [
            intent.id,
            intent.tenantId,
            intent.orderRef,
            intent.eventId,
            json(intent),
            instant(intent.delivery.notBefore),
            intent.digestKey ?? null,
            now,
          ]);
          // Eight parameters per row; status, counters and lease columns are constants.
          const rowsSql = batch
            .map((_, r) => {
              const p = (n: number) => `$${r * 8 + n}`;
              return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, 'pending', ${p(6)}, 0, NULL, NULL, ${p(7)}, 0, NULL, ${p(8)}, ${p(8)})`;
            })
            .join(', ');
          const rows = await s
            .query(
              `INSERT INTO intents (${INTENT_COLUMNS}) VALUES ${rowsSql}
             ON CONFLICT (id) DO NOTHING RETURNING id`,
              params,
            )
            .catch((error: unknown) => rethrowConstraint(error, batch[0]?.tenantId ?? '?'));
          for (const row of rows) inserted.add(String(row.id));
        }
        return inserted;
      },

      cancelPendingIntents: (tenantId, orderRef, reason, at) =>
        s.run(
          `UPDATE intents SET status = 'cancelled', last_error = $3, updated_at = $4
         WHERE tenant_id = $1 AND order_ref = $2 AND status = 'pending'`,
          [tenantId, orderRef, reason, instant(at)],
        ),

      insertDecisions: (input) => tx.insertDecisionSets([input]),

      insertDecisionSets: async (inputs) => {
        const rows = inputs.flatMap((input) => {
          const at = instant(input.at);
          return input.decisions.map((decision): SqlValue[] => [
            input.tenantId,
            input.orderRef,
            input.eventId ?? null,
            at,
            json(decision),
          ]);
        });
        for (const batch of chunks(rows)) {
          await s
            .run(
              `INSERT INTO decisions (tenant_id, order_ref, event_id, at, decision) VALUES ${valuesList(batch.length, 5)}`,
              batch.flat(),
            )
            .catch((error: unknown) => rethrowConstraint(error, String(batch[0]?.[0] ?? '?')));
        }
      },

      appendAudit: async (entry) => {
        await s
          .run(
            `INSERT INTO audit_log (tenant_id, order_ref, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
            [
              entry.tenantId,
              entry.orderRef ?? null,
              instant(entry.at),
              entry.actor,
              entry.action,
              json(entry.detail),
            ],
          )
          .catch((error: unknown) => rethrowConstraint(error, entry.tenantId));
      },

      putConsent: async (record) => {
        const rows = await s
          .query(
            `INSERT INTO consents (tenant_id, channel, contact, scope, state, at, source)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (tenant_id, channel, contact, scope) DO UPDATE
             SET state = excluded.state, at = excluded.at, source = excluded.source
             WHERE consents.at <= excluded.at
           RETURNING tenant_id`,
            [
              record.tenantId,
              record.channel,
              record.contact,
              record.scope,
              record.state,
              instant(record.at),
              record.source,
            ],
          )
          .catch((error: unknown) => rethrowConstraint(error, record.tenantId));
        return rows.length === 1 ? 'stored' : 'stale';
      },

      putFingerprint: async (input) => {
        await s
          .run(
            `INSERT INTO fingerprints (tenant_id, fingerprint, target, expires_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, fingerprint) DO UPDATE
             SET target = excluded.target, expires_at = excluded.expires_at`,
            [input.tenantId, input.fingerprint, input.target, instant(input.expiresAt)],
          )
          .catch((error: unknown) => rethrowConstraint(error, input.tenantId));
      },

      insertWriteBacks: async (jobs, at) => {
        const now = instant(at);
        let inserted = 0;
        for (const batch of chunks(jobs)) {
          const params = batch.flatMap((job): SqlValue[] => [
            job.id,
            job.tenantId,
            job.orderRef,
            job.eventId,
            job.target,
            json(job),
            now,
          ]);
          const rowsSql = batch
            .map((_, r) => {
              const p = (n: number) => `$${r * 7 + n}`;
              return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, 'pending', ${p(7)}, 0, NULL, NULL, NULL, '[]', ${p(7)}, ${p(7)})`;
            })
            .join(', ');
          const rows = await s
            .query(
              `INSERT INTO writebacks (${WRITE_BACK_COLUMNS}) VALUES ${rowsSql}
             ON CONFLICT (id) DO NOTHING RETURNING id`,
              params,
            )
            .catch((error: unknown) => rethrowConstraint(error, batch[0]?.tenantId ?? '?'));
          inserted += rows.length;
        }
        return inserted;
      },

      hasFingerprint: async (tenantId, fingerprint, now) => {
        const rows = await s.query(
          `SELECT 1 AS hit FROM fingerprints WHERE tenant_id = $1 AND fingerprint = $2 AND expires_at > $3`,
          [tenantId, fingerprint, instant(now)],
        );
        return rows.length > 0;
      },
    };
    return tx;
  };

  // Claiming sets not_before to the lease expiry, so "due" is one condition for pending rows
  // and expired leases alike, answered by one range scan of the partial index `<table>_due`.
  // The outbox (`intents`) and the write-back queue (`writebacks`) share the statements.
  type QueueTable = 'intents' | 'writebacks';
  const dueSql = (table: QueueTable) => `SELECT id, not_before AS due_at FROM ${table}
    WHERE status IN ('pending', 'leased') AND not_before <= $1
    ORDER BY not_before, id
    LIMIT $2`;
  const LEASE = `status = 'leased', lease_owner = $3, lease_until = $4, not_before = $4,
    attempts = attempts + 1, updated_at = $1`;

  /** Leases due rows; each returned row carries `due_at`, when it became due, for ordering. */
  const claimRows = (
    s: SqlSession,
    params: readonly SqlValue[],
    table: QueueTable = 'intents',
  ): Promise<Row[]> =>
    driver.dialect === 'postgres'
      ? // SKIP LOCKED: concurrent claimers pass over each other's rows instead of waiting, and
        // the row lock taken in the CTE means no two claimers can lease the same row.
        s.query(
          `WITH due AS (${dueSql(table)} FOR UPDATE SKIP LOCKED)
           UPDATE ${table} AS i SET ${LEASE.replace('attempts + 1', 'i.attempts + 1')}
           FROM due WHERE i.id = due.id
           RETURNING i.*, due.due_at`,
          params,
        )
      : // SQLite has one writer: inside BEGIN IMMEDIATE nothing can change between the two.
        (async () => {
          const due = await s.query(dueSql(table), params.slice(0, 2));
          if (due.length === 0) return [];
          const dueAt = new Map(due.map((r) => [String(r.id), r.due_at]));
          const rows = await s.query(
            `UPDATE ${table} SET ${LEASE}
             WHERE id IN (SELECT value FROM json_each($5)) RETURNING *`,
            [...params, json([...dueAt.keys()])],
          );
          return rows.map((row) => ({ ...row, due_at: dueAt.get(String(row.id)) }));
        })();

  /** Claimed rows in the order they became due (RETURNING promises no order), then by id. */
  const inDueOrder = <T>(rows: Row[], decode: (row: Row) => T, idOf: (item: T) => string): T[] =>
    rows
      .map((row) => ({ dueAt: readInstant(row.due_at), item: decode(row) }))
      .sort((a, b) =>
        a.dueAt !== b.dueAt ? (a.dueAt < b.dueAt ? -1 : 1) : idOf(a.item) < idOf(b.item) ? -1 : 1,
      )
      .map((x) => x.item);

  /** Applies `set` to a write-back only while `workerId` holds its lease, in one statement. */
  const underWriteBackLease = async (
    s: Pick<SqlSession, 'query'>,
    id: string,
    workerId: string,
    set: string,
    params: readonly SqlValue[],
  ): Promise<WriteBackLeaseResult> => {
    const [row] = await s.query(
      `UPDATE writebacks SET ${set}
       WHERE id = $1 AND status = 'leased' AND lease_owner = $2
       RETURNING ${WRITE_BACK_COLUMNS}`,
      [id, workerId, ...params],
    );
    return row === undefined
      ? failure(
          'lease_lost',
          `write-back ${id} is not leased to ${workerId} (it expired and was claimed again, or was never claimed)`,
        )
      : { ok: true, value: toWriteBack(row) };
  };

  const leaseLost = (id: string, workerId: string) =>
    failure(
      'lease_lost',
      `intent ${id} is not leased to ${workerId} (it expired and was claimed again, or was never claimed)`,
    );

  /**
   * Applies `set` to an intent only while `workerId` holds its lease, in one statement: the lease
   * check and the change cannot be split by another worker's claim.
   */
  const underLease = async (
    id: string,
    workerId: string,
    set: string,
    params: readonly SqlValue[],
    s: Pick<SqlSession, 'query'> = db,
  ): Promise<LeaseResult> => {
    const [row] = await s.query(
      `UPDATE intents SET ${set}
       WHERE id = $1 AND status = 'leased' AND lease_owner = $2
       RETURNING ${INTENT_COLUMNS}`,
      [id, workerId, ...params],
    );
    return row === undefined ? leaseLost(id, workerId) : { ok: true, value: toIntent(row) };
  };

  const finish = (
    id: string,
    workerId: string,
    status: IntentStatus,
    lastError: string | null,
    at: string,
    s: Pick<SqlSession, 'query'> = db,
  ): Promise<LeaseResult> =>
    underLease(
      id,
      workerId,
      `status = $3, lease_owner = NULL, lease_until = NULL,
       last_error = COALESCE($4, last_error), updated_at = $5`,
      [status, lastError, instant(at)],
      s,
    );

  const RESCHEDULE = `status = 'pending', lease_owner = NULL, lease_until = NULL, not_before = $3,
    delivery_index = $4, last_error = $5, updated_at = $6`;

  /** Gives a leased intent back as pending, optionally on its next fallback (inside `s`, which
   * must be a transaction when `advanceDelivery` is set: the fallback count is read first). */
  const reschedule = async (
    s: Pick<SqlSession, 'query'>,
    id: string,
    workerId: string,
    notBefore: string,
    options: RescheduleOptions,
    at: string,
  ): Promise<LeaseResult> => {
    if (!options.advanceDelivery) {
      return underLease(
        id,
        workerId,
        RESCHEDULE.replace('delivery_index = $4', 'delivery_index = delivery_index + $4'),
        [instant(notBefore), 0, options.error, instant(at)],
        s,
      );
    }
    const [row] = await s.query(
      `SELECT ${INTENT_COLUMNS} FROM intents
       WHERE id = $1 AND status = 'leased' AND lease_owner = $2${forUpdate}`,
      [id, workerId],
    );
    if (row === undefined) return leaseLost(id, workerId);
    const current = toIntent(row);
    const next = current.deliveryIndex + 1;
    if (deliveryAt(current.intent, next) === undefined) {
      return failure(
        'no_fallback_left',
        `intent ${id} has no delivery after ${current.deliveryIndex}`,
      );
    }
    const [updated] = await s.query(
      `UPDATE intents SET ${RESCHEDULE} WHERE id = $1 AND lease_owner = $2 RETURNING ${INTENT_COLUMNS}`,
      [id, workerId, instant(notBefore), next, options.error, instant(at)],
    );
    if (updated === undefined) throw new Error(`intent ${id} vanished under its lease`);
    return { ok: true, value: toIntent(updated) };
  };

  const END_ATTEMPT = `UPDATE attempts SET finished_at = $3, outcome = $4, provider_message_id = $5,
         provider_status = $6, provider_code = $7, provider_body = $8, error = $9
       WHERE intent_id = $1 AND attempt = $2`;
  const endAttemptParams = (end: AttemptEnd): SqlValue[] => [
    end.intentId,
    end.attempt,
    instant(end.finishedAt),
    end.outcome,
    end.providerMessageId ?? null,
    end.providerStatus ?? null,
    end.providerCode ?? null,
    end.providerBody ?? null,
    end.error ?? null,
  ];

  const endAttempt = async (
    s: Pick<SqlSession, 'query'>,
    end: AttemptEnd,
  ): Promise<StoreResult<Attempt, 'not_found'>> => {
    const [row] = await s.query(`${END_ATTEMPT} RETURNING *`, endAttemptParams(end));
    return row === undefined
      ? failure('not_found', `no attempt ${end.attempt} of intent ${end.intentId} was started`)
      : { ok: true, value: toAttempt(row) };
  };

  /**
   * `endAttempt` for a settlement's attempts, which need neither their rows back nor to know they
   * existed: one statement per chunk (one per attempt cost a round trip each on PostgreSQL).
   */
  const endAttemptsQuietly = async (
    s: Pick<SqlSession, 'run'>,
    ends: readonly AttemptEnd[],
  ): Promise<void> => {
    // PostgreSQL types a VALUES list from its text; the integer and instant columns say theirs.
    const [int, at] = driver.dialect === 'postgres' ? ['::integer', '::timestamptz'] : ['', ''];
    for (const chunk of chunks(ends)) {
      const rows = chunk
        .map((_, r) => {
          const p = (k: number) => `$${r * 9 + k}`;
          return `(${p(1)}, ${p(2)}${int}, ${p(3)}${at}, ${p(4)}, ${p(5)}, ${p(6)}${int}, ${p(7)}, ${p(8)}, ${p(9)})`;
        })
        .join(', ');
      await s.run(
        `WITH v (intent_id, attempt, finished_at, outcome, message_id, status, code, body, error)
           AS (VALUES ${rows})
         UPDATE attempts SET finished_at = v.finished_at, outcome = v.outcome,
           provider_message_id = v.message_id, provider_status = v.status, provider_code = v.code,
           provider_body = v.body, error = v.error
         FROM v WHERE attempts.intent_id = v.intent_id AND attempts.attempt = v.attempt`,
        chunk.flatMap(endAttemptParams),
      );
    }
  };

  /** Order states of one tenant by ref, one read per chunk; `lock`: `FOR UPDATE` (PostgreSQL),
   * in ref order so concurrent batches lock their shared orders in the same order. */
  const readOrderStates = async (
    s: Pick<SqlSession, 'query'>,
    tenantId: string,
    orderRefs: Iterable<string>,
    lock: boolean,
  ): Promise<Map<string, VersionedOrderState>> => {
    const out = new Map<string, VersionedOrderState>();
    for (const chunk of chunks([...new Set(orderRefs)].sort())) {
      const rows = await s.query(
        `SELECT order_ref, state, version, updated_at FROM order_states
         WHERE tenant_id = $1 AND order_ref IN (${placeholders(chunk.length, 2)})
         ORDER BY order_ref${lock ? forUpdate : ''}`,
        [tenantId, ...chunk],
      );
      for (const row of rows) out.set(String(row.order_ref), toVersionedState(row));
    }
    return out;
  };

  /** `$first, $first+1, …` for `count` parameters. */
  const placeholders = (count: number, first: number): string =>
    Array.from({ length: count }, (_, k) => `$${k + first}`).join(', ');

  const toDecision = (row: Row): StoredDecision => {
    const decision: StoredDecision = {
      seq: readNumber(row.seq),
      tenantId: String(row.tenant_id),
      orderRef: String(row.order_ref),
      at: readInstant(row.at),
      decision: readJson<Decision>(row.decision),
    };
    optional(decision, 'eventId', readText(row.event_id));
    return decision;
  };

  const listByOrder = async <T>(
    sql: string,
    tenantId: string,
    orderRef: string,
    map: (row: Row) => T,
  ): Promise<T[]> => (await db.query(sql, [tenantId, orderRef])).map(map);

  const requireRing = (): KeyRing | undefined => keyRing;

  return {
    dialect: driver.dialect,

    ...createTrackingNumberOps({
      dialect: driver.dialect,
      query: db.query,
      run: db.run,
      constraintOf: (error) => driver.constraintOf(error),
    }),

    transaction: (fn) => db.transaction((s) => insideTransaction.run(true, () => fn(txOf(s)))),

    claimDue: async (now, limit, leaseMs, workerId) => {
      const at = instant(now);
      const leaseUntil = new Date(Date.parse(at) + leaseMs).toISOString();
      const rows = await db.transaction((s) =>
        claimRows(s, [at, Math.max(0, Math.trunc(limit)), workerId, leaseUntil]),
      );
      return inDueOrder(rows, toIntent, (i) => i.intent.id);
    },

    claimDigest: async (tenantId, digestKey, now, leaseMs, workerId, limit = 100) => {
      const at = instant(now);
      const leaseUntil = new Date(Date.parse(at) + leaseMs).toISOString();
      const rows = await db.transaction(async (s) => {
        // Served by `intents_digest` (tenant, digest_key); SKIP LOCKED as in claimDue.
        const due = await s.query(
          `SELECT id FROM intents
           WHERE tenant_id = $1 AND digest_key = $2 AND status IN ('pending', 'leased')
             AND not_before <= $3
           ORDER BY not_before, id LIMIT $4${driver.dialect === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : ''}`,
          [tenantId, digestKey, at, Math.max(0, Math.trunc(limit))],
        );
        if (due.length === 0) return [];
        const list = due.map((_, i) => `$${i + 4}`).join(', ');
        return s.query(
          `UPDATE intents SET status = 'leased', lease_owner = $1, lease_until = $2, not_before = $2,
             attempts = attempts + 1, updated_at = $3
           WHERE id IN (${list}) RETURNING ${INTENT_COLUMNS}`,
          [workerId, leaseUntil, at, ...due.map((r) => String(r.id))],
        );
      });
      return rows
        .map(toIntent)
        .sort((a, b) =>
          a.createdAt !== b.createdAt
            ? a.createdAt < b.createdAt
              ? -1
              : 1
            : a.intent.id < b.intent.id
              ? -1
              : 1,
        );
    },

    completeIntent: (id, workerId, at) => finish(id, workerId, 'sent', null, at),
    parkIntent: (id, workerId, error, at) => finish(id, workerId, 'parked', error, at),
    suppressIntent: (id, workerId, reason, at) => finish(id, workerId, 'suppressed', reason, at),

    rescheduleIntent: (id, workerId, notBefore, options, at) =>
      options.advanceDelivery
        ? db.transaction((s) => reschedule(s, id, workerId, notBefore, options, at))
        : reschedule(db, id, workerId, notBefore, options, at),

    extendLeases: async (ids, workerId, leaseUntil, at) => {
      const extended: string[] = [];
      for (const chunk of chunks([...ids])) {
        // `not_before` follows the lease: claiming treats an expired lease as due (one index).
        const rows = await db.query(
          `UPDATE intents SET lease_until = $2, not_before = $2, updated_at = $3
           WHERE id IN (${placeholders(chunk.length, 4)}) AND status = 'leased' AND lease_owner = $1
           RETURNING id`,
          [workerId, instant(leaseUntil), instant(at), ...chunk],
        );
        for (const row of rows) extended.push(String(row.id));
      }
      return extended;
    },

    settleIntents: async (workerId, items, at) => {
      if (items.length === 0) return [];
      const now = instant(at);
      return db.transaction(async (s) => {
        await endAttemptsQuietly(
          s,
          items.flatMap((i) => (i.attemptEnd ? [i.attemptEnd] : [])),
        );
        // Completions, the common case, in one statement per chunk; the lease is checked per row.
        const done = new Map<string, SettleResult>();
        const completing = items.filter((i) => i.outcome.kind === 'complete').map((i) => i.id);
        for (const chunk of chunks(completing)) {
          const rows = await s.query(
            `UPDATE intents SET status = 'sent', lease_owner = NULL, lease_until = NULL, updated_at = $2
             WHERE id IN (${placeholders(chunk.length, 3)}) AND status = 'leased' AND lease_owner = $1
             RETURNING id`,
            [workerId, now, ...chunk],
          );
          for (const row of rows) {
            done.set(String(row.id), { ok: true, value: { id: String(row.id), status: 'sent' } });
          }
        }
        const brief = (r: LeaseResult): SettleResult =>
          r.ok ? { ok: true, value: { id: r.value.intent.id, status: r.value.status } } : r;
        const results: SettleResult[] = [];
        for (const { id, outcome } of items) {
          switch (outcome.kind) {
            case 'complete':
              results.push(done.get(id) ?? brief(leaseLost(id, workerId)));
              break;
            case 'reschedule':
              results.push(
                brief(
                  await reschedule(
                    s,
                    id,
                    workerId,
                    outcome.notBefore,
                    {
                      error: outcome.error,
                      ...(outcome.advanceDelivery ? { advanceDelivery: true } : {}),
                    },
                    now,
                  ),
                ),
              );
              break;
            case 'park':
              results.push(brief(await finish(id, workerId, 'parked', outcome.error, now, s)));
              break;
            case 'suppress':
              results.push(brief(await finish(id, workerId, 'suppressed', outcome.reason, now, s)));
              break;
            default:
              return outcome satisfies never;
          }
        }
        return results;
      });
    },

    releaseLease: (id, workerId, at) =>
      underLease(
        id,
        workerId,
        `status = 'pending', lease_owner = NULL, lease_until = NULL, not_before = $3,
         attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END, updated_at = $3`,
        [instant(at)],
      ),

    claimWriteBacks: async (now, limit, leaseMs, workerId) => {
      const at = instant(now);
      const leaseUntil = new Date(Date.parse(at) + leaseMs).toISOString();
      const rows = await db.transaction((s) =>
        claimRows(s, [at, Math.max(0, Math.trunc(limit)), workerId, leaseUntil], 'writebacks'),
      );
      return inDueOrder(rows, toWriteBack, (w) => w.job.id);
    },

    completeWriteBack: (id, workerId, fingerprints, at) =>
      db.transaction(async (s) => {
        const result = await underWriteBackLease(
          s,
          id,
          workerId,
          `status = 'done', lease_owner = NULL, lease_until = NULL, fingerprints = $3,
           last_error = NULL, updated_at = $4`,
          [json(fingerprints.values), instant(at)],
        );
        if (!result.ok) return result;
        const { job } = result.value;
        for (const fingerprint of new Set(fingerprints.values)) {
          await s.run(
            `INSERT INTO fingerprints (tenant_id, fingerprint, target, expires_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant_id, fingerprint) DO UPDATE
               SET target = excluded.target, expires_at = excluded.expires_at`,
            [job.tenantId, fingerprint, job.target, instant(fingerprints.expiresAt)],
          );
        }
        return result;
      }),

    rescheduleWriteBack: (id, workerId, notBefore, error, at) =>
      underWriteBackLease(
        db,
        id,
        workerId,
        `status = 'pending', lease_owner = NULL, lease_until = NULL, not_before = $3,
         last_error = $4, updated_at = $5`,
        [instant(notBefore), error, instant(at)],
      ),

    parkWriteBack: (id, workerId, error, at) =>
      underWriteBackLease(
        db,
        id,
        workerId,
        `status = 'parked', lease_owner = NULL, lease_until = NULL, last_error = $3, updated_at = $4`,
        [error, instant(at)],
      ),

    getWriteBack: async (id) => {
      const [row] = await db.query(`SELECT ${WRITE_BACK_COLUMNS} FROM writebacks WHERE id = $1`, [
        id,
      ]);
      return row === undefined ? undefined : toWriteBack(row);
    },

    listWriteBacks: (tenantId, orderRef) =>
      listByOrder(
        `SELECT ${WRITE_BACK_COLUMNS} FROM writebacks WHERE tenant_id = $1 AND order_ref = $2 ORDER BY created_at, id`,
        tenantId,
        orderRef,
        toWriteBack,
      ),

    getIntent: async (id) => {
      const [row] = await db.query(`SELECT ${INTENT_COLUMNS} FROM intents WHERE id = $1`, [id]);
      return row === undefined ? undefined : toIntent(row);
    },

    listIntentsByStatus: async (tenantId, status, limit) =>
      (
        await db.query(
          `SELECT ${INTENT_COLUMNS} FROM intents WHERE tenant_id = $1 AND status = $2
           ORDER BY updated_at DESC, id LIMIT $3`,
          [tenantId, status, Math.max(0, Math.trunc(limit))],
        )
      ).map(toIntent),

    requeueIntent: (id, at, actor = 'operator') =>
      db.transaction(async (s) => {
        const [row] = await s.query(
          `SELECT ${INTENT_COLUMNS} FROM intents WHERE id = $1${forUpdate}`,
          [id],
        );
        if (row === undefined) return failure('not_found', `no intent ${id}`);
        const current = toIntent(row);
        if (current.status !== 'parked') {
          return failure('not_parked', `intent ${id} is ${current.status}, not parked`);
        }
        const now = instant(at);
        const [updated] = await s.query(
          `UPDATE intents SET status = 'pending', not_before = $2, attempts = 0, delivery_index = 0,
             lease_owner = NULL, lease_until = NULL, last_error = NULL, updated_at = $2
           WHERE id = $1 AND status = 'parked' RETURNING ${INTENT_COLUMNS}`,
          [id, now],
        );
        if (updated === undefined) throw new Error(`intent ${id} vanished while being requeued`);
        await s.run(
          `INSERT INTO audit_log (tenant_id, order_ref, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5, $6)`,
          [
            current.intent.tenantId,
            current.intent.orderRef,
            now,
            actor,
            'intent.replayed',
            json({
              intentId: id,
              parkedFor: current.lastError ?? null,
              attempts: current.attempts,
              deliveryIndex: current.deliveryIndex,
            }),
          ],
        );
        return { ok: true, value: toIntent(updated) };
      }),

    countByStatus: async (tenantId) => {
      const rows =
        tenantId === undefined
          ? await db.query('SELECT status, count(*) AS n FROM intents GROUP BY status')
          : await db.query(
              'SELECT status, count(*) AS n FROM intents WHERE tenant_id = $1 GROUP BY status',
              [tenantId],
            );
      const counts = Object.fromEntries(INTENT_STATUSES.map((s) => [s, 0])) as Record<
        IntentStatus,
        number
      >;
      for (const row of rows) counts[String(row.status) as IntentStatus] = readNumber(row.n);
      return counts;
    },

    countDue: async (now) => {
      // One range of the partial index `intents_due`, which claiming scans as well.
      const [row] = await db.query(
        `SELECT count(*) AS n FROM intents WHERE status IN ('pending', 'leased') AND not_before <= $1`,
        [instant(now)],
      );
      return readNumber(row?.n ?? 0);
    },

    recordAttemptStart: async (start) => {
      const changed = await db.run(
        `INSERT INTO attempts (intent_id, attempt, tenant_id, order_ref, channel, provider, started_at)
         SELECT id, $2, tenant_id, order_ref, $3, $4, $5 FROM intents WHERE id = $1`,
        [start.intentId, start.attempt, start.channel, start.provider, instant(start.startedAt)],
      );
      if (changed === 0) throw new Error(`no intent ${start.intentId} to record an attempt for`);
    },

    recordAttemptStarts: async (starts) => {
      if (starts.length === 0) return;
      await db.transaction(async (s) => {
        for (const chunk of chunks(starts)) {
          const owners = await s.query(
            `SELECT id, tenant_id, order_ref FROM intents WHERE id IN (${placeholders(chunk.length, 1)})`,
            chunk.map((c) => c.intentId),
          );
          const byId = new Map(owners.map((r) => [String(r.id), r]));
          const params: SqlValue[] = [];
          for (const start of chunk) {
            const owner = byId.get(start.intentId);
            if (owner === undefined) {
              throw new Error(`no intent ${start.intentId} to record an attempt for`);
            }
            params.push(
              start.intentId,
              start.attempt,
              String(owner.tenant_id),
              String(owner.order_ref),
              start.channel,
              start.provider,
              instant(start.startedAt),
            );
          }
          await s.run(
            `INSERT INTO attempts (intent_id, attempt, tenant_id, order_ref, channel, provider, started_at)
             VALUES ${valuesList(chunk.length, 7)}`,
            params,
          );
        }
      });
    },

    recordAttemptEnd: (end) => endAttempt(db, end),

    findAttemptByProviderMessageId: async (provider, providerMessageId) => {
      const [row] = await db.query(
        `SELECT * FROM attempts WHERE provider = $1 AND provider_message_id = $2
         ORDER BY started_at DESC LIMIT 1`,
        [provider, providerMessageId],
      );
      return row === undefined ? undefined : toAttempt(row);
    },

    applyReceipt: (receipt) =>
      db.transaction(async (s) => {
        const [row] = await s.query(
          `SELECT * FROM attempts WHERE provider = $1 AND provider_message_id = $2
           ORDER BY started_at DESC LIMIT 1${forUpdate}`,
          [receipt.provider, receipt.providerMessageId],
        );
        if (row === undefined) {
          return failure('not_found', `no ${receipt.provider} message with that id was sent by us`);
        }
        const current = toAttempt(row);
        const at = instant(receipt.at);
        const newRank = RECEIPT_RANK[receipt.state];
        const oldRank =
          current.receiptState === undefined ? -1 : RECEIPT_RANK[current.receiptState];
        const applies =
          newRank > oldRank ||
          (newRank === oldRank && current.receiptAt !== undefined && at > current.receiptAt);
        if (!applies) return { ok: true, value: { attempt: current, applied: false } };
        const [updated] = await s.query(
          `UPDATE attempts SET receipt_state = $3, receipt_at = $4, receipt_code = $5
           WHERE intent_id = $1 AND attempt = $2 RETURNING *`,
          [current.intentId, current.attempt, receipt.state, at, receipt.providerCode ?? null],
        );
        if (updated === undefined) throw new Error('attempt vanished while applying a receipt');
        return { ok: true, value: { attempt: toAttempt(updated), applied: true } };
      }),

    listConsents: async (tenantId, contacts) => {
      if (contacts.length === 0) return [];
      const placeholders = contacts.map((_, i) => `$${i + 2}`).join(', ');
      const rows = await db.query(
        `SELECT * FROM consents WHERE tenant_id = $1 AND contact IN (${placeholders})
         ORDER BY at, channel, contact, scope`,
        [tenantId, ...contacts],
      );
      return rows.map(toConsent);
    },

    getOrderState: async (tenantId, orderRef) => {
      const [row] = await db.query(
        'SELECT state, version, updated_at FROM order_states WHERE tenant_id = $1 AND order_ref = $2',
        [tenantId, orderRef],
      );
      return row === undefined ? undefined : toVersionedState(row);
    },

    listSlaCandidates: async (query) => {
      const after = query.after ?? { tenantId: '', orderRef: '' };
      const rows = await db.query(
        `SELECT tenant_id, order_ref, state, unscanned_since, promised_date FROM order_states
         WHERE watch_open = 1 AND (tenant_id, order_ref) > ($1, $2)
           AND (unscanned_since <= $3 OR promised_date < $4)
         ORDER BY tenant_id, order_ref LIMIT $5`,
        [
          after.tenantId,
          after.orderRef,
          instant(query.unscannedBefore),
          query.promisedBefore,
          Math.max(0, Math.trunc(query.limit)),
        ],
      );
      return rows.map((row): SlaCandidate => {
        const candidate: SlaCandidate = {
          tenantId: String(row.tenant_id),
          orderRef: String(row.order_ref),
          state: readJson<OrderState>(row.state),
        };
        optional(candidate, 'unscannedSince', readOptionalInstant(row.unscanned_since));
        optional(candidate, 'promisedDate', readText(row.promised_date));
        return candidate;
      });
    },

    listEvents: (tenantId, orderRef) =>
      listByOrder(
        `SELECT * FROM events WHERE tenant_id = $1 AND order_ref = $2 ORDER BY received_at, seq`,
        tenantId,
        orderRef,
        toEvent,
      ),

    listEventsOfOrders: async (tenantId, orderRefs) => {
      const out: EventDocument[] = [];
      for (const chunk of chunks([...new Set(orderRefs)])) {
        const rows = await db.query(
          `SELECT ${EVENT_DOCUMENT_COLUMNS} FROM events
           WHERE tenant_id = $1 AND order_ref IN (${placeholders(chunk.length, 2)})
           ORDER BY received_at, seq`,
          [tenantId, ...chunk],
        );
        for (const row of rows) out.push(toEventDocument(row));
      }
      return out;
    },

    getEventDocuments: async (tenantId, keys) => {
      const pair = (orderRef: string, sourceEventId: string) => `${orderRef}\u0000${sourceEventId}`;
      const wanted = new Map(keys.map((k) => [pair(k.orderRef, k.sourceEventId), k]));
      const out: EventDocument[] = [];
      // Served by `events_order`; the id list narrows what is decoded, the pair check is exact.
      for (const chunk of chunks([...wanted.values()])) {
        const refs = [...new Set(chunk.map((k) => k.orderRef))];
        const ids = [...new Set(chunk.map((k) => k.sourceEventId))];
        const rows = await db.query(
          `SELECT ${EVENT_DOCUMENT_COLUMNS} FROM events
           WHERE tenant_id = $1 AND order_ref IN (${placeholders(refs.length, 2)})
             AND source_event_id IN (${placeholders(ids.length, refs.length + 2)})`,
          [tenantId, ...refs, ...ids],
        );
        for (const row of rows) {
          if (wanted.has(pair(String(row.order_ref), String(row.source_event_id)))) {
            out.push(toEventDocument(row));
          }
        }
      }
      // Chunks are read apart, so the order is made here: received, then insertion order.
      return out.sort((a, b) =>
        a.receivedAt !== b.receivedAt ? (a.receivedAt < b.receivedAt ? -1 : 1) : a.seq - b.seq,
      );
    },

    getOrderStates: (tenantId, orderRefs) => readOrderStates(db, tenantId, orderRefs, false),

    listDecisions: (tenantId, orderRef) =>
      listByOrder(
        `SELECT * FROM decisions WHERE tenant_id = $1 AND order_ref = $2 ORDER BY at, seq`,
        tenantId,
        orderRef,
        toDecision,
      ),

    listRecentDecisions: async (tenantId, query) => {
      const before = query.before === undefined ? undefined : readDecisionCursor(query.before);
      if (query.before !== undefined && before === undefined)
        return failure('invalid_cursor', 'The cursor is not one this store gave out.');
      const limit = Math.min(RECENT_DECISIONS_MAX, Math.max(1, Math.trunc(query.limit) || 1));
      // One row more than asked tells whether a next page exists. The row-value comparison
      // keeps the scan on decisions_recent (tenant_id, at, seq) in both databases.
      const rows = before
        ? await db.query(
            `SELECT * FROM decisions WHERE tenant_id = $1 AND (at, seq) < ($2, $3)
             ORDER BY at DESC, seq DESC LIMIT $4`,
            [tenantId, before.at, before.seq, limit + 1],
          )
        : await db.query(
            `SELECT * FROM decisions WHERE tenant_id = $1 ORDER BY at DESC, seq DESC LIMIT $2`,
            [tenantId, limit + 1],
          );
      const decisions = rows.slice(0, limit).map(toDecision);
      const last = decisions.at(-1);
      return {
        ok: true,
        value:
          rows.length > limit && last ? { decisions, next: decisionCursor(last) } : { decisions },
      };
    },

    listIntents: (tenantId, orderRef) =>
      listByOrder(
        `SELECT ${INTENT_COLUMNS} FROM intents WHERE tenant_id = $1 AND order_ref = $2 ORDER BY created_at, id`,
        tenantId,
        orderRef,
        toIntent,
      ),

    listAttempts: (tenantId, orderRef) =>
      listByOrder(
        `SELECT * FROM attempts WHERE tenant_id = $1 AND order_ref = $2 ORDER BY started_at, intent_id, attempt`,
        tenantId,
        orderRef,
        toAttempt,
      ),

    listAudit: async (tenantId, orderRef) => {
      const rows =
        orderRef === undefined
          ? await db.query('SELECT * FROM audit_log WHERE tenant_id = $1 ORDER BY at, seq', [
              tenantId,
            ])
          : await db.query(
              'SELECT * FROM audit_log WHERE tenant_id = $1 AND order_ref = $2 ORDER BY at, seq',
              [tenantId, orderRef],
            );
      return rows.map((row): AuditEntry => {
        const entry: AuditEntry = {
          seq: readNumber(row.seq),
          tenantId: String(row.tenant_id),
          at: readInstant(row.at),
          actor: String(row.actor),
          action: String(row.action),
          detail: readJson(row.detail),
        };
        optional(entry, 'orderRef', readText(row.order_ref));
        return entry;
      });
    },

    findPersonalData: async (tenantId, contacts) => {
      const forms = [...new Set(contacts.filter((c) => c.trim() !== ''))];
      if (forms.length === 0) return { events: [], consents: [], intents: [] };
      const patterns = forms.map(containsPattern);
      // Raw bodies are bytes: read as text (SQLite) or escape-encoded (PostgreSQL, which keeps
      // ASCII as is and never fails on invalid UTF-8), then matched like the JSON columns.
      const rawText =
        driver.dialect === 'postgres'
          ? `lower(encode(raw_body, 'escape'))`
          : 'lower(CAST(raw_body AS TEXT))';
      const any = (column: string) =>
        patterns.map((_, i) => `${column} LIKE $${i + 2} ESCAPE '\\'`).join(' OR ');
      const params = [tenantId, ...patterns];
      const events = await db.query(
        `SELECT * FROM events WHERE tenant_id = $1
           AND (${any('lower(CAST(event AS TEXT))')} OR ${any(rawText)})
         ORDER BY received_at, seq`,
        params,
      );
      const consents = await db.query(
        `SELECT * FROM consents WHERE tenant_id = $1 AND (${any('lower(contact)')})
         ORDER BY at, channel, contact, scope`,
        params,
      );
      const intents = await db.query(
        `SELECT ${INTENT_COLUMNS} FROM intents WHERE tenant_id = $1
           AND (${any('lower(CAST(intent AS TEXT))')})
         ORDER BY created_at, id`,
        params,
      );
      return {
        events: events.map(toEvent),
        consents: consents.map(toConsent),
        intents: intents.map(toIntent),
      };
    },

    erasePersonalData: (input) =>
      db.transaction(async (s) => {
        const at = instant(input.at);
        const erasedBody = new TextEncoder().encode(ERASED_RAW_BODY(at));
        const report = { events: 0, consents: 0, intents: 0, cancelled: 0, attempts: 0 };
        for (const { seq, event } of input.events) {
          report.events += await s.run(
            'UPDATE events SET event = $3, raw_body = $4 WHERE tenant_id = $1 AND seq = $2',
            [input.tenantId, seq, json(event), erasedBody],
          );
        }
        for (const c of input.consents) {
          // The key includes the contact: each erased row gets a distinct placeholder.
          report.consents += await s.run(
            `UPDATE consents SET contact = $5
             WHERE tenant_id = $1 AND channel = $2 AND contact = $3 AND scope = $4`,
            [input.tenantId, c.channel, c.contact, c.scope, `[redacted]:${randomUUID()}`],
          );
        }
        for (const { id, intent } of input.intents) {
          const [row] = await s.query(
            `UPDATE intents SET intent = $3,
               status = CASE WHEN status IN ('pending', 'leased') THEN 'cancelled' ELSE status END,
               last_error = CASE WHEN status IN ('pending', 'leased') THEN 'personal_data_erased' ELSE last_error END,
               lease_owner = NULL, lease_until = NULL, updated_at = $4
             WHERE tenant_id = $1 AND id = $2 RETURNING status, last_error`,
            [input.tenantId, id, json(intent), at],
          );
          if (row === undefined) continue;
          report.intents += 1;
          if (row.last_error === 'personal_data_erased' && row.status === 'cancelled') {
            report.cancelled += 1;
          }
          report.attempts += await s.run(
            'UPDATE attempts SET provider_body = NULL WHERE intent_id = $1 AND provider_body IS NOT NULL',
            [id],
          );
        }
        await s.run(
          `INSERT INTO audit_log (tenant_id, order_ref, at, actor, action, detail) VALUES ($1, NULL, $2, $3, $4, $5)`,
          [input.tenantId, at, input.actor, 'personal_data.erased', json(report)],
        );
        return report;
      }),

    eraseTenantData: ({ tenantId, at, actor }) =>
      db.transaction(async (s) => {
        const when = instant(at);
        const [tenant] = await s.query('SELECT tenant_id FROM tenants WHERE tenant_id = $1', [
          tenantId,
        ]);
        if (tenant === undefined) return failure('not_found', `no tenant "${tenantId}"`);
        const report: Record<string, number> = {};
        // Children before parents (attempts reference intents); every table that carries a
        // tenant_id except the tenant row and the append-only audit log is listed here, and the
        // conformance suite fails when a migration adds one that is not.
        for (const table of TENANT_DATA_TABLES) {
          report[table] = await s.run(`DELETE FROM ${table} WHERE tenant_id = $1`, [tenantId]);
        }
        await s.run(
          'UPDATE tenants SET active = $2, config = $3, updated_at = $4 WHERE tenant_id = $1',
          [tenantId, false, json({}), when],
        );
        await s.run(
          `INSERT INTO audit_log (tenant_id, order_ref, at, actor, action, detail) VALUES ($1, NULL, $2, $3, $4, $5)`,
          [tenantId, when, actor, 'tenant.erased', json(report)],
        );
        return { ok: true as const, value: report };
      }),

    purgeExpiredFingerprints: (now) =>
      db.run('DELETE FROM fingerprints WHERE expires_at <= $1', [instant(now)]),

    putTenant: async (tenant, at) => {
      const now = instant(at);
      const [row] = await db.query(
        `INSERT INTO tenants (tenant_id, name, active, config, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (tenant_id) DO UPDATE
           SET name = excluded.name, active = excluded.active, config = excluded.config,
               updated_at = excluded.updated_at
         RETURNING *`,
        [tenant.id, tenant.name, tenant.active, json(tenant.config), now],
      );
      if (row === undefined) throw new Error('upsert returned no row');
      return toTenant(row);
    },

    getTenant: async (id) => {
      const [row] = await db.query('SELECT * FROM tenants WHERE tenant_id = $1', [id]);
      return row === undefined ? undefined : toTenant(row);
    },

    listTenants: async () =>
      (await db.query('SELECT * FROM tenants ORDER BY tenant_id')).map(toTenant),

    deleteTenant: async (id) => {
      try {
        const deleted = await db.transaction(async (s) => {
          await s.run('DELETE FROM credentials WHERE tenant_id = $1', [id]);
          return s.run('DELETE FROM tenants WHERE tenant_id = $1', [id]);
        });
        return deleted === 0
          ? failure('not_found', `no tenant "${id}"`)
          : { ok: true, value: true };
      } catch (error) {
        if (driver.constraintOf(error) === 'foreign_key') {
          return failure(
            'tenant_in_use',
            `tenant "${id}" still has events, orders or audit entries`,
          );
        }
        throw error;
      }
    },

    putCredential: async (tenantId, provider, secret, at) => {
      const ring = requireRing();
      if (ring === undefined) {
        return failure(
          'secret_key_missing',
          'TIDINGS_SECRET_KEY is not set; credentials cannot be stored',
        );
      }
      const sealed = seal(ring, tenantId, provider, json(secret));
      const now = instant(at);
      try {
        const [row] = await db.query(
          `INSERT INTO credentials (tenant_id, provider, key_id, iv, tag, ciphertext, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
           ON CONFLICT (tenant_id, provider) DO UPDATE
             SET key_id = excluded.key_id, iv = excluded.iv, tag = excluded.tag,
                 ciphertext = excluded.ciphertext, updated_at = excluded.updated_at
           RETURNING tenant_id, provider, key_id, updated_at`,
          [tenantId, provider, sealed.keyId, sealed.iv, sealed.tag, sealed.ciphertext, now],
        );
        if (row === undefined) throw new Error('upsert returned no row');
        return { ok: true, value: toCredentialInfo(row) };
      } catch (error) {
        if (driver.constraintOf(error) === 'foreign_key') {
          return failure('not_found', `no tenant "${tenantId}"`);
        }
        throw error;
      }
    },

    getCredential: async (tenantId, provider) => {
      const ring = requireRing();
      if (ring === undefined) {
        return failure(
          'secret_key_missing',
          'TIDINGS_SECRET_KEY is not set; credentials cannot be read',
        );
      }
      const [row] = await db.query(
        'SELECT key_id, iv, tag, ciphertext FROM credentials WHERE tenant_id = $1 AND provider = $2',
        [tenantId, provider],
      );
      if (row === undefined)
        return failure('not_found', `no ${provider} credentials for "${tenantId}"`);
      const opened = open(ring, tenantId, provider, {
        keyId: String(row.key_id),
        iv: readBytes(row.iv),
        tag: readBytes(row.tag),
        ciphertext: readBytes(row.ciphertext),
      });
      if (!opened.ok) {
        return failure(
          opened.code,
          opened.code === 'credential_tampered'
            ? `${provider} credentials for "${tenantId}" fail authentication (altered or wrong key)`
            : `${provider} credentials for "${tenantId}" were encrypted with a key not in TIDINGS_SECRET_KEY`,
        );
      }
      return { ok: true, value: JSON.parse(opened.plaintext) as unknown };
    },

    listCredentials: async (tenantId) =>
      (
        await db.query(
          'SELECT tenant_id, provider, key_id, updated_at FROM credentials WHERE tenant_id = $1 ORDER BY provider',
          [tenantId],
        )
      ).map(toCredentialInfo),

    deleteCredential: async (tenantId, provider) =>
      (await db.run('DELETE FROM credentials WHERE tenant_id = $1 AND provider = $2', [
        tenantId,
        provider,
      ])) > 0,

    rotateCredentials: async (at) => {
      const ring = requireRing();
      if (ring === undefined) {
        return failure('secret_key_missing', 'TIDINGS_SECRET_KEY is not set; nothing to rotate to');
      }
      const now = instant(at);
      const report = await db.transaction(async (s): Promise<RotationReport> => {
        const result: RotationReport = { rotated: 0, unchanged: 0, failed: [] };
        const rows = await s.query(
          `SELECT tenant_id, provider, key_id, iv, tag, ciphertext FROM credentials ORDER BY tenant_id, provider${forUpdate}`,
        );
        for (const row of rows) {
          const tenantId = String(row.tenant_id);
          const provider = String(row.provider);
          const opened = open(ring, tenantId, provider, {
            keyId: String(row.key_id),
            iv: readBytes(row.iv),
            tag: readBytes(row.tag),
            ciphertext: readBytes(row.ciphertext),
          });
          if (!opened.ok) {
            result.failed.push({ tenantId, provider, code: opened.code });
            continue;
          }
          if (opened.keyId === ring.current.id && String(row.key_id) === ring.current.id) {
            result.unchanged += 1;
            continue;
          }
          const sealed = seal(ring, tenantId, provider, opened.plaintext);
          await s.run(
            `UPDATE credentials SET key_id = $3, iv = $4, tag = $5, ciphertext = $6, updated_at = $7
             WHERE tenant_id = $1 AND provider = $2`,
            [tenantId, provider, sealed.keyId, sealed.iv, sealed.tag, sealed.ciphertext, now],
          );
          result.rotated += 1;
        }
        return result;
      });
      return { ok: true, value: report };
    },

    health: async (): Promise<Health> => {
      if (closed) return failure('unreachable', 'the store is closed');
      let version: number;
      try {
        version = await schemaVersion(driver);
      } catch (error) {
        const reason = error instanceof Error ? error.message : 'unknown error';
        return failure('unreachable', `${driver.dialect} is not reachable: ${reason}`);
      }
      if (version < latest) {
        return failure(
          'migrations_pending',
          `schema is at version ${version}, this build needs ${latest}; run the migrate command`,
        );
      }
      return { ok: true, value: { dialect: driver.dialect, schemaVersion: version } };
    },

    close: async () => {
      if (closed) return;
      closed = true;
      await driver.close();
    },
  };
};
