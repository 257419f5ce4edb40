-- Version 2. decant_scopes.status was never advanced past 'new': the scope
-- lifecycle (new, migrating, live, finishing, finished, committed) has no
-- command yet. The commands that move it will add the column back with the
-- transitions. See docs/state.md.
ALTER TABLE decant_scopes DROP COLUMN IF EXISTS status;
