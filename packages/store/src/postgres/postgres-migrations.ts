/**
 * @module PostgreSQL schema migrations, numbered. Kept as TypeScript strings (not .sql files) so app
 * bundles carry them without a loader. Never edit an applied migration; add the next number.
 */
import type { Migration } from '../sql/migration.ts';
import { trackingKeySql } from '../sql/tracking-key.ts';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
CREATE TABLE tenants (
  tenant_id   text PRIMARY KEY,
  name        text NOT NULL,
  active      boolean NOT NULL,
  config      jsonb NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE credentials (
  tenant_id   text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  provider    text NOT NULL,
  key_id      text NOT NULL,
  iv          bytea NOT NULL,
  tag         bytea NOT NULL,
  ciphertext  bytea NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, provider)
);

CREATE TABLE events (
  seq              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants (tenant_id),
  source           text NOT NULL,
  source_event_id  text NOT NULL,
  order_ref        text NOT NULL,
  occurred_at      timestamptz NOT NULL,
  received_at      timestamptz NOT NULL,
  event            jsonb NOT NULL,
  raw_body         bytea NOT NULL,
  headers          jsonb NOT NULL,
  UNIQUE (tenant_id, source, source_event_id)
);
CREATE INDEX events_order ON events (tenant_id, order_ref, received_at);

CREATE TABLE order_states (
  tenant_id   text NOT NULL REFERENCES tenants (tenant_id),
  order_ref   text NOT NULL,
  state       jsonb NOT NULL,
  version     integer NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, order_ref)
);

CREATE TABLE intents (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants (tenant_id),
  order_ref       text NOT NULL,
  event_id        text NOT NULL,
  intent          jsonb NOT NULL,
  status          text NOT NULL
    CHECK (status IN ('pending', 'leased', 'sent', 'parked', 'suppressed', 'cancelled')),
  not_before      timestamptz NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  lease_owner     text,
  lease_until     timestamptz,
  digest_key      text,
  delivery_index  integer NOT NULL DEFAULT 0,
  last_error      text,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
-- A leased row's not_before is its lease expiry, so one range scan finds both the pending
-- intents that are due and the leased ones whose lease ran out.
CREATE INDEX intents_due ON intents (not_before, id) WHERE status IN ('pending', 'leased');
CREATE INDEX intents_order ON intents (tenant_id, order_ref, created_at);
CREATE INDEX intents_digest ON intents (tenant_id, digest_key) WHERE digest_key IS NOT NULL;

CREATE TABLE decisions (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants (tenant_id),
  order_ref  text NOT NULL,
  event_id   text,
  at         timestamptz NOT NULL,
  decision   jsonb NOT NULL
);
CREATE INDEX decisions_order ON decisions (tenant_id, order_ref, at);

CREATE TABLE attempts (
  intent_id            text NOT NULL REFERENCES intents (id),
  attempt              integer NOT NULL,
  tenant_id            text NOT NULL REFERENCES tenants (tenant_id),
  order_ref            text NOT NULL,
  channel              text NOT NULL,
  provider             text NOT NULL,
  started_at           timestamptz NOT NULL,
  finished_at          timestamptz,
  outcome              text CHECK (outcome IN ('ok', 'retryable', 'permanent', 'consent', 'window')),
  provider_message_id  text,
  provider_status      integer,
  provider_code        text,
  provider_body        text,
  error                text,
  receipt_state        text,
  receipt_at           timestamptz,
  receipt_code         text,
  PRIMARY KEY (intent_id, attempt)
);
CREATE INDEX attempts_provider_message ON attempts (provider, provider_message_id)
  WHERE provider_message_id IS NOT NULL;
CREATE INDEX attempts_order ON attempts (tenant_id, order_ref, started_at);

CREATE TABLE consents (
  tenant_id  text NOT NULL REFERENCES tenants (tenant_id),
  channel    text NOT NULL,
  contact    text NOT NULL,
  scope      text NOT NULL CHECK (scope IN ('marketing', 'all')),
  state      text NOT NULL CHECK (state IN ('opted_in', 'opted_out')),
  at         timestamptz NOT NULL,
  source     text NOT NULL,
  PRIMARY KEY (tenant_id, channel, contact, scope)
);
CREATE INDEX consents_contact ON consents (tenant_id, contact);

CREATE TABLE fingerprints (
  tenant_id    text NOT NULL REFERENCES tenants (tenant_id),
  fingerprint  text NOT NULL,
  target       text NOT NULL,
  expires_at   timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, fingerprint)
);
CREATE INDEX fingerprints_expiry ON fingerprints (expires_at);

CREATE TABLE audit_log (
  seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants (tenant_id),
  order_ref  text,
  at         timestamptz NOT NULL,
  actor      text NOT NULL,
  action     text NOT NULL,
  detail     jsonb NOT NULL
);
CREATE INDEX audit_order ON audit_log (tenant_id, order_ref, at);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% rejected)', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$fn$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
`,
  },
  {
    version: 2,
    name: 'writebacks',
    sql: `
