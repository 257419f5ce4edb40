-- Version 7. Each scope's lifecycle (new, migrating, live, finishing,
-- finished, committed): its state, since when and why, kept on the lease's
-- row of decant_scopes, and the history of its transitions. A scope without
-- a row, or one the lease made, is new. See docs/state.md.
ALTER TABLE decant_scopes ADD COLUMN IF NOT EXISTS state text NOT NULL DEFAULT 'new';
ALTER TABLE decant_scopes ADD COLUMN IF NOT EXISTS state_since timestamptz;
ALTER TABLE decant_scopes ADD COLUMN IF NOT EXISTS state_note text NOT NULL DEFAULT '';
CREATE TABLE IF NOT EXISTS decant_scope_history (
    id         bigserial PRIMARY KEY,
    scope      text COLLATE "C" NOT NULL,
    at         timestamptz NOT NULL DEFAULT now(),
    from_state text NOT NULL,
    to_state   text NOT NULL,
    command    text NOT NULL DEFAULT '',
    note       text NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS decant_scope_history_scope ON decant_scope_history (scope, id);
