-- Written by decant infer from sample records (docs/infer.md): review it,
-- then apply it with decant migrate (the plan's migrations: directory) or decant db up.

CREATE TABLE "anc_close" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'd0954f46-8ea5-4470-ae0e-ad6e59533ccf'
    "abortion_place" text, -- from fields.abortionPlace (no value in the samples)
    "anc_close_date" date, -- from fields.ancCloseDate, e.g. '2014-03-03'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710000'
    "close_reason" text, -- from fields.closeReason, e.g. 'moved_away'
    "closed_by" text, -- from fields.closedBy, e.g. 'closed_by'
    "death_certificate_submitted" text, -- from fields.deathCertificateSubmitted (no value in the samples)
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'e89ea13a-e19f-494d-bb30-f1b0efeabe33'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'anc_close'
    "induced_abortion_date" text, -- from fields.inducedAbortionDate (no value in the samples)
    "is_maternal_death" text, -- from fields.isMaternalDeath, e.g. 'yes'
    "maternal_death_cause" text, -- from fields.maternalDeathCause (no value in the samples)
    "maternal_death_date" text, -- from fields.maternalDeathDate (no value in the samples)
    "maternal_death_place" text, -- from fields.maternalDeathPlace (no value in the samples)
    "mother_id" text, -- from fields.mother_id, e.g. 'e89ea13a-e19f-494d-bb30-f1b0efeabe33'
    "number_of_abortions" integer, -- from fields.numberOfAbortions, e.g. '1'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "reason_for_closure_other" text, -- from fields.reasonForClosureOther (no value in the samples)
    "reference_date" date, -- from fields.referenceDate, e.g. '2014-03-03'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800000'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "spontaneous_abortion_date" text, -- from fields.spontaneousAbortionDate (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "anc_investigations" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'f2bb052b-e657-406f-8ccc-deccd7cae338'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "blood_group" text, -- from fields.bloodGroup, e.g. 'o_positive'
    "blood_sugar" text, -- from fields.bloodSugar (no value in the samples)
    "bp_diastolic" integer, -- from fields.bpDiastolic, e.g. '70'
    "bp_systolic" integer, -- from fields.bpSystolic, e.g. '110'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710001'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '6b27da56-2f90-4049-95e6-ef7766e4b946'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'anc_investigations'
    "hb_level" decimal text, -- from fields.hbLevel, e.g. '9.8'
    "hbsag_result" text, -- from fields.hbsagResult (no value in the samples)
    "hiv_result" text, -- from fields.hivResult (no value in the samples)
    "investigations_done_by" text, -- from fields.investigationsDoneBy, e.g. 'investigations_done_by'
    "investigations_place" text, -- from fields.investigationsPlace (no value in the samples)
    "mother_id" text, -- from fields.mother_id, e.g. '6b27da56-2f90-4049-95e6-ef7766e4b946'
    "next_test_date" text, -- from fields.nextTestDate (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "rh_factor" text, -- from fields.rhFactor (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800001'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "test_date" date, -- from fields.testDate, e.g. '2014-03-03'
    "tests_taken" text, -- from fields.testsTaken, e.g. 'tests_taken'
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "urine_albumin" text, -- from fields.urineAlbumin, e.g. 'absent'
    "urine_sugar" text, -- from fields.urineSugar, e.g. 'absent'
    "vdrl_result" text, -- from fields.vdrlResult (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "anc_registration" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '2610f96a-9a56-460e-ae6e-157384af364a'
    "anc_number" text, -- from fields.ancNumber, e.g. '1333'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "blood_group" text, -- from fields.bloodGroup, e.g. 'o_positive'
    "caste" text, -- from fields.caste, e.g. 'caste'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710002'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "economic_status" text, -- from fields.economicStatus, e.g. 'economic_status'
    "edd" date, -- from fields.edd, e.g. 'Wed, 31 Dec 2014 00:00:00 GMT'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'de6df20f-a7ac-4fd3-aac7-f2142843f69e'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'anc_registration'
    "gravida" integer, -- from fields.gravida, e.g. '1'
    "height" decimal text, -- from fields.height, e.g. '152.5'
    "high_risk_reason" text, -- from fields.highRiskReason (no value in the samples)
    "household_number" text, -- from fields.householdNumber, e.g. '1555'
    "husband_name" text, -- from fields.husbandName, e.g. 'Ramesh'
    "is_consult_doctor" text, -- from fields.isConsultDoctor (no value in the samples)
    "is_high_risk" text, -- from fields.isHighRisk, e.g. 'yes'
    "jsy_beneficiary" text, -- from fields.jsyBeneficiary, e.g. 'jsy_beneficiary'
    "lmp" date, -- from fields.lmp, e.g. '2014-03-03'
    "mother_id" text, -- from fields.mother_id, e.g. 'de6df20f-a7ac-4fd3-aac7-f2142843f69e'
    "number_of_abortions" text, -- from fields.numberOfAbortions (no value in the samples)
    "number_of_living_children" integer, -- from fields.numberOfLivingChildren, e.g. '1'
    "number_of_pregnancies" integer, -- from fields.numberOfPregnancies, e.g. '1'
    "number_of_still_births" text, -- from fields.numberOfStillBirths (no value in the samples)
    "parity" integer, -- from fields.parity, e.g. '1'
    "phc" text, -- from fields.phc, e.g. 'bherya'
    "phone_number" text, -- from fields.phoneNumber, e.g. '1407'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "reference_date" date, -- from fields.referenceDate, e.g. '2014-03-03'
    "registration_date" date, -- from fields.registrationDate, e.g. '2014-03-03'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800002'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "sub_center" text, -- from fields.subCenter, e.g. 'hosa_agrahara'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "thayi_card_number" text, -- from fields.thayiCardNumber, e.g. '1555'
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "village" text, -- from fields.village, e.g. 'keelanapura'
    "weeks_pregnant" integer, -- from fields.weeksPregnant, e.g. '1'
    "weight" integer, -- from fields.weight, e.g. '52'
    "wife_dob" date, -- from fields.wifeDOB, e.g. '1989-4-16'
    "wife_name" text, -- from fields.wifeName, e.g. 'Sunita'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "anc_registration_oa" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'd1702c5d-a398-4f56-bffb-1a1d97203616'
    "anc_number" text, -- from fields.ancNumber, e.g. '1333'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "calc_edd" text, -- from fields.calcEdd (no value in the samples)
    "caste" text, -- from fields.caste (no value in the samples)
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710003'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "economic_status" text, -- from fields.economicStatus (no value in the samples)
    "edd" date, -- from fields.edd, e.g. 'Wed, 31 Dec 2014 00:00:00 GMT'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '81bb75eb-df8c-41d1-8ce2-08f373c1b225'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'anc_registration_oa'
    "gravida" text, -- from fields.gravida (no value in the samples)
    "high_risk_reason" text, -- from fields.highRiskReason (no value in the samples)
    "household_address" text, -- from fields.householdAddress (no value in the samples)
    "husband_name" text, -- from fields.husbandName, e.g. 'Ramesh'
    "is_high_risk" text, -- from fields.isHighRisk (no value in the samples)
    "lmp" date, -- from fields.lmp, e.g. '2014-03-03'
    "mother_id" text, -- from fields.mother_id, e.g. '81bb75eb-df8c-41d1-8ce2-08f373c1b225'
    "number_of_abortions" text, -- from fields.numberOfAbortions (no value in the samples)
    "number_of_living_children" text, -- from fields.numberOfLivingChildren (no value in the samples)
    "parity" text, -- from fields.parity (no value in the samples)
    "phc" text, -- from fields.phc, e.g. 'bherya'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "reference_date" date, -- from fields.referenceDate, e.g. '2014-03-03'
    "registration_date" date, -- from fields.registrationDate, e.g. '2014-03-03'
    "religion" text, -- from fields.religion (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800003'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "sub_center" text, -- from fields.subCenter, e.g. 'hosa_agrahara'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "thayi_card_number" text, -- from fields.thayiCardNumber, e.g. '1555'
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "village" text, -- from fields.village, e.g. 'keelanapura'
    "weeks_pregnant" integer, -- from fields.weeksPregnant, e.g. '1'
    "wife_age" integer, -- from fields.wifeAge, e.g. '24'
    "wife_name" text, -- from fields.wifeName, e.g. 'Sunita'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "anc_visit" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'f2d0fa46-d1f0-4bff-bfb9-9bbd32bbc1a7'
    "anc_visit_date" date, -- from fields.ancVisitDate, e.g. '2014-03-03'
    "anc_visit_number" integer, -- from fields.ancVisitNumber, e.g. '2'
    "anc_visit_person" text, -- from fields.ancVisitPerson, e.g. 'anc_visit_person'
    "anc_visit_place" text, -- from fields.ancVisitPlace, e.g. 'anc_visit_place'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "blood_sugar_tested" text, -- from fields.bloodSugarTested, e.g. 'blood_sugar_tested'
    "bp_diastolic" integer, -- from fields.bpDiastolic, e.g. '70'
    "bp_systolic" integer, -- from fields.bpSystolic, e.g. '110'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710004'
    "counselling_given" text, -- from fields.counsellingGiven (no value in the samples)
    "danger_signs" text, -- from fields.dangerSigns, e.g. 'danger_signs'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "edema" text, -- from fields.edema (no value in the samples)
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'c0f0a974-b4b5-4a0a-91aa-9efc8ead4900'
    "fetal_heart_rate" text, -- from fields.fetalHeartRate (no value in the samples)
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'anc_visit'
    "fundal_height" text, -- from fields.fundalHeight (no value in the samples)
    "hb_level" text, -- from fields.hbLevel (no value in the samples)
    "ifa_tablets_given" integer, -- from fields.ifaTabletsGiven, e.g. '1'
    "mother_id" text, -- from fields.mother_id, e.g. 'c0f0a974-b4b5-4a0a-91aa-9efc8ead4900'
    "next_visit_date" text, -- from fields.nextVisitDate (no value in the samples)
    "pallor" text, -- from fields.pallor (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "pih" text, -- from fields.pih, e.g. 'yes'
    "pulse_rate" text, -- from fields.pulseRate (no value in the samples)
    "referral_reason" text, -- from fields.referralReason (no value in the samples)
    "referred_out" text, -- from fields.referredOut, e.g. 'referred_out'
    "risk_observed_during_anc" text, -- from fields.riskObservedDuringANC (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800004'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "tt_doses_given" text, -- from fields.ttDosesGiven (no value in the samples)
    "visit_place" text, -- from fields.visitPlace (no value in the samples)
    "weeks_pregnant" integer, -- from fields.weeksPregnant, e.g. '1'
    "weight" decimal text, -- from fields.weight, e.g. '55.0'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "child_close" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '2bf97971-b7d4-49e2-b764-5a5f07d391d1'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "child_close_date" text, -- from fields.childCloseDate (no value in the samples)
    "child_id" text, -- from fields.child_id, e.g. '01b147d5-c187-46de-bf73-566ae9686b26'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710005'
    "close_reason" text, -- from fields.closeReason, e.g. 'moved_away'
    "closed_by" text, -- from fields.closedBy, e.g. 'closed_by'
    "death_cause" text, -- from fields.deathCause (no value in the samples)
    "death_date" text, -- from fields.deathDate (no value in the samples)
    "death_place" text, -- from fields.deathPlace (no value in the samples)
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '01b147d5-c187-46de-bf73-566ae9686b26'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'child_close'
    "is_immediate_referral" text, -- from fields.isImmediateReferral (no value in the samples)
    "mother_id" text, -- from fields.motherId, e.g. 'ff70f638-3a0c-4697-9911-bee862d16353'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800005'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "wrong_entry_reason" text, -- from fields.wrongEntryReason (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "child_illness" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '59c405c2-9907-405a-bb67-809714f4a72b'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "child_id" text, -- from fields.child_id, e.g. 'dc7c6ec8-2afa-43e0-95e8-f947294581fd'
    "child_signs" text, -- from fields.childSigns, e.g. 'child_signs'
    "child_signs_other" text, -- from fields.childSignsOther (no value in the samples)
    "child_treatment" text, -- from fields.childTreatment, e.g. 'child_treatment'
    "child_treatment_place" text, -- from fields.childTreatmentPlace, e.g. 'child_treatment_place'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710006'
    "date_of_birth" date, -- from fields.dateOfBirth, e.g. '2014-03-03'
    "days_of_illness" integer, -- from fields.daysOfIllness, e.g. '1'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'dc7c6ec8-2afa-43e0-95e8-f947294581fd'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'child_illness'
    "is_child_referred" text, -- from fields.isChildReferred, e.g. 'yes'
    "mother_id" text, -- from fields.motherId, e.g. 'ff70f638-3a0c-4697-9911-bee862d16353'
    "number_of_diarrhoea_episodes" text, -- from fields.numberOfDiarrhoeaEpisodes (no value in the samples)
    "number_of_ors_given" text, -- from fields.numberOfORSGiven (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "referral_reason" text, -- from fields.referralReason (no value in the samples)
    "report_child_disease" text, -- from fields.reportChildDisease, e.g. 'report_child_disease'
    "report_child_disease_date" date, -- from fields.reportChildDiseaseDate, e.g. '2014-03-03'
    "report_child_disease_other" text, -- from fields.reportChildDiseaseOther (no value in the samples)
    "report_child_disease_place" text, -- from fields.reportChildDiseasePlace, e.g. 'report_child_disease_place'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800006'
    "sick_visit_date" date, -- from fields.sickVisitDate, e.g. '2014-03-03'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "submitter" text, -- from fields.submitter (no value in the samples)
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "child_immunizations" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '467e1949-ae98-496a-a20c-5a45793e1a8e'
    "aefi_seen" text, -- from fields.aefiSeen (no value in the samples)
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "bcg_date" text, -- from fields.bcgDate (no value in the samples)
    "child_id" text, -- from fields.child_id, e.g. '9fc4e634-cfe9-4893-8c7b-d00dedb76ee9'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710007'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '9fc4e634-cfe9-4893-8c7b-d00dedb76ee9'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'child_immunizations'
    "hepb0_date" text, -- from fields.hepb0Date (no value in the samples)
    "immunization_date" date, -- from fields.immunizationDate, e.g. '2014-03-03'
    "immunization_place" text, -- from fields.immunizationPlace, e.g. 'immunization_place'
    "immunizations_given" text, -- from fields.immunizationsGiven, e.g. 'bcg opv_0'
    "measles_date" text, -- from fields.measlesDate (no value in the samples)
    "mother_id" text, -- from fields.motherId, e.g. 'ff70f638-3a0c-4697-9911-bee862d16353'
    "opv0_date" text, -- from fields.opv0Date (no value in the samples)
    "opv1_date" text, -- from fields.opv1Date (no value in the samples)
    "opv2_date" text, -- from fields.opv2Date (no value in the samples)
    "opv3_date" text, -- from fields.opv3Date (no value in the samples)
    "pentavalent1_date" text, -- from fields.pentavalent1Date (no value in the samples)
    "pentavalent2_date" text, -- from fields.pentavalent2Date (no value in the samples)
    "pentavalent3_date" text, -- from fields.pentavalent3Date (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "previous_immunizations" text, -- from fields.previousImmunizations, e.g. 'bcg'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800007'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "vitamin_a_dose" text, -- from fields.vitaminADose (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "child_registration_ec" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '6ed6df9a-800f-4fd5-ae45-e799ebc89bed'
    "age_in_months" integer, -- from fields.ageInMonths, e.g. '1'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "bcg_date" date, -- from fields.bcgDate, e.g. '2014-03-03'
    "birth_order" integer, -- from fields.birthOrder, e.g. '1'
    "birth_weight" decimal text, -- from fields.birthWeight, e.g. '2.8'
    "child_blood_group" text, -- from fields.childBloodGroup (no value in the samples)
    "child_id" text, -- from fields.child_id, e.g. '1bf9109b-d215-4754-bf4a-706768cb1fe3'
    "child_name" text, -- from fields.childName, e.g. 'Lakshmi'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710008'
    "date_of_birth" date, -- from fields.dateOfBirth, e.g. '2013-9-5'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '1bf9109b-d215-4754-bf4a-706768cb1fe3'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'child_registration_ec'
    "gender" text, -- from fields.gender, e.g. 'female'
    "immunizations_given" text, -- from fields.immunizationsGiven, e.g. 'bcg opv_0'
    "is_child_high_risk" text, -- from fields.isChildHighRisk (no value in the samples)
    "mother_age" text, -- from fields.motherAge (no value in the samples)
    "mother_id" text, -- from fields.motherId, e.g. 'ff70f638-3a0c-4697-9911-bee862d16353'
    "opv0_date" text, -- from fields.opv0Date (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "place_of_birth" text, -- from fields.placeOfBirth, e.g. 'place_of_birth'
    "registration_date" date, -- from fields.registrationDate, e.g. '2014-03-03'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800008'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "thayi_card_number" text, -- from fields.thayiCardNumber, e.g. '1555'
    "today" date, -- from fields.today, e.g. '2014-03-03'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "child_registration_oa" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '753dee7c-369f-4f57-b397-39525b7d1112'
    "age_in_months" integer, -- from fields.ageInMonths, e.g. '1'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "birth_order" text, -- from fields.birthOrder (no value in the samples)
    "birth_weight" text, -- from fields.birthWeight (no value in the samples)
    "caste" text, -- from fields.caste, e.g. 'caste'
    "child_id" text, -- from fields.child_id, e.g. '1878a94f-2d25-4c6e-91bc-b069438b27d4'
    "child_name" text, -- from fields.childName, e.g. 'Lakshmi'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710009'
    "date_of_birth" date, -- from fields.dateOfBirth, e.g. '2014-03-03'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "economic_status" text, -- from fields.economicStatus, e.g. 'economic_status'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '1878a94f-2d25-4c6e-91bc-b069438b27d4'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'child_registration_oa'
    "gender" text, -- from fields.gender, e.g. 'female'
    "household_address" text, -- from fields.householdAddress, e.g. 'household_address'
    "husband_name" text, -- from fields.husbandName, e.g. 'Ramesh'
    "immunizations_given" text, -- from fields.immunizationsGiven, e.g. 'bcg opv_0'
    "is_child_high_risk" text, -- from fields.isChildHighRisk (no value in the samples)
    "phc" text, -- from fields.phc, e.g. 'bherya'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "registration_date" date, -- from fields.registrationDate, e.g. '2014-03-03'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800009'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "sub_center" text, -- from fields.subCenter, e.g. 'hosa_agrahara'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "thayi_card_number" text, -- from fields.thayiCardNumber, e.g. '1555'
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "village" text, -- from fields.village, e.g. 'keelanapura'
    "wife_age" integer, -- from fields.wifeAge, e.g. '24'
    "wife_name" text, -- from fields.wifeName, e.g. 'Sunita'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "delivery_outcome" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'e32524b9-7412-4bb3-8842-d59fefb6e16d'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "attended_by" text, -- from fields.attendedBy, e.g. 'attended_by'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710010'
    "delivery_complications" text, -- from fields.deliveryComplications (no value in the samples)
    "delivery_facility_name" text, -- from fields.deliveryFacilityName (no value in the samples)
    "delivery_outcome" text, -- from fields.deliveryOutcome, e.g. 'live_birth'
    "delivery_person" text, -- from fields.deliveryPerson, e.g. 'delivery_person'
    "delivery_place" text, -- from fields.deliveryPlace, e.g. 'phc'
    "delivery_registration_date" date, -- from fields.deliveryRegistrationDate, e.g. '2014-03-03'
    "delivery_type" text, -- from fields.deliveryType, e.g. 'normal'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "did_mother_survive" text, -- from fields.didMotherSurvive, e.g. 'yes'
    "did_woman_survive" text, -- from fields.didWomanSurvive, e.g. 'yes'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '2e0d5ad0-919b-41c1-b756-c606ff601158'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'delivery_outcome'
    "hours_in_facility" text, -- from fields.hoursInFacility (no value in the samples)
    "is_child_high_risk" text, -- from fields.isChildHighRisk (no value in the samples)
    "is_referred" text, -- from fields.isReferred, e.g. 'yes'
    "is_skilled_delivery" text, -- from fields.isSkilledDelivery, e.g. 'yes'
    "mother_death_cause" text, -- from fields.motherDeathCause (no value in the samples)
    "mother_death_date" text, -- from fields.motherDeathDate (no value in the samples)
    "mother_id" text, -- from fields.mother_id, e.g. '2e0d5ad0-919b-41c1-b756-c606ff601158'
    "number_of_children" integer, -- from fields.numberOfChildren, e.g. '1'
    "number_of_live_births" integer, -- from fields.numberOfLiveBirths, e.g. '1'
    "number_of_still_births" text, -- from fields.numberOfStillBirths (no value in the samples)
    "other_delivery_facility_name" text, -- from fields.otherDeliveryFacilityName (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "reference_date" date, -- from fields.referenceDate, e.g. '2014-03-05'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800010'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "delivery_outcome_child_registration" (
    "parent_instance_id" text NOT NULL, -- the parent record's key
    "child_id" text NOT NULL, -- from fields.child_id, e.g. 'cf01b215-13d5-4130-aa5a-e22bd38c8d97'
    "bcg_date" date, -- from fields.bcgDate, e.g. '2014-03-03'
    "bf_post_birth" text, -- from fields.bfPostBirth, e.g. 'bf_post_birth'
    "child_condition" text, -- from fields.childCondition, e.g. 'child_condition'
    "child_name" text, -- from fields.childName, e.g. 'Lakshmi'
    "date_of_birth" date, -- from fields.dateOfBirth, e.g. '2014-03-03'
    "delivery_place" text, -- from fields.deliveryPlace, e.g. 'phc'
    "gender" text, -- from fields.gender, e.g. 'female'
    "hepb0_date" date, -- from fields.hepb0Date, e.g. '2014-03-03'
    "immunizations_given" text, -- from fields.immunizationsGiven, e.g. 'bcg opv_0'
    "is_child_high_risk" text, -- from fields.isChildHighRisk, e.g. 'yes'
    "opv0_date" date, -- from fields.opv0Date, e.g. '2014-03-03'
    "sub_form_name" text, -- from item._parent.name, e.g. 'child_registration'
    "weight" decimal text, -- from fields.weight, e.g. '2.9'
    PRIMARY KEY ("parent_instance_id", "child_id")
);

CREATE TABLE "delivery_plan" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'd86420fa-e671-4b6b-b705-bf82bb64b80d'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "asha_phone_number" text, -- from fields.ashaPhoneNumber (no value in the samples)
    "birth_companion" text, -- from fields.birthCompanion, e.g. 'birth_companion'
    "blood_donor_identified" text, -- from fields.bloodDonorIdentified, e.g. 'blood_donor_identified'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710011'
    "delivery_facility_name" text, -- from fields.deliveryFacilityName, e.g. 'delivery_facility_name'
    "delivery_place" date, -- from fields.deliveryPlace, e.g. 'sub_center'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "emergency_contact_name" text, -- from fields.emergencyContactName, e.g. 'emergency_contact_name'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '782e178b-5107-435a-8c9f-74478bc95f8e'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'delivery_plan'
    "is_jsy_beneficiary" text, -- from fields.isJSYBeneficiary (no value in the samples)
    "mother_id" text, -- from fields.mother_id, e.g. '782e178b-5107-435a-8c9f-74478bc95f8e'
    "phone_number" text, -- from fields.phoneNumber (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "plan_date" date, -- from fields.planDate, e.g. '2014-03-03'
    "reviewed_hrp_status" text, -- from fields.reviewedHRPStatus (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800011'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "transportation_plan" text, -- from fields.transportationPlan, e.g. 'transportation_plan'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "ec_close" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '10543675-75f4-4944-a2cf-16b7fdba7c90'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710012'
    "close_reason" text, -- from fields.closeReason, e.g. 'moved_away'
    "closed_by" text, -- from fields.closedBy, e.g. 'closed_by'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_close_date" date, -- from fields.ecCloseDate, e.g. '2014-03-03'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "eligible_couple_id" text, -- from fields.eligible_couple_id, e.g. '9599277e-db71-4adf-a237-3bcb1cd4ced8'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '9599277e-db71-4adf-a237-3bcb1cd4ced8'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'ec_close'
    "is_out_of_area" text, -- from fields.isOutOfArea (no value in the samples)
    "is_sterilized" text, -- from fields.isSterilized, e.g. 'yes'
    "permanently_relocated_date" text, -- from fields.permanentlyRelocatedDate (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800012'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "sterilization_date" text, -- from fields.sterilizationDate (no value in the samples)
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "wife_death_date" text, -- from fields.wifeDeathDate (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "ec_edit" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '8766d291-b986-452a-95b8-3950efdb9119'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "calc_age" text, -- from fields.calcAge (no value in the samples)
    "caste" text, -- from fields.caste, e.g. 'caste'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710013'
    "current_method" text, -- from fields.currentMethod, e.g. 'ocp'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "economic_status" text, -- from fields.economicStatus, e.g. 'economic_status'
    "edit_date" date, -- from fields.editDate, e.g. '2014-03-03'
    "eligible_couple_id" text, -- from fields.eligible_couple_id, e.g. '02a03890-9813-482b-a6bd-eb9dfb4638cd'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '02a03890-9813-482b-a6bd-eb9dfb4638cd'
    "family_planning_method_change_date" text, -- from fields.familyPlanningMethodChangeDate (no value in the samples)
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'ec_edit'
    "head_of_household" text, -- from fields.headOfHousehold, e.g. 'head_of_household'
    "household_address" text, -- from fields.householdAddress, e.g. 'household_address'
    "household_number" text, -- from fields.householdNumber, e.g. '1555'
    "husband_age" integer, -- from fields.husbandAge, e.g. '29'
    "husband_educational_level" text, -- from fields.husbandEducationalLevel, e.g. 'husband_educational_level'
    "husband_name" text, -- from fields.husbandName, e.g. 'Ramesh'
    "is_high_priority" text, -- from fields.isHighPriority (no value in the samples)
    "number_of_abortions" integer, -- from fields.numberOfAbortions, e.g. '1'
    "number_of_living_children" integer, -- from fields.numberOfLivingChildren, e.g. '1'
    "number_of_pregnancies" integer, -- from fields.numberOfPregnancies, e.g. '1'
    "number_of_still_births" integer, -- from fields.numberOfStillBirths, e.g. '1'
    "parity" integer, -- from fields.parity, e.g. '1'
    "phc" text, -- from fields.phc, e.g. 'bherya'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "religion" text, -- from fields.religion, e.g. 'religion'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800013'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "sub_center" text, -- from fields.subCenter, e.g. 'hosa_agrahara'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "village" text, -- from fields.village, e.g. 'keelanapura'
    "wife_age" integer, -- from fields.wifeAge, e.g. '24'
    "wife_dob" date, -- from fields.wifeDOB, e.g. '1990-1-7'
    "wife_educational_level" text, -- from fields.wifeEducationalLevel, e.g. 'wife_educational_level'
    "wife_name" text, -- from fields.wifeName, e.g. 'Sunita'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "ec_registration" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '58e42654-80e4-4d8e-aec5-ac502b3d25bf'
    "aadhar_number" text, -- from fields.aadharNumber (no value in the samples)
    "age_at_marriage" integer, -- from fields.ageAtMarriage, e.g. '1'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "bpl_card_number" text, -- from fields.bplCardNumber (no value in the samples)
    "caste" text, -- from fields.caste, e.g. 'caste'
    "children_under5_immunized" text, -- from fields.childrenUnder5Immunized, e.g. 'children_under5_immunized'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710014'
    "current_method" text, -- from fields.currentMethod, e.g. 'ocp'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "economic_status" text, -- from fields.economicStatus, e.g. 'economic_status'
    "eligible_couple_id" text, -- from fields.eligible_couple_id, e.g. 'b0ee5062-405b-481c-9539-9893a89450cb'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'b0ee5062-405b-481c-9539-9893a89450cb'
    "family_planning_method_change_date" date, -- from fields.familyPlanningMethodChangeDate, e.g. '2014-03-03'
    "family_type" text, -- from fields.familyType, e.g. 'family_type'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'ec_registration'
    "fp_method_quantity" text, -- from fields.fpMethodQuantity (no value in the samples)
    "has_bpl_card" text, -- from fields.hasBPLCard, e.g. 'yes'
    "head_of_household" text, -- from fields.headOfHousehold, e.g. 'head_of_household'
    "high_priority_reason" text, -- from fields.highPriorityReason (no value in the samples)
    "household_address" text, -- from fields.householdAddress, e.g. 'household_address'
    "household_number" text, -- from fields.householdNumber, e.g. '1555'
    "husband_age" integer, -- from fields.husbandAge, e.g. '29'
    "husband_dob" text, -- from fields.husbandDOB (no value in the samples)
    "husband_educational_level" text, -- from fields.husbandEducationalLevel, e.g. 'husband_educational_level'
    "husband_name" text, -- from fields.husbandName, e.g. 'Ramesh'
    "is_high_priority" text, -- from fields.isHighPriority, e.g. 'yes'
    "is_out_of_area" text, -- from fields.isOutOfArea, e.g. 'yes'
    "lmp_date" text, -- from fields.lmpDate (no value in the samples)
    "number_of_abortions" integer, -- from fields.numberOfAbortions, e.g. '1'
    "number_of_children_under5" integer, -- from fields.numberOfChildrenUnder5, e.g. '1'
    "number_of_female_children_died" text, -- from fields.numberOfFemaleChildrenDied (no value in the samples)
    "number_of_living_children" integer, -- from fields.numberOfLivingChildren, e.g. '1'
    "number_of_living_female_children" integer, -- from fields.numberOfLivingFemaleChildren, e.g. '1'
    "number_of_living_male_children" integer, -- from fields.numberOfLivingMaleChildren, e.g. '1'
    "number_of_male_children_died" text, -- from fields.numberOfMaleChildrenDied (no value in the samples)
    "number_of_pregnancies" integer, -- from fields.numberOfPregnancies, e.g. '1'
    "number_of_still_births" integer, -- from fields.numberOfStillBirths, e.g. '1'
    "parity" integer, -- from fields.parity, e.g. '1'
    "phc" text, -- from fields.phc, e.g. 'bherya'
    "phone_number" text, -- from fields.phoneNumber, e.g. '1407'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "registration_date" date, -- from fields.registrationDate, e.g. '2014-03-03'
    "religion" text, -- from fields.religion, e.g. 'religion'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800014'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "sub_center" text, -- from fields.subCenter, e.g. 'hosa_agrahara'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "upt_result" text, -- from fields.uptResult (no value in the samples)
    "village" text, -- from fields.village, e.g. 'keelanapura'
    "wife_age" integer, -- from fields.wifeAge, e.g. '24'
    "wife_dob" date, -- from fields.wifeDOB, e.g. '1989-4-16'
    "wife_educational_level" text, -- from fields.wifeEducationalLevel, e.g. 'wife_educational_level'
    "wife_name" text, -- from fields.wifeName, e.g. 'Sunita'
    "years_of_marriage" text, -- from fields.yearsOfMarriage (no value in the samples)
    "youngest_child_age" text, -- from fields.youngestChildAge (no value in the samples)
    "youngest_child_dob" text, -- from fields.youngestChildDOB (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "fp_change" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '9e7bc464-523c-49da-b33a-5683acdb8d38'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710015'
    "counselling_given" text, -- from fields.counsellingGiven, e.g. 'counselling_given'
    "current_method" text, -- from fields.currentMethod, e.g. 'ocp'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "eligible_couple_id" text, -- from fields.eligible_couple_id, e.g. '9eb1e382-7922-4ccc-957e-cf6386318323'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '9eb1e382-7922-4ccc-957e-cf6386318323'
    "family_planning_method_change_date" date, -- from fields.familyPlanningMethodChangeDate, e.g. '2014-03-03'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'fp_change'
    "fp_quantity" text, -- from fields.fpQuantity (no value in the samples)
    "iud_person" text, -- from fields.iudPerson (no value in the samples)
    "iud_place" text, -- from fields.iudPlace (no value in the samples)
    "lmp_date" text, -- from fields.lmpDate (no value in the samples)
    "method_changed_by" text, -- from fields.methodChangedBy, e.g. 'method_changed_by'
    "new_method" text, -- from fields.newMethod, e.g. 'condom'
    "number_of_centchroman_pills_delivered" text, -- from fields.numberOfCentchromanPillsDelivered (no value in the samples)
    "number_of_condoms_supplied" text, -- from fields.numberOfCondomsSupplied (no value in the samples)
    "number_of_ocp_delivered" text, -- from fields.numberOfOCPDelivered (no value in the samples)
    "other_reason_for_change" text, -- from fields.otherReasonForChange (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "reason_for_change" text, -- from fields.reasonForChange, e.g. 'reason_for_change'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800015'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "sterilization_place" text, -- from fields.sterilizationPlace (no value in the samples)
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "upt_result" text, -- from fields.uptResult (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "fp_complications" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'daec367a-cb49-4f40-842d-7e49f19e1a45'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710016'
    "complication_date" date, -- from fields.complicationDate, e.g. '2014-03-03'
    "complications" text, -- from fields.complications, e.g. 'complications'
    "current_method" text, -- from fields.currentMethod, e.g. 'ocp'
    "days_since_method_start" text, -- from fields.daysSinceMethodStart (no value in the samples)
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "eligible_couple_id" text, -- from fields.eligible_couple_id, e.g. 'b5b8d4e2-b044-407d-bbbe-2f7dc2d7c642'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'b5b8d4e2-b044-407d-bbbe-2f7dc2d7c642'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'fp_complications'
    "is_referred" text, -- from fields.isReferred, e.g. 'yes'
    "method_followed_after_complication" text, -- from fields.methodFollowedAfterComplication (no value in the samples)
    "need_follow_up" text, -- from fields.needFollowUp (no value in the samples)
    "other_complications" text, -- from fields.otherComplications (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "referral_place" text, -- from fields.referralPlace (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800016'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "treatment_given" text, -- from fields.treatmentGiven (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "fp_followup" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'e8811e0e-847e-4eb5-ae42-c2746b978162'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710017'
    "current_method" text, -- from fields.currentMethod, e.g. 'ocp'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "eligible_couple_id" text, -- from fields.eligible_couple_id, e.g. 'bf0db37b-5aa8-4e47-b755-8e23188ed3e7'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'bf0db37b-5aa8-4e47-b755-8e23188ed3e7'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'fp_followup'
    "fp_followup_date" date, -- from fields.fpFollowupDate, e.g. '2014-03-03'
    "has_side_effects" text, -- from fields.hasSideEffects, e.g. 'yes'
    "is_referred" text, -- from fields.isReferred, e.g. 'yes'
    "method_continued" text, -- from fields.methodContinued (no value in the samples)
    "needs_followup" text, -- from fields.needsFollowup (no value in the samples)
    "next_followup_date" text, -- from fields.nextFollowupDate (no value in the samples)
    "number_of_condoms_supplied" text, -- from fields.numberOfCondomsSupplied (no value in the samples)
    "number_of_ocp_delivered" text, -- from fields.numberOfOCPDelivered (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "referral_place" text, -- from fields.referralPlace (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800017'
    "side_effects" text, -- from fields.sideEffects (no value in the samples)
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "fp_referral_followup" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '06925e26-abd5-48f1-bb86-b13f4a1d8f00'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710018'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "eligible_couple_id" text, -- from fields.eligible_couple_id, e.g. '4d647410-11c2-448a-8447-bcad3471313c'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '4d647410-11c2-448a-8447-bcad3471313c'
    "followup_status" text, -- from fields.followupStatus (no value in the samples)
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'fp_referral_followup'
    "next_followup_date" text, -- from fields.nextFollowupDate (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "reason_for_failure" text, -- from fields.reasonForFailure (no value in the samples)
    "referral_followup_date" date, -- from fields.referralFollowupDate, e.g. '2014-03-03'
    "referral_place" text, -- from fields.referralPlace, e.g. 'referral_place'
    "referral_reason" text, -- from fields.referralReason, e.g. 'referral_reason'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800018'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "treatment_given" text, -- from fields.treatmentGiven (no value in the samples)
    "was_referral_successful" text, -- from fields.wasReferralSuccessful, e.g. 'yes'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "hb_test" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '3ee4aa09-2e92-4ab4-b353-0756959a3374'
    "anemic_status" text, -- from fields.anemicStatus (no value in the samples)
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710019'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'c89b1d2e-c91c-432a-9562-33b864454c0f'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'hb_test'
    "hb_level" decimal text, -- from fields.hbLevel, e.g. '10.2'
    "hb_result" text, -- from fields.hbResult, e.g. 'hb_result'
    "hb_test_date" date, -- from fields.hbTestDate, e.g. '2014-03-03'
    "hb_test_place" text, -- from fields.hbTestPlace, e.g. 'hb_test_place'
    "ifa_tablets_given" text, -- from fields.ifaTabletsGiven (no value in the samples)
    "is_anemic" text, -- from fields.isAnemic, e.g. 'yes'
    "mother_id" text, -- from fields.mother_id, e.g. 'c89b1d2e-c91c-432a-9562-33b864454c0f'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "referred" text, -- from fields.referred (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800019'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "weeks_pregnant" integer, -- from fields.weeksPregnant, e.g. '1'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "ifa" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '4ee27e5a-1879-4a5c-9128-f3de0685f842'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710020'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '9358180a-8cce-41b7-a655-a6659037e887'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'ifa'
    "ifa_advice_given" text, -- from fields.ifaAdviceGiven, e.g. 'ifa_advice_given'
    "ifa_compliance" text, -- from fields.ifaCompliance (no value in the samples)
    "ifa_tablets_date" text, -- from fields.ifaTabletsDate (no value in the samples)
    "ifa_tablets_given_by" text, -- from fields.ifaTabletsGivenBy, e.g. 'ifa_tablets_given_by'
    "ifa_tablets_place" text, -- from fields.ifaTabletsPlace (no value in the samples)
    "ifa_tablets_remaining" text, -- from fields.ifaTabletsRemaining (no value in the samples)
    "mother_id" text, -- from fields.mother_id, e.g. '9358180a-8cce-41b7-a655-a6659037e887'
    "number_of_ifa_tablets_given" integer, -- from fields.numberOfIFATabletsGiven, e.g. '30'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800020'
    "side_effects_reported" text, -- from fields.sideEffectsReported (no value in the samples)
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "total_ifa_tablets_given" text, -- from fields.totalIFATabletsGiven (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "pnc_close" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '6d89f644-a173-4042-9d29-3f41a98f872f'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710021'
    "close_reason" text, -- from fields.closeReason, e.g. 'moved_away'
    "closed_by" text, -- from fields.closedBy, e.g. 'closed_by'
    "death_cause" text, -- from fields.deathCause (no value in the samples)
    "death_date" text, -- from fields.deathDate (no value in the samples)
    "death_place" text, -- from fields.deathPlace (no value in the samples)
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'f3402894-c3a2-4ceb-aa7f-6cebc1bc6206'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'pnc_close'
    "is_permanently_relocated" text, -- from fields.isPermanentlyRelocated (no value in the samples)
    "mother_id" text, -- from fields.mother_id, e.g. 'f3402894-c3a2-4ceb-aa7f-6cebc1bc6206'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "pnc_close_date" date, -- from fields.pncCloseDate, e.g. '2014-03-03'
    "reason_for_closure_other" text, -- from fields.reasonForClosureOther (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800021'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "pnc_registration_oa" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '43fb9f1a-6994-4fd7-a228-9b03c20f1ee1'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "caste" text, -- from fields.caste (no value in the samples)
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710022'
    "days_after_delivery" text, -- from fields.daysAfterDelivery (no value in the samples)
    "delivery_complications" text, -- from fields.deliveryComplications (no value in the samples)
    "delivery_date" date, -- from fields.deliveryDate, e.g. '2014-03-03'
    "delivery_outcome" text, -- from fields.deliveryOutcome, e.g. 'live_birth'
    "delivery_place" text, -- from fields.deliveryPlace, e.g. 'phc'
    "delivery_registration_date" text, -- from fields.deliveryRegistrationDate (no value in the samples)
    "delivery_type" text, -- from fields.deliveryType, e.g. 'normal'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "did_woman_survive" text, -- from fields.didWomanSurvive, e.g. 'yes'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "economic_status" text, -- from fields.economicStatus (no value in the samples)
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '7a3a8144-3775-4a13-b76b-4baca58094cf'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'pnc_registration_oa'
    "household_address" text, -- from fields.householdAddress (no value in the samples)
    "husband_name" text, -- from fields.husbandName, e.g. 'Ramesh'
    "is_high_risk" text, -- from fields.isHighRisk (no value in the samples)
    "mother_id" text, -- from fields.mother_id, e.g. '7a3a8144-3775-4a13-b76b-4baca58094cf'
    "number_of_live_births" integer, -- from fields.numberOfLiveBirths, e.g. '1'
    "number_of_living_children" text, -- from fields.numberOfLivingChildren (no value in the samples)
    "phc" text, -- from fields.phc, e.g. 'bherya'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "reference_date" date, -- from fields.referenceDate, e.g. '2014-03-03'
    "registration_date" date, -- from fields.registrationDate, e.g. '2014-03-03'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800022'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "sub_center" text, -- from fields.subCenter, e.g. 'hosa_agrahara'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "thayi_card_number" text, -- from fields.thayiCardNumber, e.g. '1555'
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "village" text, -- from fields.village, e.g. 'keelanapura'
    "wife_age" integer, -- from fields.wifeAge, e.g. '24'
    "wife_name" text, -- from fields.wifeName, e.g. 'Sunita'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "pnc_registration_oa_child_registration_oa" (
    "parent_instance_id" text NOT NULL, -- the parent record's key
    "child_id" text NOT NULL, -- from fields.child_id, e.g. 'e4680aeb-8faa-4313-a218-d42b315c9dcc'
    "bf_post_birth" text, -- from fields.bfPostBirth, e.g. 'bf_post_birth'
    "child_name" text, -- from fields.childName, e.g. 'Lakshmi'
    "date_of_birth" date, -- from fields.dateOfBirth, e.g. '2014-03-03'
    "gender" text, -- from fields.gender, e.g. 'female'
    "immunizations_given" text, -- from fields.immunizationsGiven, e.g. 'bcg opv_0'
    "is_child_high_risk" text, -- from fields.isChildHighRisk, e.g. 'yes'
    "sub_form_name" text, -- from item._parent.name, e.g. 'child_registration_oa'
    "weight" decimal text, -- from fields.weight, e.g. '2.9'
    PRIMARY KEY ("parent_instance_id", "child_id")
);

CREATE TABLE "pnc_visit" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'afe0bad2-8204-4fa2-9940-28cfe9e15027'
    "abdominal_problems" text, -- from fields.abdominalProblems (no value in the samples)
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "bp_diastolic" text, -- from fields.bpDiastolic (no value in the samples)
    "bp_systolic" text, -- from fields.bpSystolic (no value in the samples)
    "breast_problems" text, -- from fields.breastProblems (no value in the samples)
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710023'
    "counselling_given" text, -- from fields.counsellingGiven, e.g. 'counselling_given'
    "days_after_delivery" text, -- from fields.daysAfterDelivery (no value in the samples)
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "difficulties1" text, -- from fields.difficulties1 (no value in the samples)
    "difficulties2" text, -- from fields.difficulties2 (no value in the samples)
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. 'ff5e804f-a5e8-420e-a293-8449681931ce'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'pnc_visit'
    "has_fever" text, -- from fields.hasFever (no value in the samples)
    "hb_level" text, -- from fields.hbLevel (no value in the samples)
    "ifa_tablets_given" text, -- from fields.ifaTabletsGiven (no value in the samples)
    "is_referred" text, -- from fields.isReferred, e.g. 'yes'
    "mother_id" text, -- from fields.mother_id, e.g. 'ff5e804f-a5e8-420e-a293-8449681931ce'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "pnc_visit_date" date, -- from fields.pncVisitDate, e.g. '2014-03-03'
    "pnc_visit_day" integer, -- from fields.pncVisitDay, e.g. '3'
    "pnc_visit_person" text, -- from fields.pncVisitPerson, e.g. 'pnc_visit_person'
    "pnc_visit_place" text, -- from fields.pncVisitPlace, e.g. 'pnc_visit_place'
    "pnc_visit_status" text, -- from fields.pncVisitStatus, e.g. 'pnc_visit_status'
    "pulse_rate" text, -- from fields.pulseRate (no value in the samples)
    "referral_reason" text, -- from fields.referralReason (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800023'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "submitter_id" text, -- from fields.submitterId (no value in the samples)
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "temperature" text, -- from fields.temperature (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "urine_stool_problems" text, -- from fields.urineStoolProblems (no value in the samples)
    "vaginal_problems" text, -- from fields.vaginalProblems (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "pnc_visit_child_pnc_visit" (
    "parent_instance_id" text NOT NULL, -- the parent record's key
    "child_id" text NOT NULL, -- from fields.child_id, e.g. 'a7594f8b-b7d3-4d16-a269-b4aa36e59b19'
    "activity_problems" text, -- from fields.activityProblems, e.g. 'activity_problems'
    "breastfeeding_problems" text, -- from fields.breastfeedingProblems, e.g. 'breastfeeding_problems'
    "breathing_problems" text, -- from fields.breathingProblems, e.g. 'breathing_problems'
    "child_referral" text, -- from fields.childReferral, e.g. 'child_referral'
    "child_signs" text, -- from fields.childSigns, e.g. 'child_signs'
    "child_signs_other" text, -- from fields.childSignsOther, e.g. 'child_signs_other'
    "cord_problems" text, -- from fields.cordProblems, e.g. 'cord_problems'
    "eye_problems" text, -- from fields.eyeProblems, e.g. 'eye_problems'
    "immunizations_given" text, -- from fields.immunizationsGiven, e.g. 'bcg opv_0'
    "is_child_high_risk" text, -- from fields.isChildHighRisk, e.g. 'yes'
    "jaundice" text, -- from fields.jaundice, e.g. 'jaundice'
    "pnc_visit_date" date, -- from fields.pncVisitDate, e.g. '2014-03-03'
    "referral_reason" text, -- from fields.referralReason, e.g. 'referral_reason'
    "skin_problems" text, -- from fields.skinProblems, e.g. 'skin_problems'
    "sub_form_name" text, -- from item._parent.name, e.g. 'child_pnc_visit'
    "temperature" decimal text, -- from fields.temperature, e.g. '98.6'
    "urine_stool_problems" text, -- from fields.urineStoolProblems, e.g. 'urine_stool_problems'
    "weight" decimal text, -- from fields.weight, e.g. '2.9'
    PRIMARY KEY ("parent_instance_id", "child_id")
);

CREATE TABLE "postpartum_family_planning" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '8b5fd6e9-30c4-44a6-bb32-cd23407a2741'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710024'
    "counselling_given" text, -- from fields.counsellingGiven, e.g. 'counselling_given'
    "current_method" text, -- from fields.currentMethod, e.g. 'ocp'
    "days_after_delivery" integer, -- from fields.daysAfterDelivery, e.g. '1'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '0a3dd34c-cbe4-47f8-8cd8-241cc7e71e20'
    "family_planning_method_change_date" date, -- from fields.familyPlanningMethodChangeDate, e.g. '2014-03-03'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'postpartum_family_planning'
    "iud_place" text, -- from fields.iudPlace (no value in the samples)
    "mother_id" text, -- from fields.mother_id, e.g. '0a3dd34c-cbe4-47f8-8cd8-241cc7e71e20'
    "number_of_condoms_supplied" text, -- from fields.numberOfCondomsSupplied (no value in the samples)
    "number_of_ocp_delivered" text, -- from fields.numberOfOCPDelivered (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "ppfp_counselling_by" text, -- from fields.ppfpCounsellingBy, e.g. 'ppfp_counselling_by'
    "ppfp_method_chosen" text, -- from fields.ppfpMethodChosen (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800024'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "sterilization_place" text, -- from fields.sterilizationPlace (no value in the samples)
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "record_ecps" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '1f948112-8b3c-4549-80d7-c398011cc621'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710025'
    "counselling_given" text, -- from fields.counsellingGiven, e.g. 'counselling_given'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "ecp_date" date, -- from fields.ecpDate, e.g. '2014-03-03'
    "ecp_given_by" text, -- from fields.ecpGivenBy, e.g. 'ecp_given_by'
    "ecp_place" text, -- from fields.ecpPlace, e.g. 'ecp_place'
    "ecp_taken_within72_hours" text, -- from fields.ecpTakenWithin72Hours, e.g. 'ecp_taken_within72_hours'
    "eligible_couple_id" text, -- from fields.eligible_couple_id, e.g. '587bc159-04dc-4984-b777-282db02bfdb8'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '587bc159-04dc-4984-b777-282db02bfdb8'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'record_ecps'
    "is_pregnancy_test_done" text, -- from fields.isPregnancyTestDone (no value in the samples)
    "number_of_ec_ps_given" integer, -- from fields.numberOfECPsGiven, e.g. '1'
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800025'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "upt_result" text, -- from fields.uptResult (no value in the samples)
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "renew_fp_product" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. '60e3af74-2863-46cc-801b-243f1d7307a4'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710026'
    "condom_refill_date" text, -- from fields.condomRefillDate (no value in the samples)
    "current_method" text, -- from fields.currentMethod, e.g. 'ocp'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_number" text, -- from fields.ecNumber, e.g. '1296'
    "eligible_couple_id" text, -- from fields.eligible_couple_id, e.g. '3e8a28c5-2438-41f6-b366-cc6929692877'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '3e8a28c5-2438-41f6-b366-cc6929692877'
    "family_planning_method_change_date" date, -- from fields.familyPlanningMethodChangeDate, e.g. '2014-03-03'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'renew_fp_product'
    "number_of_centchroman_pills_delivered" text, -- from fields.numberOfCentchromanPillsDelivered (no value in the samples)
    "number_of_condoms_supplied" text, -- from fields.numberOfCondomsSupplied (no value in the samples)
    "number_of_ocp_delivered" text, -- from fields.numberOfOCPDelivered (no value in the samples)
    "ocp_refill_date" text, -- from fields.ocpRefillDate (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "product_given_by" text, -- from fields.productGivenBy, e.g. 'product_given_by'
    "product_place" text, -- from fields.productPlace, e.g. 'product_place'
    "product_renewal_date" date, -- from fields.productRenewalDate, e.g. '2014-03-03'
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800026'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "tt" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'f6331484-87ce-459e-8893-ea73cf488320'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710027'
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "ec_id" text, -- from fields.ecId, e.g. '24b1c465-ecd1-49c7-8069-1e8c85f426f9'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '4045a417-6077-40b7-bf9c-22c29132d0cb'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'tt'
    "mother_id" text, -- from fields.mother_id, e.g. '4045a417-6077-40b7-bf9c-22c29132d0cb'
    "next_tt_date" text, -- from fields.nextTTDate (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800027'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "tt_date" date, -- from fields.ttDate, e.g. '2014-03-03'
    "tt_dose" text, -- from fields.ttDose, e.g. 'tt1'
    "tt_given_by" text, -- from fields.ttGivenBy (no value in the samples)
    "tt_injection_place" text, -- from fields.ttInjectionPlace, e.g. 'sub_center'
    PRIMARY KEY ("instance_id")
);

CREATE TABLE "vitamin_a" (
    "instance_id" text NOT NULL, -- from record.instanceId, e.g. 'e0a4a92e-6501-4aee-8c2b-e1bd529555b6'
    "anm_id" text, -- from record.anmId, e.g. 'demo1'
    "child_id" text, -- from fields.child_id, e.g. '5cdfcf63-791e-4434-aa0a-7532c96a3c54'
    "client_version" timestamp, -- from record.clientVersion, e.g. '1393804710031'
    "date_of_birth" text, -- from fields.dateOfBirth (no value in the samples)
    "deviceid" text, -- from fields.deviceid, e.g. '358240051111110'
    "end" timestamp, -- from fields.end, e.g. '2014-03-03T10:20:02.000+05:30'
    "entity_id" text, -- from record.entityId, e.g. '5cdfcf63-791e-4434-aa0a-7532c96a3c54'
    "form_data_definition_version" integer, -- from record.formDataDefinitionVersion, e.g. '1'
    "form_name" text, -- from record.formName, e.g. 'vitamin_a'
    "mother_id" text, -- from fields.motherId, e.g. 'ff70f638-3a0c-4697-9911-bee862d16353'
    "next_vitamin_a_date" text, -- from fields.nextVitaminADate (no value in the samples)
    "phonenumber" text, -- from fields.phonenumber (no value in the samples)
    "server_version" timestamp, -- from record.serverVersion, e.g. '1393804800031'
    "simserial" text, -- from fields.simserial (no value in the samples)
    "start" timestamp, -- from fields.start, e.g. '2014-03-03T10:12:31.000+05:30'
    "submission_date" date, -- from fields.submissionDate, e.g. '2014-03-03'
    "subscriberid" text, -- from fields.subscriberid (no value in the samples)
    "today" date, -- from fields.today, e.g. '2014-03-03'
    "vitamin_a_date" date, -- from fields.vitaminADate, e.g. '2014-03-03'
    "vitamin_a_dose" integer, -- from fields.vitaminADose, e.g. '1'
    "vitamin_a_given_by" text, -- from fields.vitaminAGivenBy (no value in the samples)
    "vitamin_a_place" text, -- from fields.vitaminAPlace, e.g. 'vitamin_a_place'
    PRIMARY KEY ("instance_id")
);
