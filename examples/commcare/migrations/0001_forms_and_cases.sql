-- The SQL side of a CommCare domain: form submissions, cases, and each
-- case's actions (the forms that changed it, in order) as child rows.
-- Every domain shares these tables; a row's domain says whose it is.
CREATE TABLE forms (
    id          text PRIMARY KEY,
    domain      text NOT NULL,
    doc_type    text NOT NULL,
    xmlns       text NOT NULL,
    form_name   text,
    received_on timestamptz NOT NULL,
    user_id     text,
    case_id     text,
    form        jsonb NOT NULL
);
CREATE INDEX forms_domain ON forms (domain, id);

CREATE TABLE cases (
    id                 text PRIMARY KEY,
    domain             text NOT NULL,
    doc_type           text NOT NULL,
    type               text NOT NULL,
    name               text,
    owner_id           text,
    opened_on          timestamptz,
    modified_on        timestamptz,
    server_modified_on timestamptz NOT NULL,
    closed             boolean NOT NULL
);
CREATE INDEX cases_domain ON cases (domain, id);

CREATE TABLE case_actions (
    case_id     text NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    idx         integer NOT NULL,
    action_type text NOT NULL,
    date        timestamptz NOT NULL,
    xform_id    text NOT NULL,
    PRIMARY KEY (case_id, idx)
);
