-- Drishti's two audit tables, migration_audit and error_audit, as views over
-- decant's own state tables, for the reports and people used to them.
--
-- decant.yaml lists this file under `setup:`, so `decant migrate` runs it on
-- every run, after it has created its decant_ tables and applied
-- migrations/ (the views read decant_batches and decant_errors, which do not
-- exist before). It is idempotent. By hand, after a first migrate:
--   psql "$DECANT_TARGET" -v ON_ERROR_STOP=1 -f examples/drishti/audit_views.sql
--
-- Differences from the original tables, all deliberate:
--   * one migration_audit row per decant batch (100 submissions, like the
--     original's one poll of batch-size 100), not one per 3-minute tick;
--   * last_polled_timestamp is the serverVersion of the batch's last
--     submission, failures included, as in the original; but decant resumes
--     from its own checkpoint (that value plus the instanceIds already read at
--     it), so submissions sharing that serverVersion are not skipped;
--   * error_audit shows the failures that are still open: a submission that
--     a later run or `decant errors retry` wrote successfully drops out
--     (`decant errors list` shows it); failure_reason and detailed_reason
--     are never cut to 255 characters.

BEGIN;

-- drishti_form_name reads formName from a stored payload; NULL when the
-- payload is not JSON (a feed item that was not an object, say).
CREATE OR REPLACE FUNCTION drishti_form_name(payload text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN payload::jsonb ->> 'formName';
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

CREATE OR REPLACE VIEW migration_audit AS
SELECT id,
       CASE WHEN cursor_to ~ '^-?[0-9]{1,18}$' THEN cursor_to::bigint END AS last_polled_timestamp,
       total::bigint                                                    AS total_no_of_form_entries,
       ok::bigint                                                       AS successfully_processed_form_entries,
       started + duration_ms * interval '1 millisecond'                 AS created_timestamp
FROM decant_batches
WHERE scope = 'default' AND step = 'forms';

CREATE OR REPLACE VIEW error_audit AS
SELECT id,
       key                       AS instance_id,
       drishti_form_name(payload) AS form_name,
       message                   AS failure_reason,
       detail                    AS detailed_reason,
       created                   AS created_timestamp
FROM decant_errors
WHERE scope = 'default' AND step = 'forms' AND NOT resolved;

COMMIT;
