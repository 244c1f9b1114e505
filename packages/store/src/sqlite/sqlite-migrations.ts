/**
 * @module SQLite schema migrations, numbered. Kept as TypeScript strings (not .sql files) so app
 * bundles carry them without a loader. Never edit an applied migration; add the next number.
 */
import type { Migration } from '../sql/migration.ts';
import { trackingKeySql } from '../sql/tracking-key.ts';

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE tenants (
  tenant_id   TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  active      INTEGER NOT NULL CHECK (active IN (0, 1)),
  config      TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE credentials (
  tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  provider    TEXT NOT NULL,
  key_id      TEXT NOT NULL,
  iv          BLOB NOT NULL,
  tag         BLOB NOT NULL,
  ciphertext  BLOB NOT NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (tenant_id, provider)
) STRICT;

CREATE TABLE events (
  seq              INTEGER PRIMARY KEY,
  tenant_id        TEXT NOT NULL REFERENCES tenants (tenant_id),
  source           TEXT NOT NULL,
  source_event_id  TEXT NOT NULL,
  order_ref        TEXT NOT NULL,
  occurred_at      TEXT NOT NULL,
  received_at      TEXT NOT NULL,
  event            TEXT NOT NULL,
  raw_body         BLOB NOT NULL,
  headers          TEXT NOT NULL,
  UNIQUE (tenant_id, source, source_event_id)
) STRICT;
CREATE INDEX events_order ON events (tenant_id, order_ref, received_at);

CREATE TABLE order_states (
  tenant_id   TEXT NOT NULL REFERENCES tenants (tenant_id),
  order_ref   TEXT NOT NULL,
  state       TEXT NOT NULL,
  version     INTEGER NOT NULL,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (tenant_id, order_ref)
) STRICT;

CREATE TABLE intents (
  id              TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL REFERENCES tenants (tenant_id),
  order_ref       TEXT NOT NULL,
  event_id        TEXT NOT NULL,
  intent          TEXT NOT NULL,
  status          TEXT NOT NULL
    CHECK (status IN ('pending', 'leased', 'sent', 'parked', 'suppressed', 'cancelled')),
  not_before      TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  lease_owner     TEXT,
  lease_until     TEXT,
  digest_key      TEXT,
  delivery_index  INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
) STRICT;
-- A leased row's not_before is its lease expiry, so one range scan finds both the pending
-- intents that are due and the leased ones whose lease ran out.
CREATE INDEX intents_due ON intents (not_before, id) WHERE status IN ('pending', 'leased');
CREATE INDEX intents_order ON intents (tenant_id, order_ref, created_at);
CREATE INDEX intents_digest ON intents (tenant_id, digest_key) WHERE digest_key IS NOT NULL;

CREATE TABLE decisions (
  seq        INTEGER PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants (tenant_id),
  order_ref  TEXT NOT NULL,
  event_id   TEXT,
  at         TEXT NOT NULL,
  decision   TEXT NOT NULL
) STRICT;
CREATE INDEX decisions_order ON decisions (tenant_id, order_ref, at);

CREATE TABLE attempts (
  intent_id            TEXT NOT NULL REFERENCES intents (id),
  attempt              INTEGER NOT NULL,
  tenant_id            TEXT NOT NULL REFERENCES tenants (tenant_id),
  order_ref            TEXT NOT NULL,
  channel              TEXT NOT NULL,
  provider             TEXT NOT NULL,
  started_at           TEXT NOT NULL,
  finished_at          TEXT,
  outcome              TEXT CHECK (outcome IN ('ok', 'retryable', 'permanent', 'consent', 'window')),
  provider_message_id  TEXT,
  provider_status      INTEGER,
  provider_code        TEXT,
  provider_body        TEXT,
  error                TEXT,
  receipt_state        TEXT,
  receipt_at           TEXT,
  receipt_code         TEXT,
  PRIMARY KEY (intent_id, attempt)
) STRICT;
CREATE INDEX attempts_provider_message ON attempts (provider, provider_message_id)
  WHERE provider_message_id IS NOT NULL;
CREATE INDEX attempts_order ON attempts (tenant_id, order_ref, started_at);

CREATE TABLE consents (
  tenant_id  TEXT NOT NULL REFERENCES tenants (tenant_id),
  channel    TEXT NOT NULL,
  contact    TEXT NOT NULL,
  scope      TEXT NOT NULL CHECK (scope IN ('marketing', 'all')),
  state      TEXT NOT NULL CHECK (state IN ('opted_in', 'opted_out')),
  at         TEXT NOT NULL,
  source     TEXT NOT NULL,
  PRIMARY KEY (tenant_id, channel, contact, scope)
) STRICT;
CREATE INDEX consents_contact ON consents (tenant_id, contact);

CREATE TABLE fingerprints (
  tenant_id    TEXT NOT NULL REFERENCES tenants (tenant_id),
  fingerprint  TEXT NOT NULL,
  target       TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  PRIMARY KEY (tenant_id, fingerprint)
) STRICT;
CREATE INDEX fingerprints_expiry ON fingerprints (expires_at);

CREATE TABLE audit_log (
  seq        INTEGER PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants (tenant_id),
  order_ref  TEXT,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL,
  detail     TEXT NOT NULL
) STRICT;
CREATE INDEX audit_order ON audit_log (tenant_id, order_ref, at);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`,
  },
  {
    version: 2,
    name: 'writebacks',
    sql: `
CREATE TABLE writebacks (
  id           TEXT PRIMARY KEY,
  tenant_id    TEXT NOT NULL REFERENCES tenants (tenant_id),
  order_ref    TEXT NOT NULL,
  event_id     TEXT NOT NULL,
  target       TEXT NOT NULL,
  job          TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'leased', 'done', 'parked')),
  not_before   TEXT NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  lease_owner  TEXT,
  lease_until  TEXT,
  last_error   TEXT,
  fingerprints TEXT NOT NULL DEFAULT '[]',
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
) STRICT;
-- As for intents: a leased row's not_before is its lease expiry.
CREATE INDEX writebacks_due ON writebacks (not_before, id) WHERE status IN ('pending', 'leased');
CREATE INDEX writebacks_order ON writebacks (tenant_id, order_ref, created_at);
`,
  },
  {
    version: 3,
    name: 'sla_watch_and_dead_letters',
    sql: `
