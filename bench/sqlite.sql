-- The benchmark's SQLite target: the six columns of bench/schema.sql. sqlite3 .import
-- loads the CSV into the same table. amount is TEXT so that decimals stay exact.
CREATE TABLE IF NOT EXISTS flat (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    amount     TEXT NOT NULL,
    attrs      JSON NOT NULL
);
