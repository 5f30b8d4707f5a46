-- The asset centre: application assets with their versions. Each asset keeps its whole record (its
-- versions included) as JSON in "data"; the other columns exist for lookups. Package bytes live in
-- files in the data directory, never in the database.
CREATE TABLE assets (
    id         TEXT PRIMARY KEY,
    created_ms INTEGER NOT NULL,
    data       TEXT NOT NULL
);
