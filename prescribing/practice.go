package prescribing

import (
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Practice is a GP practice taking part in social prescribing. It is known
// by its ODS code (the NHS Organisation Data Service code of a GP
// practice: a letter and five digits, such as "F81001"), belongs to a
// primary care network (PCN) and sits in an Area of the council (which
// areas a scheme covers is the app's configuration, not the library's).
//
// TopPercent is the share of the practice's list that risk stratification
// selects: 3% by default, and between 3% and 5% (the pilot's range, where
// GP clinical judgement widens the cohort). A manager registers a
// practice.
type Practice struct {
	ID   string
	ODS  string
	Name string
	PCN  string // primary care network or locality
	Area string
	// Ward is the electoral ward the practice's surgery is in, where the
	// council keeps a ward matrix ("" when not given).
	Ward       string
	TopPercent decimal.Decimal

	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	Version   int64
}

// defaultTopPercent, minTopPercent and maxTopPercent bound the share of a
// practice's list risk stratification selects.
var (
	defaultTopPercent = decimal.NewFromInt(3)
	minTopPercent     = decimal.NewFromInt(3)
	maxTopPercent     = decimal.NewFromInt(5)
)

// Validate checks the practice's fields.
func (p *Practice) Validate() error {
	switch {
	case p.ID == "":
		return invalid("ID", "is required")
	case !validODS(p.ODS):
		return invalid("ODS", "%q is not a GP practice ODS code (a letter and five digits, such as F81001)", p.ODS)
	case strings.TrimSpace(p.Name) == "":
		return invalid("Name", "is required, up to 200 bytes")
	case strings.TrimSpace(p.Area) == "":
		return invalid("Area", "is required, up to 100 bytes")
	}
	if err := checkTexts(text{"Name", p.Name, 200}, text{"PCN", p.PCN, 200}, text{"Area", p.Area, 100}, text{"Ward", p.Ward, 100}); err != nil {
		return err
	}
	return checkPercent("TopPercent", p.TopPercent)
}

func checkPercent(field string, p decimal.Decimal) error {
	if p.LessThan(minTopPercent) || p.GreaterThan(maxTopPercent) {
		return invalid(field, "%s%% is outside %s%%–%s%%", p, minTopPercent, maxTopPercent)
	}
	return nil
}

// validODS reports whether s is a GP practice ODS code.
func validODS(s string) bool {
	if len(s) != 6 || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for i := 1; i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Role is what a member of staff does, and so what they may do here.
type Role string

// Roles. The first five are the MDT's members (seed 000: GPs, practice
// nurses/district nurses, community matrons, a social worker and the
// voluntary sector advisor). A manager runs the scheme: registers practices
// and staff and reads the KPIs, but never sees patient data.
const (
	RoleGP              Role = "gp"
	RolePracticeNurse   Role = "practice-nurse"
	RoleCommunityMatron Role = "community-matron"
	RoleSocialWorker    Role = "social-worker"
	RoleAdvisor         Role = "advisor"
	RoleManager         Role = "manager"
)

// Roles lists every role.
func Roles() []Role {
	return []Role{RoleGP, RolePracticeNurse, RoleCommunityMatron, RoleSocialWorker, RoleAdvisor, RoleManager}
}

// roles is Roles as the package checks it.
var roles = Roles()

// Clinical reports whether the role belongs to the primary care or
// community health team (everyone but advisors and managers).
func (r Role) Clinical() bool {
	switch r {
	case RoleGP, RolePracticeNurse, RoleCommunityMatron, RoleSocialWorker:
		return true
	}
	return false
}

// Staff is a person who uses the service: a GP, nurse, community matron,
// social worker, voluntary sector advisor or scheme manager. Practices are
// those they work with: an advisor is linked to one or more practices and
// sees only their patients. Caseload is an advisor's limit on open
// referrals assigned to them (accepted and not yet closed or declined);
// assignment never takes an advisor over it.
type Staff struct {
	ID        string
	Name      string
	Role      Role
	Practices []string
	Caseload  int // advisors only: most open referrals at once
	Active    bool

	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	Version   int64
}

// MaxCaseload bounds an advisor's caseload limit.
const MaxCaseload = 500

// Validate checks the staff member's fields.
func (s *Staff) Validate() error {
	switch {
	case s.ID == "":
		return invalid("ID", "is required")
	case strings.TrimSpace(s.Name) == "":
		return invalid("Name", "is required, up to 200 bytes")
	case checkText("Name", s.Name, 200) != nil:
		return checkText("Name", s.Name, 200)
	case !slices.Contains(roles, s.Role):
		return invalid("Role", "%q is not a role", s.Role)
	case s.Role != RoleManager && len(s.Practices) == 0:
		return invalid("Practices", "a %s works with at least one practice", s.Role)
	case s.Role == RoleAdvisor && (s.Caseload < 1 || s.Caseload > MaxCaseload):
		return invalid("Caseload", "an advisor's caseload limit is 1 to %d, got %d", MaxCaseload, s.Caseload)
	case s.Role != RoleAdvisor && s.Caseload != 0:
		return invalid("Caseload", "only an advisor has a caseload")
	}
	return nil
}

// worksWith reports whether the staff member is active and works with the
// practice.
func (s *Staff) worksWith(practice string) bool {
	return s != nil && s.Active && slices.Contains(s.Practices, practice)
}

// Patient is a person registered with a practice, identified by their NHS
// number. Only what the service needs is held: the NHS number, the
// practice, the area they live in (to find activities near them) and a
// name for the advisor to greet them by. None of it is ever logged; only
// the patient's ID is. Staff who do not work with the practice, and
// managers, cannot read it (ErrForbidden).
type Patient struct {
	ID        string
	Practice  string
	NHSNumber NHSNumber
	Name      string
	Area      string

	CreatedAt time.Time
	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	Version   int64
}

// Validate checks the patient's fields.
func (p *Patient) Validate() error {
	switch {
	case p.ID == "":
		return invalid("ID", "is required")
	case p.Practice == "":
		return invalid("Practice", "is required")
	case !p.NHSNumber.Valid():
		return invalid("NHSNumber", "is not a valid, normalised NHS number")
	}
	return checkTexts(text{"Name", p.Name, 200}, text{"Area", p.Area, 100})
}

// text is a free-text field and its limit in bytes.
type text struct {
	field string
	value string
	most  int
}

// checkTexts checks each field with checkText.
func checkTexts(ts ...text) error {
	for _, t := range ts {
		if err := checkText(t.field, t.value, t.most); err != nil {
			return err
		}
	}
	return nil
}
