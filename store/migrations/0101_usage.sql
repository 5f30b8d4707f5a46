-- Usage records sellers pushed for their on-demand instances (spec saas-v2 §6.3). metering_sn is the
-- record's identity: a record pushed again is the same record, so it is the key.
CREATE TABLE usage_records (
    metering_sn TEXT PRIMARY KEY,
    instance_id TEXT NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX usage_records_instance ON usage_records (instance_id);
