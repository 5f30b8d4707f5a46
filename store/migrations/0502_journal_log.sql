-- The journal's records move to the journal log (store/journal_log.go): a row written since names its
-- record's place in the log, and its data is ''. Rows from before keep their JSON in data.
ALTER TABLE exchanges ADD COLUMN log_off INTEGER NOT NULL DEFAULT 0;
ALTER TABLE exchanges ADD COLUMN log_len INTEGER NOT NULL DEFAULT 0;
