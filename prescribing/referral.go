package prescribing

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/strongertogether/community/internal/lifecycle"
)

// Referral is one person's journey through social prescribing, an
// explicit state machine (see State.Next) whose every move is kept in
// History with who made it, when and why:
//
//	identified → referred → accepted → contacted → assessed → connected → reviewing → closed
//
// A patient is identified (by risk stratification), referred (by the MDT
// or directly by a GP or other professional), accepted by a voluntary
// sector advisor linked to the practice (who takes it onto their
// caseload), contacted, met at a home visit or assessment (their Needs
// recorded), connected to activities, reviewed at follow-ups, and closed
// with a CloseReason. At any open stage the referral may be declined or
// put on hold; a held referral resumes where it stopped. Closed and
// declined are final.
//
// Code is the SNOMED CT concept recorded with the referral:
// SNOMEDReferral (871731000000106, referral to social prescribing
// service) and, once the person declines, SNOMEDDeclined (871711000000103,
// social prescribing declined).
type Referral struct {
	ID       string
	Practice string
	Patient  string
	Source   Source
	Referrer string // the staff member who referred
	Meeting  string // the MDT meeting, when Source is SourceMDT
	State    State
	HeldFrom State // the state an on-hold referral resumes to
	Advisor  string
	Code     string // SNOMED CT concept id

	Needs       []Need
	Offers      []Offer
	Wellbeing   []Wellbeing
	Usage       *SecondaryCare
	Stories     []Story
	CloseReason CloseReason
	History     []Transition

	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	Version   int64
}

// SNOMED CT concepts recorded on referrals.
const (
	SNOMEDReferral = "871731000000106" // Referral to social prescribing service
	SNOMEDDeclined = "871711000000103" // Social prescribing declined
)

// State is a stage of a referral.
type State string

// States of a referral.
const (
	Identified State = "identified"
	Referred   State = "referred"
	Accepted   State = "accepted"
	Contacted  State = "contacted"
	Assessed   State = "assessed"
	Connected  State = "connected"
	Reviewing  State = "reviewing"
	OnHold     State = "on-hold"
	Closed     State = "closed"
	Declined   State = "declined"
)

// States lists every state in lifecycle order.
func States() []State {
	return []State{Identified, Referred, Accepted, Contacted, Assessed, Connected, Reviewing, OnHold, Closed, Declined}
}

// states is States as the package uses it, which a caller changing
// States cannot touch.
var states = States()

// Next returns the states a referral may move to from s, a fresh slice
// each call: the referral state machine. Reviewing → reviewing is a
// further follow-up; reviewing → connected is connecting the person to
// more activities. An on-hold referral may resume only to the state it was
// held from (HeldFrom). A final state has none.
func (s State) Next() []State { return transitions.Next(s) }

// transitions is the referral state machine (see State.Next).
var transitions = lifecycle.New(map[State][]State{
	Identified: {Referred, Closed},
	Referred:   {Accepted, Declined, OnHold, Closed},
	Accepted:   {Contacted, Declined, OnHold, Closed},
	Contacted:  {Assessed, Declined, OnHold, Closed},
	Assessed:   {Connected, Declined, OnHold, Closed},
	Connected:  {Reviewing, Declined, OnHold, Closed},
	Reviewing:  {Reviewing, Connected, Declined, OnHold, Closed},
	OnHold:     {Referred, Accepted, Contacted, Assessed, Connected, Reviewing, Declined, Closed},
})

// Final reports whether no move leaves the state: closed and declined.
func (s State) Final() bool { return s == Closed || s == Declined }

// Open reports whether the referral is still being worked on.
func (r *Referral) Open() bool { return !r.State.Final() }

// OnCaseload reports whether the referral counts against its advisor's
// caseload: it has an advisor and is neither closed nor declined.
func (r *Referral) OnCaseload() bool { return r.Advisor != "" && r.Open() }

