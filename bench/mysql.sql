-- The benchmark's MariaDB source: the six columns of bench/schema.sql, as a MariaDB table.
CREATE TABLE flat (
    id         bigint PRIMARY KEY,
    name       varchar(200) NOT NULL,
    email      varchar(200) NOT NULL,
    created_at datetime(3) NOT NULL,
    amount     decimal(12,2) NOT NULL,
    attrs      json NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
