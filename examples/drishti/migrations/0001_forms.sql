-- The Drishti example's target tables: one table per form, named after the
-- form (aliases such as tt_1, tt_2 and tt_booster share the table tt), and
-- one table per sub-form, named <form>_<sub-form>.
--
-- Every form table starts with the submission's envelope; instance_id is the
-- upsert key decant writes on, so a submission read twice is still one row
-- (the original migrator had no unique key here and duplicated rows on
-- retry). The form's own fields follow as snake_case columns with real
-- types; the field "id" becomes <bind_type>_id. decant's plan maps fields by
-- name, so a new question needs only a new column here, not a plan change.
--
-- A decant migration (docs/migrations.md): `decant migrate` applies it before
-- its first poll, because decant.yaml names this directory under
-- `migrations:`, and records it in decant_migrations so it runs once. To
-- create the tables before any poll, run
--   decant db up --database "$DECANT_TARGET" --dir examples/drishti/migrations
-- A new question is a new migration file (0002_...sql) with its ALTER TABLE.

CREATE TABLE ec_registration (
    instance_id                       text PRIMARY KEY,
    entity_id                         text,
    anm_id                            text,
    form_name                         text NOT NULL,
    client_version                    timestamptz,
    server_version                    timestamptz NOT NULL,
    form_data_definition_version      text,
    eligible_couple_id                text,
    ec_number                         text,
    woman_name                        text,
    husband_name                      text,
    woman_age                         numeric,
    husband_age                       numeric,
    village                           text,
    current_method                    text,
    family_planning_method_change_date date,
    number_of_pregnancies             numeric,
    parity                            numeric,
    number_of_living_children         numeric,
    is_high_priority                  text,
    submission_date                   date
);

CREATE TABLE anc_registration (
    instance_id                  text PRIMARY KEY,
    entity_id                    text,
    anm_id                       text,
    form_name                    text NOT NULL,
    client_version               timestamptz,
    server_version               timestamptz NOT NULL,
    form_data_definition_version text,
    mother_id                    text,
    ec_id                        text,
    thayi_card_number            text,
    anc_number                   text,
    reference_date               date,
    edd                          date,
    height                       numeric,
    weight                       numeric,
    blood_group                  text,
    is_high_risk                 text,
    registration_date            date,
    submission_date              date
);

-- Forms tt, tt_1, tt_2 and tt_booster; form_name keeps which one it was.
CREATE TABLE tt (
    instance_id                  text PRIMARY KEY,
    entity_id                    text,
    anm_id                       text,
    form_name                    text NOT NULL,
    client_version               timestamptz,
    server_version               timestamptz NOT NULL,
    form_data_definition_version text,
    mother_id                    text,
    tt_dose                      text,
    tt_date                      date,
    submission_date              date
);

CREATE TABLE delivery_outcome (
    instance_id                  text PRIMARY KEY,
    entity_id                    text,
    anm_id                       text,
    form_name                    text NOT NULL,
    client_version               timestamptz,
    server_version               timestamptz NOT NULL,
    form_data_definition_version text,
    mother_id                    text,
    did_woman_survive            text,
    delivery_outcome             text,
    delivery_place               text,
    delivery_type                text,
    reference_date               date,
    submission_date              date
);

-- The instances of delivery_outcome's sub-form child_registration. decant
-- replaces a submission's child rows as a whole each time it writes the
-- submission, so a re-read never leaves stale or doubled children.
CREATE TABLE delivery_outcome_child_registration (
    parent_instance_id  text NOT NULL REFERENCES delivery_outcome (instance_id) ON DELETE CASCADE,
    sub_form_name       text NOT NULL,
    child_id            text NOT NULL,
    gender              text,
    weight              numeric,
    immunizations_given text,
    bf_post_birth       text,
    PRIMARY KEY (parent_instance_id, child_id)
);
