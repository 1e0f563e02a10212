package grants

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Fund is a grant programme such as Small Sparks or the Thurrock Community
// Fund: who funds it, its budget for each financial year, the smallest and
// largest award, the priorities it funds, the criteria its panel scores
// against and the eligibility Rules every application is checked with.
//
// Only an admin creates or changes a fund. A budget may be raised, or
// lowered no further than what is already committed that year.
type Fund struct {
	ID          string
	Name        string // "Small Sparks"
	Description string
	// Funder is the organisation that makes the grants: its name and its
	// org-id.guide identifier (a local authority is "GB-LAE-<code>").
	FunderName string
	FunderID   string
	// Prefix is the funder's 360Giving prefix; grant ids are
	// "360G-<Prefix>-<application id>".
	Prefix string

	Budgets    []Budget        // one per financial year, by Year
	MinAward   decimal.Decimal // e.g. £50
	MaxAward   decimal.Decimal // e.g. £250
	Priorities []string        // what the fund is for, e.g. "bring neighbours together"
	// Criteria are what the panel scores each application on, each from
	// 0 to MaxScore. Quorum is how many unconflicted scores an approval
	// needs (0 means 1).
	Criteria []string
	MaxScore int
	Quorum   int
	// Rules decide eligibility, evaluated in order; all must pass.
	Rules []Rule

	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	Version   int64
}

// Budget is what a fund may commit in one financial year (see
// FinancialYear).
type Budget struct {
	Year   int
	Amount decimal.Decimal
}

// BudgetFor returns the fund's budget for financial year y, and false if
// it has none.
func (f *Fund) BudgetFor(y int) (decimal.Decimal, bool) {
	for _, b := range f.Budgets {
		if b.Year == y {
			return b.Amount, true
		}
	}
	return decimal.Zero, false
}

var (
	prefixRE = regexp.MustCompile(`^[A-Za-z0-9-]{1,40}$`)
	orgIDRE  = regexp.MustCompile(`^[A-Z]{2}-[A-Z]{2,5}-[A-Za-z0-9-]{1,40}$`)
)

// Validate checks a fund's fields, and every text field against its limit
// (see MaxName and the other limits).
func (f *Fund) Validate() error {
	for _, c := range []struct {
		field, s string
		max      int
	}{{"Name", f.Name, MaxName}, {"Description", f.Description, MaxDescription}, {"FunderName", f.FunderName, MaxName},
		{"FunderID", f.FunderID, MaxID}, {"Prefix", f.Prefix, MaxID}} {
		if err := checkText(c.field, c.s, c.max); err != nil {
			return err
		}
	}
	if err := checkTexts("Priorities", f.Priorities, MaxTag); err != nil {
		return err
	}
	if err := checkTexts("Criteria", f.Criteria, MaxTag); err != nil {
		return err
	}
	if len(f.Priorities) > 50 || len(f.Criteria) > 50 {
		return invalid("Priorities", "a fund has at most 50 priorities and 50 criteria")
	}
	switch {
	case strings.TrimSpace(f.Name) == "":
		return invalid("Name", "is required")
	case len(f.Name) > 200:
		return invalid("Name", "is longer than 200 characters")
	case strings.TrimSpace(f.FunderName) == "":
		return invalid("FunderName", "is required")
	case !orgIDRE.MatchString(f.FunderID):
		return invalid("FunderID", "%q is not an org-id such as GB-LAE-THR", f.FunderID)
	case !prefixRE.MatchString(f.Prefix):
		return invalid("Prefix", "%q is not a 360Giving prefix such as a002", f.Prefix)
	}
	if err := CheckMoney("MinAward", f.MinAward, true); err != nil {
		return err
	}
	if err := CheckMoney("MaxAward", f.MaxAward, true); err != nil {
		return err
	}
	if f.MaxAward.LessThan(f.MinAward) {
		return invalid("MaxAward", "%s is less than the minimum award %s", pounds(f.MaxAward), pounds(f.MinAward))
	}
	seen := map[int]bool{}
	for _, b := range f.Budgets {
		if b.Year < 2000 || b.Year > 2200 {
			return invalid("Budgets", "year %d is out of range", b.Year)
		}
		if seen[b.Year] {
			return invalid("Budgets", "year %d is given twice", b.Year)
		}
		seen[b.Year] = true
		if err := CheckMoney("Budgets", b.Amount, false); err != nil {
			return err
		}
	}
	if f.MaxScore < 0 || f.MaxScore > 100 {
		return invalid("MaxScore", "must be between 0 and 100")
	}
	if f.Quorum < 0 || f.Quorum > 50 {
		return invalid("Quorum", "must be between 0 and 50")
	}
	if len(f.Criteria) > 0 && f.MaxScore == 0 {
		return invalid("MaxScore", "is required when the panel scores criteria")
	}
	for i, c := range f.Criteria {
		if strings.TrimSpace(c) == "" || slices.Index(f.Criteria, c) != i {
			return invalid("Criteria", "criterion %d is empty or repeated", i+1)
		}
	}
	for _, p := range f.Priorities {
		if strings.TrimSpace(p) == "" {
			return invalid("Priorities", "a priority is empty")
		}
	}
	for i := range f.Rules {
		if err := f.Rules[i].Validate(); err != nil {
			return prefixField(err, "Rules")
		}
	}
	return nil
}

