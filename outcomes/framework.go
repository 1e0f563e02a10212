package outcomes

import (
	"time"

	"github.com/shopspring/decimal"
)

// Framework is an outcome framework: the indicators by which a strategy's
// objective is judged (Thurrock's objective B3, "Build strong,
// well-connected communities"), the area they are measured for, the
// framework's horizon, the RAG policy it reports with, and who may change
// it.
//
// Roles: the administrator who creates a framework is its owner. Owners
// grant roles; owners and editors change indicators; contributors (and
// above) record measurements and stories; administrators may do all of it
// in any framework. Anyone may read a framework's definition and figures.
type Framework struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Goal      string `json:"goal,omitempty"`
	Objective string `json:"objective,omitempty"`
	Strategy  string `json:"strategy,omitempty"`
	// Area is the code of the area the framework is measured for, e.g.
	// "E06000034" (Thurrock).
	Area string `json:"area"`
	// End is the framework's horizon (2021 for B3); trajectories are
	// carried to it.
	End    Period          `json:"end,omitempty"`
	Policy Policy          `json:"policy"`
	Roles  map[string]Role `json:"roles"`

	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"createdAt"`
	CreatedBy string    `json:"createdBy"`
	UpdatedAt time.Time `json:"updatedAt"`
	UpdatedBy string    `json:"updatedBy"`
}

// Role is what an actor may do to a framework.
type Role string

// The roles, each allowed what the ones after it are.
const (
	RoleOwner       Role = "owner"
	RoleEditor      Role = "editor"
	RoleContributor Role = "contributor"
)

// rank orders roles; 0 is no role.
func (r Role) rank() int {
	switch r {
	case RoleOwner:
		return 3
	case RoleEditor:
		return 2
	case RoleContributor:
		return 1
	}
	return 0
}

// Policy is how a framework turns a value into a RAG rating — councils
// differ, so it is data, not code.
//
// A value on or better than the trajectory is green. One worse than the
// trajectory by no more than AmberShare of the gap between baseline and
// target is amber; anything worse is red. With no gap (target equal to
// baseline), AmberShare is taken of the expected value itself. An
// indicator with no trajectory, a target to be confirmed, or no judgement
// polarity is not rated.
type Policy struct {
	AmberShare decimal.Decimal `json:"amberShare"`
	// Confidence is the level of the intervals used for significance;
	// only 0.95 is computed (the Fingertips default).
	Confidence decimal.Decimal `json:"confidence"`
}

// DefaultPolicy is green on or better than trajectory, amber within 10% of
// the gap, red otherwise, judged at 95% confidence.
func DefaultPolicy() Policy {
	return Policy{AmberShare: decimal.RequireFromString("0.10"), Confidence: decimal.RequireFromString("0.95")}
}

// validate checks the framework's fields.
func (f *Framework) validate() error {
	if err := checkID("ID", f.ID); err != nil {
		return err
	}
	if err := checkName("Title", f.Title, maxTitle); err != nil {
		return err
	}
	if err := checkTexts(maxText, "Goal", f.Goal, "Objective", f.Objective, "Strategy", f.Strategy); err != nil {
		return err
	}
	if err := checkName("Area", f.Area, maxID); err != nil {
		return err
	}
	switch {
	case f.Policy.AmberShare.IsNegative() || f.Policy.AmberShare.GreaterThan(decimal.NewFromInt(1)):
		return invalid("Policy.AmberShare", "%s is not a share from 0 to 1", f.Policy.AmberShare)
	case !f.Policy.Confidence.Equal(decimal.RequireFromString("0.95")):
		return invalid("Policy.Confidence", "only 0.95 is supported, got %s", f.Policy.Confidence)
	}
	if len(f.Roles) > MaxRoles {
		return invalid("Roles", "%d roles is more than the %d a framework may hold", len(f.Roles), MaxRoles)
	}
	owners := 0
	for who, r := range f.Roles {
		if err := checkID("Roles", who); err != nil {
			return err
		}
		if r.rank() == 0 {
			return invalid("Roles", "%q is not owner, editor or contributor", r)
		}
		if r == RoleOwner {
			owners++
		}
	}
	if owners == 0 {
		return invalid("Roles", "a framework needs an owner")
	}
	return nil
}

// can reports whether actor holds at least role r.
// MaxRoles is the most people a framework grants roles to: enough for a
// partnership's officers and contributors, small enough that a framework
// record stays small.
const MaxRoles = 500

func (f *Framework) can(actor string, r Role) bool { return f.Roles[actor].rank() >= r.rank() }

// Clone returns a deep copy of f.
func (f *Framework) Clone() *Framework {
	c := *f
	if f.Roles != nil {
		c.Roles = make(map[string]Role, len(f.Roles))
		for k, v := range f.Roles {
			c.Roles[k] = v
		}
	}
	return &c
}
