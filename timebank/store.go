package timebank

import (
	"context"
	"time"
)

// Store persists a time bank. Implementations live in adapters/memory,
// adapters/sqlite and adapters/postgres, and all pass the conformance suite
// in timebanktest; a behaviour not checked there is not guaranteed.
//
// A store holds no rules beyond what must be atomic: Apply writes a whole
// Batch or nothing, refuses stale updates, keeps balances within the
// batch's Bounds and records idempotency keys, all in one transaction.
// Rules, roles and state transitions live in Service.
//
// Reads return ErrNotFound for a missing id. Lists return records in a
// stable order (stated per method) and honour Offset and Limit (Limit 0
// means no limit).
type Store interface {
	// Apply writes b atomically. It returns ErrConflict when a record to
	// create exists or a record to update has changed since it was read,
	// ErrNotFound when an update or posting names a missing record,
	// ErrInsufficientCredit when a transfer breaks b.Bounds, ErrInvalid
	// when a transfer is malformed, ErrConflict when a transfer's At is
	// before a posting already on one of its accounts (another writer got
	// there first: rebuild the batch with a fresh time), and
	// ErrDuplicateKey when b.Key is recorded already. On any error nothing
	// of b is written.
	Apply(ctx context.Context, b *Batch) error

	// Bank returns the bank with the given id.
	Bank(ctx context.Context, id string) (*Bank, error)
	// Banks returns banks ordered by id.
	Banks(ctx context.Context, f BankFilter) ([]*Bank, error)

	// Member returns the member with the given id.
	Member(ctx context.Context, id string) (*Member, error)
	// Members returns members ordered by id.
	Members(ctx context.Context, f MemberFilter) ([]*Member, error)

	// Account returns an account with its maintained balance, without
	// reading its history.
	Account(ctx context.Context, id string) (*Account, error)
	// Accounts returns accounts ordered by id.
	Accounts(ctx context.Context, f AccountFilter) ([]*Account, error)
	// BalanceAt returns the account's balance after every transfer with
	// At ≤ at, in time logarithmic in the account's history.
	BalanceAt(ctx context.Context, account string, at time.Time) (int64, error)
	// Entries returns an account's statement lines in ledger order (At,
	// then the order transfers were applied).
	Entries(ctx context.Context, f EntryFilter) ([]Entry, error)
	// Transfer returns the transfer with the given id.
	Transfer(ctx context.Context, id string) (*Transfer, error)

	// Exchange returns the exchange with the given id.
	Exchange(ctx context.Context, id string) (*Exchange, error)
	// Exchanges returns exchanges ordered by Date, then id.
	Exchanges(ctx context.Context, f ExchangeFilter) ([]*Exchange, error)

	// Listing returns the offer or request with the given id.
	Listing(ctx context.Context, id string) (*Listing, error)
	// Listings returns listings ordered by id.
	Listings(ctx context.Context, f ListingFilter) ([]*Listing, error)

	// Receipt returns what was recorded under an idempotency key.
	Receipt(ctx context.Context, key string) (*Receipt, error)
	// Events returns the audit trail ordered by Seq.
	Events(ctx context.Context, f EventFilter) ([]Event, error)

	// Tally counts activity for reports; see TallyFilter.
	Tally(ctx context.Context, f TallyFilter) (Tally, error)

	// Admin returns the administrator with the given id.
	Admin(ctx context.Context, id string) (*Admin, error)
	// Admins returns every administrator, ordered by id.
	Admins(ctx context.Context) ([]*Admin, error)

	// Secret returns the store's secret for idempotency receipts: random
	// bytes made once per database and kept with it.
	Secret(ctx context.Context) ([]byte, error)
}

// Batch is a set of changes a store writes atomically, in this order:
// administrators, banks, members, accounts, listings, exchanges,
// transfers, events, the erasure, then the receipt for Key.
//
// An administrator is only created (an existing id is ErrConflict). A
// member is created or replaced only if no other member of the same
// network (a borough bank and its mini banks) gives the same Email,
// compared without regard to case; otherwise nothing is written and the
// error is a *FieldError for "Email" wrapping ErrConflict. The store checks
// this atomically with the write, so racing writers cannot both win.
//
// A bank, member, listing or exchange with Version 1 is created (an
// existing id is ErrConflict); one with Version n > 1 replaces the stored
// record whose Version is n-1 (otherwise ErrConflict, or ErrNotFound if
// there is none). Accounts are only created; their Balance and LastAt are
// ignored and start at zero.
type Batch struct {
	Admins    []*Admin
	Banks     []*Bank
	Members   []*Member
	Accounts  []*Account
	Listings  []*Listing
	Exchanges []*Exchange
	// Transfers are posted in order. After each transfer, every account
	// it moved is checked against Bounds[account], if present.
	Transfers []*Transfer
	Bounds    map[string]Bounds
	Events    []Event
	// Erase, when not nil, removes a person's identifying text from
	// everything else the store keeps; see Erasure.
	Erase *Erasure

	// Key, when not empty, is the caller's idempotency key. The store
	// records Receipt{Key, Hash, Result, At} with the batch, and refuses
	// the whole batch with ErrDuplicateKey if Key is recorded already.
	Key    string
	Hash   string    // fingerprint of the request, to tell a retry from a reuse
	Result string    // id of what the request made, returned on a retry
	At     time.Time // when the batch was made
}