// Transition is one move of a referral: from, to, who, when and why.
type Transition struct {
	From State // "" for the move that created the referral
	To   State
	At   time.Time
	By   string
	Note string
}

// Entered returns when the referral first entered state s, or nil.
func (r *Referral) Entered(s State) *time.Time {
	for _, t := range r.History {
		if t.To == s {
			at := t.At
			return &at
		}
	}
	return nil
}

// Source says who referred a person.
type Source string

// Sources of referrals.
const (
	SourceMDT          Source = "mdt"          // the practice's multi-disciplinary team
	SourceGP           Source = "gp"           // directly by a GP
	SourceProfessional Source = "professional" // directly by a nurse, community matron or social worker
)

// CloseReason says why a referral was closed.
type CloseReason string

// Reasons for closing a referral.
const (
	GoalsMet       CloseReason = "goals-met"
	ReasonDeclined CloseReason = "declined"        // the person stopped taking part
	MovedAway      CloseReason = "moved-away"      // left the practice or the area
	Died           CloseReason = "died"            // the person died
	NotContactable CloseReason = "not-contactable" // the advisor could not reach them
	NotReferred    CloseReason = "not-referred"    // the MDT chose the medical pathway or no action
)

// CloseReasons lists every reason.
func CloseReasons() []CloseReason {
	return []CloseReason{GoalsMet, ReasonDeclined, MovedAway, Died, NotContactable, NotReferred}
}

// closeReasons is CloseReasons as the package checks it: changing the
// exported list changes nothing.
var closeReasons = CloseReasons()

// Need is something a person needs help with, recorded at assessment
// against a fixed list so that needs can be counted and matched to
// activities.
type Need string

// Needs recorded at assessment.
const (
	NeedLoneliness       Need = "loneliness"
	NeedMobility         Need = "mobility"
	NeedDebt             Need = "debt"
	NeedHousing          Need = "housing"
	NeedCarerSupport     Need = "carer-support"
	NeedMentalWellbeing  Need = "mental-wellbeing"
	NeedPhysicalActivity Need = "physical-activity"
	NeedBenefits         Need = "benefits"
	NeedEmployment       Need = "employment"
	NeedBereavement      Need = "bereavement"
	NeedNutrition        Need = "nutrition"
	NeedDigital          Need = "digital"
)

// Needs lists every need.
func Needs() []Need {
	return []Need{NeedLoneliness, NeedMobility, NeedDebt, NeedHousing, NeedCarerSupport, NeedMentalWellbeing,
		NeedPhysicalActivity, NeedBenefits, NeedEmployment, NeedBereavement, NeedNutrition, NeedDigital}
}

// allNeeds is Needs as the package checks it.
var allNeeds = Needs()

// checkNeeds refuses an empty or unknown need, or one listed twice.
func checkNeeds(field string, needs []Need, required bool) error {
	if required && len(needs) == 0 {
		return invalid(field, "record at least one need")
	}
	for i, n := range needs {
		if !slices.Contains(allNeeds, n) {
			return invalid(field, "%q is not on the needs list", n)
		}
		if slices.Contains(needs[:i], n) {
			return invalid(field, "%q is listed twice", n)
		}
	}
	return nil
}

// Offer is an activity or service offered to a person, and whether they
// took it up and attended.
type Offer struct {
	Activity string // the Directory's id
	Name     string
	Needs    []Need // the person's needs it meets
	At       time.Time
	By       string
	TakenUp  *time.Time
	Attended *time.Time
}

// SecondaryCare is a person's use of hospital and GP services in the 12
// months before and the 12 months after referral, as imported from the
// practice and hospital systems (Service.ImportUsage, or one person at a
// time with Service.RecordUsage).
//
// The two windows arrive apart — the 12 months before around the time of
// referral, the 12 months after a year later — so each is recorded on its
// own: a nil window is not yet recorded. The report compares only people
// with both (Report.SecondaryCare).
type SecondaryCare struct {
	Before *Usage // the 12 months before referral; nil until recorded
	After  *Usage // the 12 months after referral; nil until recorded
}

