// Package prescribingrec holds the records the SQL stores of package
// prescribing write as JSON documents, and their conversions to and from
// the domain types. The records, not the exported domain structs, are the
// stored format: their JSON names are fixed by tags, so renaming a field
// of a domain struct never changes what is stored, and every document
// carries its format version in "v".
//
// Format 1 keeps the names of the documents written before there was a
// version (format 0: JSON of the domain structs, which had no tags), so a
// format-0 document reads as it is. A document of a newer format than
// this package knows is refused.
package prescribingrec

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/prescribing"
)

// Version is the format this package writes.
const Version = 1

// Practice is the stored form of a prescribing.Practice.
type Practice struct {
	V          int             `json:"v"`
	ID         string          `json:"ID"`
	ODS        string          `json:"ODS"`
	Name       string          `json:"Name"`
	PCN        string          `json:"PCN"`
	Area       string          `json:"Area"`
	Ward       string          `json:"Ward,omitempty"`
	TopPercent decimal.Decimal `json:"TopPercent"`
	Stamp
}

// Stamp is who made and last changed a record, when, and its version.
type Stamp struct {
	CreatedAt time.Time `json:"CreatedAt"`
	CreatedBy string    `json:"CreatedBy"`
	UpdatedAt time.Time `json:"UpdatedAt,omitzero"`
	UpdatedBy string    `json:"UpdatedBy,omitempty"`
	Version   int64     `json:"Version"`
}

// Staff is the stored form of a prescribing.Staff.
type Staff struct {
	V         int      `json:"v"`
	ID        string   `json:"ID"`
	Name      string   `json:"Name"`
	Role      string   `json:"Role"`
	Practices []string `json:"Practices"`
	Caseload  int      `json:"Caseload"`
	Active    bool     `json:"Active"`
	Stamp
}

// Patient is the stored form of a prescribing.Patient.
type Patient struct {
	V         int    `json:"v"`
	ID        string `json:"ID"`
	Practice  string `json:"Practice"`
	NHSNumber string `json:"NHSNumber"`
	Name      string `json:"Name"`
	Area      string `json:"Area"`
	Stamp
}

// ScoreSet is the stored form of a prescribing.ScoreSet.
type ScoreSet struct {
	V        int       `json:"v"`
	ID       string    `json:"ID"`
	Practice string    `json:"Practice"`
	Model    string    `json:"Model"`
	ScoredOn time.Time `json:"ScoredOn"`
	Scores   []Ranked  `json:"Scores"`
	Stamp
}

// Ranked is a patient's score.
type Ranked struct {
	Patient string `json:"Patient"`
	Score   int64  `json:"Score"` // millionths
}

// Stratification is the stored form of a prescribing.Stratification.
type Stratification struct {
	V           int             `json:"v"`
	ID          string          `json:"ID"`
	Practice    string          `json:"Practice"`
	ScoreSet    string          `json:"ScoreSet"`
	Model       string          `json:"Model"`
	Percent     decimal.Decimal `json:"Percent"`
	ListSize    int             `json:"ListSize"`
	Cutoff      int64           `json:"Cutoff"`
	Selected    []Ranked        `json:"Selected"`
	Adjustments []Adjustment    `json:"Adjustments"`
	Stamp
}

// Adjustment is the stored form of a prescribing.Adjustment.
type Adjustment struct {
	Patient string    `json:"Patient"`
	Include bool      `json:"Include"`
	Reason  string    `json:"Reason"`
	By      string    `json:"By"`
	At      time.Time `json:"At"`
}

// Meeting is the stored form of a prescribing.Meeting.
type Meeting struct {
	V        int       `json:"v"`
	ID       string    `json:"ID"`
	Practice string    `json:"Practice"`
	Date     time.Time `json:"Date"`
	Members  []Member  `json:"Members"`
	Cases    []Case    `json:"Cases"`
	Stamp
}

