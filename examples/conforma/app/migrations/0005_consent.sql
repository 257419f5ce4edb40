-- decant:release 1.2.0
-- A NOT NULL column with a constant default: instant on PostgreSQL 11 and
-- later, and on SQLite. On a large, busy PostgreSQL table the index would go
-- in a file of its own, marked no-transaction, as CREATE INDEX CONCURRENTLY;
-- this example keeps to SQL that SQLite runs too.
ALTER TABLE applicant ADD COLUMN consent BOOLEAN NOT NULL DEFAULT FALSE;

CREATE INDEX applicant_consent_idx ON applicant (consent, created);
