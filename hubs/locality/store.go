package locality

import (
	"context"
	"time"
)

// Store persists the locality programmes' records. Implementations live in
// adapters/memory, adapters/sqlite and adapters/postgres and pass
// localitytest.Run; a behaviour not checked there is not guaranteed.
//
// Apply writes a whole Batch or nothing: a record with Version 1 is
// created (an existing id of its kind is ErrConflict); one with Version
// n > 1 replaces the stored record of Version n-1 (otherwise ErrConflict,
// or ErrNotFound if there is none); a key recorded already is
// ErrDuplicateKey. When b.Erase is set the store also removes old copies
// of what it overwrote.
//
// Reads return ErrNotFound for a missing id, and copies. Lists are ordered
// by date, then id.
type Store interface {
	// Secret returns the store's secret for idempotency receipts.
	Secret(ctx context.Context) ([]byte, error)
	// Apply writes b atomically.
	Apply(ctx context.Context, b *Batch) error
	// Receipt returns what was recorded under a receipt key.
	Receipt(ctx context.Context, key string) (*Receipt, error)

	// Staff returns a member of staff.
	Staff(ctx context.Context, id string) (*Staff, error)
	// StaffList returns every member of staff, by id.
	StaffList(ctx context.Context) ([]*Staff, error)
	// Area returns an area.
	Area(ctx context.Context, id string) (*Area, error)
	// Areas returns every area, by Since then id.
	Areas(ctx context.Context) ([]*Area, error)
	// Case returns a case.
	Case(ctx context.Context, id string) (*Case, error)
	// Cases returns the cases q selects, dated by Introduced.
	Cases(ctx context.Context, q Query) ([]*Case, error)
	// AvoidedEvent returns an avoided event.
	AvoidedEvent(ctx context.Context, id string) (*Avoided, error)
	// Avoided returns the avoided events q selects, dated by On.
	Avoided(ctx context.Context, q Query) ([]*Avoided, error)
	// ListeningCount returns a listening count.
	ListeningCount(ctx context.Context, id string) (*Listening, error)
	// Listening returns the listening counts q selects, dated by From.
	Listening(ctx context.Context, q Query) ([]*Listening, error)
	// Issue returns an issue.
	Issue(ctx context.Context, id string) (*Issue, error)
	// Issues returns the issues q selects, dated by Raised.
	Issues(ctx context.Context, q Query) ([]*Issue, error)
	// Network returns a network count.
	Network(ctx context.Context, id string) (*Network, error)
	// Networks returns the network counts q selects, dated by On.
	Networks(ctx context.Context, q Query) ([]*Network, error)
	// Asset returns an asset.
	Asset(ctx context.Context, id string) (*Asset, error)
	// Assets returns the assets q selects, dated by CreatedAt.
	Assets(ctx context.Context, q Query) ([]*Asset, error)
	// Gift returns a gift-board card.
	Gift(ctx context.Context, id string) (*Gift, error)
	// Gifts returns the cards q selects, dated by Posted.
	Gifts(ctx context.Context, q Query) ([]*Gift, error)
	// Fair returns an ideas fair.
	Fair(ctx context.Context, id string) (*Fair, error)
	// Fairs returns the ideas fairs q selects, dated by On.
	Fairs(ctx context.Context, q Query) ([]*Fair, error)
	// Practice returns a Community of Practice event.
	Practice(ctx context.Context, id string) (*Practice, error)
	// Practices returns the Community of Practice events q selects, dated
	// by On.
	Practices(ctx context.Context, q Query) ([]*Practice, error)
}

// Query selects dated records: of Area ("" for every area), naming Person
// ("" for anyone), dated on or after From and before To (a zero time does
// not bound).
type Query struct {
	Area   string
	Person string
	From   time.Time
	To     time.Time
}

// Batch is a set of records a store writes atomically, with the receipt
// of its key.
type Batch struct {
	Staff     []*Staff
	Areas     []*Area
	Cases     []*Case
	Avoided   []*Avoided
	Listening []*Listening
	Issues    []*Issue
	Networks  []*Network
	Assets    []*Asset
	Gifts     []*Gift
	Fairs     []*Fair
	Practices []*Practice

	// Erase says the batch overwrites personal data.
	Erase bool

	// Key, when not empty, is the receipt key; the store records
	// Receipt{Key, Hash, Result, At} with the batch and refuses the whole
	// batch with ErrDuplicateKey if Key is recorded already.
	Key    string
	Hash   string
	Result string
	At     time.Time
}

// Receipt is what a store recorded under a receipt key. It holds no
// personal data.
type Receipt struct {
	Key    string
	Hash   string
	Result string
	At     time.Time
}
