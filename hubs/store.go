package hubs

import (
	"context"
	"time"
)

// Store persists hubs, their people and counts, and the directory.
// Implementations live in adapters/memory, adapters/sqlite and
// adapters/postgres, and all pass hubstest.Run; a behaviour not checked
// there is not guaranteed.
//
// A store holds no rules beyond what must be atomic: Apply writes a whole
// Batch or nothing, refuses stale updates (so two bookings of one slot, or
// two surgeries scheduled in one room at once, cannot both be built from
// the same reads), and records the receipt of the batch's key, all in one
// transaction. Rules, roles and state transitions live in Service.
//
// Reads return ErrNotFound for a missing id, and copies: changing a
// returned record changes nothing stored. Lists are ordered by date (where
// the record has one), then id.
type Store interface {
	// Secret returns the store's secret for idempotency receipts: random
	// bytes made once per database and kept with it.
	Secret(ctx context.Context) ([]byte, error)
	// Apply writes b atomically. A record with Version 1 is created (an
	// existing id of its kind is ErrConflict); one with Version n > 1
	// replaces the stored record whose Version is n-1 (otherwise
	// ErrConflict, or ErrNotFound if there is none). A key recorded
	// already is ErrDuplicateKey, and so is a key of b.Receipts recorded
	// already or given twice in b. On any error nothing of b is written.
	// When b.Erase is set the store also removes old copies of what it
	// overwrote (a SQLite store truncates its WAL).
	Apply(ctx context.Context, b *Batch) error
	// Receipt returns what was recorded under a receipt key.
	Receipt(ctx context.Context, key string) (*Receipt, error)
	// Receipts returns the receipts recorded under any of keys, in no
	// particular order; a key with none is left out (it is not an error).
	Receipts(ctx context.Context, keys []string) ([]*Receipt, error)

	// Staff returns a member of staff.
	Staff(ctx context.Context, id string) (*Staff, error)
	// StaffList returns every member of staff.
	StaffList(ctx context.Context) ([]*Staff, error)
	// Hub returns a hub.
	Hub(ctx context.Context, id string) (*Hub, error)
	// Hubs returns every hub, by id.
	Hubs(ctx context.Context) ([]*Hub, error)
	// Volunteer returns a volunteer.
	Volunteer(ctx context.Context, id string) (*Volunteer, error)
	// Volunteers returns the volunteers registered in the span.
	Volunteers(ctx context.Context, s Span) ([]*Volunteer, error)
	// Session returns a session.
	Session(ctx context.Context, id string) (*Session, error)
	// Sessions returns the sessions given in the span.
	Sessions(ctx context.Context, s Span) ([]*Session, error)
	// Visits returns the days' visit counts in the span.
	Visits(ctx context.Context, s Span) ([]*Visit, error)
	// Baseline returns a baseline.
	Baseline(ctx context.Context, id string) (*Baseline, error)
	// Baselines returns a hub's baselines ("" for every hub's).
	Baselines(ctx context.Context, hub string) ([]*Baseline, error)
	// Group returns a group.
	Group(ctx context.Context, id string) (*Group, error)
	// Groups returns a hub's groups ("" for every hub's), by Since.
	Groups(ctx context.Context, hub string) ([]*Group, error)
	// Event returns an event.
	Event(ctx context.Context, id string) (*Event, error)
	// Events returns the events held in the span.
	Events(ctx context.Context, s Span) ([]*Event, error)
	// Room returns a room.
	Room(ctx context.Context, id string) (*Room, error)
	// Rooms returns a hub's rooms.
	Rooms(ctx context.Context, hub string) ([]*Room, error)
	// Surgery returns a surgery.
	Surgery(ctx context.Context, id string) (*Surgery, error)
	// Surgeries returns the surgeries starting in the span.
	Surgeries(ctx context.Context, s Span) ([]*Surgery, error)
	// RoomSurgeries returns the surgeries scheduled in a room.
	RoomSurgeries(ctx context.Context, room string) ([]*Surgery, error)
	// Booking returns a booking.
	Booking(ctx context.Context, id string) (*Booking, error)
	// Bookings returns a surgery's bookings, by CreatedAt.
	Bookings(ctx context.Context, surgery string) ([]*Booking, error)
	// WaitingList returns a surgery's waiting-list entries, by CreatedAt.
	WaitingList(ctx context.Context, surgery string) ([]*Waiting, error)
	// Waiting returns a waiting-list entry.
	Waiting(ctx context.Context, id string) (*Waiting, error)
	// Placement returns a placement.
	Placement(ctx context.Context, id string) (*Placement, error)
	// Placements returns every placement, by Offered.
	Placements(ctx context.Context) ([]*Placement, error)
	// Enterprise returns an enterprise.
	Enterprise(ctx context.Context, id string) (*Enterprise, error)
	// Enterprises returns every enterprise.
	Enterprises(ctx context.Context) ([]*Enterprise, error)
	// WorkOutcome returns an outcome.
	WorkOutcome(ctx context.Context, id string) (*WorkOutcome, error)
	// WorkOutcomes returns the outcomes recorded in the span.
	WorkOutcomes(ctx context.Context, s Span) ([]*WorkOutcome, error)

	// Organization returns an organisation of the directory.
	Organization(ctx context.Context, id string) (*Organization, error)
	// Organizations returns every organisation.
	Organizations(ctx context.Context) ([]*Organization, error)
	// Listing returns a listing.
	Listing(ctx context.Context, id string) (*Listing, error)
	// Listings returns the listings f selects, by id.
	Listings(ctx context.Context, f ListingFilter) ([]*Listing, error)
	// Location returns a location.
	Location(ctx context.Context, id string) (*Location, error)
	// Locations returns every location.
	Locations(ctx context.Context) ([]*Location, error)
	// Term returns a taxonomy term.
	Term(ctx context.Context, id string) (*TaxonomyTerm, error)
	// Terms returns every taxonomy term.
	Terms(ctx context.Context) ([]*TaxonomyTerm, error)
	// Postcode returns a postcode's centroid.
	Postcode(ctx context.Context, id string) (*Postcode, error)
}

