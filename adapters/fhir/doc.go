// Package fhir exports social prescribing referrals (package prescribing)
// as HL7 FHIR R4 resources conforming to the UK Core profiles: a referral
// as a ServiceRequest (UKCore-ServiceRequest), requested by the referring
// GP practice and performed by the social prescribing service, with its
// status mapped from the referral lifecycle and the reason it ended; and
// its closed-loop progress — each move of the referral — as Task
// resources (UKCore-Task) whose focus is that ServiceRequest. The patient
// is identified by NHS number only; no name, other personal detail or
// member of staff leaves.
//
// What belongs to the council — who sends the export, which service
// performs the referrals, and the URIs of its identifier and code
// systems — is configuration: Options, given to New. The package takes
// the prescribing data types from the caller and reads no store.
//
// It implements the standards clause of the social prescribing issue
// (seed documents 000 and 001): SNOMED CT codes for social prescribing
// referral (871731000000106) and declined (871711000000103). Its tests
// validate every export against the official FHIR R4 JSON schema in
// schema/.
package fhir
