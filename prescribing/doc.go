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
// isolation and loneliness). The KPIs are the measures the pilot's
// evaluation used.
//
// The parts:
//
//   - Practice, Staff (with their Role) and Patient: patients are known by
//     a validated NHSNumber and hold as little personal data as the service
//     needs. NHS numbers and names are never logged. Service.Bootstrap
//     appoints the first manager; managers add all other staff.
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
//   - Report: the KPIs; WardCounts: referrals by the ward of the
//     referring practice, for the partnership's ward matrix. Both are
//     aggregates, but a small practice's or ward's figures can come close
//     to a patient, so both check the actor: the scheme manager reads any
//     practice, other staff only the practices they work with. The library
//     applies no small-number suppression; whoever publishes the figures
//     is responsible for it.
//
// # Personal data
//
// A patient is held by a validated NHS number, a name and the area they
// live in; the library keeps no date of birth, address or contact
// details. Only the practice's clinical team and its linked advisors see
// a patient (managers never do), and each practice keeps its own record
// of a person: an NHS number is unique within a practice, and nothing a
// practice's staff can ask (registering a patient, importing scores or
// usage, reading by id) tells them whether another practice knows the
// person. An unknown id and another practice's record give the same
// ErrForbidden. NHSNumber, Patient and Staff redact themselves in logs
// (slog) and in fmt's %v, %s and %#v.
//
// Free text has stated limits, checked with a *FieldError before any
// store sees it, and may hold no NUL or other control character (tab,
// line feed and carriage return aside) nor invalid UTF-8: names and
// activity names 200 bytes, areas 100, notes and reasons 2000 (assessment
// and review notes and MDT case notes 4000), story titles 200 and story
// text 20000. Import files are at most 64 MiB, read only after the actor
// is checked.
//
// ErasePatient erases a patient's identifying data everywhere the library
// keeps it: the NHS number, name and area, every free-text note written
// about them (referral notes, stories' titles and text, MDT case notes,
// GPs' reasons for cohort changes) and the notes of the audit events
// about them; the SQLite store also removes the old copies from its
// files. What is kept is what the scheme's reports count, under
// pseudonymous ids: the patient's id and practice, their referrals'
// states, dates, sources, needs, activities, wellbeing scores and
// secondary care counts, a story's consent and dates, their risk scores
// and cohort membership, and the audit trail's who, what and when. They
// are kept because the pilot's evaluation (the KPIs of Report, paired
// before and after) needs them, and without the erased fields they no
// longer identify the person. Idempotency receipts hold only keyed
// hashes.
//
// Service holds the rules; a Store persists. Stores are in adapters/memory,
// adapters/sqlite and adapters/postgres, and all pass the conformance suite
// in prescribing/prescribingtest. adapters/fhir exports a referral as FHIR
// UK Core ServiceRequest and Task resources.
package prescribing
