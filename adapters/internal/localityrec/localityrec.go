// Package localityrec holds the stored format of the locality domain
// (hubs/locality), shared by adapters/memory, adapters/sqlite and
// adapters/postgres: explicit record types with JSON names in an envelope
// with a format version, the rows a store indexes them by, and Store,
// which turns a store of rows (Raw) into a locality.Store.
package localityrec

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/strongertogether/community/hubs/locality"
)

// Version is the format version of the records written now.
const Version = 1

// The kinds of record.
const (
	KindStaff     = "staff"
	KindArea      = "area"
	KindCase      = "case"
	KindAvoided   = "avoided"
	KindListening = "listening"
	KindIssue     = "issue"
	KindNetwork   = "network"
	KindAsset     = "asset"
	KindGift      = "gift"
	KindFair      = "fair"
	KindPractice  = "practice"
)

// Row is one record as a store keeps it: kind and id (together unique),
// the columns it is selected by, its version and its body.
type Row struct {
	Kind    string
	ID      string
	Area    string // the area it belongs to ("" for staff and areas)
	Person  string // the person it names ("" if none)
	On      int64  // the date it is listed by, as Unix microseconds
	Version int64
	Body    []byte // the envelope
}

type envelope struct {
	V    int             `json:"v"`
	Kind string          `json:"kind"`
	Body json.RawMessage `json:"body"`
}

func encode(kind string, rec any) ([]byte, error) {
	body, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("localityrec: encode %s: %w", kind, err)
	}
	return json.Marshal(envelope{V: Version, Kind: kind, Body: body})
}

func decode(kind string, data []byte, rec any) error {
	var e envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return fmt.Errorf("localityrec: decode %s: %w", kind, err)
	}
	if e.V != Version || e.Kind != kind {
		return fmt.Errorf("localityrec: decode %s: stored as %s format %d, this code reads format %d", kind, e.Kind, e.V, Version)
	}
	if err := json.Unmarshal(e.Body, rec); err != nil {
		return fmt.Errorf("localityrec: decode %s: %w", kind, err)
	}
	return nil
}