// Span selects dated records: of Hub ("" for every hub), dated on or
// after From and before To (a zero time does not bound).
type Span struct {
	Hub  string
	From time.Time
	To   time.Time
}

// Batch is a set of records a store writes atomically, with the receipt
// of its key.
type Batch struct {
	Staff         []*Staff
	Hubs          []*Hub
	Volunteers    []*Volunteer
	Sessions      []*Session
	Visits        []*Visit
	Baselines     []*Baseline
	Groups        []*Group
	Events        []*Event
	Rooms         []*Room
	Surgeries     []*Surgery
	Bookings      []*Booking
	Waiting       []*Waiting
	Placements    []*Placement
	Enterprises   []*Enterprise
	WorkOutcomes  []*WorkOutcome
	Organizations []*Organization
	Listings      []*Listing
	Locations     []*Location
	Terms         []*TaxonomyTerm
	Postcodes     []*Postcode

	// Erase says the batch overwrites personal data.
	Erase bool

	// Key, when not empty, is the receipt key. The store records
	// Receipt{Key, Hash, Result, At} with the batch, and refuses the whole
	// batch with ErrDuplicateKey if Key is recorded already.
	Key    string
	Hash   string
	Result string
	At     time.Time

	// Receipts are further receipts recorded with the batch, one for each
	// write a batch of many writes holds (ImportVolunteers); the store
	// refuses the whole batch with ErrDuplicateKey if any key among them
	// (or Key) is recorded already.
	Receipts []Receipt
}

// Receipt is what a store recorded under a receipt key. It holds no
// personal data: Key and Hash are keyed hashes.
type Receipt struct {
	Key    string
	Hash   string
	Result string
	At     time.Time
}
