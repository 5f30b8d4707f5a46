-- Most inbound exchanges (license heartbeats, token and CAS calls) name no order and no instance, and
-- every one of them is a journal insert: index only the rows that have one, so that those inserts
-- maintain one index instead of three. Queries add "<> ''" so SQLite can use the partial indexes.
DROP INDEX exchanges_order;
DROP INDEX exchanges_instance;
CREATE INDEX exchanges_order ON exchanges (order_id) WHERE order_id <> '';
CREATE INDEX exchanges_instance ON exchanges (instance_id) WHERE instance_id <> '';
