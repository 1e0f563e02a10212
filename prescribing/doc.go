// Package prescribing runs a social prescribing service: GP practices find
// the patients most at risk of going into hospital, a multi-disciplinary
// team (MDT) decides who should be referred, a voluntary sector advisor
// linked to the practice meets each person, records their needs and
// connects them to community activities, and the scheme measures whether
// their wellbeing and their use of hospital and GP services change.
//
// It implements the social prescribing pilot of Thurrock's Stronger
// Together partnership (seed document 000, "Stronger Communities – Where
// are we now?": a 12-month pilot in Aveley, Purfleet, Tilbury and East
// Tilbury; risk stratification of the top 3% of patients at risk of
// hospitalisation, 3–5% with GP clinical judgement; an MDT of GPs, practice
// and district nurses, community matrons, a social worker and a voluntary
// sector advisor; an advisor linked to each practice; KPIs plus stories
// and case studies) and action H of the Health and Wellbeing Strategy
// action plan (seed document 001: October 2016 – October 2017; people who
// do not need medical support are signposted to activities that reduce
// isolation and loneliness). The model is the Rotherham social prescribing
// service the pilot followed, and the KPIs are the measures its evaluation
// used.
//
// The parts:
//
//   - Practice, Staff (with their Role) and Patient: patients are known by
//     a validated NHSNumber and hold as little personal data as the service
//     needs. NHS numbers and names are never logged.
//   - ScoreSet and Stratification: a practice's risk scores from any model
//     (PARR, CPM, QAdmissions, eFI, …), the top N% selected in linear time
//     (Top) with a deterministic tie rule, and GP additions and removals by
//     clinical judgement.
//   - Meeting: an MDT meeting with its members and an outcome per case.
//   - Referral: the referral lifecycle, an explicit state machine with a
//     full audit trail, needs, activities offered and taken up, wellbeing
//     measures (ONS4, SWEMWBS, the outcome Wheel), secondary care use
//     in the 12 months before and after referral, each window recorded on
//     its own as it arrives (per person with RecordUsage or imported for a
//     practice from a CSV file with ImportUsage), and case studies with
//     consent.
//   - Directory: the interface through which activities are found; the
//     community hubs implement it.
//   - Report: the KPIs.
//
// Service holds the rules; a Store persists. Stores are in adapters/memory,
// adapters/sqlite and adapters/postgres, and all pass the conformance suite
// in prescribing/prescribingtest. adapters/fhir exports a referral as FHIR
// UK Core ServiceRequest and Task resources.
package prescribing