CREATE TABLE writebacks (
  id           text PRIMARY KEY,
  tenant_id    text NOT NULL REFERENCES tenants (tenant_id),
  order_ref    text NOT NULL,
  event_id     text NOT NULL,
  target       text NOT NULL,
  job          jsonb NOT NULL,
  status       text NOT NULL CHECK (status IN ('pending', 'leased', 'done', 'parked')),
  not_before   timestamptz NOT NULL,
  attempts     integer NOT NULL DEFAULT 0,
  lease_owner  text,
  lease_until  timestamptz,
  last_error   text,
  fingerprints jsonb NOT NULL DEFAULT '[]',
  created_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
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
ALTER TABLE order_states ADD COLUMN watch_open smallint NOT NULL DEFAULT 0;
ALTER TABLE order_states ADD COLUMN unscanned_since timestamptz;
ALTER TABLE order_states ADD COLUMN promised_date text;
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
  tenant_id        text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  tracking_key     text NOT NULL,
  tracking_number  text NOT NULL,
  order_ref        text NOT NULL,
  shipment_id      text NOT NULL,
  carrier          text,
  bound_at         timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, tracking_key)
);
CREATE INDEX tracking_numbers_order ON tracking_numbers (tenant_id, order_ref);

-- Carrier updates for numbers not bound yet, kept (normalised facts only) until one is.
CREATE TABLE parked_tracking_updates (
  tenant_id     text NOT NULL REFERENCES tenants (tenant_id) ON DELETE CASCADE,
  tracking_key  text NOT NULL,
  update_key    text NOT NULL,
  body          jsonb NOT NULL,
  parked_at     timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, tracking_key, update_key)
);
CREATE INDEX parked_tracking_updates_age ON parked_tracking_updates (parked_at);

-- Every saved order state binds the tracking numbers its shipments newly carry, whichever app
-- the event came from, in the same transaction as the state. A number the state already had on
-- the same shipment is not re-bound, so an old order saved again cannot take back a number
-- that a newer order has since been given. DISTINCT ON: one statement may not update a row
-- twice, and two shipments of one state can carry the same number (the later one wins).
CREATE FUNCTION order_states_bind_tracking() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO tracking_numbers (tenant_id, tracking_key, tracking_number, order_ref, shipment_id, carrier, bound_at)
  SELECT DISTINCT ON (k) NEW.tenant_id, k, n, NEW.order_ref, sid, carrier, NEW.updated_at
  FROM (
    SELECT ${trackingKeySql('postgres', "s ->> 'trackingNumber'")} AS k, s ->> 'trackingNumber' AS n, s ->> 'id' AS sid,
           s ->> 'carrier' AS carrier, ord
    FROM jsonb_array_elements(COALESCE(NEW.state -> 'shipments', '[]'::jsonb)) WITH ORDINALITY AS e (s, ord)
    WHERE s ->> 'trackingNumber' IS NOT NULL
      AND (TG_OP = 'INSERT' OR NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(COALESCE(OLD.state -> 'shipments', '[]'::jsonb)) AS o
        WHERE o ->> 'id' = s ->> 'id' AND o ->> 'trackingNumber' = s ->> 'trackingNumber'))
  ) AS learned
  WHERE k <> ''
  ORDER BY k, ord DESC
  ON CONFLICT (tenant_id, tracking_key) DO UPDATE SET
    tracking_number = excluded.tracking_number, order_ref = excluded.order_ref,
    shipment_id = excluded.shipment_id, carrier = excluded.carrier, bound_at = excluded.bound_at
  WHERE tracking_numbers.order_ref <> excluded.order_ref OR tracking_numbers.shipment_id <> excluded.shipment_id;
  RETURN NULL;
END
$fn$;
CREATE TRIGGER order_states_bind_tracking_insert AFTER INSERT ON order_states
  FOR EACH ROW EXECUTE FUNCTION order_states_bind_tracking();
CREATE TRIGGER order_states_bind_tracking_update AFTER UPDATE OF state ON order_states
  FOR EACH ROW EXECUTE FUNCTION order_states_bind_tracking();

-- Orders saved before this migration: index what their states already carry (newest wins).
INSERT INTO tracking_numbers (tenant_id, tracking_key, tracking_number, order_ref, shipment_id, carrier, bound_at)
SELECT DISTINCT ON (os.tenant_id, k) os.tenant_id, k, s ->> 'trackingNumber', os.order_ref, s ->> 'id', s ->> 'carrier', os.updated_at
FROM order_states AS os
  CROSS JOIN LATERAL jsonb_array_elements(COALESCE(os.state -> 'shipments', '[]'::jsonb)) AS s
  CROSS JOIN LATERAL (SELECT ${trackingKeySql('postgres', "s ->> 'trackingNumber'")} AS k) AS learned_key
WHERE s ->> 'trackingNumber' IS NOT NULL AND k <> ''
ORDER BY os.tenant_id, k, os.updated_at DESC;
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
