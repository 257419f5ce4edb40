-- Version 8. The checkpoint of each chunk of a step read in parallel
-- (`parallel: N`): its position holds the chunk's key range, planned once
-- when the step first ran, so a resumed run reads the same ranges. A step
-- read by one reader keeps its checkpoint in decant_checkpoints, as before.
-- See docs/state.md.
CREATE TABLE IF NOT EXISTS decant_chunks (
    scope    text COLLATE "C" NOT NULL,
    step     text COLLATE "C" NOT NULL,
    chunk    text COLLATE "C" NOT NULL,
    position text NOT NULL,
    updated  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, step, chunk)
);
