-- Target tables of the quickstart. decant runs this file before each migrate
-- (plan key `setup`), so every statement must be idempotent.
CREATE TABLE IF NOT EXISTS orders (
    id             TEXT PRIMARY KEY,
    customer_name  TEXT NOT NULL,
    customer_email TEXT,
    placed_at      TIMESTAMP,
    status         TEXT,
    total          NUMERIC,
    gift           BOOLEAN,
    note           TEXT,
    item_count     INTEGER
);

CREATE TABLE IF NOT EXISTS order_items (
    order_id TEXT NOT NULL REFERENCES orders (id),
    line     INTEGER NOT NULL,
    sku      TEXT NOT NULL,
    qty      INTEGER NOT NULL,
    price    NUMERIC NOT NULL,
    PRIMARY KEY (order_id, line)
);
