-- decant:release 1.0.0
-- The applicant table of release 1.0.0. The SQL is portable: it runs as it is
-- on PostgreSQL and SQLite.
CREATE TABLE applicant (
    id         INTEGER PRIMARY KEY,
    first_name TEXT NOT NULL,
    last_name  TEXT NOT NULL,
    email      TEXT NOT NULL,
    created    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
