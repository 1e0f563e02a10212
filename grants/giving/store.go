package giving

import (
	"context"
	"time"
)

// Store persists campaigns, donors, declarations, gifts, matches, claims,
// staff, income and receipts. Implementations pass the conformance suite
// in givingtest; a behaviour not checked there is not guaranteed.
//
// Reads return ErrNotFound for a missing id, and copies.
type Store interface {
	// Apply writes b atomically, in the order of its fields. A record with
	// Version 1 is created (an existing id is ErrConflict); one with
	// Version n > 1 replaces the stored record at n-1 (otherwise
	// ErrConflict, or ErrNotFound if none). ErrDuplicateKey when b.Key is
	// recorded already. On any error nothing of b is written.
	Apply(ctx context.Context, b *Batch) error

	Campaign(ctx context.Context, id string) (*Campaign, error)
	Donor(ctx context.Context, id string) (*Donor, error)
	// Donors returns a campaign's donors ordered by id.
	Donors(ctx context.Context, campaign string) ([]*Donor, error)
	Declaration(ctx context.Context, id string) (*Declaration, error)
	// Declarations returns a donor's declarations ordered by id.
	Declarations(ctx context.Context, donor string) ([]*Declaration, error)
	Gift(ctx context.Context, id string) (*Gift, error)
	// Gifts returns gifts ordered by id, of a campaign, or of one donor
	// when donor is not empty.
	Gifts(ctx context.Context, campaign, donor string) ([]*Gift, error)
	Match(ctx context.Context, id string) (*Match, error)
	// Matches returns a campaign's matches ordered by id.
	Matches(ctx context.Context, campaign string) ([]*Match, error)
	Claim(ctx context.Context, id string) (*Claim, error)
	// Claims returns a campaign's claims ordered by id.
	Claims(ctx context.Context, campaign string) ([]*Claim, error)
	Staff(ctx context.Context, id string) (*Staff, error)
	// AnyStaff reports whether any staff member is stored.
	AnyStaff(ctx context.Context) (bool, error)
	// Income returns a fund's income for a financial year in the order applied.
	Income(ctx context.Context, fund string, year int) ([]Income, error)

	Receipt(ctx context.Context, key string) (*Receipt, error)
	Secret(ctx context.Context) ([]byte, error)
}

// Batch is a set of changes a store writes atomically.
type Batch struct {
	Campaigns    []*Campaign
	Staff        []*Staff
	Donors       []*Donor
	Declarations []*Declaration
	Gifts        []*Gift
	Matches      []*Match
	Claims       []*Claim
	Income       []Income

	Key    string    // receipt key (a keyed hash), or empty
	Hash   string    // keyed hash of the request
	Result string    // id of what the request made
	At     time.Time // when the batch was made
}

// Receipt is what a store recorded for one idempotent request.
type Receipt struct {
	Key    string
	Hash   string
	Result string
	At     time.Time
}

// Role is what a member of staff may do.
type Role string

// Roles.
const (
	RoleAdmin   Role = "admin"   // creates campaigns, adds staff, erases donors
	RoleOfficer Role = "officer" // records donors, declarations, gifts, matches and claims; reads donors
)

// Staff is a member of the campaign's staff.
type Staff struct {
	ID        string
	Roles     []Role
	Active    bool
	CreatedAt time.Time
	CreatedBy string
	Version   int
}

// Has reports whether s is active and holds role (an admin holds every role).
func (s *Staff) Has(r Role) bool {
	if !s.Active {
		return false
	}
	for _, x := range s.Roles {
		if x == r || x == RoleAdmin {
			return true
		}
	}
	return false
}
