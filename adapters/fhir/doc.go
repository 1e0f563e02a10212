// Package fhir exports social prescribing referrals (package prescribing)
// as HL7 FHIR R4 resources conforming to the UK Core profiles: a referral
// as a ServiceRequest (UKCore-ServiceRequest), with its status mapped from
// the referral lifecycle, and its closed-loop progress — each move of the
// referral — as Task resources (UKCore-Task) based on it. The patient is
// identified by NHS number only; no name or other personal detail leaves.
//
// It implements the standards clause of the social prescribing issue
// (seed documents 000 and 001): SNOMED CT codes for social prescribing
// referral (871731000000106) and declined (871711000000103).
package fhir
