-- License 2.0 codes and their history (activations, heartbeats, usage reports, lifecycle steps).
-- Each code keeps its whole record as JSON in "data"; the other columns exist for lookups.
CREATE TABLE license_codes (
    code       TEXT PRIMARY KEY,
    order_id   TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    data       TEXT NOT NULL
);
CREATE INDEX license_codes_order ON license_codes (order_id);

CREATE TABLE license_events (
    id    INTEGER PRIMARY KEY AUTOINCREMENT,
    code  TEXT NOT NULL,
    kind  TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    data  TEXT NOT NULL
);
CREATE INDEX license_events_code ON license_events (code, id);
