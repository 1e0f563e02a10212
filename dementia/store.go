package dementia

import (
	"context"
	"time"
)

// Store persists the dementia domain's records. Implementations live in
// adapters/memory, adapters/sqlite and adapters/postgres, and all pass
// dementiatest.Run; a behaviour not checked there is not guaranteed.
//
// A store holds no rules beyond what must be atomic: Apply writes a whole
// Batch or nothing, refuses stale updates and duplicate ids (so two joins
// of one organisation cannot both commit), and records the receipt of the
// batch's key, all in one transaction.
//
// Reads return ErrNotFound for a missing id, and copies: changing a
// returned record changes nothing stored. Lists are ordered by their date
// (where the record has one), then id.
type Store interface {
	// Secret returns the store's secret for idempotency receipts.
	Secret(ctx context.Context) ([]byte, error)
	// Apply writes b atomically. A record with Version 1 is created (an
	// existing id of its kind is ErrConflict); one with Version n > 1
	// replaces the stored record whose Version is n-1 (otherwise
	// ErrConflict, or ErrNotFound if there is none). A key recorded
	// already is ErrDuplicateKey. On any error nothing of b is written.
	// When b.Erase is set the store also removes old copies of what it
	// overwrote.
	Apply(ctx context.Context, b *Batch) error
	// Receipt returns what was recorded under a receipt key.
	Receipt(ctx context.Context, key string) (*Receipt, error)

	// Staff returns a member of staff.
	Staff(ctx context.Context, id string) (*Staff, error)
	// StaffList returns every member of staff.
	StaffList(ctx context.Context) ([]*Staff, error)
	// Member returns an alliance member.
	Member(ctx context.Context, id string) (*Member, error)
	// Members returns every member, by Joined.
	Members(ctx context.Context) ([]*Member, error)
	// Action returns an action.
	Action(ctx context.Context, id string) (*Action, error)
	// Actions returns a member's actions ("" for every member's), by Due.
	Actions(ctx context.Context, member string) ([]*Action, error)
	// Meetings returns every meeting, by On.
	Meetings(ctx context.Context) ([]*Meeting, error)
	// Community returns a community.
	Community(ctx context.Context, id string) (*Community, error)
	// Communities returns every community, by Registered.
	Communities(ctx context.Context) ([]*Community, error)
	// Champion returns a Dementia Friends Champion.
	Champion(ctx context.Context, id string) (*Champion, error)
	// Champions returns every Champion, by Trained.
	Champions(ctx context.Context) ([]*Champion, error)
	// Friends returns the counts of Dementia Friends dated before the
	// end (a zero end does not bound), by On.
	Friends(ctx context.Context, before time.Time) ([]*Friends, error)
	// Prevalence returns a prevalence table.
	Prevalence(ctx context.Context, id string) (*Prevalence, error)
	// Registers returns the practices' registers dated On the day (a zero
	// day: every register), by On then id.
	Registers(ctx context.Context, on time.Time) ([]*Register, error)
	// Reviews returns the care-plan review counts of a year ("" for
	// every year), by id.
	Reviews(ctx context.Context, year string) ([]*Review, error)
}

// Batch is a set of records a store writes atomically, with the receipt
// of its key.
type Batch struct {
	Staff       []*Staff
	Members     []*Member
	Actions     []*Action
	Meetings    []*Meeting
	Communities []*Community
	Champions   []*Champion
	Friends     []*Friends
	Prevalence  []*Prevalence
	Registers   []*Register
	Reviews     []*Review

	// Erase says the batch overwrites personal data.
	Erase bool

	// Key, when not empty, is the receipt key. The store records
	// Receipt{Key, Hash, Result, At} with the batch, and refuses the whole
	// batch with ErrDuplicateKey if Key is recorded already.
	Key    string
	Hash   string
	Result string
	At     time.Time
}

// Receipt is what a store recorded under a receipt key. It holds no
// personal data: Key and Hash are keyed hashes.
type Receipt struct {
	Key    string
	Hash   string
	Result string
	At     time.Time
}
