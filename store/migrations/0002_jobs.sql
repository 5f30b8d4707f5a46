-- Scheduled work that must survive a restart: callback retries, expiry, freeze windows, dial tests.
-- "job_key" makes a job replaceable (scheduling the same key again moves it); "version" lets the
-- scheduler delete exactly the run it finished, not a replacement scheduled while it ran.
CREATE TABLE jobs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind       TEXT NOT NULL,
    job_key    TEXT UNIQUE,
    due_ms     INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    data       TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (due_ms, id);
