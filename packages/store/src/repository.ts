/**
 * @module The one repository interface every backend implements (SQLite and PostgreSQL), and the
 * records it reads and writes. Times are ISO-8601 instants in and out.
 */
import type {
  CanonicalStatus,
  ChannelKind,
  ConsentRecord,
  Decision,
  Delivery,
  DeliveryState,
  Intent,
  OrderEvent,
  OrderState,
  SourceId,
  TenantConfigInput,
} from './core-types.ts';
import type { StoreFailure, StoreResult } from './store-error.ts';
import type { TrackingNumberStore } from './tracking-repository.ts';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type Dialect = (typeof DIALECTS)[number];

// ── Tenants and credentials ────────────────────────────────────────────────────────────────────

export interface Tenant {
  id: string;
  name: string;
  active: boolean;
  /** The tenant's configuration as entered (core `TenantConfigInput`); parse it with core. */
  config: TenantConfigInput;
  createdAt: string;
  updatedAt: string;
}

export interface TenantInput {
  id: string;
  name: string;
  active: boolean;
  config: TenantConfigInput;
}

/** What may be said about a stored credential without decrypting it. */
export interface CredentialInfo {
  tenantId: string;
  provider: string;
  keyId: string;
  updatedAt: string;
}

export interface RotationReport {
  /** Re-encrypted under the current key. */
  rotated: number;
  /** Already under the current key. */
  unchanged: number;
  /** Could not be decrypted with any configured key; left as they were. */
  failed: {
    tenantId: string;
    provider: string;
    code: 'credential_key_unknown' | 'credential_tampered';
  }[];
}

// ── Events, state, decisions ───────────────────────────────────────────────────────────────────

export interface EventInput {
  event: OrderEvent;
  /** The body exactly as received (signatures are computed over these bytes). */
  rawBody: Uint8Array | string;
  /** The subset of request headers worth keeping (topic, delivery id, signature); no cookies. */
  headers: Record<string, string>;
  receivedAt: string;
}

export interface StoredEvent {
  /** Insertion order, for ties in time. */
  seq: number;
  tenantId: string;
  source: SourceId;
  sourceEventId: string;
  orderRef: string;
  occurredAt: string;
  receivedAt: string;
  event: OrderEvent;
  rawBody: Uint8Array;
  headers: Record<string, string>;
}

/** An event without the raw body kept for audit: a platform's webhook body can be tens of
 * kilobytes, and readers of many events (or of an order's history per webhook) rarely need it. */
export type EventDocument = Omit<StoredEvent, 'rawBody'>;

/** Names one stored event: the order it belongs to and its source event id. */
export interface EventKey {
  orderRef: string;
  sourceEventId: string;
}

export interface VersionedOrderState {
  state: OrderState;
  /** Starts at 1 on first save; pass it back to `saveOrderState`. 0 means "never saved". */
  version: number;
  updatedAt: string;
}

/**
 * What the SLA scheduler asks of an order, computed by the engine from the state (and the event's
 * promised date) and stored beside it, so "which orders need a look" is one indexed query.
 */
/** The key `loadOrderStates` answers by: tenant and order ref, joined by a NUL. */
export const orderKey = (tenantId: string, orderRef: string): string =>
  `${tenantId}\u0000${orderRef}`;

/** One order state to save in `saveOrderStates`, with the version it was read at (0: new). */
export interface OrderStateSave {
  state: OrderState;
  expectedVersion: number;
  watch: OrderWatch;
}

export interface OrderWatch {
  /** Neither delivered nor ended (cancelled, refunded, returned). */
  open: boolean;
  /** The earliest time a still-open shipment was dispatched with no carrier scan since. */
  unscannedSince?: string;
  /** The date promised to the customer (YYYY-MM-DD); absent keeps the one stored. */
  promisedDate?: string;
}

/** An open order the SLA scheduler should look at. */
export interface SlaCandidate {
  tenantId: string;
  orderRef: string;
  state: OrderState;
  unscannedSince?: string;
  promisedDate?: string;
}

export interface SlaQuery {
  /** Orders with a shipment dispatched, unscanned, at or before this instant… */
  unscannedBefore: string;
  /** …or whose promised date (YYYY-MM-DD) is before this date. */
  promisedBefore: string;
  /** Keyset paging: start after this order. */
  after?: { tenantId: string; orderRef: string };
  limit: number;
}