// Member is the stored form of a prescribing.Member.
type Member struct {
	Staff string `json:"Staff"`
	Role  string `json:"Role"`
}

// Case is the stored form of a prescribing.Case.
type Case struct {
	Patient  string `json:"Patient"`
	Outcome  string `json:"Outcome"`
	Notes    string `json:"Notes"`
	Referral string `json:"Referral"`
}

// Referral is the stored form of a prescribing.Referral.
type Referral struct {
	V           int          `json:"v"`
	ID          string       `json:"ID"`
	Practice    string       `json:"Practice"`
	Patient     string       `json:"Patient"`
	Source      string       `json:"Source"`
	Referrer    string       `json:"Referrer"`
	Meeting     string       `json:"Meeting"`
	State       string       `json:"State"`
	HeldFrom    string       `json:"HeldFrom"`
	Advisor     string       `json:"Advisor"`
	Code        string       `json:"Code"`
	Needs       []string     `json:"Needs"`
	Offers      []Offer      `json:"Offers"`
	Wellbeing   []Wellbeing  `json:"Wellbeing"`
	Usage       *Care        `json:"Usage"`
	Stories     []Story      `json:"Stories"`
	CloseReason string       `json:"CloseReason"`
	History     []Transition `json:"History"`
	Stamp
}

// Offer is the stored form of a prescribing.Offer.
type Offer struct {
	Activity string     `json:"Activity"`
	Name     string     `json:"Name"`
	Needs    []string   `json:"Needs"`
	At       time.Time  `json:"At"`
	By       string     `json:"By"`
	TakenUp  *time.Time `json:"TakenUp"`
	Attended *time.Time `json:"Attended"`
}

// Wellbeing is the stored form of a prescribing.Wellbeing.
type Wellbeing struct {
	Stage   string    `json:"Stage"`
	At      time.Time `json:"At"`
	ONS4    *ONS4     `json:"ONS4"`
	SWEMWBS *[7]int   `json:"SWEMWBS"`
	Wheel   *[8]int   `json:"Wheel"`
}

// ONS4 is the stored form of a prescribing.ONS4.
type ONS4 struct {
	Satisfied  int `json:"Satisfied"`
	Worthwhile int `json:"Worthwhile"`
	Happy      int `json:"Happy"`
	Anxious    int `json:"Anxious"`
}

// Care is the stored form of a prescribing.SecondaryCare.
type Care struct {
	Before *Usage `json:"Before"`
	After  *Usage `json:"After"`
}

// Usage is the stored form of a prescribing.Usage.
type Usage struct {
	AE         int `json:"AE"`
	Admissions int `json:"Admissions"`
	GPContacts int `json:"GPContacts"`
}

// Story is the stored form of a prescribing.Story.
type Story struct {
	ID      string    `json:"ID"`
	Title   string    `json:"Title"`
	Text    string    `json:"Text"`
	Consent Consent   `json:"Consent"`
	At      time.Time `json:"At"`
	By      string    `json:"By"`
}

// Consent is the stored form of a prescribing.Consent.
type Consent struct {
	Given   bool      `json:"Given"`
	Publish bool      `json:"Publish"`
	On      time.Time `json:"On"`
}

// Transition is the stored form of a prescribing.Transition.
type Transition struct {
	From string    `json:"From"`
	To   string    `json:"To"`
	At   time.Time `json:"At"`
	By   string    `json:"By"`
	Note string    `json:"Note"`
}

// Record is a domain type the package stores.
type Record interface {
	prescribing.Practice | prescribing.Staff | prescribing.Patient | prescribing.ScoreSet |
		prescribing.Stratification | prescribing.Meeting | prescribing.Referral
}

