-- decant:release 1.1.0
-- decant:batch size=100 start=0
-- A batched data migration: each batch of 100 rows commits with its cursor,
-- so a restart resumes where it stopped instead of starting over.
UPDATE applicant SET full_name = first_name || ' ' || last_name
WHERE id IN (SELECT id FROM applicant WHERE id > :cursor ORDER BY id LIMIT :size)
RETURNING id;