export interface DecisionsInput {
  tenantId: string;
  orderRef: string;
  /** The source event id the decisions were made for; absent for scheduler re-checks. */
  eventId?: string;
  at: string;
  decisions: Decision[];
}

export interface StoredDecision {
  seq: number;
  tenantId: string;
  orderRef: string;
  eventId?: string;
  at: string;
  decision: Decision;
}

/** How many decisions `listRecentDecisions` answers at most per page. */
export const RECENT_DECISIONS_MAX = 200;

export interface RecentDecisionsQuery {
  /** Clamped to 1..`RECENT_DECISIONS_MAX`. */
  limit: number;
  /** `next` of the page before; absent: start with the newest. */
  before?: string;
}

export interface RecentDecisionsPage {
  /** Newest first: by `at`, then by insertion order (`seq`). */
  decisions: StoredDecision[];
  /** Opaque cursor for the page after this one; absent on the last page. */
  next?: string;
}

// ── Outbox ─────────────────────────────────────────────────────────────────────────────────────

export const INTENT_STATUSES = [
  'pending',
  'leased',
  'sent',
  'parked',
  'suppressed',
  'cancelled',
] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

export interface StoredIntent {
  intent: Intent;
  status: IntentStatus;
  /** When it may next be claimed: when due, or while leased, when the lease runs out. */
  notBefore: string;
  /** How many times it has been claimed; the claim that returns it counts (1 on the first). */
  attempts: number;
  /** Index into `[intent.delivery, ...intent.fallbacks]`. */
  deliveryIndex: number;
  /** `deliveryIndex` resolved. */
  delivery: Delivery;
  leaseOwner?: string;
  leaseUntil?: string;
  digestKey?: string;
  lastError?: string;
  createdAt: string;
  updatedAt: string;
}

export interface RescheduleOptions {
  /** Move on to the next fallback delivery (after a permanent failure). */
  advanceDelivery?: boolean;
  /** What went wrong, for operators; no personal data. */
  error: string;
}

/** Every lease operation checks the caller still holds the lease: another worker may have taken
 * the intent over after the lease expired, and its outcome must not be overwritten. */
export type LeaseResult = StoreResult<StoredIntent, 'lease_lost' | 'no_fallback_left'>;

/** One intent's settlement: its id and new status, or why it could not be settled. (Not the
 * whole intent: a batch's results are only counted, and re-reading 256 intent documents per
 * batch cost the dispatcher measurable CPU.) */
export type SettleResult = StoreResult<
  { id: string; status: IntentStatus },
  'lease_lost' | 'no_fallback_left'
>;

/** What becomes of one leased intent in a batch settlement (`settleIntents`). */
export type LeaseOutcome =
  | { kind: 'complete' }
  | { kind: 'reschedule'; notBefore: string; error: string; advanceDelivery?: boolean }
  | { kind: 'park'; error: string }
  | { kind: 'suppress'; reason: string };

/** One intent of a batch settlement: the end of its attempt (if one was made) and its outcome. */
export interface IntentSettlement {
  id: string;
  /** Recorded whether or not the lease still holds: the attempt happened either way. An end
   * whose attempt was never started is ignored. */
  attemptEnd?: AttemptEnd;
  outcome: LeaseOutcome;
}

// ── Attempts and receipts ──────────────────────────────────────────────────────────────────────

