-- decant:release 1.1.0
-- A repeatable migration: applied after the numbered ones, and again whenever
-- this text changes. Edit it in place; never copy it into a numbered file.
-- (SQLite has no CREATE OR REPLACE VIEW, hence the DROP.)
DROP VIEW IF EXISTS applicant_summary;

CREATE VIEW applicant_summary AS
SELECT id, full_name, email FROM applicant;
