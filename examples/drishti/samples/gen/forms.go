package main

// The forms, one entry per form, in the order of their file names.
//
// Each field is written "name:T", where T is its "type": S String, I
// Integer, D Date, F Float, N none (the field has no "type" key). A
// trailing "-" means the field was not answered: it has no "value" key at
// all, as a question skipped by the form's logic. "=v" gives the value; the
// others get one from value().
//
// Every form also has "id" first and the metadata fields of common after
// its own (see main.go); they are not written here.
var forms = []form{
	{name: "anc_close", bind: "mother", path: "ANC_Close_EngKan", fields: []string{
		"closedBy:S",
		"ecId:S", "closeReason:S", "isMaternalDeath:S", "maternalDeathDate:D-",
		"maternalDeathPlace:S-", "maternalDeathCause:S-",
		"numberOfAbortions:I=1", "spontaneousAbortionDate:D-",
		"numberOfAbortions:I=0", "inducedAbortionDate:D-", "numberOfAbortions:I=1",
		"abortionPlace:S-", "ancCloseDate:D", "deathCertificateSubmitted:S-",
		"referenceDate:D", "reasonForClosureOther:S-",
	}},
	{name: "anc_investigations", bind: "mother", path: "ANC_Investigations_EngKan", fields: []string{
		"investigationsDoneBy:S",
		"ecId:S", "testsTaken:S", "testDate:D", "hbLevel:F=9.8", "bloodSugar:I-",
		"urineSugar:S", "urineAlbumin:S", "vdrlResult:S-", "hivResult:S-",
		"hbsagResult:S-", "bloodGroup:S", "rhFactor:S-", "bpSystolic:I",
		"bpDiastolic:I", "investigationsPlace:S-", "nextTestDate:D-",
	}},
	{name: "anc_registration", bind: "mother", path: "ANC_Registration_EngKan", fields: []string{
		"gravida:I", "numberOfLivingChildren:I", "numberOfAbortions:I-", "numberOfStillBirths:I-", "weeksPregnant:I", "village:S", "subCenter:S", "phc:S", "householdNumber:S", "phoneNumber:S",
		"ecId:S", "ecNumber:S", "wifeName:S", "husbandName:S", "thayiCardNumber:S",
		"ancNumber:S", "lmp:D", "edd:D=Wed, 31 Dec 2014 00:00:00 GMT",
		"referenceDate:D", "registrationDate:D", "wifeDOB:D=1989-4-16",
		"height:F=152.5", "weight:I=52", "bloodGroup:S", "numberOfPregnancies:I",
		"parity:I", "isHighRisk:S", "highRiskReason:S-", "jsyBeneficiary:S",
		"caste:S", "economicStatus:S", "isConsultDoctor:S-", "registrationDate:D",
	}},
	{name: "anc_registration_oa", bind: "mother", path: "ANC_Registration_OA_EngKan", fields: []string{
		"numberOfAbortions:I-", "weeksPregnant:I", "calcEdd:N-",
		"ecId:S", "ecNumber:S", "wifeName:S", "husbandName:S", "wifeAge:I",
		"village:S", "subCenter:S", "phc:S", "thayiCardNumber:S", "ancNumber:S",
		"lmp:D", "edd:D=Wed, 31 Dec 2014 00:00:00 GMT", "referenceDate:D",
		"registrationDate:D", "gravida:I-", "parity:I-", "numberOfLivingChildren:I-",
		"isHighRisk:S-", "highRiskReason:S-", "economicStatus:S-", "caste:S-",
		"religion:S-", "householdAddress:S-", "ecNumber:S",
	}},
	{name: "anc_visit", bind: "mother", path: "ANC_Visit_EngKan", fields: []string{
		"pulseRate:I-", "ttDosesGiven:I-", "ifaTabletsGiven:I", "weeksPregnant:I", "ancVisitPlace:S", "bloodSugarTested:S", "dangerSigns:S",
		"ecId:S", "ancVisitNumber:I", "ancVisitDate:D", "ancVisitPerson:S",
		"weight:F=54.5", "bpSystolic:I", "bpDiastolic:I", "pih:S=no",
		"fundalHeight:I-", "fetalHeartRate:I-", "pallor:S-", "edema:S-",
		"riskObservedDuringANC:S-", "weight:F=55.0", "pih:S=yes",
		"hbLevel:S-", "referredOut:S", "referralReason:S-", "nextVisitDate:D-",
		"counsellingGiven:S-", "visitPlace:S-",
	}},
	{name: "child_close", bind: "child", path: "Child_Close_EngKan", fields: []string{
		"closedBy:S",
		"motherId:S", "closeReason:S", "deathDate:D-", "deathPlace:S-",
		"deathCause:S-", "isImmediateReferral:S-", "wrongEntryReason:S-",
		"childCloseDate:D=", "closeReason:S",
	}},
	{name: "child_illness", bind: "child", path: "Child_Illness_EngKan", fields: []string{
		"daysOfIllness:I", "numberOfDiarrhoeaEpisodes:I-", "childTreatment:S", "childTreatmentPlace:S",
		"motherId:S", "childSigns:S", "childSignsOther:S-", "sickVisitDate:D",
		"reportChildDisease:S", "reportChildDiseaseOther:S-", "reportChildDiseaseDate:D",
		"reportChildDiseasePlace:S", "numberOfORSGiven:I-", "isChildReferred:S",
		"referralReason:S-", "dateOfBirth:D", "dateOfBirth:D", "submitter:N-",
	}},
	{name: "child_immunizations", bind: "child", path: "Child_Immunizations_EngKan", fields: []string{
		"motherId:S", "immunizationsGiven:S", "previousImmunizations:S",
		"immunizationDate:D", "bcgDate:D-", "opv0Date:D-", "hepb0Date:D-",
		"pentavalent1Date:D-", "opv1Date:D-", "pentavalent2Date:D-", "opv2Date:D-",
		"pentavalent3Date:D-", "opv3Date:D-", "measlesDate:D-", "vitaminADose:I-",
		"aefiSeen:S-", "immunizationPlace:S", "previousImmunizations:S",
	}},
	{name: "child_registration_ec", bind: "child", path: "Child_Registration_EC_EngKan", fields: []string{
		"ageInMonths:I", "motherAge:I-",
		"ecId:S", "motherId:S", "childName:S", "gender:S", "dateOfBirth:D=2013-9-5",
		"birthWeight:F=2.8", "placeOfBirth:S", "immunizationsGiven:S", "bcgDate:D",
		"opv0Date:D-", "thayiCardNumber:S", "isChildHighRisk:S-", "childBloodGroup:S-",
		"registrationDate:D", "birthOrder:I",
	}},
	{name: "child_registration_oa", bind: "child", path: "Child_Registration_OA_EngKan", fields: []string{
		"ageInMonths:I", "birthOrder:I-",
		"ecNumber:S", "wifeName:S", "husbandName:S", "wifeAge:I", "village:S",
		"subCenter:S", "phc:S", "childName:S", "gender:S", "dateOfBirth:D",
		"birthWeight:I-", "immunizationsGiven:S", "thayiCardNumber:S",
		"registrationDate:D", "isChildHighRisk:S-", "caste:S", "economicStatus:S",
		"householdAddress:S",
	}},
	{name: "delivery_outcome", bind: "mother", path: "Delivery_Outcome_EngKan", fields: []string{
		"numberOfLiveBirths:I", "numberOfStillBirths:I-", "hoursInFacility:I-", "attendedBy:S", "isReferred:S",
		"ecId:S", "didWomanSurvive:S", "didMotherSurvive:S", "deliveryOutcome:S",
		"referenceDate:D=2014-03-03", "deliveryPlace:S", "deliveryType:S",
		"deliveryComplications:S-", "deliveryRegistrationDate:D", "deliveryFacilityName:S-",
		"otherDeliveryFacilityName:S-", "isSkilledDelivery:S", "deliveryPerson:S",
		"motherDeathDate:D-", "motherDeathCause:S-", "numberOfChildren:I",
		"referenceDate:D=2014-03-05", "isChildHighRisk:N-",
	}, sub: &subForm{name: "child_registration", bind: "child", path: "child", fields: []string{
		"id:S", "gender:S", "weight:F", "immunizationsGiven:S", "bfPostBirth:S",
		"dateOfBirth:D", "childName:S", "isChildHighRisk:S", "deliveryPlace:S",
		"bcgDate:D", "opv0Date:D", "hepb0Date:D", "childCondition:S",
	}}},
	{name: "delivery_plan", bind: "mother", path: "Delivery_Plan_EngKan", fields: []string{
		"emergencyContactName:S", "bloodDonorIdentified:S",
		"ecId:S", "deliveryFacilityName:S", "transportationPlan:S", "birthCompanion:S",
		"ashaPhoneNumber:S-", "phoneNumber:S-", "reviewedHRPStatus:S-",
		"deliveryPlace:D=sub_center", "planDate:D", "isJSYBeneficiary:S-",
	}},
	{name: "ec_close", bind: "eligible_couple", path: "EC_Close_EngKan", fields: []string{
		"closedBy:S", "isSterilized:S",
		"ecNumber:S", "closeReason:S", "isOutOfArea:S-", "permanentlyRelocatedDate:D-",
		"sterilizationDate:D-", "wifeDeathDate:D-", "ecCloseDate:D",
	}},
	{name: "ec_edit", bind: "eligible_couple", path: "EC_Edit_EngKan", fields: []string{
		"numberOfPregnancies:I", "parity:I", "numberOfLivingChildren:I", "numberOfAbortions:I", "numberOfStillBirths:I", "calcAge:N-",
		"ecNumber:S", "wifeName:S", "husbandName:S", "wifeAge:I", "husbandAge:I",
		"wifeDOB:D=1990-1-7", "village:S", "subCenter:S", "phc:S", "householdNumber:S",
		"householdAddress:S", "headOfHousehold:S", "caste:S", "economicStatus:S",
		"religion:S", "wifeEducationalLevel:S", "husbandEducationalLevel:S",
		"currentMethod:S", "familyPlanningMethodChangeDate:D-", "isHighPriority:N-",
		"editDate:D",
	}},
	{name: "ec_registration", bind: "eligible_couple", path: "EC_Registration_EngKan", fields: []string{
		"numberOfChildrenUnder5:I", "numberOfMaleChildrenDied:I-", "numberOfFemaleChildrenDied:I-", "ageAtMarriage:I", "yearsOfMarriage:I-", "familyType:S", "hasBPLCard:S", "childrenUnder5Immunized:S",
		"ecNumber:S", "wifeName:S", "husbandName:S", "wifeAge:I", "husbandAge:I",
		"wifeDOB:D=1989-4-16", "husbandDOB:D-", "village:S", "subCenter:S", "phc:S",
		"householdNumber:S", "householdAddress:S", "headOfHousehold:S", "caste:S",
		"economicStatus:S", "religion:S", "wifeEducationalLevel:S",
		"husbandEducationalLevel:S", "currentMethod:S", "familyPlanningMethodChangeDate:D",
		"numberOfPregnancies:I", "parity:I", "numberOfLivingChildren:I",
		"numberOfStillBirths:I", "numberOfAbortions:I", "youngestChildDOB:D-",
		"youngestChildAge:I-", "numberOfLivingMaleChildren:I", "numberOfLivingFemaleChildren:I",
		"isHighPriority:S", "highPriorityReason:S-", "registrationDate:D",
		"phoneNumber:S", "aadharNumber:S-", "bplCardNumber:S-", "isOutOfArea:S",
		"lmpDate:D-", "uptResult:S-", "fpMethodQuantity:N-", "currentMethod:S",
	}},
	{name: "fp_change", bind: "eligible_couple", path: "FP_Change_EngKan", fields: []string{
		"methodChangedBy:S", "counsellingGiven:S",
		"ecNumber:S", "currentMethod:S", "newMethod:S", "reasonForChange:S",
		"otherReasonForChange:S-", "familyPlanningMethodChangeDate:D", "numberOfOCPDelivered:I-",
		"numberOfCondomsSupplied:I-", "numberOfCentchromanPillsDelivered:I-",
		"iudPlace:S-", "iudPerson:S-", "sterilizationPlace:S-", "lmpDate:D-",
		"uptResult:S-", "fpQuantity:N-",
	}},
	{name: "fp_complications", bind: "eligible_couple", path: "FP_Complications_EngKan", fields: []string{
		"daysSinceMethodStart:I-",
		"ecNumber:S", "currentMethod:S", "complicationDate:D", "complications:S",
		"otherComplications:S-", "isReferred:S", "referralPlace:S-", "treatmentGiven:S-",
		"methodFollowedAfterComplication:S-", "needFollowUp:N-",
	}},
	{name: "fp_followup", bind: "eligible_couple", path: "FP_Followup_EngKan", fields: []string{
		"numberOfOCPDelivered:I-", "numberOfCondomsSupplied:I-",
		"ecNumber:S", "currentMethod:S", "fpFollowupDate:D", "hasSideEffects:S",
		"sideEffects:S-", "isReferred:S", "referralPlace:S-", "needsFollowup:S-",
		"nextFollowupDate:D-", "methodContinued:N-",
	}},
	{name: "fp_referral_followup", bind: "eligible_couple", path: "FP_Referral_Followup_EngKan", fields: []string{
		"referralReason:S",
		"ecNumber:S", "referralFollowupDate:D", "referralPlace:S", "wasReferralSuccessful:S",
		"reasonForFailure:S-", "treatmentGiven:S-", "nextFollowupDate:D-",
		"referralFollowupDate:D", "followupStatus:N-",
	}},
	{name: "hb_test", bind: "mother", path: "HB_Test_EngKan", fields: []string{
		"weeksPregnant:I", "hbTestPlace:S",
		"ecId:S", "hbTestDate:D", "hbLevel:F=10.2", "hbResult:S", "isAnemic:S",
		"anemicStatus:S-", "ifaTabletsGiven:I-", "referred:S-", "hbTestDate:D",
	}},
	{name: "ifa", bind: "mother", path: "IFA_EngKan", fields: []string{
		"ifaTabletsRemaining:I-", "ifaAdviceGiven:S",
		"ecId:S", "ifaTabletsDate:D=", "numberOfIFATabletsGiven:I", "ifaTabletsGivenBy:S",
		"totalIFATabletsGiven:I-", "ifaTabletsPlace:S-", "sideEffectsReported:S-",
		"ifaCompliance:N-",
	}},
	{name: "pnc_close", bind: "mother", path: "PNC_Close_EngKan", fields: []string{
		"closedBy:S",
		"ecId:S", "closeReason:S", "deathDate:D-", "deathPlace:S-", "deathCause:S-",
		"pncCloseDate:D", "isPermanentlyRelocated:S-", "reasonForClosureOther:N-",
	}},
	{name: "pnc_registration_oa", bind: "mother", path: "PNC_Registration_OA_EngKan", fields: []string{
		"numberOfLiveBirths:I", "daysAfterDelivery:I-",
		"ecNumber:S", "wifeName:S", "husbandName:S", "wifeAge:I", "village:S",
		"subCenter:S", "phc:S", "thayiCardNumber:S", "deliveryDate:D", "deliveryPlace:S",
		"deliveryType:S", "deliveryOutcome:S", "numberOfLivingChildren:I-",
		"didWomanSurvive:S", "deliveryComplications:S-", "caste:S-", "economicStatus:S-",
		"householdAddress:S-", "registrationDate:D", "deliveryRegistrationDate:D-",
		"referenceDate:D", "isHighRisk:N-",
	}, sub: &subForm{name: "child_registration_oa", bind: "child", path: "child", fields: []string{
		"id:S", "gender:S", "weight:F", "dateOfBirth:D", "immunizationsGiven:S",
		"childName:S", "bfPostBirth:S", "isChildHighRisk:S",
	}}},
	{name: "pnc_visit", bind: "mother", path: "PNC_Visit_EngKan", fields: []string{
		"daysAfterDelivery:I-", "ifaTabletsGiven:I-", "pncVisitStatus:S", "counsellingGiven:S",
		"ecId:S", "pncVisitDate:D", "pncVisitDay:I", "pncVisitPerson:S", "pncVisitPlace:S",
		"bpSystolic:I-", "bpDiastolic:I-", "temperature:S-", "pulseRate:I-",
		"hbLevel:S-", "difficulties1:S-", "difficulties2:S-", "abdominalProblems:S-",
		"vaginalProblems:S-", "urineStoolProblems:S-", "breastProblems:S-",
		"hasFever:S-", "isReferred:S", "referralReason:S-", "pncVisitDay:I",
		"submitterId:N-",
	}, sub: &subForm{name: "child_pnc_visit", bind: "child", path: "child", fields: []string{
		"id:S", "urineStoolProblems:S", "activityProblems:S", "breathingProblems:S",
		"skinProblems:S", "temperature:S", "weight:F", "childReferral:S",
		"referralReason:S", "breastfeedingProblems:S", "cordProblems:S", "eyeProblems:S",
		"jaundice:S", "immunizationsGiven:S", "pncVisitDate:D", "isChildHighRisk:S",
		"childSigns:S", "childSignsOther:S",
	}}},
	{name: "postpartum_family_planning", bind: "mother", path: "Postpartum_Family_Planning_EngKan", fields: []string{
		"daysAfterDelivery:I", "ppfpCounsellingBy:S",
		"ecId:S", "currentMethod:S", "familyPlanningMethodChangeDate:D",
		"numberOfOCPDelivered:I-", "numberOfCondomsSupplied:I-", "iudPlace:S-",
		"sterilizationPlace:S-", "counsellingGiven:S", "ppfpMethodChosen:N-",
	}},
	{name: "record_ecps", bind: "eligible_couple", path: "Record_ECPs_EngKan", fields: []string{
		"ecpGivenBy:S", "ecpPlace:S",
		"ecNumber:S", "ecpDate:D", "numberOfECPsGiven:I", "ecpTakenWithin72Hours:S",
		"isPregnancyTestDone:S-", "uptResult:S-", "counsellingGiven:S",
	}},
	{name: "renew_fp_product", bind: "eligible_couple", path: "Renew_FP_Product_EngKan", fields: []string{
		"productGivenBy:S", "productPlace:S",
		"ecNumber:S", "currentMethod:S", "familyPlanningMethodChangeDate:D",
		"numberOfOCPDelivered:I-", "numberOfCondomsSupplied:I-",
		"numberOfCentchromanPillsDelivered:I-", "ocpRefillDate:D-", "condomRefillDate:D-",
		"productRenewalDate:D",
	}},
	ttForm("tt", "tt1"),
	ttForm("tt_1", "tt1"),
	ttForm("tt_2", "tt2"),
	ttForm("tt_booster", "ttbooster"),
	{name: "vitamin_a", bind: "child", path: "Vitamin_A_EngKan", fields: []string{
		"dateOfBirth:D=",
		"motherId:S", "vitaminADose:I", "vitaminADate:D", "vitaminAPlace:S",
		"vitaminAGivenBy:S-", "nextVitaminADate:D-",
	}},
}

// ttForm is one of the four TT (tetanus toxoid) forms: tt, tt_1, tt_2 and
// tt_booster have the same fields, so that they share one table; only the
// dose differs.
func ttForm(name, dose string) form {
	return form{name: name, bind: "mother", path: "TT_EngKan", fields: []string{
		"ecId:S", "ttDose:S=" + dose, "ttDate:D", "ttInjectionPlace:S", "ttGivenBy:S-",
		"nextTTDate:D-",
	}}
}