// Micros returns t as Unix microseconds (0 for the zero time).
func Micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func conv[A, B any](xs []A, f func(A) B) []B {
	if xs == nil {
		return nil
	}
	out := make([]B, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func caseRec(c *locality.Case) *Case {
	return &Case{ID: c.ID, Area: c.Area, Coordinator: c.Coordinator, Person: c.Person, Route: c.Route, AgeBand: c.AgeBand,
		Name: c.Name, Contact: c.Contact, Introduced: c.Introduced,
		Conversations: conv(c.Conversations, func(x locality.Conversation) Conversation { return Conversation(x) }),
		Goals:         conv(c.Goals, func(x locality.Goal) Goal { return Goal(x) }),
		Connections:   conv(c.Connections, func(x locality.Connection) Connection { return Connection(x) }),
		Coordinated:   conv(c.Coordinated, func(x locality.Coordination) Coordination { return Coordination(x) }),
		Closed:        c.Closed, Outcome: c.Outcome, Story: c.Story, StoryConsent: c.StoryConsent, Erased: c.Erased,
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func (c *Case) domain() *locality.Case {
	return &locality.Case{ID: c.ID, Area: c.Area, Coordinator: c.Coordinator, Person: c.Person, Route: c.Route, AgeBand: c.AgeBand,
		Name: c.Name, Contact: c.Contact, Introduced: c.Introduced,
		Conversations: conv(c.Conversations, func(x Conversation) locality.Conversation { return locality.Conversation(x) }),
		Goals:         conv(c.Goals, func(x Goal) locality.Goal { return locality.Goal(x) }),
		Connections:   conv(c.Connections, func(x Connection) locality.Connection { return locality.Connection(x) }),
		Coordinated:   conv(c.Coordinated, func(x Coordination) locality.Coordination { return locality.Coordination(x) }),
		Closed:        c.Closed, Outcome: c.Outcome, Story: c.Story, StoryConsent: c.StoryConsent, Erased: c.Erased,
		Version: c.Version, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

func issueRec(i *locality.Issue) *Issue {
	return &Issue{ID: i.ID, Area: i.Area, Ward: i.Ward, Raised: i.Raised, Title: i.Title, Themes: i.Themes,
		Actions: conv(i.Actions, func(x locality.Action) Action { return Action(x) }),
		Version: i.Version, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
}

func (i *Issue) domain() *locality.Issue {
	return &locality.Issue{ID: i.ID, Area: i.Area, Ward: i.Ward, Raised: i.Raised, Title: i.Title, Themes: i.Themes,
		Actions: conv(i.Actions, func(x Action) locality.Action { return locality.Action(x) }),
		Version: i.Version, CreatedAt: i.CreatedAt, UpdatedAt: i.UpdatedAt}
}

// Rows returns b's records as rows, refusing a nil record, an empty id or
// a version below 1.
func Rows(b *locality.Batch) ([]Row, error) {
	var rows []Row
	var err error
	add := func(kind, id, area, person string, on time.Time, version int64, rec any) {
		if err != nil {
			return
		}
		if id == "" {
			err = &locality.FieldError{Field: "ID", Reason: kind + " id is required"}
			return
		}
		if version < 1 {
			err = &locality.FieldError{Field: "Version", Reason: fmt.Sprintf("%s %s: version must be at least 1, got %d", kind, id, version)}
			return
		}
		var body []byte
		body, err = encode(kind, rec)
		rows = append(rows, Row{Kind: kind, ID: id, Area: area, Person: person, On: Micros(on), Version: version, Body: body})
	}
	nilRec := func(field string) { err = &locality.FieldError{Field: field, Reason: "holds a nil record"} }
	for _, x := range b.Staff {
		if x == nil {
			nilRec("Staff")
			break
		}
		add(KindStaff, x.ID, "", "", time.Time{}, x.Version, Staff(*x))
	}
	for _, x := range b.Areas {
		if x == nil {
			nilRec("Areas")
			break
		}
		add(KindArea, x.ID, "", "", x.Since, x.Version, Area(*x))
	}
	for _, x := range b.Cases {
		if x == nil {
			nilRec("Cases")
			break
		}
		add(KindCase, x.ID, x.Area, x.Person, x.Introduced, x.Version, caseRec(x))
	}
	for _, x := range b.Avoided {
		if x == nil {
			nilRec("Avoided")
			break
		}
		add(KindAvoided, x.ID, x.Area, x.Person, x.On, x.Version, Avoided(*x))
	}
	for _, x := range b.Listening {
		if x == nil {
			nilRec("Listening")
			break
		}
		add(KindListening, x.ID, x.Area, x.Resident, x.From, x.Version, Listening(*x))
	}
	for _, x := range b.Issues {
		if x == nil {
			nilRec("Issues")
			break
		}
		add(KindIssue, x.ID, x.Area, "", x.Raised, x.Version, issueRec(x))
	}
	for _, x := range b.Networks {
		if x == nil {
			nilRec("Networks")
			break
		}
		add(KindNetwork, x.ID, x.Area, "", x.On, x.Version, Network(*x))
	}
	for _, x := range b.Assets {
		if x == nil {
			nilRec("Assets")
			break
		}
		add(KindAsset, x.ID, x.Area, x.Person, x.CreatedAt, x.Version, Asset(*x))
	}
	for _, x := range b.Gifts {
		if x == nil {
			nilRec("Gifts")
			break
		}
		add(KindGift, x.ID, x.Area, x.Person, x.Posted, x.Version, Gift(*x))
	}
	for _, x := range b.Fairs {
		if x == nil {
			nilRec("Fairs")
			break
		}
		add(KindFair, x.ID, x.Area, "", x.On, x.Version, Fair(*x))
	}
	for _, x := range b.Practices {
		if x == nil {
			nilRec("Practices")
			break
		}
		add(KindPractice, x.ID, x.Area, "", x.On, x.Version, Practice(*x))
	}
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// Raw is a store of rows: what each adapter implements. Store turns it
// into a locality.Store.
type Raw interface {
	// Secret returns the store's secret for idempotency receipts.
	Secret(ctx context.Context) ([]byte, error)
	// ApplyRows writes rows and b's receipt atomically, with the version
	// rules of locality.Store.Apply.
	ApplyRows(ctx context.Context, rows []Row, b *locality.Batch) error
	// Receipt returns a receipt, or an error wrapping locality.ErrNotFound.
	Receipt(ctx context.Context, key string) (*locality.Receipt, error)
	// One returns the body of a record, or an error wrapping
	// locality.ErrNotFound.
	One(ctx context.Context, kind, id string) ([]byte, error)
	// Many returns the bodies of the records of kind that q selects (by
	// Area, Person and On in [From, To)), ordered by On then id.
	Many(ctx context.Context, kind string, q locality.Query) ([][]byte, error)
}

// Store is a locality.Store over a Raw store of rows.
type Store struct{ Raw Raw }

var _ locality.Store = Store{}

// Secret returns the store's secret.
func (s Store) Secret(ctx context.Context) ([]byte, error) { return s.Raw.Secret(ctx) }

// Apply writes b atomically.
func (s Store) Apply(ctx context.Context, b *locality.Batch) error {
	if b == nil {
		return fmt.Errorf("apply batch: %w", &locality.FieldError{Field: "Batch", Reason: "is nil"})
	}
	rows, err := Rows(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	if err := s.Raw.ApplyRows(ctx, rows, b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	return nil
}

// Receipt returns what was recorded under a receipt key.
func (s Store) Receipt(ctx context.Context, key string) (*locality.Receipt, error) {
	return s.Raw.Receipt(ctx, key)
}

func one[R, T any](ctx context.Context, s Store, kind, id string, to func(*R) *T) (*T, error) {
	body, err := s.Raw.One(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	var r R
	if err := decode(kind, body, &r); err != nil {
		return nil, err
	}
	return to(&r), nil
}

func many[R, T any](ctx context.Context, s Store, kind string, q locality.Query, to func(*R) *T) ([]*T, error) {
	bodies, err := s.Raw.Many(ctx, kind, q)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	out := make([]*T, 0, len(bodies))
	for _, b := range bodies {
		var r R
		if err := decode(kind, b, &r); err != nil {
			return nil, err
		}
		out = append(out, to(&r))
	}
	return out, nil
}

func staff(r *Staff) *locality.Staff             { x := locality.Staff(*r); return &x }
func area(r *Area) *locality.Area                { x := locality.Area(*r); return &x }
func avoided(r *Avoided) *locality.Avoided       { x := locality.Avoided(*r); return &x }
func listening(r *Listening) *locality.Listening { x := locality.Listening(*r); return &x }
func network(r *Network) *locality.Network       { x := locality.Network(*r); return &x }
func asset(r *Asset) *locality.Asset             { x := locality.Asset(*r); return &x }
func gift(r *Gift) *locality.Gift                { x := locality.Gift(*r); return &x }
func fair(r *Fair) *locality.Fair                { x := locality.Fair(*r); return &x }
func practice(r *Practice) *locality.Practice    { x := locality.Practice(*r); return &x }
func caseOf(r *Case) *locality.Case              { return r.domain() }
func issueOf(r *Issue) *locality.Issue           { return r.domain() }

// Staff returns a member of staff.
func (s Store) Staff(ctx context.Context, id string) (*locality.Staff, error) {
	return one(ctx, s, KindStaff, id, staff)
}

// StaffList returns every member of staff, by id.
func (s Store) StaffList(ctx context.Context) ([]*locality.Staff, error) {
	return many(ctx, s, KindStaff, locality.Query{}, staff)
}

// Area returns an area.
func (s Store) Area(ctx context.Context, id string) (*locality.Area, error) {
	return one(ctx, s, KindArea, id, area)
}

// Areas returns every area.
func (s Store) Areas(ctx context.Context) ([]*locality.Area, error) {
	return many(ctx, s, KindArea, locality.Query{}, area)
}

// Case returns a case.
func (s Store) Case(ctx context.Context, id string) (*locality.Case, error) {
	return one(ctx, s, KindCase, id, caseOf)
}

// Cases returns the cases q selects.
func (s Store) Cases(ctx context.Context, q locality.Query) ([]*locality.Case, error) {
	return many(ctx, s, KindCase, q, caseOf)
}

// AvoidedEvent returns an avoided event.
func (s Store) AvoidedEvent(ctx context.Context, id string) (*locality.Avoided, error) {
	return one(ctx, s, KindAvoided, id, avoided)
}

// Avoided returns the avoided events q selects.
func (s Store) Avoided(ctx context.Context, q locality.Query) ([]*locality.Avoided, error) {
	return many(ctx, s, KindAvoided, q, avoided)
}

// ListeningCount returns a listening count.
func (s Store) ListeningCount(ctx context.Context, id string) (*locality.Listening, error) {
	return one(ctx, s, KindListening, id, listening)
}

// Listening returns the listening counts q selects.
func (s Store) Listening(ctx context.Context, q locality.Query) ([]*locality.Listening, error) {
	return many(ctx, s, KindListening, q, listening)
}

// Issue returns an issue.
func (s Store) Issue(ctx context.Context, id string) (*locality.Issue, error) {
	return one(ctx, s, KindIssue, id, issueOf)
}

// Issues returns the issues q selects.
func (s Store) Issues(ctx context.Context, q locality.Query) ([]*locality.Issue, error) {
	return many(ctx, s, KindIssue, q, issueOf)
}

// Network returns a network count.
func (s Store) Network(ctx context.Context, id string) (*locality.Network, error) {
	return one(ctx, s, KindNetwork, id, network)
}

// Networks returns the network counts q selects.
func (s Store) Networks(ctx context.Context, q locality.Query) ([]*locality.Network, error) {
	return many(ctx, s, KindNetwork, q, network)
}

// Asset returns an asset.
func (s Store) Asset(ctx context.Context, id string) (*locality.Asset, error) {
	return one(ctx, s, KindAsset, id, asset)
}

// Assets returns the assets q selects.
func (s Store) Assets(ctx context.Context, q locality.Query) ([]*locality.Asset, error) {
	return many(ctx, s, KindAsset, q, asset)
}

// Gift returns a gift-board card.
func (s Store) Gift(ctx context.Context, id string) (*locality.Gift, error) {
	return one(ctx, s, KindGift, id, gift)
}

// Gifts returns the cards q selects.
func (s Store) Gifts(ctx context.Context, q locality.Query) ([]*locality.Gift, error) {
	return many(ctx, s, KindGift, q, gift)
}

// Fair returns an ideas fair.
func (s Store) Fair(ctx context.Context, id string) (*locality.Fair, error) {
	return one(ctx, s, KindFair, id, fair)
}

// Fairs returns the ideas fairs q selects.
func (s Store) Fairs(ctx context.Context, q locality.Query) ([]*locality.Fair, error) {
	return many(ctx, s, KindFair, q, fair)
}

// Practice returns a Community of Practice event.
func (s Store) Practice(ctx context.Context, id string) (*locality.Practice, error) {
	return one(ctx, s, KindPractice, id, practice)
}

// Practices returns the Community of Practice events q selects.
func (s Store) Practices(ctx context.Context, q locality.Query) ([]*locality.Practice, error) {
	return many(ctx, s, KindPractice, q, practice)
}