// Erasure asks a store to remove a person's identifying text from every
// free text it keeps, after the batch's records are written: each
// occurrence of any of Terms, matched without regard to case, in a bank's
// name, an exchange's category, description or reason, a listing's
// category, title or description, a transfer's memo or an audit event's
// note, is replaced by With. Member records are not searched: the batch
// replaces the erased member's record itself. A store that keeps old
// copies of pages (a write-ahead log) overwrites them before Apply
// returns.
type Erasure struct {
	Member string   // the erased member's id
	Terms  []string // the texts to remove: name, email, phone, as given and as stored
	With   string   // what stands in their place
}

// Receipt is what a store recorded under an idempotency key.
type Receipt struct {
	Key    string
	Hash   string
	Result string
	At     time.Time
}

// Event is one line of the audit trail: who did what to which record, when
// and why. Seq is assigned by the store, increasing in the order events are
// applied.
type Event struct {
	Seq     int64
	Bank    string
	At      time.Time
	Actor   string
	Action  string // e.g. "exchange.confirm", "member.erase"
	Subject string // the id of the record changed
	Note    string
}

// BankFilter selects banks. Nil fields do not filter.
type BankFilter struct {
	Parent *string // "" selects borough banks
	Offset int
	Limit  int
}

// MemberFilter selects members. Nil fields do not filter.
type MemberFilter struct {
	Bank   *string
	Kind   *Kind
	Status *Status
	Offset int
	Limit  int
}

// AccountFilter selects accounts. Nil fields do not filter.
type AccountFilter struct {
	Bank   *string
	Offset int
	Limit  int
}

// EntryFilter selects one account's statement lines, with From ≤ At < To.
type EntryFilter struct {
	Account string
	From    *time.Time
	To      *time.Time
	Offset  int
	Limit   int
}

// ExchangeFilter selects exchanges. Banks, if not empty, keeps exchanges
// recorded in any of them; Member keeps those it gave or received; From ≤
// Date < To.
type ExchangeFilter struct {
	Banks    []string
	Member   *string
	Category *string
	Status   *ExchangeStatus
	From     *time.Time
	To       *time.Time
	Offset   int
	Limit    int
}

// ListingFilter selects listings. Nil fields do not filter.
type ListingFilter struct {
	Bank     *string
	Member   *string
	Kind     *ListingKind
	Category *string
	Open     *bool
	Offset   int
	Limit    int
}

// EventFilter selects audit events. Empty fields do not filter.
type EventFilter struct {
	Bank    string
	Subject string
	// After keeps the events with a Seq greater than it: a reader that
	// remembers the last Seq it saw reads only what followed. A store
	// returns no event while one with a lower Seq may still be committed
	// (a writer in flight), so such a reader passes over none.
	After  int64
	Offset int
	Limit  int
}

// TallyFilter selects what Tally counts: the banks listed (every bank
// when Banks is empty), and the period From ≤ t < To.
type TallyFilter struct {
	Banks []string
	From  time.Time
	To    time.Time
}

// Tally is activity counted over banks and a period.
type Tally struct {
	// Exchanges and ExchangeMinutes count confirmed exchanges (not
	// voided, pending or reversed) whose Date is in the period.
	Exchanges       int
	ExchangeMinutes int64
	// Individuals and Organisations count members who were members at some
	// time in the period: joined before To and not left before From.
	Individuals   int
	Organisations int
	// ActiveMembers counts distinct members who gave or received help in a
	// counted exchange.
	ActiveMembers int
	// IssuedMinutes, DonatedMinutes and GrantedMinutes sum the size of
	// issue, donation and grant transfers with At in the period, where a
	// transfer's size is the sum of its positive postings.
	IssuedMinutes  int64
	DonatedMinutes int64
	GrantedMinutes int64
	// Categories is confirmed exchange minutes by category.
	Categories map[string]int64
}