// Marshal returns the stored document of a domain record: a
// *prescribing.Practice, Staff, Patient, ScoreSet, Stratification, Meeting
// or Referral.
func Marshal(x any) ([]byte, error) {
	var rec any
	switch x := x.(type) {
	case *prescribing.Practice:
		rec = fromPractice(x)
	case *prescribing.Staff:
		rec = fromStaff(x)
	case *prescribing.Patient:
		rec = fromPatient(x)
	case *prescribing.ScoreSet:
		rec = fromScoreSet(x)
	case *prescribing.Stratification:
		rec = fromStratification(x)
	case *prescribing.Meeting:
		rec = fromMeeting(x)
	case *prescribing.Referral:
		rec = fromReferral(x)
	default:
		return nil, fmt.Errorf("prescribingrec: %T is not a record the store keeps", x)
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("prescribingrec: marshal: %w", err)
	}
	return b, nil
}

// Unmarshal reads a stored document of format 0 or 1 into a domain
// record.
func Unmarshal[T Record](data []byte) (*T, error) {
	var out any
	var v int
	var err error
	switch any(new(T)).(type) {
	case *prescribing.Practice:
		var r Practice
		err, v = json.Unmarshal(data, &r), r.V
		out = toPractice(&r)
	case *prescribing.Staff:
		var r Staff
		err, v = json.Unmarshal(data, &r), r.V
		out = toStaff(&r)
	case *prescribing.Patient:
		var r Patient
		err, v = json.Unmarshal(data, &r), r.V
		out = toPatient(&r)
	case *prescribing.ScoreSet:
		var r ScoreSet
		err, v = json.Unmarshal(data, &r), r.V
		out = toScoreSet(&r)
	case *prescribing.Stratification:
		var r Stratification
		err, v = json.Unmarshal(data, &r), r.V
		out = toStratification(&r)
	case *prescribing.Meeting:
		var r Meeting
		err, v = json.Unmarshal(data, &r), r.V
		out = toMeeting(&r)
	case *prescribing.Referral:
		var r Referral
		err, v = json.Unmarshal(data, &r), r.V
		out = toReferral(&r)
	}
	if err != nil {
		return nil, fmt.Errorf("prescribingrec: unmarshal: %w", err)
	}
	if v < 0 || v > Version {
		return nil, fmt.Errorf("prescribingrec: a document of format %d; this release reads formats 0 to %d: upgrade the library", v, Version)
	}
	return out.(*T), nil
}

func stamp(createdAt time.Time, createdBy string, updatedAt time.Time, updatedBy string, version int64) Stamp {
	return Stamp{CreatedAt: createdAt, CreatedBy: createdBy, UpdatedAt: updatedAt, UpdatedBy: updatedBy, Version: version}
}

func utc(t time.Time) time.Time { return t.UTC() }

