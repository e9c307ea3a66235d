-- The binding: the one branch and manifest folder a repository's cursor follows, recorded on the
-- first sync (or by `manifest-sync rebind`), so the checked-out branch and a mistyped --path can
-- never move the registry. One row per repository key (the cursor's `repository`).
CREATE TABLE IF NOT EXISTS sync_binding (
  repository VARCHAR PRIMARY KEY,
  branch VARCHAR NOT NULL,
  -- NULL only for a database synced before this migration: the next sync records its --path
  path VARCHAR,
  bound_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
  bound_by VARCHAR,
  -- what the last `rebind` changed, for the audit (NULL when never rebound)
  previous_branch VARCHAR,
  previous_path VARCHAR
);

-- A database synced before the binding existed is bound to the branch it synced last.
INSERT INTO sync_binding (repository, branch)
SELECT DISTINCT ON (repository) repository, branch
FROM sync_cursor
ORDER BY repository, updated_at DESC
ON CONFLICT (repository) DO NOTHING;
