-- Orders, instances and the exchange journal: the walking skeleton's state.
-- Each row keeps its whole record as JSON in "data"; the other columns exist for lookups and filters.
CREATE TABLE orders (
    order_id    TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL DEFAULT '',
    created_ms  INTEGER NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX orders_instance ON orders (instance_id);

CREATE TABLE instances (
    instance_id TEXT PRIMARY KEY,
    order_id    TEXT NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX instances_order ON instances (order_id);

CREATE TABLE exchanges (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    started_ms  INTEGER NOT NULL,
    direction   TEXT NOT NULL,
    activity    TEXT NOT NULL,
    order_id    TEXT NOT NULL DEFAULT '',
    instance_id TEXT NOT NULL DEFAULT '',
    failed      INTEGER NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX exchanges_order ON exchanges (order_id);
CREATE INDEX exchanges_instance ON exchanges (instance_id);
CREATE INDEX exchanges_activity ON exchanges (activity);