-- What the SLA scheduler asks of an order, kept beside its state by the engine on every save:
-- still open (neither delivered nor ended), since when a shipment has been dispatched without a
-- carrier scan, and the date promised to the customer (YYYY-MM-DD). Rows saved before this
-- migration are picked up at their next save.
ALTER TABLE order_states ADD COLUMN watch_open INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_states ADD COLUMN unscanned_since TEXT;
ALTER TABLE order_states ADD COLUMN promised_date TEXT;
CREATE INDEX order_states_watch ON order_states (tenant_id, order_ref) WHERE watch_open = 1;
-- Dead letters: parked intents per tenant, newest first, without indexing the hot statuses.
CREATE INDEX intents_parked ON intents (tenant_id, updated_at) WHERE status = 'parked';
`,
  },
  {
    version: 4,
    name: 'tracking_numbers',
    sql: `
-- Which order and shipment a carrier's tracking number belongs to, one row per tenant and number
-- (keyed by the normalised number, see tracking-key.ts); the latest binding wins.
CREATE TABLE tracking_numbers (
  tenant_id        TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  tracking_key     TEXT NOT NULL,
  tracking_number  TEXT NOT NULL,
  order_ref        TEXT NOT NULL,
  shipment_id      TEXT NOT NULL,
  carrier          TEXT,
  bound_at         TEXT NOT NULL,
  PRIMARY KEY (tenant_id, tracking_key)
) STRICT;
CREATE INDEX tracking_numbers_order ON tracking_numbers (tenant_id, order_ref);

-- Carrier updates for numbers not bound yet, kept (normalised facts only) until one is.
CREATE TABLE parked_tracking_updates (
  tenant_id     TEXT NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  tracking_key  TEXT NOT NULL,
  update_key    TEXT NOT NULL,
  body          TEXT NOT NULL,
  parked_at     TEXT NOT NULL,
  PRIMARY KEY (tenant_id, tracking_key, update_key)
) STRICT;
CREATE INDEX parked_tracking_updates_age ON parked_tracking_updates (parked_at);