// Round is one call for applications to a fund, open from Opens to
// Closes (inclusive of the whole closing instant). Year is the financial
// year whose budget its awards come from.
type Round struct {
	ID        string
	Fund      string
	Name      string
	Year      int
	Opens     time.Time
	Closes    time.Time
	CreatedAt time.Time
	CreatedBy string
	Version   int64
}

// Validate checks a round's fields.
func (r *Round) Validate() error {
	if err := checkText("Name", r.Name, MaxName); err != nil {
		return err
	}
	if err := checkText("Fund", r.Fund, MaxID); err != nil {
		return err
	}
	switch {
	case r.Fund == "":
		return invalid("Fund", "is required")
	case strings.TrimSpace(r.Name) == "":
		return invalid("Name", "is required")
	case r.Opens.IsZero():
		return invalid("Opens", "is required")
	case r.Closes.IsZero():
		return invalid("Closes", "is required")
	case r.Closes.Before(r.Opens):
		return invalid("Closes", "close date %s is before the open date %s",
			r.Closes.Format(time.DateOnly), r.Opens.Format(time.DateOnly))
	case r.Year < 2000 || r.Year > 2200:
		return invalid("Year", "%d is out of range", r.Year)
	}
	return nil
}

// Open reports whether the round takes applications at t.
func (r *Round) Open(t time.Time) bool { return !t.Before(r.Opens) && !t.After(r.Closes) }

// Staff is someone who runs funds: an admin (sets up funds and staff), an
// officer (checks, approves, pays), a fund manager (records the money a
// fund receives, and its reversals) or a panel member (scores). Applicants
// need no staff record: whoever drafts an application owns it.
type Staff struct {
	ID        string
	Name      string
	Roles     []Role
	Active    bool
	CreatedAt time.Time
	CreatedBy string
	Version   int64
}

// Role is what a member of staff may do.
type Role string

// Roles.
const (
	RoleAdmin   Role = "admin"
	RoleOfficer Role = "officer"
	RolePanel   Role = "panel"
	// RoleManager records a fund's income and its reversals (an admin
	// holds it too; an officer does not, so the one who approves awards
	// is not the one who counts the money in).
	RoleManager Role = "manager"
)

// Has reports whether the staff member is active and holds role (an admin
// holds every role but panel).
func (s *Staff) Has(role Role) bool {
	if s == nil || !s.Active {
		return false
	}
	if slices.Contains(s.Roles, role) {
		return true
	}
	return (role == RoleOfficer || role == RoleManager) && slices.Contains(s.Roles, RoleAdmin)
}

// Validate checks a staff record.
func (s *Staff) Validate() error {
	if err := checkText("Name", s.Name, MaxName); err != nil {
		return err
	}
	if strings.TrimSpace(s.Name) == "" {
		return invalid("Name", "is required")
	}
	if len(s.Roles) == 0 {
		return invalid("Roles", "at least one role is required")
	}
	for _, r := range s.Roles {
		if r != RoleAdmin && r != RoleOfficer && r != RolePanel && r != RoleManager {
			return invalid("Roles", "%q is not a role", r)
		}
	}
	return nil
}

// prefixField puts a parent's name in front of a FieldError's field.
func prefixField(err error, parent string) error {
	if fe, ok := err.(*FieldError); ok {
		c := *fe
		c.Field = parent + "." + fe.Field
		return &c
	}
	return err
}
