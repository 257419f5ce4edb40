-- V2's reference data: countries, units of measure, commodity codes.
CREATE TABLE countries (
    id        integer PRIMARY KEY,
    name      text NOT NULL,
    iso_code  char(2) NOT NULL,
    type      text NOT NULL CHECK (type IN ('SOVEREIGN_TERRITORY', 'SYSTEM')),
    is_active boolean NOT NULL
);

CREATE TABLE units (
    id          integer PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    description text NOT NULL
);

CREATE TABLE commodities (
    id             integer PRIMARY KEY,
    code           text NOT NULL,
    description    text NOT NULL,
    duty_rate      numeric(7,4) NOT NULL,
    validity_start date NOT NULL,
    validity_end   date
);

-- decant:down
DROP TABLE commodities;
DROP TABLE units;
DROP TABLE countries;
