-- One connector's versions newest first, a page at a time: `GET /api/connectors/{slug}/versions`
-- and the page's short recent history read (connector_id, created_at, id) in index order and stop
-- after a page, however many versions the connector has. Forward-only; a plain index on existing
-- columns, so the platform's rows and columns are untouched.
CREATE INDEX IF NOT EXISTS connectorversion_connector_created_idx
  ON connectorversion (connector_id, created_at DESC, id DESC);
