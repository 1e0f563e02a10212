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
// Batch or nothing, refuses stale updates, keeps each fund's budget and
// income for a year in its ledger and the year's commitments within their
// sum (a budget is never set, nor income reversed, below what is
// committed, and a commitment never raised above the budget plus the
// income), records each income reference of a fund once, lets each idea
// be funded by a fund once, keeps each
// application's payments within its commitment, and records idempotency
// keys, all in one transaction. Rules, roles and state transitions live
// in Service.
//
// Reads return ErrNotFound for a missing id, and copies: changing a
// returned record changes nothing stored. Lists honour Offset and Limit
// (Limit 0 means no limit).
type Store interface {
	// Apply writes b atomically. It refuses a malformed batch
	// (ErrInvalid: a record without an id or with a version below 1, a
	// BudgetSet, Commit or Pay missing its fund or application, money
	// that is negative or has fractions of a penny, an Income without its
	// id, fund, source or reference, of zero, or whose Year is not the
	// financial year of its Received). It returns ErrConflict when a
	// record to create exists (an Income whose id, or whose reference
	// within its fund, is recorded already, too) or a record to update
	// has changed since it was read, ErrNotFound when a record to update
	// is missing, ErrOverBudget when a Commit would take its fund's total
	// for the year above the budget stored for that year (none stored is
	// a budget of zero) plus the year's income, or a BudgetSet would put
	// the budget plus income below what is committed, ErrOverdrawn when
	// an Income below zero would do that,
	// ErrIdeaFunded when a Commit claims an idea another application of
	// the fund holds, ErrOverpaid when a Pay would take an application's
	// paid total above its commitment (or it has none), ErrInvalid when a
	// BudgetSet, Commit or Pay is malformed, and ErrDuplicateKey when
	// b.Key is recorded already. On any error nothing of b is written.
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

	// Totals returns a fund's budget and income for a financial year and
	// what it has committed and paid, as maintained by Apply from
	// BudgetSets, Income, Commits and Pays (zero when nothing is).
	Totals(ctx context.Context, fund string, year int) (Totals, error)
	// Income returns the income f selects, ordered by Received, then id.
	Income(ctx context.Context, f IncomeFilter) ([]*Income, error)

	// Receipt returns what was recorded under a receipt key (see
	// Batch.Key).
	Receipt(ctx context.Context, key string) (*Receipt, error)
	// Secret returns the store's secret for idempotency receipts: random
	// bytes made once per database and kept with it. The Service keys the
	// hashes a receipt holds with it.
	Secret(ctx context.Context) ([]byte, error)
	// Events returns the audit trail ordered by Seq.
	Events(ctx context.Context, f EventFilter) ([]Event, error)
}

// Batch is a set of changes a store writes atomically, in this order:
// funds, rounds, staff, applications, budgets, income, commits, pays,
// events, erasures, then the receipt for Key.
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
	Budgets      []BudgetSet
	// Income is money received (or reversed) that the store records,
	// once per reference of a fund, and adds to the fund's ledger for
	// Income.Year, in the same transaction as the budget checks.
	Income  []*Income
	Commits []Commit
	Pays    []Pay
	Events  []Event
	// Erasures are applications whose people were erased: the store
	// blanks the note of every event about each (Subject) and replaces
	// its claim on an idea with the erasure's Idea, in every table it
	// keeps, and leaves no copy of the old text in its files it can
	// remove (an SQLite store rewrites its freed pages and truncates its
	// log after the batch).
	Erasures []Erasure

	// Key, when not empty, is the receipt key of the caller's request: a
	// keyed hash (with the store's Secret) of the actor and their
	// idempotency key, never the key itself. The store records
	// Receipt{Key, Hash, Result, At} with the batch, and refuses the whole
	// batch with ErrDuplicateKey if Key is recorded already.
	Key    string
	Hash   string    // keyed hash of the request, to tell a retry from a reuse
	Result string    // id of what the request made, returned on a retry
	At     time.Time // when the batch was made
}

// BudgetSet sets a fund's budget for a financial year in the store's
// ledger, which with the year's income is what every Commit is checked
// against. The store refuses (ErrOverBudget) a budget that with the
// year's income is below what the fund has already committed that year, checked in the same transaction, so a budget cut
// and an approval racing each other never leave more committed than the
// budget. The Fund record's Budgets mirror these values for display.
type BudgetSet struct {
	Fund   string
	Year   int
	Amount decimal.Decimal // ≥ 0, pence-exact
}

// Commit sets how much of a fund's budget for a year an application holds:
// its award once approved, zero when released (withdrawn). After the
// change the fund's total commitment for the year must not exceed the
// budget stored for the year (see BudgetSet) plus the year's income,
// unless the change lowers the application's commitment. An application's commitment stays in the fund
// and year it was first made in (another is ErrInvalid), and may not fall
// below what was paid on it (ErrOverpaid).
//
// Idea, when not empty, is claimed for the application with a positive
// commitment: a fund funds an idea once, so a claim on an idea another
// application of the fund holds is ErrIdeaFunded. Releasing a commitment
// (Amount zero) releases the application's claim.
type Commit struct {
	Fund        string
	Year        int
	Application string
	Amount      decimal.Decimal // ≥ 0, pence-exact
	Idea        string          // the application's normalised idea
}

// Pay adds Amount (> 0, pence-exact) to what has been paid on an
// application. The total paid must not exceed its commitment.
type Pay struct {
	Application string
	Amount      decimal.Decimal
}

// Erasure is an application whose applicant, supporters and free text
// were erased: see Batch.Erasures.
type Erasure struct {
	Application string
	Idea        string // the pseudonymous idea that replaces its claim
}

// Totals is a fund's money for a year.
type Totals struct {
	Budget    decimal.Decimal // as last set by a BudgetSet
	Income    decimal.Decimal // the year's income, net of reversals
	Committed decimal.Decimal // awards plus pending approvals
	Paid      decimal.Decimal
}

// Available is what the fund may still commit in the year: its budget
// plus its income, less what is committed. The store keeps it at zero or
// above.
func (t Totals) Available() decimal.Decimal { return t.Budget.Add(t.Income).Sub(t.Committed) }

// Receipt is what a store recorded for one idempotent request: keyed
// hashes and the id of the result, no personal data.
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
	// Amount is the money the event moved: an award's grant, a payment;
	// zero for the others. Erasing an application blanks its events'
	// notes and keeps their amounts, which name no one.
	Amount decimal.Decimal
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
	// After keeps the events with a Seq greater than it: a reader that
	// remembers the last Seq it saw reads only what followed. A store
	// returns no event while one with a lower Seq may still be committed
	// (a writer in flight), so such a reader passes over none.
	After  int64
	Offset int
	Limit  int
}
