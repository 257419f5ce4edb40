-- V2's case files, each owned by a user.
CREATE TABLE case_files (
    id         integer PRIMARY KEY,
    reference  text NOT NULL,
    owner_id   integer NOT NULL REFERENCES users (id),
    status     text NOT NULL CHECK (status IN ('OPEN', 'CLOSED', 'ARCHIVED')),
    created_at timestamptz NOT NULL,
    closed_on  date,
    size_bytes bigint NOT NULL
);

-- decant:down
DROP TABLE case_files;
