-- Debug cases saved from passing exchanges, replayed as dial tests, and whether each product is on
-- sale or frozen after five failing days (spec saas-v2 §1, 拨测).
CREATE TABLE debug_cases (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id TEXT NOT NULL,
    data       TEXT NOT NULL
);
CREATE TABLE product_states (
    product_id TEXT PRIMARY KEY,
    data       TEXT NOT NULL
);
