-- Operators' undo: pins, yanks and the append-only record of every operator action. New tables
-- beside the platform's; no seed column is changed.

-- A connector's latest pointer held on one version by an operator (rollback or pin). While it
-- holds, new commits still create their version rows, but the pointer stays. `until` null: until
-- unpinned; otherwise it stops holding at that time.
CREATE TABLE IF NOT EXISTS sync_pin (
  connector_id UUID PRIMARY KEY REFERENCES connector (id),
  version_id UUID NOT NULL REFERENCES connectorversion (id),
  pinned_at TIMESTAMP NOT NULL,
  pinned_by VARCHAR NOT NULL,
  reason TEXT NOT NULL,
  until TIMESTAMP
);

-- Versions withdrawn by an operator: the pointer never rests on one. The version row stays.
CREATE TABLE IF NOT EXISTS sync_yank (
  version_id UUID PRIMARY KEY REFERENCES connectorversion (id),
  connector_id UUID NOT NULL REFERENCES connector (id),
  yanked_at TIMESTAMP NOT NULL,
  yanked_by VARCHAR NOT NULL,
  reason TEXT NOT NULL
);

CREATE INDEX IF NOT EXISTS sync_yank_connector_idx ON sync_yank (connector_id);

-- One row per operator action, written in the same transaction as the action: who, when, what, why.
CREATE TABLE IF NOT EXISTS sync_operator_action (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at TIMESTAMP NOT NULL,
  actor VARCHAR NOT NULL,
  -- how the actor reached manifest-sync: 'cli' (the database directly), 'admin-api', 'signal', 'system'
  via VARCHAR(16) NOT NULL,
  action VARCHAR(16) NOT NULL CHECK (action IN
    ('rollback', 'pin', 'unpin', 'yank', 'unyank', 'suspend', 'resume', 'resync')),
  repository VARCHAR NOT NULL,
  branch VARCHAR NOT NULL,
  slug VARCHAR,
  -- the version acted on (yanked, unyanked, pinned, rolled back to)
  version VARCHAR,
  -- where the latest pointer was before and after the action
  from_version VARCHAR,
  to_version VARCHAR,
  until TIMESTAMP,
  reason TEXT,
  detail TEXT
);

CREATE INDEX IF NOT EXISTS sync_operator_action_slug_idx ON sync_operator_action (slug, id);

-- Append-only: rows are never changed or removed, not even by manifest-sync.
CREATE OR REPLACE FUNCTION sync_operator_action_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'sync_operator_action is append-only: % refused', TG_OP;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS sync_operator_action_append_only ON sync_operator_action;
CREATE TRIGGER sync_operator_action_append_only
  BEFORE UPDATE OR DELETE ON sync_operator_action
  FOR EACH ROW EXECUTE FUNCTION sync_operator_action_append_only();

DROP TRIGGER IF EXISTS sync_operator_action_no_truncate ON sync_operator_action;
CREATE TRIGGER sync_operator_action_no_truncate
  BEFORE TRUNCATE ON sync_operator_action
  FOR EACH STATEMENT EXECUTE FUNCTION sync_operator_action_append_only();
