-- V2's users. V1's ids are kept, as ICMS kept them.
CREATE TABLE users (
    id          integer PRIMARY KEY,
    username    text NOT NULL UNIQUE,
    email       text NOT NULL,
    first_name  text NOT NULL,
    last_name   text NOT NULL,
    title       text,
    is_active   boolean NOT NULL,
    date_joined timestamptz NOT NULL,
    last_login  timestamptz
);

-- decant:down
DROP TABLE users;
