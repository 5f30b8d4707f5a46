-- The clock is state: its mode and virtual time, so that a restart resumes where it stood (the
-- persisted jobs were scheduled on it). One row.
CREATE TABLE clock_state (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    virtual INTEGER NOT NULL,
    at      TEXT NOT NULL
);