func utcp(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func fromPractice(x *prescribing.Practice) Practice {
	return Practice{V: Version, ID: x.ID, ODS: x.ODS, Name: x.Name, PCN: x.PCN, Area: x.Area, Ward: x.Ward, TopPercent: x.TopPercent,
		Stamp: stamp(x.CreatedAt, x.CreatedBy, x.UpdatedAt, x.UpdatedBy, x.Version)}
}

func toPractice(r *Practice) *prescribing.Practice {
	return &prescribing.Practice{ID: r.ID, ODS: r.ODS, Name: r.Name, PCN: r.PCN, Area: r.Area, Ward: r.Ward, TopPercent: r.TopPercent,
		CreatedAt: utc(r.CreatedAt), CreatedBy: r.CreatedBy, UpdatedAt: utc(r.UpdatedAt), UpdatedBy: r.UpdatedBy, Version: r.Version}
}

func fromStaff(x *prescribing.Staff) Staff {
	return Staff{V: Version, ID: x.ID, Name: x.Name, Role: string(x.Role), Practices: x.Practices, Caseload: x.Caseload, Active: x.Active,
		Stamp: stamp(x.CreatedAt, x.CreatedBy, x.UpdatedAt, x.UpdatedBy, x.Version)}
}

func toStaff(r *Staff) *prescribing.Staff {
	return &prescribing.Staff{ID: r.ID, Name: r.Name, Role: prescribing.Role(r.Role), Practices: r.Practices, Caseload: r.Caseload, Active: r.Active,
		CreatedAt: utc(r.CreatedAt), CreatedBy: r.CreatedBy, UpdatedAt: utc(r.UpdatedAt), UpdatedBy: r.UpdatedBy, Version: r.Version}
}

func fromPatient(x *prescribing.Patient) Patient {
	return Patient{V: Version, ID: x.ID, Practice: x.Practice, NHSNumber: string(x.NHSNumber), Name: x.Name, Area: x.Area,
		Stamp: stamp(x.CreatedAt, x.CreatedBy, x.UpdatedAt, x.UpdatedBy, x.Version)}
}

func toPatient(r *Patient) *prescribing.Patient {
	return &prescribing.Patient{ID: r.ID, Practice: r.Practice, NHSNumber: prescribing.NHSNumber(r.NHSNumber), Name: r.Name, Area: r.Area,
		CreatedAt: utc(r.CreatedAt), CreatedBy: r.CreatedBy, UpdatedAt: utc(r.UpdatedAt), UpdatedBy: r.UpdatedBy, Version: r.Version}
}

func fromRanked(xs []prescribing.Ranked) []Ranked {
	if xs == nil {
		return nil
	}
	out := make([]Ranked, len(xs))
	for i, x := range xs {
		out[i] = Ranked{Patient: x.Patient, Score: int64(x.Score)}
	}
	return out
}

func toRanked(rs []Ranked) []prescribing.Ranked {
	if rs == nil {
		return nil
	}
	out := make([]prescribing.Ranked, len(rs))
	for i, r := range rs {
		out[i] = prescribing.Ranked{Patient: r.Patient, Score: prescribing.Score(r.Score)}
	}
	return out
}

func fromScoreSet(x *prescribing.ScoreSet) ScoreSet {
	scores := make([]prescribing.Ranked, len(x.Scores))
	for i, s := range x.Scores {
		scores[i] = prescribing.Ranked(s)
	}
	if x.Scores == nil {
		scores = nil
	}
	return ScoreSet{V: Version, ID: x.ID, Practice: x.Practice, Model: x.Model, ScoredOn: x.ScoredOn, Scores: fromRanked(scores),
		Stamp: stamp(x.CreatedAt, x.CreatedBy, time.Time{}, "", x.Version)}
}

func toScoreSet(r *ScoreSet) *prescribing.ScoreSet {
	var scores []prescribing.PatientScore
	if r.Scores != nil {
		scores = make([]prescribing.PatientScore, len(r.Scores))
		for i, s := range r.Scores {
			scores[i] = prescribing.PatientScore{Patient: s.Patient, Score: prescribing.Score(s.Score)}
		}
	}
	return &prescribing.ScoreSet{ID: r.ID, Practice: r.Practice, Model: r.Model, ScoredOn: utc(r.ScoredOn), Scores: scores,
		CreatedAt: utc(r.CreatedAt), CreatedBy: r.CreatedBy, Version: r.Version}
}

func fromStratification(x *prescribing.Stratification) Stratification {
	var adj []Adjustment
	for _, a := range x.Adjustments {
		adj = append(adj, Adjustment{Patient: a.Patient, Include: a.Include, Reason: a.Reason, By: a.By, At: a.At})
	}
	return Stratification{V: Version, ID: x.ID, Practice: x.Practice, ScoreSet: x.ScoreSet, Model: x.Model, Percent: x.Percent,
		ListSize: x.ListSize, Cutoff: int64(x.Cutoff), Selected: fromRanked(x.Selected), Adjustments: adj,
		Stamp: stamp(x.CreatedAt, x.CreatedBy, x.UpdatedAt, x.UpdatedBy, x.Version)}
}

func toStratification(r *Stratification) *prescribing.Stratification {
	var adj []prescribing.Adjustment
	for _, a := range r.Adjustments {
		adj = append(adj, prescribing.Adjustment{Patient: a.Patient, Include: a.Include, Reason: a.Reason, By: a.By, At: utc(a.At)})
	}
	return &prescribing.Stratification{ID: r.ID, Practice: r.Practice, ScoreSet: r.ScoreSet, Model: r.Model, Percent: r.Percent,
		ListSize: r.ListSize, Cutoff: prescribing.Score(r.Cutoff), Selected: toRanked(r.Selected), Adjustments: adj,
		CreatedAt: utc(r.CreatedAt), CreatedBy: r.CreatedBy, UpdatedAt: utc(r.UpdatedAt), UpdatedBy: r.UpdatedBy, Version: r.Version}
}

func fromMeeting(x *prescribing.Meeting) Meeting {
	var ms []Member
	for _, m := range x.Members {
		ms = append(ms, Member{Staff: m.Staff, Role: string(m.Role)})
	}
	var cs []Case
	for _, c := range x.Cases {
		cs = append(cs, Case{Patient: c.Patient, Outcome: string(c.Outcome), Notes: c.Notes, Referral: c.Referral})
	}
	return Meeting{V: Version, ID: x.ID, Practice: x.Practice, Date: x.Date, Members: ms, Cases: cs,
		Stamp: stamp(x.CreatedAt, x.CreatedBy, time.Time{}, "", x.Version)}
}

func toMeeting(r *Meeting) *prescribing.Meeting {
	var ms []prescribing.Member
	for _, m := range r.Members {
		ms = append(ms, prescribing.Member{Staff: m.Staff, Role: prescribing.Role(m.Role)})
	}
	var cs []prescribing.Case
	for _, c := range r.Cases {
		cs = append(cs, prescribing.Case{Patient: c.Patient, Outcome: prescribing.Outcome(c.Outcome), Notes: c.Notes, Referral: c.Referral})
	}
	return &prescribing.Meeting{ID: r.ID, Practice: r.Practice, Date: utc(r.Date), Members: ms, Cases: cs,
		CreatedAt: utc(r.CreatedAt), CreatedBy: r.CreatedBy, Version: r.Version}
}

func fromNeeds(ns []prescribing.Need) []string {
	if ns == nil {
		return nil
	}
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = string(n)
	}
	return out
}

