-- Callbacks KooGallery owes the seller, with their attempts and retry state. A pending retry is also a
-- job (see 0002_jobs.sql); the delivery row is what the retry's job, the console and the control API
-- read and update.
CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    status      TEXT NOT NULL,
    activity    TEXT NOT NULL,
    order_id    TEXT NOT NULL DEFAULT '',
    instance_id TEXT NOT NULL DEFAULT '',
    data        TEXT NOT NULL
);
CREATE INDEX deliveries_status ON deliveries (status);
CREATE INDEX deliveries_instance ON deliveries (instance_id);
CREATE INDEX deliveries_order ON deliveries (order_id);
