-- V2's import applications. What V1 kept in the XML column xml_data is
-- columns here (applicant_reference, consignment_country, route,
-- goods_count, notes) and rows of their own: the goods, the case officer's
-- checklist and its checks. An application names its case file by
-- reference only: a case file is not required to be there (ICMS migrated
-- files apart, and may skip them).
CREATE TABLE import_applications (
    id                  integer PRIMARY KEY,
    reference           text NOT NULL,
    applicant_id        integer NOT NULL REFERENCES users (id),
    case_reference      text,
    status              text NOT NULL CHECK (status IN ('IN_PROGRESS', 'SUBMITTED', 'PROCESSING', 'COMPLETED', 'REVOKED', 'WITHDRAWN')),
    fee                 numeric(12,2) NOT NULL,
    submitted_at        timestamptz,
    licence_start       date NOT NULL,
    licence_end         date NOT NULL,
    is_urgent           boolean NOT NULL,
    origin_country_id   integer NOT NULL REFERENCES countries (id),
    applicant_reference text,
    consignment_country char(2),
    route               text,
    goods_count         integer,
    notes               jsonb NOT NULL
);

CREATE TABLE import_application_goods (
    application_id integer NOT NULL REFERENCES import_applications (id) ON DELETE CASCADE,
    line           integer NOT NULL,
    commodity_code text NOT NULL,
    description    text NOT NULL,
    quantity       integer NOT NULL,
    unit           text,
    value          numeric(14,2) NOT NULL,
    currency       char(3) NOT NULL,
    PRIMARY KEY (application_id, line)
);

CREATE TABLE import_application_checklists (
    application_id integer PRIMARY KEY REFERENCES import_applications (id) ON DELETE CASCADE,
    version        integer NOT NULL,
    checks         integer NOT NULL,
    all_passed     boolean NOT NULL
);

CREATE TABLE import_application_checks (
    application_id integer NOT NULL REFERENCES import_application_checklists (application_id) ON DELETE CASCADE,
    name           text NOT NULL,
    passed         boolean NOT NULL,
    PRIMARY KEY (application_id, name)
);

CREATE TABLE import_licences (
    id                 integer PRIMARY KEY,
    application_id     integer NOT NULL REFERENCES import_applications (id),
    licence_ref        text NOT NULL UNIQUE,
    issue_date         date NOT NULL,
    document_ref       text,
    application_status text NOT NULL
);

-- decant:down
DROP TABLE import_licences;
DROP TABLE import_application_checks;
DROP TABLE import_application_checklists;
DROP TABLE import_application_goods;
DROP TABLE import_applications;