func toNeeds(ns []string) []prescribing.Need {
	if ns == nil {
		return nil
	}
	out := make([]prescribing.Need, len(ns))
	for i, n := range ns {
		out[i] = prescribing.Need(n)
	}
	return out
}

func fromUsage(u *prescribing.Usage) *Usage {
	if u == nil {
		return nil
	}
	return &Usage{AE: u.AE, Admissions: u.Admissions, GPContacts: u.GPContacts}
}

func toUsage(u *Usage) *prescribing.Usage {
	if u == nil {
		return nil
	}
	return &prescribing.Usage{AE: u.AE, Admissions: u.Admissions, GPContacts: u.GPContacts}
}

func fromReferral(x *prescribing.Referral) Referral {
	r := Referral{V: Version, ID: x.ID, Practice: x.Practice, Patient: x.Patient, Source: string(x.Source), Referrer: x.Referrer,
		Meeting: x.Meeting, State: string(x.State), HeldFrom: string(x.HeldFrom), Advisor: x.Advisor, Code: x.Code,
		Needs: fromNeeds(x.Needs), CloseReason: string(x.CloseReason),
		Stamp: stamp(x.CreatedAt, x.CreatedBy, x.UpdatedAt, x.UpdatedBy, x.Version)}
	for _, o := range x.Offers {
		r.Offers = append(r.Offers, Offer{Activity: o.Activity, Name: o.Name, Needs: fromNeeds(o.Needs), At: o.At, By: o.By, TakenUp: o.TakenUp, Attended: o.Attended})
	}
	for _, w := range x.Wellbeing {
		rw := Wellbeing{Stage: string(w.Stage), At: w.At}
		if w.ONS4 != nil {
			rw.ONS4 = &ONS4{Satisfied: w.ONS4.Satisfied, Worthwhile: w.ONS4.Worthwhile, Happy: w.ONS4.Happy, Anxious: w.ONS4.Anxious}
		}
		if w.SWEMWBS != nil {
			v := [7]int(*w.SWEMWBS)
			rw.SWEMWBS = &v
		}
		if w.Wheel != nil {
			v := [8]int(*w.Wheel)
			rw.Wheel = &v
		}
		r.Wellbeing = append(r.Wellbeing, rw)
	}
	if x.Usage != nil {
		r.Usage = &Care{Before: fromUsage(x.Usage.Before), After: fromUsage(x.Usage.After)}
	}
	for _, s := range x.Stories {
		r.Stories = append(r.Stories, Story{ID: s.ID, Title: s.Title, Text: s.Text,
			Consent: Consent{Given: s.Consent.Given, Publish: s.Consent.Publish, On: s.Consent.On}, At: s.At, By: s.By})
	}
	for _, t := range x.History {
		r.History = append(r.History, Transition{From: string(t.From), To: string(t.To), At: t.At, By: t.By, Note: t.Note})
	}
	return r
}