// Complete reports whether both windows are recorded.
func (c *SecondaryCare) Complete() bool {
	return c != nil && c.Before != nil && c.After != nil
}

// merge returns c with the windows u gives (non-nil) set, copied, and
// the others kept as they were. c may be nil.
func (c *SecondaryCare) merge(u SecondaryCare) *SecondaryCare {
	out := &SecondaryCare{}
	if c != nil {
		out.Before, out.After = c.Before, c.After
	}
	if u.Before != nil {
		b := *u.Before
		out.Before = &b
	}
	if u.After != nil {
		a := *u.After
		out.After = &a
	}
	return out
}

// validate checks the windows given: at least one, each within bounds.
func (c SecondaryCare) validate() error {
	if c.Before == nil && c.After == nil {
		return invalid("Before", "no window given: give the before window, the after window or both")
	}
	if c.Before != nil {
		if err := c.Before.validate("Before"); err != nil {
			return err
		}
	}
	if c.After != nil {
		if err := c.After.validate("After"); err != nil {
			return err
		}
	}
	return nil
}

// Usage counts a person's use of services over 12 months.
type Usage struct {
	AE         int // A&E attendances
	Admissions int // non-elective admissions
	GPContacts int
}

func (u Usage) validate(field string) error {
	for _, v := range []struct {
		n    string
		v    int
		most int
	}{{"AE", u.AE, 366}, {"Admissions", u.Admissions, 366}, {"GPContacts", u.GPContacts, 2000}} {
		if v.v < 0 || v.v > v.most {
			return invalid(field+"."+v.n, "%d is outside 0–%d", v.v, v.most)
		}
	}
	return nil
}

// Story is a case study or story about a person's journey, told with
// their consent: Consent records who recorded it and when, and whether the
// story may be published beyond the scheme.
type Story struct {
	ID      string
	Title   string
	Text    string
	Consent Consent
	At      time.Time
	By      string
}

// Consent is a person's consent to their story being kept and used.
type Consent struct {
	Given   bool
	Publish bool      // may be published outside the scheme, anonymised
	On      time.Time // when they gave it
}

// Validate checks the referral's own fields (not its history).
func (r *Referral) Validate() error {
	switch {
	case r.ID == "":
		return invalid("ID", "is required")
	case r.Practice == "":
		return invalid("Practice", "is required")
	case r.Patient == "":
		return invalid("Patient", "is required")
	case !slices.Contains([]Source{SourceMDT, SourceGP, SourceProfessional}, r.Source):
		return invalid("Source", "%q is not a source", r.Source)
	case !slices.Contains(states, r.State):
		return invalid("State", "%q is not a state", r.State)
	case r.Code != SNOMEDReferral && r.Code != SNOMEDDeclined:
		return invalid("Code", "%q is not a social prescribing SNOMED CT concept", r.Code)
	case r.CloseReason != "" && !slices.Contains(closeReasons, r.CloseReason):
		return invalid("CloseReason", "%q is not a reason", r.CloseReason)
	}
	return checkNeeds("Needs", r.Needs, false)
}

// trimNote cleans a free-text note and checks it (checkText).
func trimNote(field, s string, most int) (string, error) {
	s = strings.TrimSpace(s)
	if err := checkText(field, s, most); err != nil {
		return "", err
	}
	return s, nil
}

// checkText refuses text that is not valid UTF-8, holds a NUL or another
// control character than tab, line feed and carriage return, or is
// longer than most bytes. No store ever sees such text.
func checkText(field, s string, most int) error {
	if len(s) > most {
		return invalid(field, "is longer than %d bytes", most)
	}
	if !utf8.ValidString(s) {
		return invalid(field, "is not valid UTF-8")
	}
	for _, r := range s {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return invalid(field, "holds a control character (such as NUL)")
		}
	}
	return nil
}