-- Every saved order state binds the tracking numbers its shipments newly carry, whichever app
-- the event came from, in the same transaction as the state. A number the state already had on
-- the same shipment is not re-bound, so an old order saved again cannot take back a number
-- that a newer order has since been given.
CREATE TRIGGER order_states_bind_tracking_insert AFTER INSERT ON order_states
BEGIN
  INSERT INTO tracking_numbers (tenant_id, tracking_key, tracking_number, order_ref, shipment_id, carrier, bound_at)
  SELECT NEW.tenant_id, ${trackingKeySql('sqlite', "s.value ->> 'trackingNumber'")}, s.value ->> 'trackingNumber', NEW.order_ref, s.value ->> 'id', s.value ->> 'carrier', NEW.updated_at
  FROM json_each(NEW.state, '$.shipments') AS s
  WHERE s.value ->> 'trackingNumber' IS NOT NULL AND ${trackingKeySql('sqlite', "s.value ->> 'trackingNumber'")} <> ''
  ON CONFLICT (tenant_id, tracking_key) DO UPDATE SET
    tracking_number = excluded.tracking_number, order_ref = excluded.order_ref,
    shipment_id = excluded.shipment_id, carrier = excluded.carrier, bound_at = excluded.bound_at
  WHERE tracking_numbers.order_ref <> excluded.order_ref OR tracking_numbers.shipment_id <> excluded.shipment_id;
END;
CREATE TRIGGER order_states_bind_tracking_update AFTER UPDATE OF state ON order_states
BEGIN
  INSERT INTO tracking_numbers (tenant_id, tracking_key, tracking_number, order_ref, shipment_id, carrier, bound_at)
  SELECT NEW.tenant_id, ${trackingKeySql('sqlite', "s.value ->> 'trackingNumber'")}, s.value ->> 'trackingNumber', NEW.order_ref, s.value ->> 'id', s.value ->> 'carrier', NEW.updated_at
  FROM json_each(NEW.state, '$.shipments') AS s
  WHERE s.value ->> 'trackingNumber' IS NOT NULL AND ${trackingKeySql('sqlite', "s.value ->> 'trackingNumber'")} <> ''
    AND NOT EXISTS (
      SELECT 1 FROM json_each(OLD.state, '$.shipments') AS o
      WHERE o.value ->> 'id' = s.value ->> 'id' AND o.value ->> 'trackingNumber' = s.value ->> 'trackingNumber')
  ON CONFLICT (tenant_id, tracking_key) DO UPDATE SET
    tracking_number = excluded.tracking_number, order_ref = excluded.order_ref,
    shipment_id = excluded.shipment_id, carrier = excluded.carrier, bound_at = excluded.bound_at
  WHERE tracking_numbers.order_ref <> excluded.order_ref OR tracking_numbers.shipment_id <> excluded.shipment_id;
END;

-- Orders saved before this migration: index what their states already carry.
INSERT INTO tracking_numbers (tenant_id, tracking_key, tracking_number, order_ref, shipment_id, carrier, bound_at)
SELECT os.tenant_id, ${trackingKeySql('sqlite', "s.value ->> 'trackingNumber'")}, s.value ->> 'trackingNumber', os.order_ref, s.value ->> 'id', s.value ->> 'carrier', os.updated_at
FROM order_states AS os, json_each(os.state, '$.shipments') AS s
WHERE s.value ->> 'trackingNumber' IS NOT NULL AND ${trackingKeySql('sqlite', "s.value ->> 'trackingNumber'")} <> ''
ORDER BY os.updated_at
ON CONFLICT (tenant_id, tracking_key) DO UPDATE SET
  tracking_number = excluded.tracking_number, order_ref = excluded.order_ref,
  shipment_id = excluded.shipment_id, carrier = excluded.carrier, bound_at = excluded.bound_at;
`,
  },
  {
    version: 5,
    name: 'decisions_recent',
    sql: `
-- A tenant's newest decisions across orders (the activity feed), paged by (at, seq), read from
-- the index alone instead of sorting the tenant's whole history.
CREATE INDEX IF NOT EXISTS decisions_recent ON decisions (tenant_id, at, seq);
`,
  },
];
