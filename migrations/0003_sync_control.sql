-- Operator controls per tracked repository and branch: suspension survives restarts, and the
-- last forced resync is remembered for status, metrics and the page.
CREATE TABLE IF NOT EXISTS sync_control (
  repository VARCHAR NOT NULL,
  branch VARCHAR NOT NULL,
  suspended BOOLEAN NOT NULL DEFAULT false,
  suspended_at TIMESTAMP,
  suspended_by VARCHAR,
  suspend_reason TEXT,
  last_resync_at TIMESTAMP,
  last_resync_trigger VARCHAR(32),
  last_resync_outcome VARCHAR(16),
  last_resync_detail TEXT,
  PRIMARY KEY (repository, branch)
);
