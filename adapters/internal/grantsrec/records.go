package grantsrec

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/grants"
)

// Version is the format version Encode writes. Bodies without "v" are
// format 0, whose keys format 1 kept.
const Version = 1

// Fund is a stored grants.Fund.
type Fund struct {
	V           int             `json:"v"`
	ID          string          `json:"ID"`
	Name        string          `json:"Name"`
	Description string          `json:"Description"`
	FunderName  string          `json:"FunderName"`
	FunderID    string          `json:"FunderID"`
	Prefix      string          `json:"Prefix"`
	Budgets     []Budget        `json:"Budgets"`
	MinAward    decimal.Decimal `json:"MinAward"`
	MaxAward    decimal.Decimal `json:"MaxAward"`
	Priorities  []string        `json:"Priorities"`
	Criteria    []string        `json:"Criteria"`
	MaxScore    int             `json:"MaxScore"`
	Quorum      int             `json:"Quorum"`
	Rules       []Rule          `json:"Rules"`
	CreatedAt   time.Time       `json:"CreatedAt"`
	CreatedBy   string          `json:"CreatedBy"`
	UpdatedAt   time.Time       `json:"UpdatedAt"`
	UpdatedBy   string          `json:"UpdatedBy"`
	Version     int64           `json:"Version"`
}

// Budget is a stored grants.Budget.
type Budget struct {
	Year   int             `json:"Year"`
	Amount decimal.Decimal `json:"Amount"`
}

// Rule is a stored grants.Rule; its keys are those of the rules' own JSON.
type Rule struct {
	Kind       string           `json:"kind"`
	Name       string           `json:"name,omitempty"`
	Min        *decimal.Decimal `json:"min,omitempty"`
	Max        *decimal.Decimal `json:"max,omitempty"`
	Types      []string         `json:"types,omitempty"`
	Exclude    []string         `json:"exclude,omitempty"`
	Count      int              `json:"count,omitempty"`
	Minutes    int64            `json:"minutes,omitempty"`
	HourlyRate *decimal.Decimal `json:"hourlyRate,omitempty"`
	Share      *decimal.Decimal `json:"share,omitempty"`
	Priorities []string         `json:"priorities,omitempty"`
	Rules      []Rule           `json:"rules,omitempty"`
}

// Round is a stored grants.Round.
type Round struct {
	V         int       `json:"v"`
	ID        string    `json:"ID"`
	Fund      string    `json:"Fund"`
	Name      string    `json:"Name"`
	Year      int       `json:"Year"`
	Opens     time.Time `json:"Opens"`
	Closes    time.Time `json:"Closes"`
	CreatedAt time.Time `json:"CreatedAt"`
	CreatedBy string    `json:"CreatedBy"`
	Version   int64     `json:"Version"`
}

// Staff is a stored grants.Staff.
type Staff struct {
	V         int       `json:"v"`
	ID        string    `json:"ID"`
	Name      string    `json:"Name"`
	Roles     []string  `json:"Roles"`
	Active    bool      `json:"Active"`
	CreatedAt time.Time `json:"CreatedAt"`
	CreatedBy string    `json:"CreatedBy"`
	Version   int64     `json:"Version"`
}

