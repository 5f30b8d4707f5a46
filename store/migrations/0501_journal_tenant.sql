-- Kit syncs and identity-provider calls name their joint-operation tenant: keep it in a column, so the
-- journal is filtered by tenant in SQL like it is by order and instance (partial index, as in 0500).
ALTER TABLE exchanges ADD COLUMN tenant_id TEXT NOT NULL DEFAULT '';
UPDATE exchanges SET tenant_id = COALESCE(json_extract(data, '$.tenantId'), '');
CREATE INDEX exchanges_tenant ON exchanges (tenant_id) WHERE tenant_id <> '';
