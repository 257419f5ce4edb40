-- Target tables of the quickstart. decant runs this file before each migrate
-- (plan key `setup`), so every statement must be idempotent.
--
-- Money is TEXT, not NUMERIC: a SQLite column declared NUMERIC has numeric
-- affinity and turns "997.00" into the integer 997 and "518.50" into the
-- float 518.5. decant checks the values are decimals (the plan gives these
-- columns `type: decimal`) and stores them digit for digit (docs/plan.md,
-- "SQLite and decimals"). On PostgreSQL, use numeric(12,2).
CREATE TABLE IF NOT EXISTS orders (
    id             TEXT PRIMARY KEY,
    customer_name  TEXT NOT NULL,
    customer_email TEXT,
    placed_at      TIMESTAMP,
    status         TEXT,
    total          TEXT,
    gift           BOOLEAN,
    note           TEXT,
    item_count     INTEGER
);

CREATE TABLE IF NOT EXISTS order_items (
    order_id TEXT NOT NULL REFERENCES orders (id),
    line     INTEGER NOT NULL,
    sku      TEXT NOT NULL,
    qty      INTEGER NOT NULL,
    price    TEXT NOT NULL,
    PRIMARY KEY (order_id, line)
);
