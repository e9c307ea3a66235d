-- The platform's own tables, exactly as ../shared/seed/connector-schema.md describes them.
-- Written to live with a database where another program already created them: every
-- statement is conditional, and nothing here rewrites or drops existing rows.

CREATE TABLE IF NOT EXISTS "user" (
  id UUID PRIMARY KEY,
  email VARCHAR UNIQUE,
  created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);

CREATE TABLE IF NOT EXISTS connector (
  id UUID PRIMARY KEY,
  slug VARCHAR NOT NULL UNIQUE,
  name VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  latest_version_id UUID,
  created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
  owner_id UUID REFERENCES "user" (id),
  is_platform BOOLEAN NOT NULL DEFAULT true,
  created_by UUID REFERENCES "user" (id)
);

CREATE TABLE IF NOT EXISTS connectorversion (
  id UUID PRIMARY KEY,
  connector_id UUID NOT NULL REFERENCES connector (id),
  version VARCHAR NOT NULL,
  manifest JSONB NOT NULL,
  wheel_url VARCHAR,
  created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'utc')
);

-- Constraints the platform relies on, added only where the table has none of that kind
-- already (another program may have named its own differently). The status check is added
-- NOT VALID and then validated: on a database whose rows already break it the migration
-- stops with Postgres's own message naming the constraint, rather than silently skipping it.
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
    WHERE c.conrelid = 'connector'::regclass AND c.contype = 'f' AND a.attname = 'latest_version_id'
  ) THEN
    ALTER TABLE connector ADD CONSTRAINT connector_latest_version_id_fkey
      FOREIGN KEY (latest_version_id) REFERENCES connectorversion (id);
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint c
    WHERE c.conrelid = 'connector'::regclass AND c.contype = 'c'
      AND pg_get_constraintdef(c.oid) LIKE '%status%'
  ) THEN
    ALTER TABLE connector ADD CONSTRAINT connector_status_check
      CHECK (status IN ('draft', 'beta', 'stable', 'deprecated')) NOT VALID;
    ALTER TABLE connector VALIDATE CONSTRAINT connector_status_check;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM pg_constraint c
    WHERE c.conrelid = 'connectorversion'::regclass AND c.contype IN ('u', 'p')
      AND (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_attribute a
           WHERE a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)) = ARRAY['connector_id', 'version']
  ) THEN
    ALTER TABLE connectorversion ADD CONSTRAINT connectorversion_connector_id_version_key
      UNIQUE (connector_id, version);
  END IF;
END
$$;

CREATE INDEX IF NOT EXISTS connectorversion_connector_id_idx ON connectorversion (connector_id);
