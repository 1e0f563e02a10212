package outcomes

import (
	"context"
	"time"
)

// Store persists outcome frameworks. Implementations live in
// adapters/memory, adapters/sqlite and adapters/postgres, and all pass the
// conformance suite in outcomestest; a behaviour not checked there is not
// guaranteed.
//
// A store holds no rules beyond what must be atomic: Apply writes a whole
// Batch or nothing, refuses stale updates and out-of-turn revisions, and
// records idempotency keys, all in one transaction. Rules, roles and state
// transitions live in Service. Records are copied in and out: changing a
// record after Apply, or one a read returned, changes nothing stored.
//
// Reads return ErrNotFound for a missing id. Lists return records in the
// order stated per method and honour Offset and Limit (Limit 0 means no
// limit).
type Store interface {
	// Apply writes b atomically. It returns ErrConflict when a record to
	// create exists (an administrator included), a record to update has changed since it was read, or
	// a measurement revision is not the next one; ErrNotFound when an
	// update names a missing record; ErrDuplicateKey when b.Key is
	// recorded already; ErrInvalid (a *FieldError) when a record has no
	// id or a version below 1. On any error nothing of b is written.
	Apply(ctx context.Context, b *Batch) error

	// Framework returns the framework with the given id.
	Framework(ctx context.Context, id string) (*Framework, error)
	// Frameworks returns frameworks ordered by id.
	Frameworks(ctx context.Context, f FrameworkFilter) ([]*Framework, error)

	// Indicator returns the indicator with the given id.
	Indicator(ctx context.Context, id string) (*Indicator, error)
	// Indicators returns indicators ordered by id.
	Indicators(ctx context.Context, f IndicatorFilter) ([]*Indicator, error)

	// Measurement returns the latest revision of a measurement.
	Measurement(ctx context.Context, k MeasurementKey) (*Measurement, error)
	// Measurements returns one revision per indicator, area and period —
	// the latest, or the one current at f.AsOf — ordered by indicator,
	// area, then period start.
	Measurements(ctx context.Context, f MeasurementFilter) ([]*Measurement, error)
	// Revisions returns every revision of a measurement, oldest first; it
	// returns ErrNotFound if there is none.
	Revisions(ctx context.Context, k MeasurementKey) ([]*Measurement, error)

	// Story returns the story with the given id.
	Story(ctx context.Context, id string) (*Story, error)
	// Stories returns stories ordered by Date, then id.
	Stories(ctx context.Context, f StoryFilter) ([]*Story, error)

	// Admins returns the administrators, ordered by actor id.
	Admins(ctx context.Context) ([]Admin, error)

	// Receipt returns what was recorded under an idempotency key.
	Receipt(ctx context.Context, key string) (*Receipt, error)
	// Secret returns the store's secret for idempotency receipts: random
	// bytes made once per database and kept with it.
	Secret(ctx context.Context) ([]byte, error)
	// Events returns the audit trail ordered by Seq.
	Events(ctx context.Context, f EventFilter) ([]Event, error)
}

// Batch is a set of changes a store writes atomically, in this order:
// administrators, frameworks, indicators, measurements, stories, erasures,
// events, then the receipt for Key.
//
// A framework, indicator or story with Version 1 is created (an existing
// id is ErrConflict); one with Version n > 1 replaces the stored record
// whose Version is n-1 (otherwise ErrConflict, or ErrNotFound if there is
// none).
//
// A measurement with Revision 1 is the first report for its key (one that
// exists is ErrConflict); Revision n > 1 supersedes the latest revision,
// which must be n-1 (otherwise ErrConflict, or ErrNotFound if there is
// none). The superseded revision stays in the history, current until the
// new one's RecordedAt.
//
// An administrator is created (one who is an administrator already is
// ErrConflict). EraseNotes lists subjects (story ids) whose audit events
// lose their notes, which may quote what a person told: the store empties
// every such note, and leaves no copy of it in its files that it can
// remove.
type Batch struct {
	Admins       []Admin
	Frameworks   []*Framework
	Indicators   []*Indicator
	Measurements []*Measurement
	Stories      []*Story
	EraseNotes   []string
	Events       []Event

	// Key, when not empty, is the caller's idempotency key. The store
	// records Receipt{Key, Hash, Result, At} with the batch, and refuses
	// the whole batch with ErrDuplicateKey if Key is recorded already.
	Key    string
	Hash   string    // fingerprint of the request, to tell a retry from a reuse
	Result string    // what the request made, returned on a retry
	At     time.Time // when the batch was made
}

// Receipt is what a store recorded under an idempotency key: keyed
// hashes of the caller's key and of the request, and the id of the result.
type Receipt struct {
	Key    string
	Hash   string
	Result string
	At     time.Time
}

// Admin is an administrator of the store: who, when they were made one,
// and by whom (the first, made by Bootstrap, by themself).
type Admin struct {
	Actor     string
	GrantedAt time.Time
	GrantedBy string
}

// Event is one line of the audit trail: who did what to which record of
// which framework, when and why. Seq is assigned by the store, increasing
// in the order events are applied.
type Event struct {
	Seq       int64
	Framework string
	At        time.Time
	Actor     string
	Action    string // e.g. "indicator.update", "measurement.record"
	Subject   string // the id or key of the record changed
	Note      string
}

// FrameworkFilter selects frameworks.
type FrameworkFilter struct {
	Offset int
	Limit  int
}

// IndicatorFilter selects indicators. Nil fields do not filter.
type IndicatorFilter struct {
	Framework *string
	Offset    int
	Limit     int
}

// MeasurementFilter selects measurements. Empty slices and nil fields do
// not filter. From and To select periods with From ≤ start < To. AsOf
// returns each measurement as it stood at that time: the latest revision
// recorded at or before it (a key first reported later is left out).
type MeasurementFilter struct {
	Indicators []string
	Areas      []string
	From       *time.Time
	To         *time.Time
	AsOf       *time.Time
	Offset     int
	Limit      int
}

// StoryFilter selects stories. Nil fields do not filter; Tag keeps stories
// carrying it.
type StoryFilter struct {
	Framework *string
	Indicator *string
	Status    *StoryStatus
	Tag       *string
	Offset    int
	Limit     int
}

// EventFilter selects audit events. Empty fields do not filter;
// Framework "" (for administrators) selects every framework's events and
// the administrators' own.
type EventFilter struct {
	Framework string
	Subject   string
	Offset    int
	Limit     int
}

// String formats a key as "indicator|area|period", the form events use.
func (k MeasurementKey) String() string {
	return k.Indicator + "|" + k.Area + "|" + k.Period.String()
}
