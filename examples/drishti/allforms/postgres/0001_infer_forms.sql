-- Written by decant infer from sample records (docs/infer.md): review it,
-- then apply it with decant migrate (the plan's migrations: directory) or decant db up.

CREATE TABLE "anc_close" (
    "instance_id" text NOT NULL,
    "abortion_place" text,
    "anc_close_date" date,
    "anm_id" text,
    "client_version" timestamptz,
    "close_reason" text,
    "closed_by" text,
    "death_certificate_submitted" text,
    "deviceid" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "induced_abortion_date" text,
    "is_maternal_death" text,
    "maternal_death_cause" text,
    "maternal_death_date" text,
    "maternal_death_place" text,
    "mother_id" text,
    "number_of_abortions" bigint,
    "phonenumber" text,
    "reason_for_closure_other" text,
    "reference_date" date,
    "server_version" timestamptz,
    "simserial" text,
    "spontaneous_abortion_date" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "anc_close"."instance_id" IS 'from record.instanceId, e.g. ''d0954f46-8ea5-4470-ae0e-ad6e59533ccf''';
COMMENT ON COLUMN "anc_close"."abortion_place" IS 'from fields.abortionPlace (no value in the samples)';
COMMENT ON COLUMN "anc_close"."anc_close_date" IS 'from fields.ancCloseDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_close"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "anc_close"."client_version" IS 'from record.clientVersion, e.g. ''1393804710000''';
COMMENT ON COLUMN "anc_close"."close_reason" IS 'from fields.closeReason, e.g. ''moved_away''';
COMMENT ON COLUMN "anc_close"."closed_by" IS 'from fields.closedBy, e.g. ''closed_by''';
COMMENT ON COLUMN "anc_close"."death_certificate_submitted" IS 'from fields.deathCertificateSubmitted (no value in the samples)';
COMMENT ON COLUMN "anc_close"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "anc_close"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "anc_close"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "anc_close"."entity_id" IS 'from record.entityId, e.g. ''e89ea13a-e19f-494d-bb30-f1b0efeabe33''';
COMMENT ON COLUMN "anc_close"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "anc_close"."form_name" IS 'from record.formName, e.g. ''anc_close''';
COMMENT ON COLUMN "anc_close"."induced_abortion_date" IS 'from fields.inducedAbortionDate (no value in the samples)';
COMMENT ON COLUMN "anc_close"."is_maternal_death" IS 'from fields.isMaternalDeath, e.g. ''yes''';
COMMENT ON COLUMN "anc_close"."maternal_death_cause" IS 'from fields.maternalDeathCause (no value in the samples)';
COMMENT ON COLUMN "anc_close"."maternal_death_date" IS 'from fields.maternalDeathDate (no value in the samples)';
COMMENT ON COLUMN "anc_close"."maternal_death_place" IS 'from fields.maternalDeathPlace (no value in the samples)';
COMMENT ON COLUMN "anc_close"."mother_id" IS 'from fields.mother_id, e.g. ''e89ea13a-e19f-494d-bb30-f1b0efeabe33''';
COMMENT ON COLUMN "anc_close"."number_of_abortions" IS 'from fields.numberOfAbortions, e.g. ''1''';
COMMENT ON COLUMN "anc_close"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "anc_close"."reason_for_closure_other" IS 'from fields.reasonForClosureOther (no value in the samples)';
COMMENT ON COLUMN "anc_close"."reference_date" IS 'from fields.referenceDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_close"."server_version" IS 'from record.serverVersion, e.g. ''1393804800000''';
COMMENT ON COLUMN "anc_close"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "anc_close"."spontaneous_abortion_date" IS 'from fields.spontaneousAbortionDate (no value in the samples)';
COMMENT ON COLUMN "anc_close"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "anc_close"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_close"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "anc_close"."today" IS 'from fields.today, e.g. ''2014-03-03''';

CREATE TABLE "anc_investigations" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "blood_group" text,
    "blood_sugar" text,
    "bp_diastolic" bigint,
    "bp_systolic" bigint,
    "client_version" timestamptz,
    "deviceid" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "hb_level" numeric,
    "hbsag_result" text,
    "hiv_result" text,
    "investigations_done_by" text,
    "investigations_place" text,
    "mother_id" text,
    "next_test_date" text,
    "phonenumber" text,
    "rh_factor" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "test_date" date,
    "tests_taken" text,
    "today" date,
    "urine_albumin" text,
    "urine_sugar" text,
    "vdrl_result" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "anc_investigations"."instance_id" IS 'from record.instanceId, e.g. ''f2bb052b-e657-406f-8ccc-deccd7cae338''';
COMMENT ON COLUMN "anc_investigations"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "anc_investigations"."blood_group" IS 'from fields.bloodGroup, e.g. ''o_positive''';
COMMENT ON COLUMN "anc_investigations"."blood_sugar" IS 'from fields.bloodSugar (no value in the samples)';
COMMENT ON COLUMN "anc_investigations"."bp_diastolic" IS 'from fields.bpDiastolic, e.g. ''70''';
COMMENT ON COLUMN "anc_investigations"."bp_systolic" IS 'from fields.bpSystolic, e.g. ''110''';
COMMENT ON COLUMN "anc_investigations"."client_version" IS 'from record.clientVersion, e.g. ''1393804710001''';
COMMENT ON COLUMN "anc_investigations"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "anc_investigations"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "anc_investigations"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "anc_investigations"."entity_id" IS 'from record.entityId, e.g. ''6b27da56-2f90-4049-95e6-ef7766e4b946''';
COMMENT ON COLUMN "anc_investigations"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "anc_investigations"."form_name" IS 'from record.formName, e.g. ''anc_investigations''';
COMMENT ON COLUMN "anc_investigations"."hb_level" IS 'from fields.hbLevel, e.g. ''9.8''';
COMMENT ON COLUMN "anc_investigations"."hbsag_result" IS 'from fields.hbsagResult (no value in the samples)';
COMMENT ON COLUMN "anc_investigations"."hiv_result" IS 'from fields.hivResult (no value in the samples)';
COMMENT ON COLUMN "anc_investigations"."investigations_done_by" IS 'from fields.investigationsDoneBy, e.g. ''investigations_done_by''';
COMMENT ON COLUMN "anc_investigations"."investigations_place" IS 'from fields.investigationsPlace (no value in the samples)';
COMMENT ON COLUMN "anc_investigations"."mother_id" IS 'from fields.mother_id, e.g. ''6b27da56-2f90-4049-95e6-ef7766e4b946''';
COMMENT ON COLUMN "anc_investigations"."next_test_date" IS 'from fields.nextTestDate (no value in the samples)';
COMMENT ON COLUMN "anc_investigations"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "anc_investigations"."rh_factor" IS 'from fields.rhFactor (no value in the samples)';
COMMENT ON COLUMN "anc_investigations"."server_version" IS 'from record.serverVersion, e.g. ''1393804800001''';
COMMENT ON COLUMN "anc_investigations"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "anc_investigations"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "anc_investigations"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_investigations"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "anc_investigations"."test_date" IS 'from fields.testDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_investigations"."tests_taken" IS 'from fields.testsTaken, e.g. ''tests_taken''';
COMMENT ON COLUMN "anc_investigations"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_investigations"."urine_albumin" IS 'from fields.urineAlbumin, e.g. ''absent''';
COMMENT ON COLUMN "anc_investigations"."urine_sugar" IS 'from fields.urineSugar, e.g. ''absent''';
COMMENT ON COLUMN "anc_investigations"."vdrl_result" IS 'from fields.vdrlResult (no value in the samples)';

CREATE TABLE "anc_registration" (
    "instance_id" text NOT NULL,
    "anc_number" text,
    "anm_id" text,
    "blood_group" text,
    "caste" text,
    "client_version" timestamptz,
    "deviceid" text,
    "ec_id" text,
    "ec_number" text,
    "economic_status" text,
    "edd" date,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "gravida" bigint,
    "height" numeric,
    "high_risk_reason" text,
    "household_number" text,
    "husband_name" text,
    "is_consult_doctor" text,
    "is_high_risk" text,
    "jsy_beneficiary" text,
    "lmp" date,
    "mother_id" text,
    "number_of_abortions" text,
    "number_of_living_children" bigint,
    "number_of_pregnancies" bigint,
    "number_of_still_births" text,
    "parity" bigint,
    "phc" text,
    "phone_number" text,
    "phonenumber" text,
    "reference_date" date,
    "registration_date" date,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "sub_center" text,
    "submission_date" date,
    "subscriberid" text,
    "thayi_card_number" text,
    "today" date,
    "village" text,
    "weeks_pregnant" bigint,
    "weight" bigint,
    "wife_dob" date,
    "wife_name" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "anc_registration"."instance_id" IS 'from record.instanceId, e.g. ''2610f96a-9a56-460e-ae6e-157384af364a''';
COMMENT ON COLUMN "anc_registration"."anc_number" IS 'from fields.ancNumber, e.g. ''1333''';
COMMENT ON COLUMN "anc_registration"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "anc_registration"."blood_group" IS 'from fields.bloodGroup, e.g. ''o_positive''';
COMMENT ON COLUMN "anc_registration"."caste" IS 'from fields.caste, e.g. ''caste''';
COMMENT ON COLUMN "anc_registration"."client_version" IS 'from record.clientVersion, e.g. ''1393804710002''';
COMMENT ON COLUMN "anc_registration"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "anc_registration"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "anc_registration"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "anc_registration"."economic_status" IS 'from fields.economicStatus, e.g. ''economic_status''';
COMMENT ON COLUMN "anc_registration"."edd" IS 'from fields.edd, e.g. ''Wed, 31 Dec 2014 00:00:00 GMT''';
COMMENT ON COLUMN "anc_registration"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "anc_registration"."entity_id" IS 'from record.entityId, e.g. ''de6df20f-a7ac-4fd3-aac7-f2142843f69e''';
COMMENT ON COLUMN "anc_registration"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "anc_registration"."form_name" IS 'from record.formName, e.g. ''anc_registration''';
COMMENT ON COLUMN "anc_registration"."gravida" IS 'from fields.gravida, e.g. ''1''';
COMMENT ON COLUMN "anc_registration"."height" IS 'from fields.height, e.g. ''152.5''';
COMMENT ON COLUMN "anc_registration"."high_risk_reason" IS 'from fields.highRiskReason (no value in the samples)';
COMMENT ON COLUMN "anc_registration"."household_number" IS 'from fields.householdNumber, e.g. ''1555''';
COMMENT ON COLUMN "anc_registration"."husband_name" IS 'from fields.husbandName, e.g. ''Ramesh''';
COMMENT ON COLUMN "anc_registration"."is_consult_doctor" IS 'from fields.isConsultDoctor (no value in the samples)';
COMMENT ON COLUMN "anc_registration"."is_high_risk" IS 'from fields.isHighRisk, e.g. ''yes''';
COMMENT ON COLUMN "anc_registration"."jsy_beneficiary" IS 'from fields.jsyBeneficiary, e.g. ''jsy_beneficiary''';
COMMENT ON COLUMN "anc_registration"."lmp" IS 'from fields.lmp, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration"."mother_id" IS 'from fields.mother_id, e.g. ''de6df20f-a7ac-4fd3-aac7-f2142843f69e''';
COMMENT ON COLUMN "anc_registration"."number_of_abortions" IS 'from fields.numberOfAbortions (no value in the samples)';
COMMENT ON COLUMN "anc_registration"."number_of_living_children" IS 'from fields.numberOfLivingChildren, e.g. ''1''';
COMMENT ON COLUMN "anc_registration"."number_of_pregnancies" IS 'from fields.numberOfPregnancies, e.g. ''1''';
COMMENT ON COLUMN "anc_registration"."number_of_still_births" IS 'from fields.numberOfStillBirths (no value in the samples)';
COMMENT ON COLUMN "anc_registration"."parity" IS 'from fields.parity, e.g. ''1''';
COMMENT ON COLUMN "anc_registration"."phc" IS 'from fields.phc, e.g. ''bherya''';
COMMENT ON COLUMN "anc_registration"."phone_number" IS 'from fields.phoneNumber, e.g. ''1407''';
COMMENT ON COLUMN "anc_registration"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "anc_registration"."reference_date" IS 'from fields.referenceDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration"."registration_date" IS 'from fields.registrationDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration"."server_version" IS 'from record.serverVersion, e.g. ''1393804800002''';
COMMENT ON COLUMN "anc_registration"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "anc_registration"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "anc_registration"."sub_center" IS 'from fields.subCenter, e.g. ''hosa_agrahara''';
COMMENT ON COLUMN "anc_registration"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "anc_registration"."thayi_card_number" IS 'from fields.thayiCardNumber, e.g. ''1555''';
COMMENT ON COLUMN "anc_registration"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration"."village" IS 'from fields.village, e.g. ''keelanapura''';
COMMENT ON COLUMN "anc_registration"."weeks_pregnant" IS 'from fields.weeksPregnant, e.g. ''1''';
COMMENT ON COLUMN "anc_registration"."weight" IS 'from fields.weight, e.g. ''52''';
COMMENT ON COLUMN "anc_registration"."wife_dob" IS 'from fields.wifeDOB, e.g. ''1989-4-16''';
COMMENT ON COLUMN "anc_registration"."wife_name" IS 'from fields.wifeName, e.g. ''Sunita''';

CREATE TABLE "anc_registration_oa" (
    "instance_id" text NOT NULL,
    "anc_number" text,
    "anm_id" text,
    "calc_edd" text,
    "caste" text,
    "client_version" timestamptz,
    "deviceid" text,
    "ec_id" text,
    "ec_number" text,
    "economic_status" text,
    "edd" date,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "gravida" text,
    "high_risk_reason" text,
    "household_address" text,
    "husband_name" text,
    "is_high_risk" text,
    "lmp" date,
    "mother_id" text,
    "number_of_abortions" text,
    "number_of_living_children" text,
    "parity" text,
    "phc" text,
    "phonenumber" text,
    "reference_date" date,
    "registration_date" date,
    "religion" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "sub_center" text,
    "submission_date" date,
    "subscriberid" text,
    "thayi_card_number" text,
    "today" date,
    "village" text,
    "weeks_pregnant" bigint,
    "wife_age" bigint,
    "wife_name" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "anc_registration_oa"."instance_id" IS 'from record.instanceId, e.g. ''d1702c5d-a398-4f56-bffb-1a1d97203616''';
COMMENT ON COLUMN "anc_registration_oa"."anc_number" IS 'from fields.ancNumber, e.g. ''1333''';
COMMENT ON COLUMN "anc_registration_oa"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "anc_registration_oa"."calc_edd" IS 'from fields.calcEdd (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."caste" IS 'from fields.caste (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."client_version" IS 'from record.clientVersion, e.g. ''1393804710003''';
COMMENT ON COLUMN "anc_registration_oa"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "anc_registration_oa"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "anc_registration_oa"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "anc_registration_oa"."economic_status" IS 'from fields.economicStatus (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."edd" IS 'from fields.edd, e.g. ''Wed, 31 Dec 2014 00:00:00 GMT''';
COMMENT ON COLUMN "anc_registration_oa"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "anc_registration_oa"."entity_id" IS 'from record.entityId, e.g. ''81bb75eb-df8c-41d1-8ce2-08f373c1b225''';
COMMENT ON COLUMN "anc_registration_oa"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "anc_registration_oa"."form_name" IS 'from record.formName, e.g. ''anc_registration_oa''';
COMMENT ON COLUMN "anc_registration_oa"."gravida" IS 'from fields.gravida (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."high_risk_reason" IS 'from fields.highRiskReason (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."household_address" IS 'from fields.householdAddress (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."husband_name" IS 'from fields.husbandName, e.g. ''Ramesh''';
COMMENT ON COLUMN "anc_registration_oa"."is_high_risk" IS 'from fields.isHighRisk (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."lmp" IS 'from fields.lmp, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration_oa"."mother_id" IS 'from fields.mother_id, e.g. ''81bb75eb-df8c-41d1-8ce2-08f373c1b225''';
COMMENT ON COLUMN "anc_registration_oa"."number_of_abortions" IS 'from fields.numberOfAbortions (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."number_of_living_children" IS 'from fields.numberOfLivingChildren (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."parity" IS 'from fields.parity (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."phc" IS 'from fields.phc, e.g. ''bherya''';
COMMENT ON COLUMN "anc_registration_oa"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."reference_date" IS 'from fields.referenceDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration_oa"."registration_date" IS 'from fields.registrationDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration_oa"."religion" IS 'from fields.religion (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."server_version" IS 'from record.serverVersion, e.g. ''1393804800003''';
COMMENT ON COLUMN "anc_registration_oa"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "anc_registration_oa"."sub_center" IS 'from fields.subCenter, e.g. ''hosa_agrahara''';
COMMENT ON COLUMN "anc_registration_oa"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration_oa"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "anc_registration_oa"."thayi_card_number" IS 'from fields.thayiCardNumber, e.g. ''1555''';
COMMENT ON COLUMN "anc_registration_oa"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_registration_oa"."village" IS 'from fields.village, e.g. ''keelanapura''';
COMMENT ON COLUMN "anc_registration_oa"."weeks_pregnant" IS 'from fields.weeksPregnant, e.g. ''1''';
COMMENT ON COLUMN "anc_registration_oa"."wife_age" IS 'from fields.wifeAge, e.g. ''24''';
COMMENT ON COLUMN "anc_registration_oa"."wife_name" IS 'from fields.wifeName, e.g. ''Sunita''';

CREATE TABLE "anc_visit" (
    "instance_id" text NOT NULL,
    "anc_visit_date" date,
    "anc_visit_number" bigint,
    "anc_visit_person" text,
    "anc_visit_place" text,
    "anm_id" text,
    "blood_sugar_tested" text,
    "bp_diastolic" bigint,
    "bp_systolic" bigint,
    "client_version" timestamptz,
    "counselling_given" text,
    "danger_signs" text,
    "deviceid" text,
    "ec_id" text,
    "edema" text,
    "end" timestamptz,
    "entity_id" text,
    "fetal_heart_rate" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "fundal_height" text,
    "hb_level" text,
    "ifa_tablets_given" bigint,
    "mother_id" text,
    "next_visit_date" text,
    "pallor" text,
    "phonenumber" text,
    "pih" text,
    "pulse_rate" text,
    "referral_reason" text,
    "referred_out" text,
    "risk_observed_during_anc" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "tt_doses_given" text,
    "visit_place" text,
    "weeks_pregnant" bigint,
    "weight" numeric,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "anc_visit"."instance_id" IS 'from record.instanceId, e.g. ''f2d0fa46-d1f0-4bff-bfb9-9bbd32bbc1a7''';
COMMENT ON COLUMN "anc_visit"."anc_visit_date" IS 'from fields.ancVisitDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_visit"."anc_visit_number" IS 'from fields.ancVisitNumber, e.g. ''2''';
COMMENT ON COLUMN "anc_visit"."anc_visit_person" IS 'from fields.ancVisitPerson, e.g. ''anc_visit_person''';
COMMENT ON COLUMN "anc_visit"."anc_visit_place" IS 'from fields.ancVisitPlace, e.g. ''anc_visit_place''';
COMMENT ON COLUMN "anc_visit"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "anc_visit"."blood_sugar_tested" IS 'from fields.bloodSugarTested, e.g. ''blood_sugar_tested''';
COMMENT ON COLUMN "anc_visit"."bp_diastolic" IS 'from fields.bpDiastolic, e.g. ''70''';
COMMENT ON COLUMN "anc_visit"."bp_systolic" IS 'from fields.bpSystolic, e.g. ''110''';
COMMENT ON COLUMN "anc_visit"."client_version" IS 'from record.clientVersion, e.g. ''1393804710004''';
COMMENT ON COLUMN "anc_visit"."counselling_given" IS 'from fields.counsellingGiven (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."danger_signs" IS 'from fields.dangerSigns, e.g. ''danger_signs''';
COMMENT ON COLUMN "anc_visit"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "anc_visit"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "anc_visit"."edema" IS 'from fields.edema (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "anc_visit"."entity_id" IS 'from record.entityId, e.g. ''c0f0a974-b4b5-4a0a-91aa-9efc8ead4900''';
COMMENT ON COLUMN "anc_visit"."fetal_heart_rate" IS 'from fields.fetalHeartRate (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "anc_visit"."form_name" IS 'from record.formName, e.g. ''anc_visit''';
COMMENT ON COLUMN "anc_visit"."fundal_height" IS 'from fields.fundalHeight (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."hb_level" IS 'from fields.hbLevel (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."ifa_tablets_given" IS 'from fields.ifaTabletsGiven, e.g. ''1''';
COMMENT ON COLUMN "anc_visit"."mother_id" IS 'from fields.mother_id, e.g. ''c0f0a974-b4b5-4a0a-91aa-9efc8ead4900''';
COMMENT ON COLUMN "anc_visit"."next_visit_date" IS 'from fields.nextVisitDate (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."pallor" IS 'from fields.pallor (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."pih" IS 'from fields.pih, e.g. ''yes''';
COMMENT ON COLUMN "anc_visit"."pulse_rate" IS 'from fields.pulseRate (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."referral_reason" IS 'from fields.referralReason (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."referred_out" IS 'from fields.referredOut, e.g. ''referred_out''';
COMMENT ON COLUMN "anc_visit"."risk_observed_during_anc" IS 'from fields.riskObservedDuringANC (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."server_version" IS 'from record.serverVersion, e.g. ''1393804800004''';
COMMENT ON COLUMN "anc_visit"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "anc_visit"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_visit"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "anc_visit"."tt_doses_given" IS 'from fields.ttDosesGiven (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."visit_place" IS 'from fields.visitPlace (no value in the samples)';
COMMENT ON COLUMN "anc_visit"."weeks_pregnant" IS 'from fields.weeksPregnant, e.g. ''1''';
COMMENT ON COLUMN "anc_visit"."weight" IS 'from fields.weight, e.g. ''55.0''';

CREATE TABLE "child_close" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "child_close_date" text,
    "child_id" text,
    "client_version" timestamptz,
    "close_reason" text,
    "closed_by" text,
    "death_cause" text,
    "death_date" text,
    "death_place" text,
    "deviceid" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "is_immediate_referral" text,
    "mother_id" text,
    "phonenumber" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "wrong_entry_reason" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "child_close"."instance_id" IS 'from record.instanceId, e.g. ''2bf97971-b7d4-49e2-b764-5a5f07d391d1''';
COMMENT ON COLUMN "child_close"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "child_close"."child_close_date" IS 'from fields.childCloseDate (no value in the samples)';
COMMENT ON COLUMN "child_close"."child_id" IS 'from fields.child_id, e.g. ''01b147d5-c187-46de-bf73-566ae9686b26''';
COMMENT ON COLUMN "child_close"."client_version" IS 'from record.clientVersion, e.g. ''1393804710005''';
COMMENT ON COLUMN "child_close"."close_reason" IS 'from fields.closeReason, e.g. ''moved_away''';
COMMENT ON COLUMN "child_close"."closed_by" IS 'from fields.closedBy, e.g. ''closed_by''';
COMMENT ON COLUMN "child_close"."death_cause" IS 'from fields.deathCause (no value in the samples)';
COMMENT ON COLUMN "child_close"."death_date" IS 'from fields.deathDate (no value in the samples)';
COMMENT ON COLUMN "child_close"."death_place" IS 'from fields.deathPlace (no value in the samples)';
COMMENT ON COLUMN "child_close"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "child_close"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "child_close"."entity_id" IS 'from record.entityId, e.g. ''01b147d5-c187-46de-bf73-566ae9686b26''';
COMMENT ON COLUMN "child_close"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "child_close"."form_name" IS 'from record.formName, e.g. ''child_close''';
COMMENT ON COLUMN "child_close"."is_immediate_referral" IS 'from fields.isImmediateReferral (no value in the samples)';
COMMENT ON COLUMN "child_close"."mother_id" IS 'from fields.motherId, e.g. ''ff70f638-3a0c-4697-9911-bee862d16353''';
COMMENT ON COLUMN "child_close"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "child_close"."server_version" IS 'from record.serverVersion, e.g. ''1393804800005''';
COMMENT ON COLUMN "child_close"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "child_close"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "child_close"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_close"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "child_close"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_close"."wrong_entry_reason" IS 'from fields.wrongEntryReason (no value in the samples)';

CREATE TABLE "child_illness" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "child_id" text,
    "child_signs" text,
    "child_signs_other" text,
    "child_treatment" text,
    "child_treatment_place" text,
    "client_version" timestamptz,
    "date_of_birth" date,
    "days_of_illness" bigint,
    "deviceid" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "is_child_referred" text,
    "mother_id" text,
    "number_of_diarrhoea_episodes" text,
    "number_of_ors_given" text,
    "phonenumber" text,
    "referral_reason" text,
    "report_child_disease" text,
    "report_child_disease_date" date,
    "report_child_disease_other" text,
    "report_child_disease_place" text,
    "server_version" timestamptz,
    "sick_visit_date" date,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "submitter" text,
    "subscriberid" text,
    "today" date,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "child_illness"."instance_id" IS 'from record.instanceId, e.g. ''59c405c2-9907-405a-bb67-809714f4a72b''';
COMMENT ON COLUMN "child_illness"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "child_illness"."child_id" IS 'from fields.child_id, e.g. ''dc7c6ec8-2afa-43e0-95e8-f947294581fd''';
COMMENT ON COLUMN "child_illness"."child_signs" IS 'from fields.childSigns, e.g. ''child_signs''';
COMMENT ON COLUMN "child_illness"."child_signs_other" IS 'from fields.childSignsOther (no value in the samples)';
COMMENT ON COLUMN "child_illness"."child_treatment" IS 'from fields.childTreatment, e.g. ''child_treatment''';
COMMENT ON COLUMN "child_illness"."child_treatment_place" IS 'from fields.childTreatmentPlace, e.g. ''child_treatment_place''';
COMMENT ON COLUMN "child_illness"."client_version" IS 'from record.clientVersion, e.g. ''1393804710006''';
COMMENT ON COLUMN "child_illness"."date_of_birth" IS 'from fields.dateOfBirth, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_illness"."days_of_illness" IS 'from fields.daysOfIllness, e.g. ''1''';
COMMENT ON COLUMN "child_illness"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "child_illness"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "child_illness"."entity_id" IS 'from record.entityId, e.g. ''dc7c6ec8-2afa-43e0-95e8-f947294581fd''';
COMMENT ON COLUMN "child_illness"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "child_illness"."form_name" IS 'from record.formName, e.g. ''child_illness''';
COMMENT ON COLUMN "child_illness"."is_child_referred" IS 'from fields.isChildReferred, e.g. ''yes''';
COMMENT ON COLUMN "child_illness"."mother_id" IS 'from fields.motherId, e.g. ''ff70f638-3a0c-4697-9911-bee862d16353''';
COMMENT ON COLUMN "child_illness"."number_of_diarrhoea_episodes" IS 'from fields.numberOfDiarrhoeaEpisodes (no value in the samples)';
COMMENT ON COLUMN "child_illness"."number_of_ors_given" IS 'from fields.numberOfORSGiven (no value in the samples)';
COMMENT ON COLUMN "child_illness"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "child_illness"."referral_reason" IS 'from fields.referralReason (no value in the samples)';
COMMENT ON COLUMN "child_illness"."report_child_disease" IS 'from fields.reportChildDisease, e.g. ''report_child_disease''';
COMMENT ON COLUMN "child_illness"."report_child_disease_date" IS 'from fields.reportChildDiseaseDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_illness"."report_child_disease_other" IS 'from fields.reportChildDiseaseOther (no value in the samples)';
COMMENT ON COLUMN "child_illness"."report_child_disease_place" IS 'from fields.reportChildDiseasePlace, e.g. ''report_child_disease_place''';
COMMENT ON COLUMN "child_illness"."server_version" IS 'from record.serverVersion, e.g. ''1393804800006''';
COMMENT ON COLUMN "child_illness"."sick_visit_date" IS 'from fields.sickVisitDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_illness"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "child_illness"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "child_illness"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_illness"."submitter" IS 'from fields.submitter (no value in the samples)';
COMMENT ON COLUMN "child_illness"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "child_illness"."today" IS 'from fields.today, e.g. ''2014-03-03''';

CREATE TABLE "child_immunizations" (
    "instance_id" text NOT NULL,
    "aefi_seen" text,
    "anm_id" text,
    "bcg_date" text,
    "child_id" text,
    "client_version" timestamptz,
    "deviceid" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "hepb0_date" text,
    "immunization_date" date,
    "immunization_place" text,
    "immunizations_given" text,
    "measles_date" text,
    "mother_id" text,
    "opv0_date" text,
    "opv1_date" text,
    "opv2_date" text,
    "opv3_date" text,
    "pentavalent1_date" text,
    "pentavalent2_date" text,
    "pentavalent3_date" text,
    "phonenumber" text,
    "previous_immunizations" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "vitamin_a_dose" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "child_immunizations"."instance_id" IS 'from record.instanceId, e.g. ''467e1949-ae98-496a-a20c-5a45793e1a8e''';
COMMENT ON COLUMN "child_immunizations"."aefi_seen" IS 'from fields.aefiSeen (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "child_immunizations"."bcg_date" IS 'from fields.bcgDate (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."child_id" IS 'from fields.child_id, e.g. ''9fc4e634-cfe9-4893-8c7b-d00dedb76ee9''';
COMMENT ON COLUMN "child_immunizations"."client_version" IS 'from record.clientVersion, e.g. ''1393804710007''';
COMMENT ON COLUMN "child_immunizations"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "child_immunizations"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "child_immunizations"."entity_id" IS 'from record.entityId, e.g. ''9fc4e634-cfe9-4893-8c7b-d00dedb76ee9''';
COMMENT ON COLUMN "child_immunizations"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "child_immunizations"."form_name" IS 'from record.formName, e.g. ''child_immunizations''';
COMMENT ON COLUMN "child_immunizations"."hepb0_date" IS 'from fields.hepb0Date (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."immunization_date" IS 'from fields.immunizationDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_immunizations"."immunization_place" IS 'from fields.immunizationPlace, e.g. ''immunization_place''';
COMMENT ON COLUMN "child_immunizations"."immunizations_given" IS 'from fields.immunizationsGiven, e.g. ''bcg opv_0''';
COMMENT ON COLUMN "child_immunizations"."measles_date" IS 'from fields.measlesDate (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."mother_id" IS 'from fields.motherId, e.g. ''ff70f638-3a0c-4697-9911-bee862d16353''';
COMMENT ON COLUMN "child_immunizations"."opv0_date" IS 'from fields.opv0Date (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."opv1_date" IS 'from fields.opv1Date (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."opv2_date" IS 'from fields.opv2Date (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."opv3_date" IS 'from fields.opv3Date (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."pentavalent1_date" IS 'from fields.pentavalent1Date (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."pentavalent2_date" IS 'from fields.pentavalent2Date (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."pentavalent3_date" IS 'from fields.pentavalent3Date (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."previous_immunizations" IS 'from fields.previousImmunizations, e.g. ''bcg''';
COMMENT ON COLUMN "child_immunizations"."server_version" IS 'from record.serverVersion, e.g. ''1393804800007''';
COMMENT ON COLUMN "child_immunizations"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "child_immunizations"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_immunizations"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "child_immunizations"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_immunizations"."vitamin_a_dose" IS 'from fields.vitaminADose (no value in the samples)';

CREATE TABLE "child_registration_ec" (
    "instance_id" text NOT NULL,
    "age_in_months" bigint,
    "anm_id" text,
    "bcg_date" date,
    "birth_order" bigint,
    "birth_weight" numeric,
    "child_blood_group" text,
    "child_id" text,
    "child_name" text,
    "client_version" timestamptz,
    "date_of_birth" date,
    "deviceid" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "gender" text,
    "immunizations_given" text,
    "is_child_high_risk" text,
    "mother_age" text,
    "mother_id" text,
    "opv0_date" text,
    "phonenumber" text,
    "place_of_birth" text,
    "registration_date" date,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "thayi_card_number" text,
    "today" date,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "child_registration_ec"."instance_id" IS 'from record.instanceId, e.g. ''6ed6df9a-800f-4fd5-ae45-e799ebc89bed''';
COMMENT ON COLUMN "child_registration_ec"."age_in_months" IS 'from fields.ageInMonths, e.g. ''1''';
COMMENT ON COLUMN "child_registration_ec"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "child_registration_ec"."bcg_date" IS 'from fields.bcgDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_registration_ec"."birth_order" IS 'from fields.birthOrder, e.g. ''1''';
COMMENT ON COLUMN "child_registration_ec"."birth_weight" IS 'from fields.birthWeight, e.g. ''2.8''';
COMMENT ON COLUMN "child_registration_ec"."child_blood_group" IS 'from fields.childBloodGroup (no value in the samples)';
COMMENT ON COLUMN "child_registration_ec"."child_id" IS 'from fields.child_id, e.g. ''1bf9109b-d215-4754-bf4a-706768cb1fe3''';
COMMENT ON COLUMN "child_registration_ec"."child_name" IS 'from fields.childName, e.g. ''Lakshmi''';
COMMENT ON COLUMN "child_registration_ec"."client_version" IS 'from record.clientVersion, e.g. ''1393804710008''';
COMMENT ON COLUMN "child_registration_ec"."date_of_birth" IS 'from fields.dateOfBirth, e.g. ''2013-9-5''';
COMMENT ON COLUMN "child_registration_ec"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "child_registration_ec"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "child_registration_ec"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "child_registration_ec"."entity_id" IS 'from record.entityId, e.g. ''1bf9109b-d215-4754-bf4a-706768cb1fe3''';
COMMENT ON COLUMN "child_registration_ec"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "child_registration_ec"."form_name" IS 'from record.formName, e.g. ''child_registration_ec''';
COMMENT ON COLUMN "child_registration_ec"."gender" IS 'from fields.gender, e.g. ''female''';
COMMENT ON COLUMN "child_registration_ec"."immunizations_given" IS 'from fields.immunizationsGiven, e.g. ''bcg opv_0''';
COMMENT ON COLUMN "child_registration_ec"."is_child_high_risk" IS 'from fields.isChildHighRisk (no value in the samples)';
COMMENT ON COLUMN "child_registration_ec"."mother_age" IS 'from fields.motherAge (no value in the samples)';
COMMENT ON COLUMN "child_registration_ec"."mother_id" IS 'from fields.motherId, e.g. ''ff70f638-3a0c-4697-9911-bee862d16353''';
COMMENT ON COLUMN "child_registration_ec"."opv0_date" IS 'from fields.opv0Date (no value in the samples)';
COMMENT ON COLUMN "child_registration_ec"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "child_registration_ec"."place_of_birth" IS 'from fields.placeOfBirth, e.g. ''place_of_birth''';
COMMENT ON COLUMN "child_registration_ec"."registration_date" IS 'from fields.registrationDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_registration_ec"."server_version" IS 'from record.serverVersion, e.g. ''1393804800008''';
COMMENT ON COLUMN "child_registration_ec"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "child_registration_ec"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "child_registration_ec"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_registration_ec"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "child_registration_ec"."thayi_card_number" IS 'from fields.thayiCardNumber, e.g. ''1555''';
COMMENT ON COLUMN "child_registration_ec"."today" IS 'from fields.today, e.g. ''2014-03-03''';

CREATE TABLE "child_registration_oa" (
    "instance_id" text NOT NULL,
    "age_in_months" bigint,
    "anm_id" text,
    "birth_order" text,
    "birth_weight" text,
    "caste" text,
    "child_id" text,
    "child_name" text,
    "client_version" timestamptz,
    "date_of_birth" date,
    "deviceid" text,
    "ec_number" text,
    "economic_status" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "gender" text,
    "household_address" text,
    "husband_name" text,
    "immunizations_given" text,
    "is_child_high_risk" text,
    "phc" text,
    "phonenumber" text,
    "registration_date" date,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "sub_center" text,
    "submission_date" date,
    "subscriberid" text,
    "thayi_card_number" text,
    "today" date,
    "village" text,
    "wife_age" bigint,
    "wife_name" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "child_registration_oa"."instance_id" IS 'from record.instanceId, e.g. ''753dee7c-369f-4f57-b397-39525b7d1112''';
COMMENT ON COLUMN "child_registration_oa"."age_in_months" IS 'from fields.ageInMonths, e.g. ''1''';
COMMENT ON COLUMN "child_registration_oa"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "child_registration_oa"."birth_order" IS 'from fields.birthOrder (no value in the samples)';
COMMENT ON COLUMN "child_registration_oa"."birth_weight" IS 'from fields.birthWeight (no value in the samples)';
COMMENT ON COLUMN "child_registration_oa"."caste" IS 'from fields.caste, e.g. ''caste''';
COMMENT ON COLUMN "child_registration_oa"."child_id" IS 'from fields.child_id, e.g. ''1878a94f-2d25-4c6e-91bc-b069438b27d4''';
COMMENT ON COLUMN "child_registration_oa"."child_name" IS 'from fields.childName, e.g. ''Lakshmi''';
COMMENT ON COLUMN "child_registration_oa"."client_version" IS 'from record.clientVersion, e.g. ''1393804710009''';
COMMENT ON COLUMN "child_registration_oa"."date_of_birth" IS 'from fields.dateOfBirth, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_registration_oa"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "child_registration_oa"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "child_registration_oa"."economic_status" IS 'from fields.economicStatus, e.g. ''economic_status''';
COMMENT ON COLUMN "child_registration_oa"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "child_registration_oa"."entity_id" IS 'from record.entityId, e.g. ''1878a94f-2d25-4c6e-91bc-b069438b27d4''';
COMMENT ON COLUMN "child_registration_oa"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "child_registration_oa"."form_name" IS 'from record.formName, e.g. ''child_registration_oa''';
COMMENT ON COLUMN "child_registration_oa"."gender" IS 'from fields.gender, e.g. ''female''';
COMMENT ON COLUMN "child_registration_oa"."household_address" IS 'from fields.householdAddress, e.g. ''household_address''';
COMMENT ON COLUMN "child_registration_oa"."husband_name" IS 'from fields.husbandName, e.g. ''Ramesh''';
COMMENT ON COLUMN "child_registration_oa"."immunizations_given" IS 'from fields.immunizationsGiven, e.g. ''bcg opv_0''';
COMMENT ON COLUMN "child_registration_oa"."is_child_high_risk" IS 'from fields.isChildHighRisk (no value in the samples)';
COMMENT ON COLUMN "child_registration_oa"."phc" IS 'from fields.phc, e.g. ''bherya''';
COMMENT ON COLUMN "child_registration_oa"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "child_registration_oa"."registration_date" IS 'from fields.registrationDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_registration_oa"."server_version" IS 'from record.serverVersion, e.g. ''1393804800009''';
COMMENT ON COLUMN "child_registration_oa"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "child_registration_oa"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "child_registration_oa"."sub_center" IS 'from fields.subCenter, e.g. ''hosa_agrahara''';
COMMENT ON COLUMN "child_registration_oa"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_registration_oa"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "child_registration_oa"."thayi_card_number" IS 'from fields.thayiCardNumber, e.g. ''1555''';
COMMENT ON COLUMN "child_registration_oa"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "child_registration_oa"."village" IS 'from fields.village, e.g. ''keelanapura''';
COMMENT ON COLUMN "child_registration_oa"."wife_age" IS 'from fields.wifeAge, e.g. ''24''';
COMMENT ON COLUMN "child_registration_oa"."wife_name" IS 'from fields.wifeName, e.g. ''Sunita''';

CREATE TABLE "delivery_outcome" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "attended_by" text,
    "client_version" timestamptz,
    "delivery_complications" text,
    "delivery_facility_name" text,
    "delivery_outcome" text,
    "delivery_person" text,
    "delivery_place" text,
    "delivery_registration_date" date,
    "delivery_type" text,
    "deviceid" text,
    "did_mother_survive" text,
    "did_woman_survive" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "hours_in_facility" text,
    "is_child_high_risk" text,
    "is_referred" text,
    "is_skilled_delivery" text,
    "mother_death_cause" text,
    "mother_death_date" text,
    "mother_id" text,
    "number_of_children" bigint,
    "number_of_live_births" bigint,
    "number_of_still_births" text,
    "other_delivery_facility_name" text,
    "phonenumber" text,
    "reference_date" date,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "delivery_outcome"."instance_id" IS 'from record.instanceId, e.g. ''e32524b9-7412-4bb3-8842-d59fefb6e16d''';
COMMENT ON COLUMN "delivery_outcome"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "delivery_outcome"."attended_by" IS 'from fields.attendedBy, e.g. ''attended_by''';
COMMENT ON COLUMN "delivery_outcome"."client_version" IS 'from record.clientVersion, e.g. ''1393804710010''';
COMMENT ON COLUMN "delivery_outcome"."delivery_complications" IS 'from fields.deliveryComplications (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."delivery_facility_name" IS 'from fields.deliveryFacilityName (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."delivery_outcome" IS 'from fields.deliveryOutcome, e.g. ''live_birth''';
COMMENT ON COLUMN "delivery_outcome"."delivery_person" IS 'from fields.deliveryPerson, e.g. ''delivery_person''';
COMMENT ON COLUMN "delivery_outcome"."delivery_place" IS 'from fields.deliveryPlace, e.g. ''phc''';
COMMENT ON COLUMN "delivery_outcome"."delivery_registration_date" IS 'from fields.deliveryRegistrationDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "delivery_outcome"."delivery_type" IS 'from fields.deliveryType, e.g. ''normal''';
COMMENT ON COLUMN "delivery_outcome"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "delivery_outcome"."did_mother_survive" IS 'from fields.didMotherSurvive, e.g. ''yes''';
COMMENT ON COLUMN "delivery_outcome"."did_woman_survive" IS 'from fields.didWomanSurvive, e.g. ''yes''';
COMMENT ON COLUMN "delivery_outcome"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "delivery_outcome"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "delivery_outcome"."entity_id" IS 'from record.entityId, e.g. ''2e0d5ad0-919b-41c1-b756-c606ff601158''';
COMMENT ON COLUMN "delivery_outcome"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "delivery_outcome"."form_name" IS 'from record.formName, e.g. ''delivery_outcome''';
COMMENT ON COLUMN "delivery_outcome"."hours_in_facility" IS 'from fields.hoursInFacility (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."is_child_high_risk" IS 'from fields.isChildHighRisk (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."is_referred" IS 'from fields.isReferred, e.g. ''yes''';
COMMENT ON COLUMN "delivery_outcome"."is_skilled_delivery" IS 'from fields.isSkilledDelivery, e.g. ''yes''';
COMMENT ON COLUMN "delivery_outcome"."mother_death_cause" IS 'from fields.motherDeathCause (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."mother_death_date" IS 'from fields.motherDeathDate (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."mother_id" IS 'from fields.mother_id, e.g. ''2e0d5ad0-919b-41c1-b756-c606ff601158''';
COMMENT ON COLUMN "delivery_outcome"."number_of_children" IS 'from fields.numberOfChildren, e.g. ''1''';
COMMENT ON COLUMN "delivery_outcome"."number_of_live_births" IS 'from fields.numberOfLiveBirths, e.g. ''1''';
COMMENT ON COLUMN "delivery_outcome"."number_of_still_births" IS 'from fields.numberOfStillBirths (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."other_delivery_facility_name" IS 'from fields.otherDeliveryFacilityName (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."reference_date" IS 'from fields.referenceDate, e.g. ''2014-03-05''';
COMMENT ON COLUMN "delivery_outcome"."server_version" IS 'from record.serverVersion, e.g. ''1393804800010''';
COMMENT ON COLUMN "delivery_outcome"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "delivery_outcome"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "delivery_outcome"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "delivery_outcome"."today" IS 'from fields.today, e.g. ''2014-03-03''';

CREATE TABLE "delivery_outcome_child_registration" (
    "parent_instance_id" text NOT NULL,
    "child_id" text NOT NULL,
    "bcg_date" date,
    "bf_post_birth" text,
    "child_condition" text,
    "child_name" text,
    "date_of_birth" date,
    "delivery_place" text,
    "gender" text,
    "hepb0_date" date,
    "immunizations_given" text,
    "is_child_high_risk" text,
    "opv0_date" date,
    "sub_form_name" text,
    "weight" numeric,
    PRIMARY KEY ("parent_instance_id", "child_id")
);
COMMENT ON COLUMN "delivery_outcome_child_registration"."parent_instance_id" IS 'the parent record''s key';
COMMENT ON COLUMN "delivery_outcome_child_registration"."child_id" IS 'from fields.child_id, e.g. ''cf01b215-13d5-4130-aa5a-e22bd38c8d97''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."bcg_date" IS 'from fields.bcgDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."bf_post_birth" IS 'from fields.bfPostBirth, e.g. ''bf_post_birth''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."child_condition" IS 'from fields.childCondition, e.g. ''child_condition''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."child_name" IS 'from fields.childName, e.g. ''Lakshmi''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."date_of_birth" IS 'from fields.dateOfBirth, e.g. ''2014-03-03''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."delivery_place" IS 'from fields.deliveryPlace, e.g. ''phc''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."gender" IS 'from fields.gender, e.g. ''female''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."hepb0_date" IS 'from fields.hepb0Date, e.g. ''2014-03-03''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."immunizations_given" IS 'from fields.immunizationsGiven, e.g. ''bcg opv_0''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."is_child_high_risk" IS 'from fields.isChildHighRisk, e.g. ''yes''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."opv0_date" IS 'from fields.opv0Date, e.g. ''2014-03-03''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."sub_form_name" IS 'from item._parent.name, e.g. ''child_registration''';
COMMENT ON COLUMN "delivery_outcome_child_registration"."weight" IS 'from fields.weight, e.g. ''2.9''';

CREATE TABLE "delivery_plan" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "asha_phone_number" text,
    "birth_companion" text,
    "blood_donor_identified" text,
    "client_version" timestamptz,
    "delivery_facility_name" text,
    "delivery_place" date,
    "deviceid" text,
    "ec_id" text,
    "emergency_contact_name" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "is_jsy_beneficiary" text,
    "mother_id" text,
    "phone_number" text,
    "phonenumber" text,
    "plan_date" date,
    "reviewed_hrp_status" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "transportation_plan" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "delivery_plan"."instance_id" IS 'from record.instanceId, e.g. ''d86420fa-e671-4b6b-b705-bf82bb64b80d''';
COMMENT ON COLUMN "delivery_plan"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "delivery_plan"."asha_phone_number" IS 'from fields.ashaPhoneNumber (no value in the samples)';
COMMENT ON COLUMN "delivery_plan"."birth_companion" IS 'from fields.birthCompanion, e.g. ''birth_companion''';
COMMENT ON COLUMN "delivery_plan"."blood_donor_identified" IS 'from fields.bloodDonorIdentified, e.g. ''blood_donor_identified''';
COMMENT ON COLUMN "delivery_plan"."client_version" IS 'from record.clientVersion, e.g. ''1393804710011''';
COMMENT ON COLUMN "delivery_plan"."delivery_facility_name" IS 'from fields.deliveryFacilityName, e.g. ''delivery_facility_name''';
COMMENT ON COLUMN "delivery_plan"."delivery_place" IS 'from fields.deliveryPlace, e.g. ''sub_center''';
COMMENT ON COLUMN "delivery_plan"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "delivery_plan"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "delivery_plan"."emergency_contact_name" IS 'from fields.emergencyContactName, e.g. ''emergency_contact_name''';
COMMENT ON COLUMN "delivery_plan"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "delivery_plan"."entity_id" IS 'from record.entityId, e.g. ''782e178b-5107-435a-8c9f-74478bc95f8e''';
COMMENT ON COLUMN "delivery_plan"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "delivery_plan"."form_name" IS 'from record.formName, e.g. ''delivery_plan''';
COMMENT ON COLUMN "delivery_plan"."is_jsy_beneficiary" IS 'from fields.isJSYBeneficiary (no value in the samples)';
COMMENT ON COLUMN "delivery_plan"."mother_id" IS 'from fields.mother_id, e.g. ''782e178b-5107-435a-8c9f-74478bc95f8e''';
COMMENT ON COLUMN "delivery_plan"."phone_number" IS 'from fields.phoneNumber (no value in the samples)';
COMMENT ON COLUMN "delivery_plan"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "delivery_plan"."plan_date" IS 'from fields.planDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "delivery_plan"."reviewed_hrp_status" IS 'from fields.reviewedHRPStatus (no value in the samples)';
COMMENT ON COLUMN "delivery_plan"."server_version" IS 'from record.serverVersion, e.g. ''1393804800011''';
COMMENT ON COLUMN "delivery_plan"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "delivery_plan"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "delivery_plan"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "delivery_plan"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "delivery_plan"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "delivery_plan"."transportation_plan" IS 'from fields.transportationPlan, e.g. ''transportation_plan''';

CREATE TABLE "ec_close" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "close_reason" text,
    "closed_by" text,
    "deviceid" text,
    "ec_close_date" date,
    "ec_number" text,
    "eligible_couple_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "is_out_of_area" text,
    "is_sterilized" text,
    "permanently_relocated_date" text,
    "phonenumber" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "sterilization_date" text,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "wife_death_date" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "ec_close"."instance_id" IS 'from record.instanceId, e.g. ''10543675-75f4-4944-a2cf-16b7fdba7c90''';
COMMENT ON COLUMN "ec_close"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "ec_close"."client_version" IS 'from record.clientVersion, e.g. ''1393804710012''';
COMMENT ON COLUMN "ec_close"."close_reason" IS 'from fields.closeReason, e.g. ''moved_away''';
COMMENT ON COLUMN "ec_close"."closed_by" IS 'from fields.closedBy, e.g. ''closed_by''';
COMMENT ON COLUMN "ec_close"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "ec_close"."ec_close_date" IS 'from fields.ecCloseDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_close"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "ec_close"."eligible_couple_id" IS 'from fields.eligible_couple_id, e.g. ''9599277e-db71-4adf-a237-3bcb1cd4ced8''';
COMMENT ON COLUMN "ec_close"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "ec_close"."entity_id" IS 'from record.entityId, e.g. ''9599277e-db71-4adf-a237-3bcb1cd4ced8''';
COMMENT ON COLUMN "ec_close"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "ec_close"."form_name" IS 'from record.formName, e.g. ''ec_close''';
COMMENT ON COLUMN "ec_close"."is_out_of_area" IS 'from fields.isOutOfArea (no value in the samples)';
COMMENT ON COLUMN "ec_close"."is_sterilized" IS 'from fields.isSterilized, e.g. ''yes''';
COMMENT ON COLUMN "ec_close"."permanently_relocated_date" IS 'from fields.permanentlyRelocatedDate (no value in the samples)';
COMMENT ON COLUMN "ec_close"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "ec_close"."server_version" IS 'from record.serverVersion, e.g. ''1393804800012''';
COMMENT ON COLUMN "ec_close"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "ec_close"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "ec_close"."sterilization_date" IS 'from fields.sterilizationDate (no value in the samples)';
COMMENT ON COLUMN "ec_close"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_close"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "ec_close"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_close"."wife_death_date" IS 'from fields.wifeDeathDate (no value in the samples)';

CREATE TABLE "ec_edit" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "calc_age" text,
    "caste" text,
    "client_version" timestamptz,
    "current_method" text,
    "deviceid" text,
    "ec_number" text,
    "economic_status" text,
    "edit_date" date,
    "eligible_couple_id" text,
    "end" timestamptz,
    "entity_id" text,
    "family_planning_method_change_date" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "head_of_household" text,
    "household_address" text,
    "household_number" text,
    "husband_age" bigint,
    "husband_educational_level" text,
    "husband_name" text,
    "is_high_priority" text,
    "number_of_abortions" bigint,
    "number_of_living_children" bigint,
    "number_of_pregnancies" bigint,
    "number_of_still_births" bigint,
    "parity" bigint,
    "phc" text,
    "phonenumber" text,
    "religion" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "sub_center" text,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "village" text,
    "wife_age" bigint,
    "wife_dob" date,
    "wife_educational_level" text,
    "wife_name" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "ec_edit"."instance_id" IS 'from record.instanceId, e.g. ''8766d291-b986-452a-95b8-3950efdb9119''';
COMMENT ON COLUMN "ec_edit"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "ec_edit"."calc_age" IS 'from fields.calcAge (no value in the samples)';
COMMENT ON COLUMN "ec_edit"."caste" IS 'from fields.caste, e.g. ''caste''';
COMMENT ON COLUMN "ec_edit"."client_version" IS 'from record.clientVersion, e.g. ''1393804710013''';
COMMENT ON COLUMN "ec_edit"."current_method" IS 'from fields.currentMethod, e.g. ''ocp''';
COMMENT ON COLUMN "ec_edit"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "ec_edit"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "ec_edit"."economic_status" IS 'from fields.economicStatus, e.g. ''economic_status''';
COMMENT ON COLUMN "ec_edit"."edit_date" IS 'from fields.editDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_edit"."eligible_couple_id" IS 'from fields.eligible_couple_id, e.g. ''02a03890-9813-482b-a6bd-eb9dfb4638cd''';
COMMENT ON COLUMN "ec_edit"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "ec_edit"."entity_id" IS 'from record.entityId, e.g. ''02a03890-9813-482b-a6bd-eb9dfb4638cd''';
COMMENT ON COLUMN "ec_edit"."family_planning_method_change_date" IS 'from fields.familyPlanningMethodChangeDate (no value in the samples)';
COMMENT ON COLUMN "ec_edit"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "ec_edit"."form_name" IS 'from record.formName, e.g. ''ec_edit''';
COMMENT ON COLUMN "ec_edit"."head_of_household" IS 'from fields.headOfHousehold, e.g. ''head_of_household''';
COMMENT ON COLUMN "ec_edit"."household_address" IS 'from fields.householdAddress, e.g. ''household_address''';
COMMENT ON COLUMN "ec_edit"."household_number" IS 'from fields.householdNumber, e.g. ''1555''';
COMMENT ON COLUMN "ec_edit"."husband_age" IS 'from fields.husbandAge, e.g. ''29''';
COMMENT ON COLUMN "ec_edit"."husband_educational_level" IS 'from fields.husbandEducationalLevel, e.g. ''husband_educational_level''';
COMMENT ON COLUMN "ec_edit"."husband_name" IS 'from fields.husbandName, e.g. ''Ramesh''';
COMMENT ON COLUMN "ec_edit"."is_high_priority" IS 'from fields.isHighPriority (no value in the samples)';
COMMENT ON COLUMN "ec_edit"."number_of_abortions" IS 'from fields.numberOfAbortions, e.g. ''1''';
COMMENT ON COLUMN "ec_edit"."number_of_living_children" IS 'from fields.numberOfLivingChildren, e.g. ''1''';
COMMENT ON COLUMN "ec_edit"."number_of_pregnancies" IS 'from fields.numberOfPregnancies, e.g. ''1''';
COMMENT ON COLUMN "ec_edit"."number_of_still_births" IS 'from fields.numberOfStillBirths, e.g. ''1''';
COMMENT ON COLUMN "ec_edit"."parity" IS 'from fields.parity, e.g. ''1''';
COMMENT ON COLUMN "ec_edit"."phc" IS 'from fields.phc, e.g. ''bherya''';
COMMENT ON COLUMN "ec_edit"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "ec_edit"."religion" IS 'from fields.religion, e.g. ''religion''';
COMMENT ON COLUMN "ec_edit"."server_version" IS 'from record.serverVersion, e.g. ''1393804800013''';
COMMENT ON COLUMN "ec_edit"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "ec_edit"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "ec_edit"."sub_center" IS 'from fields.subCenter, e.g. ''hosa_agrahara''';
COMMENT ON COLUMN "ec_edit"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_edit"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "ec_edit"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_edit"."village" IS 'from fields.village, e.g. ''keelanapura''';
COMMENT ON COLUMN "ec_edit"."wife_age" IS 'from fields.wifeAge, e.g. ''24''';
COMMENT ON COLUMN "ec_edit"."wife_dob" IS 'from fields.wifeDOB, e.g. ''1990-1-7''';
COMMENT ON COLUMN "ec_edit"."wife_educational_level" IS 'from fields.wifeEducationalLevel, e.g. ''wife_educational_level''';
COMMENT ON COLUMN "ec_edit"."wife_name" IS 'from fields.wifeName, e.g. ''Sunita''';

CREATE TABLE "ec_registration" (
    "instance_id" text NOT NULL,
    "aadhar_number" text,
    "age_at_marriage" bigint,
    "anm_id" text,
    "bpl_card_number" text,
    "caste" text,
    "children_under5_immunized" text,
    "client_version" timestamptz,
    "current_method" text,
    "deviceid" text,
    "ec_number" text,
    "economic_status" text,
    "eligible_couple_id" text,
    "end" timestamptz,
    "entity_id" text,
    "family_planning_method_change_date" date,
    "family_type" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "fp_method_quantity" text,
    "has_bpl_card" text,
    "head_of_household" text,
    "high_priority_reason" text,
    "household_address" text,
    "household_number" text,
    "husband_age" bigint,
    "husband_dob" text,
    "husband_educational_level" text,
    "husband_name" text,
    "is_high_priority" text,
    "is_out_of_area" text,
    "lmp_date" text,
    "number_of_abortions" bigint,
    "number_of_children_under5" bigint,
    "number_of_female_children_died" text,
    "number_of_living_children" bigint,
    "number_of_living_female_children" bigint,
    "number_of_living_male_children" bigint,
    "number_of_male_children_died" text,
    "number_of_pregnancies" bigint,
    "number_of_still_births" bigint,
    "parity" bigint,
    "phc" text,
    "phone_number" text,
    "phonenumber" text,
    "registration_date" date,
    "religion" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "sub_center" text,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "upt_result" text,
    "village" text,
    "wife_age" bigint,
    "wife_dob" date,
    "wife_educational_level" text,
    "wife_name" text,
    "years_of_marriage" text,
    "youngest_child_age" text,
    "youngest_child_dob" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "ec_registration"."instance_id" IS 'from record.instanceId, e.g. ''58e42654-80e4-4d8e-aec5-ac502b3d25bf''';
COMMENT ON COLUMN "ec_registration"."aadhar_number" IS 'from fields.aadharNumber (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."age_at_marriage" IS 'from fields.ageAtMarriage, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "ec_registration"."bpl_card_number" IS 'from fields.bplCardNumber (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."caste" IS 'from fields.caste, e.g. ''caste''';
COMMENT ON COLUMN "ec_registration"."children_under5_immunized" IS 'from fields.childrenUnder5Immunized, e.g. ''children_under5_immunized''';
COMMENT ON COLUMN "ec_registration"."client_version" IS 'from record.clientVersion, e.g. ''1393804710014''';
COMMENT ON COLUMN "ec_registration"."current_method" IS 'from fields.currentMethod, e.g. ''ocp''';
COMMENT ON COLUMN "ec_registration"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "ec_registration"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "ec_registration"."economic_status" IS 'from fields.economicStatus, e.g. ''economic_status''';
COMMENT ON COLUMN "ec_registration"."eligible_couple_id" IS 'from fields.eligible_couple_id, e.g. ''b0ee5062-405b-481c-9539-9893a89450cb''';
COMMENT ON COLUMN "ec_registration"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "ec_registration"."entity_id" IS 'from record.entityId, e.g. ''b0ee5062-405b-481c-9539-9893a89450cb''';
COMMENT ON COLUMN "ec_registration"."family_planning_method_change_date" IS 'from fields.familyPlanningMethodChangeDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_registration"."family_type" IS 'from fields.familyType, e.g. ''family_type''';
COMMENT ON COLUMN "ec_registration"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."form_name" IS 'from record.formName, e.g. ''ec_registration''';
COMMENT ON COLUMN "ec_registration"."fp_method_quantity" IS 'from fields.fpMethodQuantity (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."has_bpl_card" IS 'from fields.hasBPLCard, e.g. ''yes''';
COMMENT ON COLUMN "ec_registration"."head_of_household" IS 'from fields.headOfHousehold, e.g. ''head_of_household''';
COMMENT ON COLUMN "ec_registration"."high_priority_reason" IS 'from fields.highPriorityReason (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."household_address" IS 'from fields.householdAddress, e.g. ''household_address''';
COMMENT ON COLUMN "ec_registration"."household_number" IS 'from fields.householdNumber, e.g. ''1555''';
COMMENT ON COLUMN "ec_registration"."husband_age" IS 'from fields.husbandAge, e.g. ''29''';
COMMENT ON COLUMN "ec_registration"."husband_dob" IS 'from fields.husbandDOB (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."husband_educational_level" IS 'from fields.husbandEducationalLevel, e.g. ''husband_educational_level''';
COMMENT ON COLUMN "ec_registration"."husband_name" IS 'from fields.husbandName, e.g. ''Ramesh''';
COMMENT ON COLUMN "ec_registration"."is_high_priority" IS 'from fields.isHighPriority, e.g. ''yes''';
COMMENT ON COLUMN "ec_registration"."is_out_of_area" IS 'from fields.isOutOfArea, e.g. ''yes''';
COMMENT ON COLUMN "ec_registration"."lmp_date" IS 'from fields.lmpDate (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."number_of_abortions" IS 'from fields.numberOfAbortions, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."number_of_children_under5" IS 'from fields.numberOfChildrenUnder5, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."number_of_female_children_died" IS 'from fields.numberOfFemaleChildrenDied (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."number_of_living_children" IS 'from fields.numberOfLivingChildren, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."number_of_living_female_children" IS 'from fields.numberOfLivingFemaleChildren, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."number_of_living_male_children" IS 'from fields.numberOfLivingMaleChildren, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."number_of_male_children_died" IS 'from fields.numberOfMaleChildrenDied (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."number_of_pregnancies" IS 'from fields.numberOfPregnancies, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."number_of_still_births" IS 'from fields.numberOfStillBirths, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."parity" IS 'from fields.parity, e.g. ''1''';
COMMENT ON COLUMN "ec_registration"."phc" IS 'from fields.phc, e.g. ''bherya''';
COMMENT ON COLUMN "ec_registration"."phone_number" IS 'from fields.phoneNumber, e.g. ''1407''';
COMMENT ON COLUMN "ec_registration"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."registration_date" IS 'from fields.registrationDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_registration"."religion" IS 'from fields.religion, e.g. ''religion''';
COMMENT ON COLUMN "ec_registration"."server_version" IS 'from record.serverVersion, e.g. ''1393804800014''';
COMMENT ON COLUMN "ec_registration"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "ec_registration"."sub_center" IS 'from fields.subCenter, e.g. ''hosa_agrahara''';
COMMENT ON COLUMN "ec_registration"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_registration"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ec_registration"."upt_result" IS 'from fields.uptResult (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."village" IS 'from fields.village, e.g. ''keelanapura''';
COMMENT ON COLUMN "ec_registration"."wife_age" IS 'from fields.wifeAge, e.g. ''24''';
COMMENT ON COLUMN "ec_registration"."wife_dob" IS 'from fields.wifeDOB, e.g. ''1989-4-16''';
COMMENT ON COLUMN "ec_registration"."wife_educational_level" IS 'from fields.wifeEducationalLevel, e.g. ''wife_educational_level''';
COMMENT ON COLUMN "ec_registration"."wife_name" IS 'from fields.wifeName, e.g. ''Sunita''';
COMMENT ON COLUMN "ec_registration"."years_of_marriage" IS 'from fields.yearsOfMarriage (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."youngest_child_age" IS 'from fields.youngestChildAge (no value in the samples)';
COMMENT ON COLUMN "ec_registration"."youngest_child_dob" IS 'from fields.youngestChildDOB (no value in the samples)';

CREATE TABLE "fp_change" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "counselling_given" text,
    "current_method" text,
    "deviceid" text,
    "ec_number" text,
    "eligible_couple_id" text,
    "end" timestamptz,
    "entity_id" text,
    "family_planning_method_change_date" date,
    "form_data_definition_version" bigint,
    "form_name" text,
    "fp_quantity" text,
    "iud_person" text,
    "iud_place" text,
    "lmp_date" text,
    "method_changed_by" text,
    "new_method" text,
    "number_of_centchroman_pills_delivered" text,
    "number_of_condoms_supplied" text,
    "number_of_ocp_delivered" text,
    "other_reason_for_change" text,
    "phonenumber" text,
    "reason_for_change" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "sterilization_place" text,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "upt_result" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "fp_change"."instance_id" IS 'from record.instanceId, e.g. ''9e7bc464-523c-49da-b33a-5683acdb8d38''';
COMMENT ON COLUMN "fp_change"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "fp_change"."client_version" IS 'from record.clientVersion, e.g. ''1393804710015''';
COMMENT ON COLUMN "fp_change"."counselling_given" IS 'from fields.counsellingGiven, e.g. ''counselling_given''';
COMMENT ON COLUMN "fp_change"."current_method" IS 'from fields.currentMethod, e.g. ''ocp''';
COMMENT ON COLUMN "fp_change"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "fp_change"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "fp_change"."eligible_couple_id" IS 'from fields.eligible_couple_id, e.g. ''9eb1e382-7922-4ccc-957e-cf6386318323''';
COMMENT ON COLUMN "fp_change"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "fp_change"."entity_id" IS 'from record.entityId, e.g. ''9eb1e382-7922-4ccc-957e-cf6386318323''';
COMMENT ON COLUMN "fp_change"."family_planning_method_change_date" IS 'from fields.familyPlanningMethodChangeDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_change"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "fp_change"."form_name" IS 'from record.formName, e.g. ''fp_change''';
COMMENT ON COLUMN "fp_change"."fp_quantity" IS 'from fields.fpQuantity (no value in the samples)';
COMMENT ON COLUMN "fp_change"."iud_person" IS 'from fields.iudPerson (no value in the samples)';
COMMENT ON COLUMN "fp_change"."iud_place" IS 'from fields.iudPlace (no value in the samples)';
COMMENT ON COLUMN "fp_change"."lmp_date" IS 'from fields.lmpDate (no value in the samples)';
COMMENT ON COLUMN "fp_change"."method_changed_by" IS 'from fields.methodChangedBy, e.g. ''method_changed_by''';
COMMENT ON COLUMN "fp_change"."new_method" IS 'from fields.newMethod, e.g. ''condom''';
COMMENT ON COLUMN "fp_change"."number_of_centchroman_pills_delivered" IS 'from fields.numberOfCentchromanPillsDelivered (no value in the samples)';
COMMENT ON COLUMN "fp_change"."number_of_condoms_supplied" IS 'from fields.numberOfCondomsSupplied (no value in the samples)';
COMMENT ON COLUMN "fp_change"."number_of_ocp_delivered" IS 'from fields.numberOfOCPDelivered (no value in the samples)';
COMMENT ON COLUMN "fp_change"."other_reason_for_change" IS 'from fields.otherReasonForChange (no value in the samples)';
COMMENT ON COLUMN "fp_change"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "fp_change"."reason_for_change" IS 'from fields.reasonForChange, e.g. ''reason_for_change''';
COMMENT ON COLUMN "fp_change"."server_version" IS 'from record.serverVersion, e.g. ''1393804800015''';
COMMENT ON COLUMN "fp_change"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "fp_change"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "fp_change"."sterilization_place" IS 'from fields.sterilizationPlace (no value in the samples)';
COMMENT ON COLUMN "fp_change"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_change"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "fp_change"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_change"."upt_result" IS 'from fields.uptResult (no value in the samples)';

CREATE TABLE "fp_complications" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "complication_date" date,
    "complications" text,
    "current_method" text,
    "days_since_method_start" text,
    "deviceid" text,
    "ec_number" text,
    "eligible_couple_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "is_referred" text,
    "method_followed_after_complication" text,
    "need_follow_up" text,
    "other_complications" text,
    "phonenumber" text,
    "referral_place" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "treatment_given" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "fp_complications"."instance_id" IS 'from record.instanceId, e.g. ''daec367a-cb49-4f40-842d-7e49f19e1a45''';
COMMENT ON COLUMN "fp_complications"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "fp_complications"."client_version" IS 'from record.clientVersion, e.g. ''1393804710016''';
COMMENT ON COLUMN "fp_complications"."complication_date" IS 'from fields.complicationDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_complications"."complications" IS 'from fields.complications, e.g. ''complications''';
COMMENT ON COLUMN "fp_complications"."current_method" IS 'from fields.currentMethod, e.g. ''ocp''';
COMMENT ON COLUMN "fp_complications"."days_since_method_start" IS 'from fields.daysSinceMethodStart (no value in the samples)';
COMMENT ON COLUMN "fp_complications"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "fp_complications"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "fp_complications"."eligible_couple_id" IS 'from fields.eligible_couple_id, e.g. ''b5b8d4e2-b044-407d-bbbe-2f7dc2d7c642''';
COMMENT ON COLUMN "fp_complications"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "fp_complications"."entity_id" IS 'from record.entityId, e.g. ''b5b8d4e2-b044-407d-bbbe-2f7dc2d7c642''';
COMMENT ON COLUMN "fp_complications"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "fp_complications"."form_name" IS 'from record.formName, e.g. ''fp_complications''';
COMMENT ON COLUMN "fp_complications"."is_referred" IS 'from fields.isReferred, e.g. ''yes''';
COMMENT ON COLUMN "fp_complications"."method_followed_after_complication" IS 'from fields.methodFollowedAfterComplication (no value in the samples)';
COMMENT ON COLUMN "fp_complications"."need_follow_up" IS 'from fields.needFollowUp (no value in the samples)';
COMMENT ON COLUMN "fp_complications"."other_complications" IS 'from fields.otherComplications (no value in the samples)';
COMMENT ON COLUMN "fp_complications"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "fp_complications"."referral_place" IS 'from fields.referralPlace (no value in the samples)';
COMMENT ON COLUMN "fp_complications"."server_version" IS 'from record.serverVersion, e.g. ''1393804800016''';
COMMENT ON COLUMN "fp_complications"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "fp_complications"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "fp_complications"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_complications"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "fp_complications"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_complications"."treatment_given" IS 'from fields.treatmentGiven (no value in the samples)';

CREATE TABLE "fp_followup" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "current_method" text,
    "deviceid" text,
    "ec_number" text,
    "eligible_couple_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "fp_followup_date" date,
    "has_side_effects" text,
    "is_referred" text,
    "method_continued" text,
    "needs_followup" text,
    "next_followup_date" text,
    "number_of_condoms_supplied" text,
    "number_of_ocp_delivered" text,
    "phonenumber" text,
    "referral_place" text,
    "server_version" timestamptz,
    "side_effects" text,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "fp_followup"."instance_id" IS 'from record.instanceId, e.g. ''e8811e0e-847e-4eb5-ae42-c2746b978162''';
COMMENT ON COLUMN "fp_followup"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "fp_followup"."client_version" IS 'from record.clientVersion, e.g. ''1393804710017''';
COMMENT ON COLUMN "fp_followup"."current_method" IS 'from fields.currentMethod, e.g. ''ocp''';
COMMENT ON COLUMN "fp_followup"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "fp_followup"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "fp_followup"."eligible_couple_id" IS 'from fields.eligible_couple_id, e.g. ''bf0db37b-5aa8-4e47-b755-8e23188ed3e7''';
COMMENT ON COLUMN "fp_followup"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "fp_followup"."entity_id" IS 'from record.entityId, e.g. ''bf0db37b-5aa8-4e47-b755-8e23188ed3e7''';
COMMENT ON COLUMN "fp_followup"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "fp_followup"."form_name" IS 'from record.formName, e.g. ''fp_followup''';
COMMENT ON COLUMN "fp_followup"."fp_followup_date" IS 'from fields.fpFollowupDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_followup"."has_side_effects" IS 'from fields.hasSideEffects, e.g. ''yes''';
COMMENT ON COLUMN "fp_followup"."is_referred" IS 'from fields.isReferred, e.g. ''yes''';
COMMENT ON COLUMN "fp_followup"."method_continued" IS 'from fields.methodContinued (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."needs_followup" IS 'from fields.needsFollowup (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."next_followup_date" IS 'from fields.nextFollowupDate (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."number_of_condoms_supplied" IS 'from fields.numberOfCondomsSupplied (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."number_of_ocp_delivered" IS 'from fields.numberOfOCPDelivered (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."referral_place" IS 'from fields.referralPlace (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."server_version" IS 'from record.serverVersion, e.g. ''1393804800017''';
COMMENT ON COLUMN "fp_followup"."side_effects" IS 'from fields.sideEffects (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "fp_followup"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_followup"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "fp_followup"."today" IS 'from fields.today, e.g. ''2014-03-03''';

CREATE TABLE "fp_referral_followup" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "deviceid" text,
    "ec_number" text,
    "eligible_couple_id" text,
    "end" timestamptz,
    "entity_id" text,
    "followup_status" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "next_followup_date" text,
    "phonenumber" text,
    "reason_for_failure" text,
    "referral_followup_date" date,
    "referral_place" text,
    "referral_reason" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "treatment_given" text,
    "was_referral_successful" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "fp_referral_followup"."instance_id" IS 'from record.instanceId, e.g. ''06925e26-abd5-48f1-bb86-b13f4a1d8f00''';
COMMENT ON COLUMN "fp_referral_followup"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "fp_referral_followup"."client_version" IS 'from record.clientVersion, e.g. ''1393804710018''';
COMMENT ON COLUMN "fp_referral_followup"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "fp_referral_followup"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "fp_referral_followup"."eligible_couple_id" IS 'from fields.eligible_couple_id, e.g. ''4d647410-11c2-448a-8447-bcad3471313c''';
COMMENT ON COLUMN "fp_referral_followup"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "fp_referral_followup"."entity_id" IS 'from record.entityId, e.g. ''4d647410-11c2-448a-8447-bcad3471313c''';
COMMENT ON COLUMN "fp_referral_followup"."followup_status" IS 'from fields.followupStatus (no value in the samples)';
COMMENT ON COLUMN "fp_referral_followup"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "fp_referral_followup"."form_name" IS 'from record.formName, e.g. ''fp_referral_followup''';
COMMENT ON COLUMN "fp_referral_followup"."next_followup_date" IS 'from fields.nextFollowupDate (no value in the samples)';
COMMENT ON COLUMN "fp_referral_followup"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "fp_referral_followup"."reason_for_failure" IS 'from fields.reasonForFailure (no value in the samples)';
COMMENT ON COLUMN "fp_referral_followup"."referral_followup_date" IS 'from fields.referralFollowupDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_referral_followup"."referral_place" IS 'from fields.referralPlace, e.g. ''referral_place''';
COMMENT ON COLUMN "fp_referral_followup"."referral_reason" IS 'from fields.referralReason, e.g. ''referral_reason''';
COMMENT ON COLUMN "fp_referral_followup"."server_version" IS 'from record.serverVersion, e.g. ''1393804800018''';
COMMENT ON COLUMN "fp_referral_followup"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "fp_referral_followup"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "fp_referral_followup"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_referral_followup"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "fp_referral_followup"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "fp_referral_followup"."treatment_given" IS 'from fields.treatmentGiven (no value in the samples)';
COMMENT ON COLUMN "fp_referral_followup"."was_referral_successful" IS 'from fields.wasReferralSuccessful, e.g. ''yes''';

CREATE TABLE "hb_test" (
    "instance_id" text NOT NULL,
    "anemic_status" text,
    "anm_id" text,
    "client_version" timestamptz,
    "deviceid" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "hb_level" numeric,
    "hb_result" text,
    "hb_test_date" date,
    "hb_test_place" text,
    "ifa_tablets_given" text,
    "is_anemic" text,
    "mother_id" text,
    "phonenumber" text,
    "referred" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "weeks_pregnant" bigint,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "hb_test"."instance_id" IS 'from record.instanceId, e.g. ''3ee4aa09-2e92-4ab4-b353-0756959a3374''';
COMMENT ON COLUMN "hb_test"."anemic_status" IS 'from fields.anemicStatus (no value in the samples)';
COMMENT ON COLUMN "hb_test"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "hb_test"."client_version" IS 'from record.clientVersion, e.g. ''1393804710019''';
COMMENT ON COLUMN "hb_test"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "hb_test"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "hb_test"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "hb_test"."entity_id" IS 'from record.entityId, e.g. ''c89b1d2e-c91c-432a-9562-33b864454c0f''';
COMMENT ON COLUMN "hb_test"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "hb_test"."form_name" IS 'from record.formName, e.g. ''hb_test''';
COMMENT ON COLUMN "hb_test"."hb_level" IS 'from fields.hbLevel, e.g. ''10.2''';
COMMENT ON COLUMN "hb_test"."hb_result" IS 'from fields.hbResult, e.g. ''hb_result''';
COMMENT ON COLUMN "hb_test"."hb_test_date" IS 'from fields.hbTestDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "hb_test"."hb_test_place" IS 'from fields.hbTestPlace, e.g. ''hb_test_place''';
COMMENT ON COLUMN "hb_test"."ifa_tablets_given" IS 'from fields.ifaTabletsGiven (no value in the samples)';
COMMENT ON COLUMN "hb_test"."is_anemic" IS 'from fields.isAnemic, e.g. ''yes''';
COMMENT ON COLUMN "hb_test"."mother_id" IS 'from fields.mother_id, e.g. ''c89b1d2e-c91c-432a-9562-33b864454c0f''';
COMMENT ON COLUMN "hb_test"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "hb_test"."referred" IS 'from fields.referred (no value in the samples)';
COMMENT ON COLUMN "hb_test"."server_version" IS 'from record.serverVersion, e.g. ''1393804800019''';
COMMENT ON COLUMN "hb_test"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "hb_test"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "hb_test"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "hb_test"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "hb_test"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "hb_test"."weeks_pregnant" IS 'from fields.weeksPregnant, e.g. ''1''';

CREATE TABLE "ifa" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "deviceid" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "ifa_advice_given" text,
    "ifa_compliance" text,
    "ifa_tablets_date" text,
    "ifa_tablets_given_by" text,
    "ifa_tablets_place" text,
    "ifa_tablets_remaining" text,
    "mother_id" text,
    "number_of_ifa_tablets_given" bigint,
    "phonenumber" text,
    "server_version" timestamptz,
    "side_effects_reported" text,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "total_ifa_tablets_given" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "ifa"."instance_id" IS 'from record.instanceId, e.g. ''4ee27e5a-1879-4a5c-9128-f3de0685f842''';
COMMENT ON COLUMN "ifa"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "ifa"."client_version" IS 'from record.clientVersion, e.g. ''1393804710020''';
COMMENT ON COLUMN "ifa"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "ifa"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "ifa"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "ifa"."entity_id" IS 'from record.entityId, e.g. ''9358180a-8cce-41b7-a655-a6659037e887''';
COMMENT ON COLUMN "ifa"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "ifa"."form_name" IS 'from record.formName, e.g. ''ifa''';
COMMENT ON COLUMN "ifa"."ifa_advice_given" IS 'from fields.ifaAdviceGiven, e.g. ''ifa_advice_given''';
COMMENT ON COLUMN "ifa"."ifa_compliance" IS 'from fields.ifaCompliance (no value in the samples)';
COMMENT ON COLUMN "ifa"."ifa_tablets_date" IS 'from fields.ifaTabletsDate (no value in the samples)';
COMMENT ON COLUMN "ifa"."ifa_tablets_given_by" IS 'from fields.ifaTabletsGivenBy, e.g. ''ifa_tablets_given_by''';
COMMENT ON COLUMN "ifa"."ifa_tablets_place" IS 'from fields.ifaTabletsPlace (no value in the samples)';
COMMENT ON COLUMN "ifa"."ifa_tablets_remaining" IS 'from fields.ifaTabletsRemaining (no value in the samples)';
COMMENT ON COLUMN "ifa"."mother_id" IS 'from fields.mother_id, e.g. ''9358180a-8cce-41b7-a655-a6659037e887''';
COMMENT ON COLUMN "ifa"."number_of_ifa_tablets_given" IS 'from fields.numberOfIFATabletsGiven, e.g. ''30''';
COMMENT ON COLUMN "ifa"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "ifa"."server_version" IS 'from record.serverVersion, e.g. ''1393804800020''';
COMMENT ON COLUMN "ifa"."side_effects_reported" IS 'from fields.sideEffectsReported (no value in the samples)';
COMMENT ON COLUMN "ifa"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "ifa"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "ifa"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ifa"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "ifa"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "ifa"."total_ifa_tablets_given" IS 'from fields.totalIFATabletsGiven (no value in the samples)';

CREATE TABLE "pnc_close" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "close_reason" text,
    "closed_by" text,
    "death_cause" text,
    "death_date" text,
    "death_place" text,
    "deviceid" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "is_permanently_relocated" text,
    "mother_id" text,
    "phonenumber" text,
    "pnc_close_date" date,
    "reason_for_closure_other" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "pnc_close"."instance_id" IS 'from record.instanceId, e.g. ''6d89f644-a173-4042-9d29-3f41a98f872f''';
COMMENT ON COLUMN "pnc_close"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "pnc_close"."client_version" IS 'from record.clientVersion, e.g. ''1393804710021''';
COMMENT ON COLUMN "pnc_close"."close_reason" IS 'from fields.closeReason, e.g. ''moved_away''';
COMMENT ON COLUMN "pnc_close"."closed_by" IS 'from fields.closedBy, e.g. ''closed_by''';
COMMENT ON COLUMN "pnc_close"."death_cause" IS 'from fields.deathCause (no value in the samples)';
COMMENT ON COLUMN "pnc_close"."death_date" IS 'from fields.deathDate (no value in the samples)';
COMMENT ON COLUMN "pnc_close"."death_place" IS 'from fields.deathPlace (no value in the samples)';
COMMENT ON COLUMN "pnc_close"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "pnc_close"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "pnc_close"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "pnc_close"."entity_id" IS 'from record.entityId, e.g. ''f3402894-c3a2-4ceb-aa7f-6cebc1bc6206''';
COMMENT ON COLUMN "pnc_close"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "pnc_close"."form_name" IS 'from record.formName, e.g. ''pnc_close''';
COMMENT ON COLUMN "pnc_close"."is_permanently_relocated" IS 'from fields.isPermanentlyRelocated (no value in the samples)';
COMMENT ON COLUMN "pnc_close"."mother_id" IS 'from fields.mother_id, e.g. ''f3402894-c3a2-4ceb-aa7f-6cebc1bc6206''';
COMMENT ON COLUMN "pnc_close"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "pnc_close"."pnc_close_date" IS 'from fields.pncCloseDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_close"."reason_for_closure_other" IS 'from fields.reasonForClosureOther (no value in the samples)';
COMMENT ON COLUMN "pnc_close"."server_version" IS 'from record.serverVersion, e.g. ''1393804800021''';
COMMENT ON COLUMN "pnc_close"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "pnc_close"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "pnc_close"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_close"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "pnc_close"."today" IS 'from fields.today, e.g. ''2014-03-03''';

CREATE TABLE "pnc_registration_oa" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "caste" text,
    "client_version" timestamptz,
    "days_after_delivery" text,
    "delivery_complications" text,
    "delivery_date" date,
    "delivery_outcome" text,
    "delivery_place" text,
    "delivery_registration_date" text,
    "delivery_type" text,
    "deviceid" text,
    "did_woman_survive" text,
    "ec_number" text,
    "economic_status" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "household_address" text,
    "husband_name" text,
    "is_high_risk" text,
    "mother_id" text,
    "number_of_live_births" bigint,
    "number_of_living_children" text,
    "phc" text,
    "phonenumber" text,
    "reference_date" date,
    "registration_date" date,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "sub_center" text,
    "submission_date" date,
    "subscriberid" text,
    "thayi_card_number" text,
    "today" date,
    "village" text,
    "wife_age" bigint,
    "wife_name" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "pnc_registration_oa"."instance_id" IS 'from record.instanceId, e.g. ''43fb9f1a-6994-4fd7-a228-9b03c20f1ee1''';
COMMENT ON COLUMN "pnc_registration_oa"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "pnc_registration_oa"."caste" IS 'from fields.caste (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."client_version" IS 'from record.clientVersion, e.g. ''1393804710022''';
COMMENT ON COLUMN "pnc_registration_oa"."days_after_delivery" IS 'from fields.daysAfterDelivery (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."delivery_complications" IS 'from fields.deliveryComplications (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."delivery_date" IS 'from fields.deliveryDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_registration_oa"."delivery_outcome" IS 'from fields.deliveryOutcome, e.g. ''live_birth''';
COMMENT ON COLUMN "pnc_registration_oa"."delivery_place" IS 'from fields.deliveryPlace, e.g. ''phc''';
COMMENT ON COLUMN "pnc_registration_oa"."delivery_registration_date" IS 'from fields.deliveryRegistrationDate (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."delivery_type" IS 'from fields.deliveryType, e.g. ''normal''';
COMMENT ON COLUMN "pnc_registration_oa"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "pnc_registration_oa"."did_woman_survive" IS 'from fields.didWomanSurvive, e.g. ''yes''';
COMMENT ON COLUMN "pnc_registration_oa"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "pnc_registration_oa"."economic_status" IS 'from fields.economicStatus (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "pnc_registration_oa"."entity_id" IS 'from record.entityId, e.g. ''7a3a8144-3775-4a13-b76b-4baca58094cf''';
COMMENT ON COLUMN "pnc_registration_oa"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "pnc_registration_oa"."form_name" IS 'from record.formName, e.g. ''pnc_registration_oa''';
COMMENT ON COLUMN "pnc_registration_oa"."household_address" IS 'from fields.householdAddress (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."husband_name" IS 'from fields.husbandName, e.g. ''Ramesh''';
COMMENT ON COLUMN "pnc_registration_oa"."is_high_risk" IS 'from fields.isHighRisk (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."mother_id" IS 'from fields.mother_id, e.g. ''7a3a8144-3775-4a13-b76b-4baca58094cf''';
COMMENT ON COLUMN "pnc_registration_oa"."number_of_live_births" IS 'from fields.numberOfLiveBirths, e.g. ''1''';
COMMENT ON COLUMN "pnc_registration_oa"."number_of_living_children" IS 'from fields.numberOfLivingChildren (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."phc" IS 'from fields.phc, e.g. ''bherya''';
COMMENT ON COLUMN "pnc_registration_oa"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."reference_date" IS 'from fields.referenceDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_registration_oa"."registration_date" IS 'from fields.registrationDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_registration_oa"."server_version" IS 'from record.serverVersion, e.g. ''1393804800022''';
COMMENT ON COLUMN "pnc_registration_oa"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "pnc_registration_oa"."sub_center" IS 'from fields.subCenter, e.g. ''hosa_agrahara''';
COMMENT ON COLUMN "pnc_registration_oa"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_registration_oa"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "pnc_registration_oa"."thayi_card_number" IS 'from fields.thayiCardNumber, e.g. ''1555''';
COMMENT ON COLUMN "pnc_registration_oa"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_registration_oa"."village" IS 'from fields.village, e.g. ''keelanapura''';
COMMENT ON COLUMN "pnc_registration_oa"."wife_age" IS 'from fields.wifeAge, e.g. ''24''';
COMMENT ON COLUMN "pnc_registration_oa"."wife_name" IS 'from fields.wifeName, e.g. ''Sunita''';

CREATE TABLE "pnc_registration_oa_child_registration_oa" (
    "parent_instance_id" text NOT NULL,
    "child_id" text NOT NULL,
    "bf_post_birth" text,
    "child_name" text,
    "date_of_birth" date,
    "gender" text,
    "immunizations_given" text,
    "is_child_high_risk" text,
    "sub_form_name" text,
    "weight" numeric,
    PRIMARY KEY ("parent_instance_id", "child_id")
);
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."parent_instance_id" IS 'the parent record''s key';
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."child_id" IS 'from fields.child_id, e.g. ''e4680aeb-8faa-4313-a218-d42b315c9dcc''';
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."bf_post_birth" IS 'from fields.bfPostBirth, e.g. ''bf_post_birth''';
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."child_name" IS 'from fields.childName, e.g. ''Lakshmi''';
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."date_of_birth" IS 'from fields.dateOfBirth, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."gender" IS 'from fields.gender, e.g. ''female''';
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."immunizations_given" IS 'from fields.immunizationsGiven, e.g. ''bcg opv_0''';
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."is_child_high_risk" IS 'from fields.isChildHighRisk, e.g. ''yes''';
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."sub_form_name" IS 'from item._parent.name, e.g. ''child_registration_oa''';
COMMENT ON COLUMN "pnc_registration_oa_child_registration_oa"."weight" IS 'from fields.weight, e.g. ''2.9''';

CREATE TABLE "pnc_visit" (
    "instance_id" text NOT NULL,
    "abdominal_problems" text,
    "anm_id" text,
    "bp_diastolic" text,
    "bp_systolic" text,
    "breast_problems" text,
    "client_version" timestamptz,
    "counselling_given" text,
    "days_after_delivery" text,
    "deviceid" text,
    "difficulties1" text,
    "difficulties2" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "has_fever" text,
    "hb_level" text,
    "ifa_tablets_given" text,
    "is_referred" text,
    "mother_id" text,
    "phonenumber" text,
    "pnc_visit_date" date,
    "pnc_visit_day" bigint,
    "pnc_visit_person" text,
    "pnc_visit_place" text,
    "pnc_visit_status" text,
    "pulse_rate" text,
    "referral_reason" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "submitter_id" text,
    "subscriberid" text,
    "temperature" text,
    "today" date,
    "urine_stool_problems" text,
    "vaginal_problems" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "pnc_visit"."instance_id" IS 'from record.instanceId, e.g. ''afe0bad2-8204-4fa2-9940-28cfe9e15027''';
COMMENT ON COLUMN "pnc_visit"."abdominal_problems" IS 'from fields.abdominalProblems (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "pnc_visit"."bp_diastolic" IS 'from fields.bpDiastolic (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."bp_systolic" IS 'from fields.bpSystolic (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."breast_problems" IS 'from fields.breastProblems (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."client_version" IS 'from record.clientVersion, e.g. ''1393804710023''';
COMMENT ON COLUMN "pnc_visit"."counselling_given" IS 'from fields.counsellingGiven, e.g. ''counselling_given''';
COMMENT ON COLUMN "pnc_visit"."days_after_delivery" IS 'from fields.daysAfterDelivery (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "pnc_visit"."difficulties1" IS 'from fields.difficulties1 (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."difficulties2" IS 'from fields.difficulties2 (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "pnc_visit"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "pnc_visit"."entity_id" IS 'from record.entityId, e.g. ''ff5e804f-a5e8-420e-a293-8449681931ce''';
COMMENT ON COLUMN "pnc_visit"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "pnc_visit"."form_name" IS 'from record.formName, e.g. ''pnc_visit''';
COMMENT ON COLUMN "pnc_visit"."has_fever" IS 'from fields.hasFever (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."hb_level" IS 'from fields.hbLevel (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."ifa_tablets_given" IS 'from fields.ifaTabletsGiven (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."is_referred" IS 'from fields.isReferred, e.g. ''yes''';
COMMENT ON COLUMN "pnc_visit"."mother_id" IS 'from fields.mother_id, e.g. ''ff5e804f-a5e8-420e-a293-8449681931ce''';
COMMENT ON COLUMN "pnc_visit"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."pnc_visit_date" IS 'from fields.pncVisitDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_visit"."pnc_visit_day" IS 'from fields.pncVisitDay, e.g. ''3''';
COMMENT ON COLUMN "pnc_visit"."pnc_visit_person" IS 'from fields.pncVisitPerson, e.g. ''pnc_visit_person''';
COMMENT ON COLUMN "pnc_visit"."pnc_visit_place" IS 'from fields.pncVisitPlace, e.g. ''pnc_visit_place''';
COMMENT ON COLUMN "pnc_visit"."pnc_visit_status" IS 'from fields.pncVisitStatus, e.g. ''pnc_visit_status''';
COMMENT ON COLUMN "pnc_visit"."pulse_rate" IS 'from fields.pulseRate (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."referral_reason" IS 'from fields.referralReason (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."server_version" IS 'from record.serverVersion, e.g. ''1393804800023''';
COMMENT ON COLUMN "pnc_visit"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "pnc_visit"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_visit"."submitter_id" IS 'from fields.submitterId (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."temperature" IS 'from fields.temperature (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_visit"."urine_stool_problems" IS 'from fields.urineStoolProblems (no value in the samples)';
COMMENT ON COLUMN "pnc_visit"."vaginal_problems" IS 'from fields.vaginalProblems (no value in the samples)';

CREATE TABLE "pnc_visit_child_pnc_visit" (
    "parent_instance_id" text NOT NULL,
    "child_id" text NOT NULL,
    "activity_problems" text,
    "breastfeeding_problems" text,
    "breathing_problems" text,
    "child_referral" text,
    "child_signs" text,
    "child_signs_other" text,
    "cord_problems" text,
    "eye_problems" text,
    "immunizations_given" text,
    "is_child_high_risk" text,
    "jaundice" text,
    "pnc_visit_date" date,
    "referral_reason" text,
    "skin_problems" text,
    "sub_form_name" text,
    "temperature" numeric,
    "urine_stool_problems" text,
    "weight" numeric,
    PRIMARY KEY ("parent_instance_id", "child_id")
);
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."parent_instance_id" IS 'the parent record''s key';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."child_id" IS 'from fields.child_id, e.g. ''a7594f8b-b7d3-4d16-a269-b4aa36e59b19''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."activity_problems" IS 'from fields.activityProblems, e.g. ''activity_problems''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."breastfeeding_problems" IS 'from fields.breastfeedingProblems, e.g. ''breastfeeding_problems''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."breathing_problems" IS 'from fields.breathingProblems, e.g. ''breathing_problems''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."child_referral" IS 'from fields.childReferral, e.g. ''child_referral''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."child_signs" IS 'from fields.childSigns, e.g. ''child_signs''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."child_signs_other" IS 'from fields.childSignsOther, e.g. ''child_signs_other''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."cord_problems" IS 'from fields.cordProblems, e.g. ''cord_problems''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."eye_problems" IS 'from fields.eyeProblems, e.g. ''eye_problems''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."immunizations_given" IS 'from fields.immunizationsGiven, e.g. ''bcg opv_0''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."is_child_high_risk" IS 'from fields.isChildHighRisk, e.g. ''yes''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."jaundice" IS 'from fields.jaundice, e.g. ''jaundice''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."pnc_visit_date" IS 'from fields.pncVisitDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."referral_reason" IS 'from fields.referralReason, e.g. ''referral_reason''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."skin_problems" IS 'from fields.skinProblems, e.g. ''skin_problems''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."sub_form_name" IS 'from item._parent.name, e.g. ''child_pnc_visit''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."temperature" IS 'from fields.temperature, e.g. ''98.6''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."urine_stool_problems" IS 'from fields.urineStoolProblems, e.g. ''urine_stool_problems''';
COMMENT ON COLUMN "pnc_visit_child_pnc_visit"."weight" IS 'from fields.weight, e.g. ''2.9''';

CREATE TABLE "postpartum_family_planning" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "counselling_given" text,
    "current_method" text,
    "days_after_delivery" bigint,
    "deviceid" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "family_planning_method_change_date" date,
    "form_data_definition_version" bigint,
    "form_name" text,
    "iud_place" text,
    "mother_id" text,
    "number_of_condoms_supplied" text,
    "number_of_ocp_delivered" text,
    "phonenumber" text,
    "ppfp_counselling_by" text,
    "ppfp_method_chosen" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "sterilization_place" text,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "postpartum_family_planning"."instance_id" IS 'from record.instanceId, e.g. ''8b5fd6e9-30c4-44a6-bb32-cd23407a2741''';
COMMENT ON COLUMN "postpartum_family_planning"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "postpartum_family_planning"."client_version" IS 'from record.clientVersion, e.g. ''1393804710024''';
COMMENT ON COLUMN "postpartum_family_planning"."counselling_given" IS 'from fields.counsellingGiven, e.g. ''counselling_given''';
COMMENT ON COLUMN "postpartum_family_planning"."current_method" IS 'from fields.currentMethod, e.g. ''ocp''';
COMMENT ON COLUMN "postpartum_family_planning"."days_after_delivery" IS 'from fields.daysAfterDelivery, e.g. ''1''';
COMMENT ON COLUMN "postpartum_family_planning"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "postpartum_family_planning"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "postpartum_family_planning"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "postpartum_family_planning"."entity_id" IS 'from record.entityId, e.g. ''0a3dd34c-cbe4-47f8-8cd8-241cc7e71e20''';
COMMENT ON COLUMN "postpartum_family_planning"."family_planning_method_change_date" IS 'from fields.familyPlanningMethodChangeDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "postpartum_family_planning"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "postpartum_family_planning"."form_name" IS 'from record.formName, e.g. ''postpartum_family_planning''';
COMMENT ON COLUMN "postpartum_family_planning"."iud_place" IS 'from fields.iudPlace (no value in the samples)';
COMMENT ON COLUMN "postpartum_family_planning"."mother_id" IS 'from fields.mother_id, e.g. ''0a3dd34c-cbe4-47f8-8cd8-241cc7e71e20''';
COMMENT ON COLUMN "postpartum_family_planning"."number_of_condoms_supplied" IS 'from fields.numberOfCondomsSupplied (no value in the samples)';
COMMENT ON COLUMN "postpartum_family_planning"."number_of_ocp_delivered" IS 'from fields.numberOfOCPDelivered (no value in the samples)';
COMMENT ON COLUMN "postpartum_family_planning"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "postpartum_family_planning"."ppfp_counselling_by" IS 'from fields.ppfpCounsellingBy, e.g. ''ppfp_counselling_by''';
COMMENT ON COLUMN "postpartum_family_planning"."ppfp_method_chosen" IS 'from fields.ppfpMethodChosen (no value in the samples)';
COMMENT ON COLUMN "postpartum_family_planning"."server_version" IS 'from record.serverVersion, e.g. ''1393804800024''';
COMMENT ON COLUMN "postpartum_family_planning"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "postpartum_family_planning"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "postpartum_family_planning"."sterilization_place" IS 'from fields.sterilizationPlace (no value in the samples)';
COMMENT ON COLUMN "postpartum_family_planning"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "postpartum_family_planning"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "postpartum_family_planning"."today" IS 'from fields.today, e.g. ''2014-03-03''';

CREATE TABLE "record_ecps" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "counselling_given" text,
    "deviceid" text,
    "ec_number" text,
    "ecp_date" date,
    "ecp_given_by" text,
    "ecp_place" text,
    "ecp_taken_within72_hours" text,
    "eligible_couple_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "is_pregnancy_test_done" text,
    "number_of_ec_ps_given" bigint,
    "phonenumber" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "upt_result" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "record_ecps"."instance_id" IS 'from record.instanceId, e.g. ''1f948112-8b3c-4549-80d7-c398011cc621''';
COMMENT ON COLUMN "record_ecps"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "record_ecps"."client_version" IS 'from record.clientVersion, e.g. ''1393804710025''';
COMMENT ON COLUMN "record_ecps"."counselling_given" IS 'from fields.counsellingGiven, e.g. ''counselling_given''';
COMMENT ON COLUMN "record_ecps"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "record_ecps"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "record_ecps"."ecp_date" IS 'from fields.ecpDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "record_ecps"."ecp_given_by" IS 'from fields.ecpGivenBy, e.g. ''ecp_given_by''';
COMMENT ON COLUMN "record_ecps"."ecp_place" IS 'from fields.ecpPlace, e.g. ''ecp_place''';
COMMENT ON COLUMN "record_ecps"."ecp_taken_within72_hours" IS 'from fields.ecpTakenWithin72Hours, e.g. ''ecp_taken_within72_hours''';
COMMENT ON COLUMN "record_ecps"."eligible_couple_id" IS 'from fields.eligible_couple_id, e.g. ''587bc159-04dc-4984-b777-282db02bfdb8''';
COMMENT ON COLUMN "record_ecps"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "record_ecps"."entity_id" IS 'from record.entityId, e.g. ''587bc159-04dc-4984-b777-282db02bfdb8''';
COMMENT ON COLUMN "record_ecps"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "record_ecps"."form_name" IS 'from record.formName, e.g. ''record_ecps''';
COMMENT ON COLUMN "record_ecps"."is_pregnancy_test_done" IS 'from fields.isPregnancyTestDone (no value in the samples)';
COMMENT ON COLUMN "record_ecps"."number_of_ec_ps_given" IS 'from fields.numberOfECPsGiven, e.g. ''1''';
COMMENT ON COLUMN "record_ecps"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "record_ecps"."server_version" IS 'from record.serverVersion, e.g. ''1393804800025''';
COMMENT ON COLUMN "record_ecps"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "record_ecps"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "record_ecps"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "record_ecps"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "record_ecps"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "record_ecps"."upt_result" IS 'from fields.uptResult (no value in the samples)';

CREATE TABLE "renew_fp_product" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "condom_refill_date" text,
    "current_method" text,
    "deviceid" text,
    "ec_number" text,
    "eligible_couple_id" text,
    "end" timestamptz,
    "entity_id" text,
    "family_planning_method_change_date" date,
    "form_data_definition_version" bigint,
    "form_name" text,
    "number_of_centchroman_pills_delivered" text,
    "number_of_condoms_supplied" text,
    "number_of_ocp_delivered" text,
    "ocp_refill_date" text,
    "phonenumber" text,
    "product_given_by" text,
    "product_place" text,
    "product_renewal_date" date,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "renew_fp_product"."instance_id" IS 'from record.instanceId, e.g. ''60e3af74-2863-46cc-801b-243f1d7307a4''';
COMMENT ON COLUMN "renew_fp_product"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "renew_fp_product"."client_version" IS 'from record.clientVersion, e.g. ''1393804710026''';
COMMENT ON COLUMN "renew_fp_product"."condom_refill_date" IS 'from fields.condomRefillDate (no value in the samples)';
COMMENT ON COLUMN "renew_fp_product"."current_method" IS 'from fields.currentMethod, e.g. ''ocp''';
COMMENT ON COLUMN "renew_fp_product"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "renew_fp_product"."ec_number" IS 'from fields.ecNumber, e.g. ''1296''';
COMMENT ON COLUMN "renew_fp_product"."eligible_couple_id" IS 'from fields.eligible_couple_id, e.g. ''3e8a28c5-2438-41f6-b366-cc6929692877''';
COMMENT ON COLUMN "renew_fp_product"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "renew_fp_product"."entity_id" IS 'from record.entityId, e.g. ''3e8a28c5-2438-41f6-b366-cc6929692877''';
COMMENT ON COLUMN "renew_fp_product"."family_planning_method_change_date" IS 'from fields.familyPlanningMethodChangeDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "renew_fp_product"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "renew_fp_product"."form_name" IS 'from record.formName, e.g. ''renew_fp_product''';
COMMENT ON COLUMN "renew_fp_product"."number_of_centchroman_pills_delivered" IS 'from fields.numberOfCentchromanPillsDelivered (no value in the samples)';
COMMENT ON COLUMN "renew_fp_product"."number_of_condoms_supplied" IS 'from fields.numberOfCondomsSupplied (no value in the samples)';
COMMENT ON COLUMN "renew_fp_product"."number_of_ocp_delivered" IS 'from fields.numberOfOCPDelivered (no value in the samples)';
COMMENT ON COLUMN "renew_fp_product"."ocp_refill_date" IS 'from fields.ocpRefillDate (no value in the samples)';
COMMENT ON COLUMN "renew_fp_product"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "renew_fp_product"."product_given_by" IS 'from fields.productGivenBy, e.g. ''product_given_by''';
COMMENT ON COLUMN "renew_fp_product"."product_place" IS 'from fields.productPlace, e.g. ''product_place''';
COMMENT ON COLUMN "renew_fp_product"."product_renewal_date" IS 'from fields.productRenewalDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "renew_fp_product"."server_version" IS 'from record.serverVersion, e.g. ''1393804800026''';
COMMENT ON COLUMN "renew_fp_product"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "renew_fp_product"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "renew_fp_product"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "renew_fp_product"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "renew_fp_product"."today" IS 'from fields.today, e.g. ''2014-03-03''';

CREATE TABLE "tt" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "client_version" timestamptz,
    "deviceid" text,
    "ec_id" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "mother_id" text,
    "next_tt_date" text,
    "phonenumber" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "tt_date" date,
    "tt_dose" text,
    "tt_given_by" text,
    "tt_injection_place" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "tt"."instance_id" IS 'from record.instanceId, e.g. ''f6331484-87ce-459e-8893-ea73cf488320''';
COMMENT ON COLUMN "tt"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "tt"."client_version" IS 'from record.clientVersion, e.g. ''1393804710027''';
COMMENT ON COLUMN "tt"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "tt"."ec_id" IS 'from fields.ecId, e.g. ''24b1c465-ecd1-49c7-8069-1e8c85f426f9''';
COMMENT ON COLUMN "tt"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "tt"."entity_id" IS 'from record.entityId, e.g. ''4045a417-6077-40b7-bf9c-22c29132d0cb''';
COMMENT ON COLUMN "tt"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "tt"."form_name" IS 'from record.formName, e.g. ''tt''';
COMMENT ON COLUMN "tt"."mother_id" IS 'from fields.mother_id, e.g. ''4045a417-6077-40b7-bf9c-22c29132d0cb''';
COMMENT ON COLUMN "tt"."next_tt_date" IS 'from fields.nextTTDate (no value in the samples)';
COMMENT ON COLUMN "tt"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "tt"."server_version" IS 'from record.serverVersion, e.g. ''1393804800027''';
COMMENT ON COLUMN "tt"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "tt"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "tt"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "tt"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "tt"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "tt"."tt_date" IS 'from fields.ttDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "tt"."tt_dose" IS 'from fields.ttDose, e.g. ''tt1''';
COMMENT ON COLUMN "tt"."tt_given_by" IS 'from fields.ttGivenBy (no value in the samples)';
COMMENT ON COLUMN "tt"."tt_injection_place" IS 'from fields.ttInjectionPlace, e.g. ''sub_center''';

CREATE TABLE "vitamin_a" (
    "instance_id" text NOT NULL,
    "anm_id" text,
    "child_id" text,
    "client_version" timestamptz,
    "date_of_birth" text,
    "deviceid" text,
    "end" timestamptz,
    "entity_id" text,
    "form_data_definition_version" bigint,
    "form_name" text,
    "mother_id" text,
    "next_vitamin_a_date" text,
    "phonenumber" text,
    "server_version" timestamptz,
    "simserial" text,
    "start" timestamptz,
    "submission_date" date,
    "subscriberid" text,
    "today" date,
    "vitamin_a_date" date,
    "vitamin_a_dose" bigint,
    "vitamin_a_given_by" text,
    "vitamin_a_place" text,
    PRIMARY KEY ("instance_id")
);
COMMENT ON COLUMN "vitamin_a"."instance_id" IS 'from record.instanceId, e.g. ''e0a4a92e-6501-4aee-8c2b-e1bd529555b6''';
COMMENT ON COLUMN "vitamin_a"."anm_id" IS 'from record.anmId, e.g. ''demo1''';
COMMENT ON COLUMN "vitamin_a"."child_id" IS 'from fields.child_id, e.g. ''5cdfcf63-791e-4434-aa0a-7532c96a3c54''';
COMMENT ON COLUMN "vitamin_a"."client_version" IS 'from record.clientVersion, e.g. ''1393804710031''';
COMMENT ON COLUMN "vitamin_a"."date_of_birth" IS 'from fields.dateOfBirth (no value in the samples)';
COMMENT ON COLUMN "vitamin_a"."deviceid" IS 'from fields.deviceid, e.g. ''358240051111110''';
COMMENT ON COLUMN "vitamin_a"."end" IS 'from fields.end, e.g. ''2014-03-03T10:20:02.000+05:30''';
COMMENT ON COLUMN "vitamin_a"."entity_id" IS 'from record.entityId, e.g. ''5cdfcf63-791e-4434-aa0a-7532c96a3c54''';
COMMENT ON COLUMN "vitamin_a"."form_data_definition_version" IS 'from record.formDataDefinitionVersion, e.g. ''1''';
COMMENT ON COLUMN "vitamin_a"."form_name" IS 'from record.formName, e.g. ''vitamin_a''';
COMMENT ON COLUMN "vitamin_a"."mother_id" IS 'from fields.motherId, e.g. ''ff70f638-3a0c-4697-9911-bee862d16353''';
COMMENT ON COLUMN "vitamin_a"."next_vitamin_a_date" IS 'from fields.nextVitaminADate (no value in the samples)';
COMMENT ON COLUMN "vitamin_a"."phonenumber" IS 'from fields.phonenumber (no value in the samples)';
COMMENT ON COLUMN "vitamin_a"."server_version" IS 'from record.serverVersion, e.g. ''1393804800031''';
COMMENT ON COLUMN "vitamin_a"."simserial" IS 'from fields.simserial (no value in the samples)';
COMMENT ON COLUMN "vitamin_a"."start" IS 'from fields.start, e.g. ''2014-03-03T10:12:31.000+05:30''';
COMMENT ON COLUMN "vitamin_a"."submission_date" IS 'from fields.submissionDate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "vitamin_a"."subscriberid" IS 'from fields.subscriberid (no value in the samples)';
COMMENT ON COLUMN "vitamin_a"."today" IS 'from fields.today, e.g. ''2014-03-03''';
COMMENT ON COLUMN "vitamin_a"."vitamin_a_date" IS 'from fields.vitaminADate, e.g. ''2014-03-03''';
COMMENT ON COLUMN "vitamin_a"."vitamin_a_dose" IS 'from fields.vitaminADose, e.g. ''1''';
COMMENT ON COLUMN "vitamin_a"."vitamin_a_given_by" IS 'from fields.vitaminAGivenBy (no value in the samples)';
COMMENT ON COLUMN "vitamin_a"."vitamin_a_place" IS 'from fields.vitaminAPlace, e.g. ''vitamin_a_place''';