func toReferral(r *Referral) *prescribing.Referral {
	x := &prescribing.Referral{ID: r.ID, Practice: r.Practice, Patient: r.Patient, Source: prescribing.Source(r.Source), Referrer: r.Referrer,
		Meeting: r.Meeting, State: prescribing.State(r.State), HeldFrom: prescribing.State(r.HeldFrom), Advisor: r.Advisor, Code: r.Code,
		Needs: toNeeds(r.Needs), CloseReason: prescribing.CloseReason(r.CloseReason),
		CreatedAt: utc(r.CreatedAt), CreatedBy: r.CreatedBy, UpdatedAt: utc(r.UpdatedAt), UpdatedBy: r.UpdatedBy, Version: r.Version}
	for _, o := range r.Offers {
		x.Offers = append(x.Offers, prescribing.Offer{Activity: o.Activity, Name: o.Name, Needs: toNeeds(o.Needs), At: utc(o.At), By: o.By,
			TakenUp: utcp(o.TakenUp), Attended: utcp(o.Attended)})
	}
	for _, w := range r.Wellbeing {
		xw := prescribing.Wellbeing{Stage: prescribing.Stage(w.Stage), At: utc(w.At)}
		if w.ONS4 != nil {
			xw.ONS4 = &prescribing.ONS4{Satisfied: w.ONS4.Satisfied, Worthwhile: w.ONS4.Worthwhile, Happy: w.ONS4.Happy, Anxious: w.ONS4.Anxious}
		}
		if w.SWEMWBS != nil {
			v := prescribing.SWEMWBS(*w.SWEMWBS)
			xw.SWEMWBS = &v
		}
		if w.Wheel != nil {
			v := prescribing.Wheel(*w.Wheel)
			xw.Wheel = &v
		}
		x.Wellbeing = append(x.Wellbeing, xw)
	}
	if r.Usage != nil {
		x.Usage = &prescribing.SecondaryCare{Before: toUsage(r.Usage.Before), After: toUsage(r.Usage.After)}
	}
	for _, s := range r.Stories {
		x.Stories = append(x.Stories, prescribing.Story{ID: s.ID, Title: s.Title, Text: s.Text,
			Consent: prescribing.Consent{Given: s.Consent.Given, Publish: s.Consent.Publish, On: utc(s.Consent.On)}, At: utc(s.At), By: s.By})
	}
	for _, t := range r.History {
		x.History = append(x.History, prescribing.Transition{From: prescribing.State(t.From), To: prescribing.State(t.To), At: utc(t.At), By: t.By, Note: t.Note})
	}
	return x
}
