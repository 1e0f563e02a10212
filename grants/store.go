package grants

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// Store persists funds, rounds, staff and applications. Implementations
// live in adapters/memory, adapters/sqlite and adapters/postgres, and all
// pass the conformance suite in grantstest; a behaviour not checked there
// is not guaranteed.
//
// A store holds no rules beyond what must be atomic: Apply writes a whole
// Batch or nothing, refuses stale updates, keeps each fund's commitments
// for a year within the budget the batch states and each application's
// payments within its commitment, and records idempotency keys, all in one
// transaction. Rules, roles and state transitions live in Service.
//
// Reads return ErrNotFound for a missing id, and copies: changing a
// returned record changes nothing stored. Lists honour Offset and Limit
// (Limit 0 means no limit).
type Store interface {
	// Apply writes b atomically. It returns ErrConflict when a record to
	// create exists or a record to update has changed since it was read,
	// ErrNotFound when a record to update is missing, ErrOverBudget when
	// a Commit would take its fund's total for the year above its Budget,
	// ErrOverpaid when a Pay would take an application's paid total above
	// its commitment (or it has none), ErrInvalid when a Commit or Pay is
	// malformed, and ErrDuplicateKey when b.Key is recorded already. On
	// any error nothing of b is written.
	Apply(ctx context.Context, b *Batch) error

	// Fund returns the fund with the given id.
	Fund(ctx context.Context, id string) (*Fund, error)
	// Funds returns funds ordered by id.
	Funds(ctx context.Context, f FundFilter) ([]*Fund, error)
	// Round returns the round with the given id.
	Round(ctx context.Context, id string) (*Round, error)
	// Rounds returns rounds ordered by Opens, then id.
	Rounds(ctx context.Context, f RoundFilter) ([]*Round, error)
	// Staff returns the staff member with the given id.
	Staff(ctx context.Context, id string) (*Staff, error)
	// StaffList returns staff ordered by id.
	StaffList(ctx context.Context, f StaffFilter) ([]*Staff, error)
	// Application returns the application with the given id.
	Application(ctx context.Context, id string) (*Application, error)
	// Applications returns applications ordered by CreatedAt, then id.
	Applications(ctx context.Context, f ApplicationFilter) ([]*Application, error)

	// Totals returns what a fund has committed and paid in a financial
	// year, as maintained by Apply from Commits and Pays (zero when
	// nothing is).
	Totals(ctx context.Context, fund string, year int) (Totals, error)

	// Receipt returns what was recorded under an idempotency key.
	Receipt(ctx context.Context, key string) (*Receipt, error)
	// Events returns the audit trail ordered by Seq.
	Events(ctx context.Context, f EventFilter) ([]Event, error)
}

// Batch is a set of changes a store writes atomically, in this order:
// funds, rounds, staff, applications, commits, pays, events, then the
// receipt for Key.
//
// A fund, round, staff member or application with Version 1 is created
// (an existing id is ErrConflict); one with Version n > 1 replaces the
// stored record whose Version is n-1 (otherwise ErrConflict, or
// ErrNotFound if there is none).
type Batch struct {
	Funds        []*Fund
	Rounds       []*Round
	Staff        []*Staff
	Applications []*Application
	Commits      []Commit
	Pays         []Pay
	Events       []Event

	// Key, when not empty, is the caller's idempotency key. The store
	// records Receipt{Key, Hash, Result, At} with the batch, and refuses
	// the whole batch with ErrDuplicateKey if Key is recorded already.
	Key    string
	Hash   string    // fingerprint of the request, to tell a retry from a reuse
	Result string    // id of what the request made, returned on a retry
	At     time.Time // when the batch was made
}

// Commit sets how much of a fund's budget for a year an application holds:
// its award once approved, zero when released (withdrawn). After the
// change the fund's total commitment for the year must not exceed Budget,
// unless the change lowers the application's commitment. An application's
// commitment stays in the fund and year it was first made in (another is
// ErrInvalid), and may not fall below what was paid on it (ErrOverpaid).
type Commit struct {
	Fund        string
	Year        int
	Application string
	Amount      decimal.Decimal // ≥ 0, pence-exact
	Budget      decimal.Decimal // the fund's budget for Year
}

// Pay adds Amount (> 0, pence-exact) to what has been paid on an
// application. The total paid must not exceed its commitment.
type Pay struct {
	Application string
	Amount      decimal.Decimal
}

// Totals is a fund's money for a year.
type Totals struct {
	Committed decimal.Decimal // awards plus pending approvals
	Paid      decimal.Decimal
}

// Receipt is what a store recorded under an idempotency key.
type Receipt struct {
	Key    string
	Hash   string
	Result string
	At     time.Time
}

// Event is one line of the audit trail: who did what to which record,
// when, the status moved from and to, and why. Seq is assigned by the
// store, increasing in the order events are applied.
type Event struct {
	Seq     int64
	Fund    string
	At      time.Time
	Actor   string
	Action  string // e.g. "application.approve"
	Subject string // the id of the record changed
	From    Status // for applications: the status before
	To      Status // and after
	Note    string
}

// FundFilter selects funds.
type FundFilter struct {
	Offset int
	Limit  int
}

// RoundFilter selects rounds. Empty fields do not filter.
type RoundFilter struct {
	Fund   string
	Year   int
	Offset int
	Limit  int
}

// StaffFilter selects staff.
type StaffFilter struct {
	Offset int
	Limit  int
}

// ApplicationFilter selects applications. Empty fields do not filter.
type ApplicationFilter struct {
	Fund   string
	Round  string
	Year   int
	Owner  string
	Idea   string
	Status []Status // any of these
	Offset int
	Limit  int
}

// EventFilter selects audit events. Empty fields do not filter.
type EventFilter struct {
	Fund    string
	Subject string
	Offset  int
	Limit   int
}

// CheckCommit checks a Commit's fields; stores call it in Apply.
func CheckCommit(c Commit) error {
	switch {
	case c.Fund == "":
		return invalid("Commits.Fund", "is required")
	case c.Application == "":
		return invalid("Commits.Application", "is required")
	}
	if err := CheckMoney("Commits.Amount", c.Amount, false); err != nil {
		return err
	}
	return CheckMoney("Commits.Budget", c.Budget, false)
}

// CheckPay checks a Pay's fields; stores call it in Apply.
func CheckPay(p Pay) error {
	if p.Application == "" {
		return invalid("Pays.Application", "is required")
	}
	return CheckMoney("Pays.Amount", p.Amount, true)
}
