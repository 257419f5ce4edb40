-- Version 3. An error keeps the key its source gave the record (source_key,
-- NULL for errors stored before), so a retry need not read it back from the
-- payload; where the record was read (place), so a retry's messages still
-- say so; why the source could not read it, if it could not (source_error);
-- and a history of how it was resolved or reopened, one line per event, so
-- an error closed by hand says who decided what. See docs/state.md.
ALTER TABLE decant_errors ADD COLUMN IF NOT EXISTS source_key text;
ALTER TABLE decant_errors ADD COLUMN IF NOT EXISTS place text NOT NULL DEFAULT '';
ALTER TABLE decant_errors ADD COLUMN IF NOT EXISTS source_error text NOT NULL DEFAULT '';
ALTER TABLE decant_errors ADD COLUMN IF NOT EXISTS history text NOT NULL DEFAULT '';
