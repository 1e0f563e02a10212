package timebank

import (
	"strings"
	"time"

	"github.com/strongertogether/community/internal/email"
)

// Member is a person or an organisation that gives and receives help
// through a bank. Each member has one account whose id is the member's id.
//
// Lifecycle: a member joins (active), may pause (can still be credited for
// help already given but records no new exchanges), resume, and leave. A
// member who leaves keeps their history. On request a coordinator erases a
// member's personal details: name and contact details are replaced by a
// pseudonym, while every posting stays, so the ledger is whole.
type Member struct {
	ID     string
	Bank   string
	Kind   Kind
	Role   Role
	Status Status
	// Trusted members' exchanges confirm at once in banks that use
	// ConfirmTrusted.
	Trusted bool

	Name  string // personal data: erased on request
	Email string // personal data: erased on request
	Phone string // personal data: erased on request
	// Ward is the electoral ward the member lives in (an organisation:
	// works in), for the partnership's ward matrix; "" when not given.
	// Erasure blanks a person's ward (with the dates and history kept,
	// where someone lived is personal data) and keeps an organisation's;
	// an erased member's ward cannot be set again.
	Ward string

	// MinBalance and MaxBalance override the bank's limits for this member
	// when set, in minutes.
	MinBalance *int64
	MaxBalance *int64

	JoinedAt time.Time
	LeftAt   *time.Time
	ErasedAt *time.Time

	CreatedBy string
	UpdatedAt time.Time
	UpdatedBy string
	Version   int64
}

// Validate reports the first field of m that is missing or malformed.
func (m *Member) Validate() error {
	switch {
	case m.ID == "":
		return invalid("ID", "is required")
	case m.Bank == "":
		return invalid("Bank", "is required")
	case !m.Kind.valid():
		return invalid("Kind", "must be %q or %q, got %q", Individual, Organisation, m.Kind)
	case !m.Role.valid():
		return invalid("Role", "must be %q or %q, got %q", RoleMember, RoleCoordinator, m.Role)
	case !m.Status.valid():
		return invalid("Status", "unknown status %q", m.Status)
	case m.ErasedAt == nil && strings.TrimSpace(m.Name) == "":
		return invalid("Name", "is required")
	}
	for _, c := range []error{checkText("Name", m.Name, maxName), checkText("Email", m.Email, maxEmail), checkText("Phone", m.Phone, maxPhone), checkText("Ward", m.Ward, maxWard)} {
		if c != nil {
			return c
		}
	}
	switch {
	case m.Email != "" && !email.Valid(m.Email):
		return invalid("Email", "is not an email address")
	case m.MinBalance != nil && *m.MinBalance > 0:
		return invalid("MinBalance", "must be zero or negative, got %d", *m.MinBalance)
	case m.MaxBalance != nil && *m.MaxBalance <= 0:
		return invalid("MaxBalance", "must be positive, got %d", *m.MaxBalance)
	case m.Kind == Organisation && m.Role == RoleCoordinator:
		return invalid("Role", "an organisation cannot be a coordinator; its coordinator is a person")
	}
	return nil
}

// Kind says whether a member is a person or an organisation.
type Kind string

// Member kinds.
const (
	Individual   Kind = "individual"
	Organisation Kind = "organisation"
)

func (k Kind) valid() bool { return k == Individual || k == Organisation }

// Role is what a member may do in their bank.
type Role string

// Roles.
const (
	// RoleMember gives and receives help and confirms their own exchanges.
	RoleMember Role = "member"
	// RoleCoordinator also adds members, approves, voids and reverses
	// exchanges, grants from the pot, issues credits and changes settings,
	// in their bank and in its mini banks.
	RoleCoordinator Role = "coordinator"
)

func (r Role) valid() bool { return r == RoleMember || r == RoleCoordinator }

// Status is where a member is in their lifecycle.
type Status string

// Member statuses.
const (
	Active Status = "active"
	Paused Status = "paused"
	Left   Status = "left"
)

func (s Status) valid() bool { return s == Active || s == Paused || s == Left }
