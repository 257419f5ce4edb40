-- Version 3. An error keeps the key its source gave the record (source_key,
-- NULL for errors stored before), so a retry need not read it back from the
-- payload, and a history of how it was resolved or reopened, one line per
-- event, so an error closed by hand says who decided what. See docs/state.md.
ALTER TABLE decant_errors ADD COLUMN IF NOT EXISTS source_key text;
ALTER TABLE decant_errors ADD COLUMN IF NOT EXISTS history text NOT NULL DEFAULT '';
