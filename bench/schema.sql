-- The benchmark's target: six columns, keyed by id.
CREATE TABLE IF NOT EXISTS flat (
    id         bigint PRIMARY KEY,
    name       text NOT NULL,
    email      text NOT NULL,
    created_at timestamptz NOT NULL,
    amount     numeric(12,2) NOT NULL,
    attrs      jsonb NOT NULL
);
