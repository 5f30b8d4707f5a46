-- Scripted faults switched on through the control API (callback tampering, an unreachable seller,
-- gateway latency and errors, token endpoint errors...). They are settings a developer acknowledged,
-- so they survive a restart like everything else.
CREATE TABLE faults (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    data TEXT NOT NULL
);
