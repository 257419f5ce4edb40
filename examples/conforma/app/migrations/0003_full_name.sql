-- decant:release 1.1.0
-- Expand first: the column is added empty and nullable, which is instant even
-- on a large table. 0004 fills it in batches once the server is up, and until
-- then release 1.1.0 computes the name where the column is still NULL.
ALTER TABLE applicant ADD COLUMN full_name TEXT;