// Application is a stored grants.Application.
type Application struct {
	V            int             `json:"v"`
	ID           string          `json:"ID"`
	Fund         string          `json:"Fund"`
	Round        string          `json:"Round"`
	Year         int             `json:"Year"`
	Owner        string          `json:"Owner"`
	Title        string          `json:"Title"`
	Description  string          `json:"Description"`
	Idea         string          `json:"Idea"`
	Applicant    Applicant       `json:"Applicant"`
	Ward         string          `json:"Ward"`
	Amount       decimal.Decimal `json:"Amount"`
	Costs        []Cost          `json:"Costs"`
	Purposes     []string        `json:"Purposes"`
	Priorities   []string        `json:"Priorities"`
	Supporters   []Supporter     `json:"Supporters"`
	CashMatch    decimal.Decimal `json:"CashMatch"`
	InKindMatch  decimal.Decimal `json:"InKindMatch"`
	PlannedStart *time.Time      `json:"PlannedStart"`
	PlannedEnd   *time.Time      `json:"PlannedEnd"`
	Status       string          `json:"Status"`
	Eligibility  *Eligibility    `json:"Eligibility"`
	Conflicts    []Conflict      `json:"Conflicts"`
	Scores       []Score         `json:"Scores"`
	Decision     *Decision       `json:"Decision"`
	Award        decimal.Decimal `json:"Award"`
	AwardedAt    *time.Time      `json:"AwardedAt"`
	Paid         decimal.Decimal `json:"Paid"`
	Payments     []Payment       `json:"Payments"`
	Outcome      *Outcome        `json:"Outcome"`
	Note         string          `json:"Note"`
	CreatedAt    time.Time       `json:"CreatedAt"`
	UpdatedAt    time.Time       `json:"UpdatedAt"`
	UpdatedBy    string          `json:"UpdatedBy"`
	Version      int64           `json:"Version"`
}

// Applicant is a stored grants.Applicant.
type Applicant struct {
	Type        string `json:"Type"`
	Name        string `json:"Name"`
	OrgID       string `json:"OrgID"`
	ContactName string `json:"ContactName"`
	Email       string `json:"Email"`
	Phone       string `json:"Phone"`
	Postcode    string `json:"Postcode"`
	Regrants    bool   `json:"Regrants"`
}

// Cost is a stored grants.Cost.
type Cost struct {
	Item    string          `json:"Item"`
	Amount  decimal.Decimal `json:"Amount"`
	Running bool            `json:"Running"`
}

// Supporter is a stored grants.Supporter.
type Supporter struct {
	Name      string `json:"Name"`
	Pledged   int64  `json:"Pledged"`
	Delivered int64  `json:"Delivered"`
}

// Eligibility is a stored grants.Eligibility.
type Eligibility struct {
	Pass   bool    `json:"Pass"`
	Checks []Check `json:"Checks"`
}

// Check is a stored grants.Check.
type Check struct {
	Rule   string `json:"Rule"`
	Pass   bool   `json:"Pass"`
	Reason string `json:"Reason"`
}

// Conflict is a stored grants.Conflict.
type Conflict struct {
	Member string    `json:"Member"`
	Reason string    `json:"Reason"`
	At     time.Time `json:"At"`
}

// Score is a stored grants.Score.
type Score struct {
	Member   string         `json:"Member"`
	Scores   map[string]int `json:"Scores"`
	Total    int            `json:"Total"`
	Comment  string         `json:"Comment"`
	Excluded bool           `json:"Excluded"`
	At       time.Time      `json:"At"`
}

// Decision is a stored grants.Decision.
type Decision struct {
	By       string          `json:"By"`
	At       time.Time       `json:"At"`
	Approved bool            `json:"Approved"`
	Amount   decimal.Decimal `json:"Amount"`
	Reason   string          `json:"Reason"`
	Counted  int             `json:"Counted"`
	Mean     decimal.Decimal `json:"Mean"`
}

// Payment is a stored grants.Payment.
type Payment struct {
	ID        string          `json:"ID"`
	Amount    decimal.Decimal `json:"Amount"`
	Reference string          `json:"Reference"`
	By        string          `json:"By"`
	At        time.Time       `json:"At"`
}

// Outcome is a stored grants.Outcome.
type Outcome struct {
	Summary       string    `json:"Summary"`
	PeopleReached int       `json:"PeopleReached"`
	Photos        []string  `json:"Photos"`
	At            time.Time `json:"At"`
	By            string    `json:"By"`
}

