-- What manifest-sync needs beside the platform's tables, in the same style (UUID ids,
-- VARCHAR, TIMESTAMP in UTC without time zone). Names start with sync_ so nobody mistakes
-- them for the platform's.

-- One row per git commit that produced a version: the audit trail's provenance.
CREATE TABLE IF NOT EXISTS sync_commit (
  sha VARCHAR(64) PRIMARY KEY,
  repository VARCHAR NOT NULL,
  author_name VARCHAR NOT NULL,
  author_email VARCHAR NOT NULL,
  authored_at TIMESTAMP NOT NULL,
  committed_at TIMESTAMP NOT NULL,
  message TEXT NOT NULL,
  -- false once a history rewrite (force push) left the commit off the tracked branch
  reachable BOOLEAN NOT NULL DEFAULT true,
  recorded_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);

ALTER TABLE connectorversion
  ADD COLUMN IF NOT EXISTS commit_sha VARCHAR(64) REFERENCES sync_commit (sha),
  ADD COLUMN IF NOT EXISTS content_hash VARCHAR(64),
  -- the git blob the version was read from: an unchanged blob needs no parsing on resync
  ADD COLUMN IF NOT EXISTS blob_oid VARCHAR(64),
  ADD COLUMN IF NOT EXISTS bump VARCHAR(8),
  ADD COLUMN IF NOT EXISTS reasons JSONB;

CREATE INDEX IF NOT EXISTS connectorversion_commit_sha_idx ON connectorversion (commit_sha);

-- The last applied revision per tracked repository and branch.
CREATE TABLE IF NOT EXISTS sync_cursor (
  repository VARCHAR NOT NULL,
  branch VARCHAR NOT NULL,
  revision VARCHAR(64) NOT NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
  PRIMARY KEY (repository, branch)
);

-- One row per sync pass.
CREATE TABLE IF NOT EXISTS sync_run (
  id UUID PRIMARY KEY,
  repository VARCHAR NOT NULL,
  branch VARCHAR NOT NULL,
  kind VARCHAR(16) NOT NULL CHECK (kind IN ('sync', 'resync')),
  outcome VARCHAR(16) NOT NULL CHECK (outcome IN ('applied', 'refused', 'failed', 'noop', 'interrupted')),
  from_revision VARCHAR(64),
  to_revision VARCHAR(64),
  commits_applied INTEGER NOT NULL DEFAULT 0,
  versions_created INTEGER NOT NULL DEFAULT 0,
  manifests_refused INTEGER NOT NULL DEFAULT 0,
  history_rewritten BOOLEAN NOT NULL DEFAULT false,
  error TEXT,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP NOT NULL
);

CREATE INDEX IF NOT EXISTS sync_run_started_at_idx ON sync_run (repository, branch, started_at DESC);

-- Manifests refused by validation or version policy. A later commit that syncs the file
-- sets resolved_by, so the open refusals are those with resolved_by IS NULL.
CREATE TABLE IF NOT EXISTS sync_refusal (
  id UUID PRIMARY KEY,
  repository VARCHAR NOT NULL,
  branch VARCHAR NOT NULL,
  commit_sha VARCHAR(64) NOT NULL,
  file VARCHAR NOT NULL,
  slug VARCHAR,
  pointer VARCHAR NOT NULL,
  code VARCHAR(32) NOT NULL,
  message TEXT NOT NULL,
  line INTEGER,
  "column" INTEGER,
  created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
  resolved_by VARCHAR(64)
);

CREATE INDEX IF NOT EXISTS sync_refusal_open_idx ON sync_refusal (repository, branch, file)
  WHERE resolved_by IS NULL;