export const ATTEMPT_OUTCOMES = ['ok', 'retryable', 'permanent', 'consent', 'window'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

export interface AttemptStart {
  intentId: string;
  /** `StoredIntent.attempts` of the claim. */
  attempt: number;
  channel: ChannelKind;
  provider: string;
  startedAt: string;
}

export interface AttemptEnd {
  intentId: string;
  attempt: number;
  finishedAt: string;
  outcome: AttemptOutcome;
  providerMessageId?: string;
  providerStatus?: number;
  providerCode?: string;
  /** The provider's response body, for operators only; never shown to end users. */
  providerBody?: string;
  error?: string;
}

export interface Attempt {
  intentId: string;
  attempt: number;
  tenantId: string;
  orderRef: string;
  channel: ChannelKind;
  provider: string;
  startedAt: string;
  finishedAt?: string;
  outcome?: AttemptOutcome;
  providerMessageId?: string;
  providerStatus?: number;
  providerCode?: string;
  providerBody?: string;
  error?: string;
  receiptState?: DeliveryState;
  receiptAt?: string;
  receiptCode?: string;
}

export interface ReceiptInput {
  provider: string;
  providerMessageId: string;
  state: DeliveryState;
  at: string;
  providerCode?: string;
}

/** `applied: false` when a later or more final receipt is already recorded (they arrive out of order). */
export type ReceiptResult = StoreResult<{ attempt: Attempt; applied: boolean }, 'not_found'>;

// ── Write-backs ────────────────────────────────────────────────────────────────────────────────

export const WRITE_BACK_STATUSES = ['pending', 'leased', 'done', 'parked'] as const;
export type WriteBackStatus = (typeof WRITE_BACK_STATUSES)[number];

/** One status to write to one host platform (a write-back target) for one order (and shipment). */
export interface WriteBackJob {
  /** Stable: the same event written to the same target has the same id (idempotency key). */
  id: string;
  tenantId: string;
  orderRef: string;
  /** The target's name, e.g. `shopify`, `zendesk`. */
  target: string;
  /** The source event that caused it. */
  eventId: string;
  status: CanonicalStatus;
  shipmentId?: string;
  /** A short line for notes and comments, free of personal data. */
  note: string;
  /** When the news was ingested. */
  at: string;
  /**
   * `sync`: no news of its own — the event came from this target's platform or told nobody, but
   * it lifted a hold, delay or exception, so a target that mirrors state there (Shopify's tags and
   * status metafield) brings that mirror up to date. Absent: news to write back.
   */
  kind?: 'sync';
}

export interface StoredWriteBack {
  job: WriteBackJob;
  status: WriteBackStatus;
  /** When it may next be claimed; while leased, when the lease runs out (as for intents). */
  notBefore: string;
  /** Claims so far, the one that returned it included. */
  attempts: number;
  leaseOwner?: string;
  leaseUntil?: string;
  lastError?: string;
  /** What the target said it will echo back, recorded on completion. */
  fingerprints: string[];
  createdAt: string;
  updatedAt: string;
}

export type WriteBackLeaseResult = StoreResult<StoredWriteBack, 'lease_lost'>;

// ── Consent, fingerprints, audit ───────────────────────────────────────────────────────────────

export interface FingerprintInput {
  tenantId: string;
  /** Where our write went (`shopify:order-note`, `salesforce:Order.Status`, …). */
  target: string;
  fingerprint: string;
  expiresAt: string;
}

export interface AuditInput {
  tenantId: string;
  orderRef?: string;
  at: string;
  /** Who: `system`, `dispatcher`, a staff member's id. */
  actor: string;
  action: string;
  detail: Record<string, unknown>;
}

export interface AuditEntry extends AuditInput {
  seq: number;
}

// ── Personal data (GDPR) ───────────────────────────────────────────────────────────────────────

/** What a tenant holds that may mention a contact point; a text match, so callers filter it. */
export interface PersonalDataRecords {
  events: StoredEvent[];
  consents: ConsentRecord[];
  intents: StoredIntent[];
}

export interface ErasureInput {
  tenantId: string;
  /** Events to rewrite (by `seq`) with their erased form; each one's raw body is replaced too. */
  events: { seq: number; event: OrderEvent }[];
  /** Consent rows (as found) whose contact point is erased; state, scope and dates stay. */
  consents: readonly ConsentRecord[];
  /** Intents to rewrite with their erased form; still pending or leased ones are cancelled, and
   * their attempts lose the provider's response body. */
  intents: { id: string; intent: Intent }[];
  at: string;
  actor: string;
}

/** What `eraseTenantData` removed, by table (rows). */
export type TenantErasureReport = Record<string, number>;

export interface ErasureReport {
  events: number;
  consents: number;
  intents: number;
  /** Intents cancelled because they were still waiting to go to the erased contact. */
  cancelled: number;
  attempts: number;
}

/** What replaces an erased event's raw body (parsed JSON, so readers of raw bodies keep working). */
export const ERASED_RAW_BODY = (at: string): string =>
  JSON.stringify({ erased: true, reason: 'personal data erased on request', at });

// ── Health ─────────────────────────────────────────────────────────────────────────────────────

export type Health = StoreResult<
  { dialect: Dialect; schemaVersion: number },
  'unreachable' | 'migrations_pending'
>;

// ── The interface ──────────────────────────────────────────────────────────────────────────────

/**
 * What one transaction may do. A transaction may carry many events (the engine group-commits
 * concurrent ingests), so nothing here assumes one event per transaction. Conflicts throw a
 * `StoreError` so the whole transaction rolls back.
 */
export interface StoreTx {
  /** Records a received event; `duplicate` (and nothing written) when its source event id is known. */
  insertEvent(input: EventInput): Promise<'inserted' | 'duplicate'>;
  /**
   * Records many received events in one statement per chunk, in order; each answer says whether
   * that event was new. An event repeated inside the list is a duplicate after its first
   * occurrence, as if the list had been inserted one by one.
   */
  insertEvents(inputs: readonly EventInput[]): Promise<('inserted' | 'duplicate')[]>;
  /** Many orders' states in one read, locked like `loadOrderState`, by `orderKey`; absent:
   * never saved. */
  loadOrderStates(
    keys: readonly { tenantId: string; orderRef: string }[],
  ): Promise<Map<string, VersionedOrderState>>;
  /** Saves many order states (each order at most once), each only if still at its expected
   * version; throws `StoreError` `version_conflict` (rolling everything back) otherwise. */
  saveOrderStates(items: readonly OrderStateSave[], at: string): Promise<void>;
  /** `insertIntents`, answering which ids were new. */
  insertNewIntents(intents: readonly Intent[], at: string): Promise<ReadonlySet<string>>;
  /** `insertDecisions` for many events at once. */
  insertDecisionSets(inputs: readonly DecisionsInput[]): Promise<void>;
  /** The order's state, locked until commit (PostgreSQL `FOR UPDATE`; SQLite's write lock). */
  loadOrderState(tenantId: string, orderRef: string): Promise<VersionedOrderState | undefined>;
  /** Saves state if its version is still `expectedVersion` (0: new); returns the new version.
   * Throws `StoreError` `version_conflict` otherwise. */
  saveOrderState(
    state: OrderState,
    expectedVersion: number,
    at: string,
    watch?: OrderWatch,
  ): Promise<number>;
  /** Adds intents to the outbox as `pending`; ids already present are left alone. Returns how
   * many were new. */
  insertIntents(intents: readonly Intent[], at: string): Promise<number>;
  /** Cancels an order's intents that are still pending (e.g. the order was cancelled). */
  cancelPendingIntents(
    tenantId: string,
    orderRef: string,
    reason: string,
    at: string,
  ): Promise<number>;
  insertDecisions(input: DecisionsInput): Promise<void>;
  appendAudit(entry: AuditInput): Promise<void>;
  /** Records a consent fact; an older fact than the one held is ignored (`stale`). */
  putConsent(record: ConsentRecord): Promise<'stored' | 'stale'>;
  putFingerprint(input: FingerprintInput): Promise<void>;
  /** Queues write-back jobs as `pending`, due at once; known ids are left alone. Returns how many
   * were new. */
  insertWriteBacks(jobs: readonly WriteBackJob[], at: string): Promise<number>;
  /** True when we wrote this fingerprint for the tenant and it has not expired at `now`. */
  hasFingerprint(tenantId: string, fingerprint: string, now: string): Promise<boolean>;
}

export interface Store extends TrackingNumberStore {
  readonly dialect: Dialect;

  /** Runs `fn` in one transaction: committed if it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;

  // Outbox
  /** Leases up to `limit` due intents (pending and due, or leased with an expired lease). */
  claimDue(now: string, limit: number, leaseMs: number, workerId: string): Promise<StoredIntent[]>;
  /**
   * Leases, for the caller, the other due intents of a digest (same tenant and `digestKey`,
   * pending or with an expired lease, `notBefore <= now`), so one message can carry them all.
   * Intents the caller already holds are not returned again.
   */
  claimDigest(
    tenantId: string,
    digestKey: string,
    now: string,
    leaseMs: number,
    workerId: string,
    limit?: number,
  ): Promise<StoredIntent[]>;
  /** Marks a leased intent sent. */
  completeIntent(id: string, workerId: string, at: string): Promise<LeaseResult>;
  /** Gives a leased intent back as pending until `notBefore`, optionally on its next fallback. */
  rescheduleIntent(
    id: string,
    workerId: string,
    notBefore: string,
    options: RescheduleOptions,
    at: string,
  ): Promise<LeaseResult>;
  /** Stops retrying a leased intent (poison, or out of fallbacks); operators can look at it. */
  parkIntent(id: string, workerId: string, error: string, at: string): Promise<LeaseResult>;
  /** Drops a leased intent for a reason (consent withdrawn, window closed for good). */
  suppressIntent(id: string, workerId: string, reason: string, at: string): Promise<LeaseResult>;
  /**
   * Settles many leased intents in ONE transaction: each item's attempt end is recorded, then its
   * outcome applied only while `workerId` still holds its lease — exactly as `completeIntent`,
   * `rescheduleIntent`, `parkIntent` and `suppressIntent` would, one by one. Results come back in
   * input order, each `lease_lost` (or `no_fallback_left`) on its own; one item's failure does
   * not affect the others. Ids must be distinct.
   */
  settleIntents(
    workerId: string,
    items: readonly IntentSettlement[],
    at: string,
  ): Promise<SettleResult[]>;
  /**
   * Extends the leases `workerId` still holds on these intents to `leaseUntil` (a batch that takes
   * longer than one lease — a slow rate limit — must not be re-claimed and sent twice). Returns
   * the ids whose lease was extended; the others were lost already.
   */
  extendLeases(
    ids: readonly string[],
    workerId: string,
    leaseUntil: string,
    at: string,
  ): Promise<string[]>;
  /** Returns a leased intent unattempted (shutdown); the claim is not counted as an attempt. */
  releaseLease(id: string, workerId: string, at: string): Promise<LeaseResult>;
  getIntent(id: string): Promise<StoredIntent | undefined>;
  /** A tenant's intents in one status, most recently changed first (dead letters: `parked`). */
  listIntentsByStatus(
    tenantId: string,
    status: IntentStatus,
    limit: number,
  ): Promise<StoredIntent[]>;
  /**
   * Replays a parked intent: pending and due at `at`, attempts reset, back on its first delivery;
   * audited (`intent.replayed`, with the error it was parked for) in the same transaction.
   */
  requeueIntent(
    id: string,
    at: string,
    actor?: string,
  ): Promise<StoreResult<StoredIntent, 'not_found' | 'not_parked'>>;
  countByStatus(tenantId?: string): Promise<Record<IntentStatus, number>>;
  /** The outbox's backlog at `now`: intents due and waiting to be claimed (pending, or leased to a
   * worker whose lease ran out), all tenants; intents in flight or due later are not counted. */
  countDue(now: string): Promise<number>;

  // Write-backs: the same lease discipline as the outbox
  /** Leases up to `limit` due write-backs (pending and due, or leased with an expired lease). */
  claimWriteBacks(
    now: string,
    limit: number,
    leaseMs: number,
    workerId: string,
  ): Promise<StoredWriteBack[]>;
  /** Marks a leased write-back done and stores its fingerprints (for echo recognition) until
   * `expiresAt`, in one transaction. */
  completeWriteBack(
    id: string,
    workerId: string,
    fingerprints: { values: readonly string[]; expiresAt: string },
    at: string,
  ): Promise<WriteBackLeaseResult>;
  /** Gives a leased write-back back as pending until `notBefore`. */
  rescheduleWriteBack(
    id: string,
    workerId: string,
    notBefore: string,
    error: string,
    at: string,
  ): Promise<WriteBackLeaseResult>;
  /** Stops retrying a leased write-back. */
  parkWriteBack(
    id: string,
    workerId: string,
    error: string,
    at: string,
  ): Promise<WriteBackLeaseResult>;
  getWriteBack(id: string): Promise<StoredWriteBack | undefined>;
  /** An order's write-backs, oldest first. */
  listWriteBacks(tenantId: string, orderRef: string): Promise<StoredWriteBack[]>;

  // Attempts and receipts
  recordAttemptStart(start: AttemptStart): Promise<void>;
  /** Records the start of many attempts in ONE transaction (all or none); throws when an
   * intent does not exist, like `recordAttemptStart`. */
  recordAttemptStarts(starts: readonly AttemptStart[]): Promise<void>;
  recordAttemptEnd(end: AttemptEnd): Promise<StoreResult<Attempt, 'not_found'>>;
  findAttemptByProviderMessageId(
    provider: string,
    providerMessageId: string,
  ): Promise<Attempt | undefined>;
  applyReceipt(receipt: ReceiptInput): Promise<ReceiptResult>;

  // Reads: consent and the order timeline (each ordered by time)
  listConsents(tenantId: string, contacts: readonly string[]): Promise<ConsentRecord[]>;
  getOrderState(tenantId: string, orderRef: string): Promise<VersionedOrderState | undefined>;
  /** Open orders past an SLA line (see `SlaQuery`), in (tenant, order) order. */
  listSlaCandidates(query: SlaQuery): Promise<SlaCandidate[]>;
  listEvents(tenantId: string, orderRef: string): Promise<StoredEvent[]>;
  /** The events of many orders of one tenant in one read, ordered as `listEvents` per order
   * (received, then insertion order), without raw bodies. */
  listEventsOfOrders(tenantId: string, orderRefs: readonly string[]): Promise<EventDocument[]>;
  /** Just the named events of one tenant in one read (what a dispatcher batch needs), ordered
   * as `listEventsOfOrders`, without raw bodies; unknown keys are left out. */
  getEventDocuments(tenantId: string, keys: readonly EventKey[]): Promise<EventDocument[]>;
  /** The states of many orders of one tenant in one read, by order ref (absent: never saved). */
  getOrderStates(
    tenantId: string,
    orderRefs: readonly string[],
  ): Promise<Map<string, VersionedOrderState>>;
  listDecisions(tenantId: string, orderRef: string): Promise<StoredDecision[]>;
  /**
   * A tenant's decisions across all orders, newest first (an activity feed), paged by key: pass
   * a page's `next` as `before` for the one after it. Decisions recorded while paging appear on
   * no later page and none is repeated or skipped. `invalid_cursor` for a cursor this store did
   * not make.
   */
  listRecentDecisions(
    tenantId: string,
    query: RecentDecisionsQuery,
  ): Promise<StoreResult<RecentDecisionsPage, 'invalid_cursor'>>;
  listIntents(tenantId: string, orderRef: string): Promise<StoredIntent[]>;
  listAttempts(tenantId: string, orderRef: string): Promise<Attempt[]>;
  listAudit(tenantId: string, orderRef?: string): Promise<AuditEntry[]>;
  /**
   * A tenant's events (parsed or raw body), consents and intents whose text contains any of
   * `contacts` (case-insensitive); over-inclusive by design — filter with core's GDPR functions.
   */
  findPersonalData(tenantId: string, contacts: readonly string[]): Promise<PersonalDataRecords>;
  /** Writes an erasure computed by the caller, in one transaction, audited without the contact. */
  erasePersonalData(input: ErasureInput): Promise<ErasureReport>;
  /**
   * Erases everything a tenant holds (events and raw bodies, order states, decisions, intents,
   * attempts, consents, fingerprints, write-backs, credentials, and its config, which can name
   * staff) in one transaction, and leaves the tenant row inactive so the append-only audit log
   * keeps its owner and records the erasure (`tenant.erased`, with counts and no personal data).
   * For a platform's "shop redact" after uninstall; `not_found` when there is no such tenant.
   */
  eraseTenantData(input: {
    tenantId: string;
    at: string;
    actor: string;
  }): Promise<StoreResult<TenantErasureReport, 'not_found'>>;
  /** Deletes fingerprints that expired before `now`; returns how many. */
  purgeExpiredFingerprints(now: string): Promise<number>;

  // Tenants and credentials
  putTenant(tenant: TenantInput, at: string): Promise<Tenant>;
  getTenant(id: string): Promise<Tenant | undefined>;
  listTenants(): Promise<Tenant[]>;
  /** Deletes a tenant and its credentials; `tenant_in_use` while it has events, intents or audit. */
  deleteTenant(id: string): Promise<StoreResult<true, 'not_found' | 'tenant_in_use'>>;
  /** Encrypts and stores a provider's credentials for a tenant (replacing earlier ones). */
  putCredential(
    tenantId: string,
    provider: string,
    secret: unknown,
    at: string,
  ): Promise<StoreResult<CredentialInfo, 'secret_key_missing' | 'not_found'>>;
  getCredential(
    tenantId: string,
    provider: string,
  ): Promise<
    StoreResult<
      unknown,
      'not_found' | 'secret_key_missing' | 'credential_key_unknown' | 'credential_tampered'
    >
  >;
  listCredentials(tenantId: string): Promise<CredentialInfo[]>;
  deleteCredential(tenantId: string, provider: string): Promise<boolean>;
  /** Re-encrypts every credential under the current (first) key. */
  rotateCredentials(at: string): Promise<StoreResult<RotationReport, 'secret_key_missing'>>;

  /** Reachable and fully migrated, for /readyz. */
  health(): Promise<Health>;
  close(): Promise<void>;
}

export type { StoreFailure };