func conv[A, B any](xs []A, f func(A) B) []B {
	if xs == nil {
		return nil
	}
	out := make([]B, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func ptr[A, B any](x *A, f func(A) B) *B {
	if x == nil {
		return nil
	}
	v := f(*x)
	return &v
}

func same[T any](x T) T { return x }

func copyTime(t *time.Time) *time.Time { return ptr(t, same[time.Time]) }

func copyDec(d *decimal.Decimal) *decimal.Decimal { return ptr(d, same[decimal.Decimal]) }

// FundOf returns f's stored form.
func FundOf(f *grants.Fund) Fund {
	return Fund{V: Version, ID: f.ID, Name: f.Name, Description: f.Description, FunderName: f.FunderName, FunderID: f.FunderID,
		Prefix: f.Prefix, Budgets: conv(f.Budgets, func(b grants.Budget) Budget { return Budget{Year: b.Year, Amount: b.Amount} }),
		MinAward: f.MinAward, MaxAward: f.MaxAward, Priorities: slices.Clone(f.Priorities), Criteria: slices.Clone(f.Criteria),
		MaxScore: f.MaxScore, Quorum: f.Quorum, Rules: conv(f.Rules, ruleOf),
		CreatedAt: f.CreatedAt, CreatedBy: f.CreatedBy, UpdatedAt: f.UpdatedAt, UpdatedBy: f.UpdatedBy, Version: f.Version}
}

// Grants returns the fund the record stores.
func (r Fund) Grants() *grants.Fund {
	return &grants.Fund{ID: r.ID, Name: r.Name, Description: r.Description, FunderName: r.FunderName, FunderID: r.FunderID,
		Prefix: r.Prefix, Budgets: conv(r.Budgets, func(b Budget) grants.Budget { return grants.Budget{Year: b.Year, Amount: b.Amount} }),
		MinAward: r.MinAward, MaxAward: r.MaxAward, Priorities: slices.Clone(r.Priorities), Criteria: slices.Clone(r.Criteria),
		MaxScore: r.MaxScore, Quorum: r.Quorum, Rules: conv(r.Rules, Rule.grants),
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy, Version: r.Version}
}

func ruleOf(r grants.Rule) Rule {
	return Rule{Kind: string(r.Kind), Name: r.Name, Min: copyDec(r.Min), Max: copyDec(r.Max),
		Types: conv(r.Types, func(t grants.ApplicantType) string { return string(t) }), Exclude: slices.Clone(r.Exclude),
		Count: r.Count, Minutes: r.Minutes, HourlyRate: copyDec(r.HourlyRate), Share: copyDec(r.Share),
		Priorities: slices.Clone(r.Priorities), Rules: conv(r.Rules, ruleOf)}
}

func (r Rule) grants() grants.Rule {
	return grants.Rule{Kind: grants.RuleKind(r.Kind), Name: r.Name, Min: copyDec(r.Min), Max: copyDec(r.Max),
		Types: conv(r.Types, func(t string) grants.ApplicantType { return grants.ApplicantType(t) }), Exclude: slices.Clone(r.Exclude),
		Count: r.Count, Minutes: r.Minutes, HourlyRate: copyDec(r.HourlyRate), Share: copyDec(r.Share),
		Priorities: slices.Clone(r.Priorities), Rules: conv(r.Rules, Rule.grants)}
}

// RoundOf returns r's stored form.
func RoundOf(r *grants.Round) Round {
	return Round{V: Version, ID: r.ID, Fund: r.Fund, Name: r.Name, Year: r.Year, Opens: r.Opens, Closes: r.Closes,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}
}

// Grants returns the round the record stores.
func (r Round) Grants() *grants.Round {
	return &grants.Round{ID: r.ID, Fund: r.Fund, Name: r.Name, Year: r.Year, Opens: r.Opens, Closes: r.Closes,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}
}

// StaffOf returns s's stored form.
func StaffOf(s *grants.Staff) Staff {
	return Staff{V: Version, ID: s.ID, Name: s.Name, Roles: conv(s.Roles, func(r grants.Role) string { return string(r) }),
		Active: s.Active, CreatedAt: s.CreatedAt, CreatedBy: s.CreatedBy, Version: s.Version}
}

// Grants returns the member of staff the record stores.
func (r Staff) Grants() *grants.Staff {
	return &grants.Staff{ID: r.ID, Name: r.Name, Roles: conv(r.Roles, func(s string) grants.Role { return grants.Role(s) }),
		Active: r.Active, CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, Version: r.Version}
}

// ApplicationOf returns a's stored form.
func ApplicationOf(a *grants.Application) Application {
	p := a.Applicant
	return Application{V: Version, ID: a.ID, Fund: a.Fund, Round: a.Round, Year: a.Year, Owner: a.Owner,
		Title: a.Title, Description: a.Description, Idea: a.Idea,
		Applicant: Applicant{Type: string(p.Type), Name: p.Name, OrgID: p.OrgID, ContactName: p.ContactName, Email: p.Email,
			Phone: p.Phone, Postcode: p.Postcode, Regrants: p.Regrants},
		Ward: a.Ward, Amount: a.Amount,
		Costs:    conv(a.Costs, func(c grants.Cost) Cost { return Cost{Item: c.Item, Amount: c.Amount, Running: c.Running} }),
		Purposes: slices.Clone(a.Purposes), Priorities: slices.Clone(a.Priorities),
		Supporters: conv(a.Supporters, func(s grants.Supporter) Supporter {
			return Supporter{Name: s.Name, Pledged: s.Pledged, Delivered: s.Delivered}
		}),
		CashMatch: a.CashMatch, InKindMatch: a.InKindMatch, PlannedStart: copyTime(a.PlannedStart), PlannedEnd: copyTime(a.PlannedEnd),
		Status: string(a.Status),
		Eligibility: ptr(a.Eligibility, func(e grants.Eligibility) Eligibility {
			return Eligibility{Pass: e.Pass, Checks: conv(e.Checks, func(c grants.Check) Check { return Check{Rule: c.Rule, Pass: c.Pass, Reason: c.Reason} })}
		}),
		Conflicts: conv(a.Conflicts, func(c grants.Conflict) Conflict { return Conflict{Member: c.Member, Reason: c.Reason, At: c.At} }),
		Scores: conv(a.Scores, func(s grants.Score) Score {
			return Score{Member: s.Member, Scores: maps.Clone(s.Scores), Total: s.Total, Comment: s.Comment, Excluded: s.Excluded, At: s.At}
		}),
		Decision: ptr(a.Decision, func(d grants.Decision) Decision {
			return Decision{By: d.By, At: d.At, Approved: d.Approved, Amount: d.Amount, Reason: d.Reason, Counted: d.Counted, Mean: d.Mean}
		}),
		Award: a.Award, AwardedAt: copyTime(a.AwardedAt), Paid: a.Paid,
		Payments: conv(a.Payments, func(p grants.Payment) Payment {
			return Payment{ID: p.ID, Amount: p.Amount, Reference: p.Reference, By: p.By, At: p.At}
		}),
		Outcome: ptr(a.Outcome, func(o grants.Outcome) Outcome {
			return Outcome{Summary: o.Summary, PeopleReached: o.PeopleReached, Photos: slices.Clone(o.Photos), At: o.At, By: o.By}
		}),
		Note: a.Note, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, UpdatedBy: a.UpdatedBy, Version: a.Version}
}

// Grants returns the application the record stores.
func (r Application) Grants() *grants.Application {
	p := r.Applicant
	return &grants.Application{ID: r.ID, Fund: r.Fund, Round: r.Round, Year: r.Year, Owner: r.Owner,
		Title: r.Title, Description: r.Description, Idea: r.Idea,
		Applicant: grants.Applicant{Type: grants.ApplicantType(p.Type), Name: p.Name, OrgID: p.OrgID, ContactName: p.ContactName,
			Email: p.Email, Phone: p.Phone, Postcode: p.Postcode, Regrants: p.Regrants},
		Ward: r.Ward, Amount: r.Amount,
		Costs:    conv(r.Costs, func(c Cost) grants.Cost { return grants.Cost{Item: c.Item, Amount: c.Amount, Running: c.Running} }),
		Purposes: slices.Clone(r.Purposes), Priorities: slices.Clone(r.Priorities),
		Supporters: conv(r.Supporters, func(s Supporter) grants.Supporter {
			return grants.Supporter{Name: s.Name, Pledged: s.Pledged, Delivered: s.Delivered}
		}),
		CashMatch: r.CashMatch, InKindMatch: r.InKindMatch, PlannedStart: copyTime(r.PlannedStart), PlannedEnd: copyTime(r.PlannedEnd),
		Status: grants.Status(r.Status),
		Eligibility: ptr(r.Eligibility, func(e Eligibility) grants.Eligibility {
			return grants.Eligibility{Pass: e.Pass, Checks: conv(e.Checks, func(c Check) grants.Check { return grants.Check{Rule: c.Rule, Pass: c.Pass, Reason: c.Reason} })}
		}),
		Conflicts: conv(r.Conflicts, func(c Conflict) grants.Conflict { return grants.Conflict{Member: c.Member, Reason: c.Reason, At: c.At} }),
		Scores: conv(r.Scores, func(s Score) grants.Score {
			return grants.Score{Member: s.Member, Scores: maps.Clone(s.Scores), Total: s.Total, Comment: s.Comment, Excluded: s.Excluded, At: s.At}
		}),
		Decision: ptr(r.Decision, func(d Decision) grants.Decision {
			return grants.Decision{By: d.By, At: d.At, Approved: d.Approved, Amount: d.Amount, Reason: d.Reason, Counted: d.Counted, Mean: d.Mean}
		}),
		Award: r.Award, AwardedAt: copyTime(r.AwardedAt), Paid: r.Paid,
		Payments: conv(r.Payments, func(p Payment) grants.Payment {
			return grants.Payment{ID: p.ID, Amount: p.Amount, Reference: p.Reference, By: p.By, At: p.At}
		}),
		Outcome: ptr(r.Outcome, func(o Outcome) grants.Outcome {
			return grants.Outcome{Summary: o.Summary, PeopleReached: o.PeopleReached, Photos: slices.Clone(o.Photos), At: o.At, By: o.By}
		}),
		Note: r.Note, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy, Version: r.Version}
}

// Encode returns the stored JSON of a *grants.Fund, *grants.Round,
// *grants.Staff or *grants.Application.
func Encode(x any) ([]byte, error) {
	var rec any
	switch v := x.(type) {
	case *grants.Fund:
		rec = FundOf(v)
	case *grants.Round:
		rec = RoundOf(v)
	case *grants.Staff:
		rec = StaffOf(v)
	case *grants.Application:
		rec = ApplicationOf(v)
	default:
		return nil, fmt.Errorf("grantsrec: cannot encode %T", x)
	}
	return json.Marshal(rec)
}

// record is what Decode reads into.
type record[T any] interface {
	Fund | Round | Staff | Application
	Grants() *T
}

// Decode reads a stored body of format 0 or 1 into its grants type.
func Decode[R record[T], T any](body []byte) (*T, error) {
	var r R
	if err := json.Unmarshal(body, &r); err != nil {
		return nil, fmt.Errorf("decode stored %T: %w", r, err)
	}
	if v := version(r); v > Version {
		return nil, fmt.Errorf("decode stored %T: format %d is newer than this code reads (%d)", r, v, Version)
	}
	return r.Grants(), nil
}

func version(r any) int {
	switch v := r.(type) {
	case Fund:
		return v.V
	case Round:
		return v.V
	case Staff:
		return v.V
	case Application:
		return v.V
	}
	return 0
}

// DecodeFund reads a stored fund.
func DecodeFund(body []byte) (*grants.Fund, error) { return Decode[Fund](body) }

// DecodeRound reads a stored round.
func DecodeRound(body []byte) (*grants.Round, error) { return Decode[Round](body) }

// DecodeStaff reads a stored member of staff.
func DecodeStaff(body []byte) (*grants.Staff, error) { return Decode[Staff](body) }

// DecodeApplication reads a stored application.
func DecodeApplication(body []byte) (*grants.Application, error) { return Decode[Application](body) }

// EventAmount returns how the stores keep an Event's Amount: "" for none
// (the zero Decimal), else its decimal string.
func EventAmount(d decimal.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// ParseEventAmount reads back what EventAmount wrote: "" is the zero
// Decimal, as an Event without an amount holds.
func ParseEventAmount(s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, nil
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("amount %q: %w", s, err)
	}
	return d, nil
}
