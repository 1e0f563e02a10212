package prescribing

import "time"

// Meeting is a practice's multi-disciplinary team meeting: the members
// who attended, each with their role (GP, practice nurse, community
// matron, social worker, voluntary sector advisor), and the cases it
// reviewed, each with an outcome. A case referred to social prescribing
// makes (or moves on) a Referral with Source SourceMDT, whose id the case
// records. A GP of the practice records the meeting, and at least one GP
// must attend.
type Meeting struct {
	ID       string
	Practice string
	Date     time.Time
	Members  []Member
	Cases    []Case

	CreatedAt time.Time
	CreatedBy string
	Version   int64
}

// Member is a member of staff at an MDT meeting, in the role they attended
// in.
type Member struct {
	Staff string
	Role  Role
}

// Case is a patient the MDT reviewed, and what it decided.
type Case struct {
	Patient  string
	Outcome  Outcome
	Notes    string
	Referral string // the referral made or moved on, for OutcomeRefer
}

// Outcome is what the MDT decided for a case.
type Outcome string

// Outcomes of a case.
const (
	OutcomeRefer    Outcome = "refer"   // refer to social prescribing
	OutcomeMedical  Outcome = "medical" // a medical pathway instead
	OutcomeNoAction Outcome = "no-action"
)
