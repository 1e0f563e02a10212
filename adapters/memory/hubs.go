package memory

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/strongertogether/community/adapters/internal/hubsrec"
	"github.com/strongertogether/community/hubs"
)

// HubsStore is the in-memory hubs.Store. It keeps each record in its
// stored format (adapters/internal/hubsrec), as the SQL stores do, so a
// read is always a copy; a whole batch is checked before any of it is
// written, under one lock. Listings are indexed by word and by taxonomy
// term for Search.
type HubsStore struct {
	mu       sync.RWMutex
	rows     map[string]map[string]hubsrec.Row // kind → id → row
	words    map[string]map[string]bool        // word → listing ids
	terms    map[string]map[string]bool        // term id → listing ids
	receipts map[string]hubs.Receipt
	secret   []byte
}

var _ hubs.Store = (*HubsStore)(nil)

// NewHubsStore returns an empty in-memory hubs.Store.
func NewHubsStore() *HubsStore {
	return &HubsStore{rows: map[string]map[string]hubsrec.Row{}, words: map[string]map[string]bool{},
		terms: map[string]map[string]bool{}, receipts: map[string]hubs.Receipt{}, secret: newSecret()}
}

// Secret returns the store's secret for idempotency receipts.
func (s *HubsStore) Secret(context.Context) ([]byte, error) { return s.secret, nil }

// Apply writes b atomically: see hubs.Store.
func (s *HubsStore) Apply(ctx context.Context, b *hubs.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("apply batch: %w", &hubs.FieldError{Field: "Batch", Reason: "is nil"})
	}
	rows, err := hubsrec.Rows(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.receipts[b.Key]; b.Key != "" && ok {
		return fmt.Errorf("apply batch: %w", hubs.ErrDuplicateKey)
	}
	keys := make(map[string]bool, len(b.Receipts))
	for _, r := range b.Receipts {
		if r.Key == "" {
			return fmt.Errorf("apply batch: %w", &hubs.FieldError{Field: "Receipts", Reason: "a receipt has no key"})
		}
		if _, recorded := s.receipts[r.Key]; recorded || keys[r.Key] || r.Key == b.Key {
			return fmt.Errorf("apply batch: receipt %q: %w", r.Key, hubs.ErrDuplicateKey)
		}
		keys[r.Key] = true
	}
	staged := map[[2]string]hubsrec.Row{}
	for _, r := range rows {
		k := [2]string{r.Kind, r.ID}
		cur, ok := staged[k]
		if !ok {
			cur, ok = s.rows[r.Kind][r.ID]
		}
		switch {
		case r.Version == 1 && ok:
			return fmt.Errorf("apply batch: create %s %s: %w", r.Kind, r.ID, hubs.ErrConflict)
		case r.Version > 1 && !ok:
			return fmt.Errorf("apply batch: update %s %s: %w", r.Kind, r.ID, hubs.ErrNotFound)
		case r.Version > 1 && cur.Version != r.Version-1:
			return fmt.Errorf("apply batch: update %s %s to version %d: stored version is %d: %w", r.Kind, r.ID, r.Version, cur.Version, hubs.ErrConflict)
		}
		staged[k] = r
	}
	for _, r := range rows {
		m := s.rows[r.Kind]
		if m == nil {
			m = map[string]hubsrec.Row{}
			s.rows[r.Kind] = m
		}
		if r.Kind == hubsrec.KindListing {
			if old, ok := m[r.ID]; ok {
				s.unindex(old)
			}
			s.index(r)
		}
		r.Body = bytes.Clone(r.Body)
		r.Terms = slices.Clone(r.Terms)
		m[r.ID] = r
	}
	if b.Key != "" {
		s.receipts[b.Key] = hubs.Receipt{Key: b.Key, Hash: b.Hash, Result: b.Result, At: b.At}
	}
	for _, r := range b.Receipts {
		s.receipts[r.Key] = r
	}
	return nil
}

func (s *HubsStore) index(r hubsrec.Row) {
	add := func(m map[string]map[string]bool, k string) {
		if m[k] == nil {
			m[k] = map[string]bool{}
		}
		m[k][r.ID] = true
	}
	for _, w := range hubsrec.Words(r.Text) {
		add(s.words, w)
	}
	for _, t := range r.Terms {
		add(s.terms, t)
	}
}

func (s *HubsStore) unindex(r hubsrec.Row) {
	for _, w := range hubsrec.Words(r.Text) {
		delete(s.words[w], r.ID)
	}
	for _, t := range r.Terms {
		delete(s.terms[t], r.ID)
	}
}

// Receipts returns the receipts recorded under any of keys.
func (s *HubsStore) Receipts(ctx context.Context, keys []string) ([]*hubs.Receipt, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := []*hubs.Receipt{}
	seen := make(map[string]bool, len(keys))
	for _, k := range keys {
		if r, ok := s.receipts[k]; ok && !seen[k] {
			seen[k] = true
			out = append(out, &r)
		}
	}
	return out, nil
}

// Receipt returns what was recorded under a receipt key.
func (s *HubsStore) Receipt(_ context.Context, key string) (*hubs.Receipt, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.receipts[key]
	if !ok {
		return nil, fmt.Errorf("receipt: %w", hubs.ErrNotFound)
	}
	return &r, nil
}

func hubOne[T any](s *HubsStore, kind, id string, dec func([]byte) (*T, error)) (*T, error) {
	s.mu.RLock()
	r, ok := s.rows[kind][id]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%s %s: %w", kind, id, hubs.ErrNotFound)
	}
	return dec(r.Body)
}

func hubList[T any](s *HubsStore, kind string, keep func(hubsrec.Row) bool, dec func([]byte) (*T, error)) ([]*T, error) {
	s.mu.RLock()
	var rows []hubsrec.Row
	for _, r := range s.rows[kind] {
		if keep(r) {
			rows = append(rows, r)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(rows, func(a, b hubsrec.Row) int { return cmp.Or(cmp.Compare(a.On, b.On), cmp.Compare(a.ID, b.ID)) })
	out := make([]*T, 0, len(rows))
	for _, r := range rows {
		x, err := dec(r.Body)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func hubAll(hubsrec.Row) bool { return true }

func hubSpan(sp hubs.Span) func(hubsrec.Row) bool {
	from, to := hubsrec.Micros(sp.From), hubsrec.Micros(sp.To)
	return func(r hubsrec.Row) bool {
		return (sp.Hub == "" || r.Hub == sp.Hub) && (sp.From.IsZero() || r.On >= from) && (sp.To.IsZero() || r.On < to)
	}
}

func hubOf(hub string) func(hubsrec.Row) bool {
	return func(r hubsrec.Row) bool { return hub == "" || r.Hub == hub }
}

func hubParent(p string) func(hubsrec.Row) bool {
	return func(r hubsrec.Row) bool { return r.Parent == p }
}

// Staff returns a member of staff.
func (s *HubsStore) Staff(_ context.Context, id string) (*hubs.Staff, error) {
	return hubOne(s, hubsrec.KindStaff, id, hubsrec.DecodeStaff)
}

// StaffList returns every member of staff.
func (s *HubsStore) StaffList(context.Context) ([]*hubs.Staff, error) {
	return hubList(s, hubsrec.KindStaff, hubAll, hubsrec.DecodeStaff)
}

// Hub returns a hub.
func (s *HubsStore) Hub(_ context.Context, id string) (*hubs.Hub, error) {
	return hubOne(s, hubsrec.KindHub, id, hubsrec.DecodeHub)
}

// Hubs returns every hub.
func (s *HubsStore) Hubs(context.Context) ([]*hubs.Hub, error) {
	return hubList(s, hubsrec.KindHub, hubAll, hubsrec.DecodeHub)
}

// Volunteer returns a volunteer.
func (s *HubsStore) Volunteer(_ context.Context, id string) (*hubs.Volunteer, error) {
	return hubOne(s, hubsrec.KindVolunteer, id, hubsrec.DecodeVolunteer)
}

// Volunteers returns the volunteers registered in the span.
func (s *HubsStore) Volunteers(_ context.Context, sp hubs.Span) ([]*hubs.Volunteer, error) {
	return hubList(s, hubsrec.KindVolunteer, hubSpan(sp), hubsrec.DecodeVolunteer)
}

// Session returns a session.
func (s *HubsStore) Session(_ context.Context, id string) (*hubs.Session, error) {
	return hubOne(s, hubsrec.KindSession, id, hubsrec.DecodeSession)
}

// Sessions returns the sessions in the span.
func (s *HubsStore) Sessions(_ context.Context, sp hubs.Span) ([]*hubs.Session, error) {
	return hubList(s, hubsrec.KindSession, hubSpan(sp), hubsrec.DecodeSession)
}

// Visits returns the visit counts in the span.
func (s *HubsStore) Visits(_ context.Context, sp hubs.Span) ([]*hubs.Visit, error) {
	return hubList(s, hubsrec.KindVisit, hubSpan(sp), hubsrec.DecodeVisit)
}

// Baseline returns a baseline.
func (s *HubsStore) Baseline(_ context.Context, id string) (*hubs.Baseline, error) {
	return hubOne(s, hubsrec.KindBaseline, id, hubsrec.DecodeBaseline)
}

// Baselines returns a hub's baselines.
func (s *HubsStore) Baselines(_ context.Context, hub string) ([]*hubs.Baseline, error) {
	return hubList(s, hubsrec.KindBaseline, hubOf(hub), hubsrec.DecodeBaseline)
}

// Group returns a group.
func (s *HubsStore) Group(_ context.Context, id string) (*hubs.Group, error) {
	return hubOne(s, hubsrec.KindGroup, id, hubsrec.DecodeGroup)
}

// Groups returns a hub's groups.
func (s *HubsStore) Groups(_ context.Context, hub string) ([]*hubs.Group, error) {
	return hubList(s, hubsrec.KindGroup, hubOf(hub), hubsrec.DecodeGroup)
}

// Event returns an event.
func (s *HubsStore) Event(_ context.Context, id string) (*hubs.Event, error) {
	return hubOne(s, hubsrec.KindEvent, id, hubsrec.DecodeEvent)
}

// Events returns the events in the span.
func (s *HubsStore) Events(_ context.Context, sp hubs.Span) ([]*hubs.Event, error) {
	return hubList(s, hubsrec.KindEvent, hubSpan(sp), hubsrec.DecodeEvent)
}

// Room returns a room.
func (s *HubsStore) Room(_ context.Context, id string) (*hubs.Room, error) {
	return hubOne(s, hubsrec.KindRoom, id, hubsrec.DecodeRoom)
}

// Rooms returns a hub's rooms.
func (s *HubsStore) Rooms(_ context.Context, hub string) ([]*hubs.Room, error) {
	return hubList(s, hubsrec.KindRoom, hubOf(hub), hubsrec.DecodeRoom)
}

// Surgery returns a surgery.
func (s *HubsStore) Surgery(_ context.Context, id string) (*hubs.Surgery, error) {
	return hubOne(s, hubsrec.KindSurgery, id, hubsrec.DecodeSurgery)
}

// Surgeries returns the surgeries starting in the span.
func (s *HubsStore) Surgeries(_ context.Context, sp hubs.Span) ([]*hubs.Surgery, error) {
	return hubList(s, hubsrec.KindSurgery, hubSpan(sp), hubsrec.DecodeSurgery)
}

// RoomSurgeries returns a room's surgeries.
func (s *HubsStore) RoomSurgeries(_ context.Context, room string) ([]*hubs.Surgery, error) {
	return hubList(s, hubsrec.KindSurgery, hubParent(room), hubsrec.DecodeSurgery)
}

// Booking returns a booking.
func (s *HubsStore) Booking(_ context.Context, id string) (*hubs.Booking, error) {
	return hubOne(s, hubsrec.KindBooking, id, hubsrec.DecodeBooking)
}

// Bookings returns a surgery's bookings.
func (s *HubsStore) Bookings(_ context.Context, surgery string) ([]*hubs.Booking, error) {
	return hubList(s, hubsrec.KindBooking, hubParent(surgery), hubsrec.DecodeBooking)
}

// Waiting returns a waiting-list entry.
func (s *HubsStore) Waiting(_ context.Context, id string) (*hubs.Waiting, error) {
	return hubOne(s, hubsrec.KindWaiting, id, hubsrec.DecodeWaiting)
}

// WaitingList returns a surgery's waiting list.
func (s *HubsStore) WaitingList(_ context.Context, surgery string) ([]*hubs.Waiting, error) {
	return hubList(s, hubsrec.KindWaiting, hubParent(surgery), hubsrec.DecodeWaiting)
}

// Placement returns a placement.
func (s *HubsStore) Placement(_ context.Context, id string) (*hubs.Placement, error) {
	return hubOne(s, hubsrec.KindPlacement, id, hubsrec.DecodePlacement)
}

// Placements returns every placement.
func (s *HubsStore) Placements(context.Context) ([]*hubs.Placement, error) {
	return hubList(s, hubsrec.KindPlacement, hubAll, hubsrec.DecodePlacement)
}

// Enterprise returns an enterprise.
func (s *HubsStore) Enterprise(_ context.Context, id string) (*hubs.Enterprise, error) {
	return hubOne(s, hubsrec.KindEnterprise, id, hubsrec.DecodeEnterprise)
}

// Enterprises returns every enterprise.
func (s *HubsStore) Enterprises(context.Context) ([]*hubs.Enterprise, error) {
	return hubList(s, hubsrec.KindEnterprise, hubAll, hubsrec.DecodeEnterprise)
}

// WorkOutcome returns an outcome.
func (s *HubsStore) WorkOutcome(_ context.Context, id string) (*hubs.WorkOutcome, error) {
	return hubOne(s, hubsrec.KindWorkOutcome, id, hubsrec.DecodeWorkOutcome)
}

// WorkOutcomes returns the outcomes in the span.
func (s *HubsStore) WorkOutcomes(_ context.Context, sp hubs.Span) ([]*hubs.WorkOutcome, error) {
	return hubList(s, hubsrec.KindWorkOutcome, hubSpan(sp), hubsrec.DecodeWorkOutcome)
}

// Organization returns an organisation.
func (s *HubsStore) Organization(_ context.Context, id string) (*hubs.Organization, error) {
	return hubOne(s, hubsrec.KindOrganization, id, hubsrec.DecodeOrganization)
}

// Organizations returns every organisation.
func (s *HubsStore) Organizations(context.Context) ([]*hubs.Organization, error) {
	return hubList(s, hubsrec.KindOrganization, hubAll, hubsrec.DecodeOrganization)
}

// Listing returns a listing.
func (s *HubsStore) Listing(_ context.Context, id string) (*hubs.Listing, error) {
	return hubOne(s, hubsrec.KindListing, id, hubsrec.DecodeListing)
}

// Listings returns the listings f selects, through the word and term
// indexes.
func (s *HubsStore) Listings(_ context.Context, f hubs.ListingFilter) ([]*hubs.Listing, error) {
	s.mu.RLock()
	var ids map[string]bool // nil: every listing
	narrow := func(set map[string]bool) {
		if ids == nil {
			ids = map[string]bool{}
			for id := range set {
				ids[id] = true
			}
			return
		}
		for id := range ids {
			if !set[id] {
				delete(ids, id)
			}
		}
	}
	if words := hubsrec.Words(f.Text); len(words) > 0 {
		for _, w := range words {
			narrow(s.words[w])
		}
	} else if f.Text != "" {
		ids = map[string]bool{}
	}
	if f.TermID != "" {
		narrow(s.terms[f.TermID])
	}
	var rows []hubsrec.Row
	if ids == nil {
		for _, r := range s.rows[hubsrec.KindListing] {
			rows = append(rows, r)
		}
	} else {
		for id := range ids {
			rows = append(rows, s.rows[hubsrec.KindListing][id])
		}
	}
	s.mu.RUnlock()
	if f.OrganizationID != "" {
		rows = slices.DeleteFunc(rows, func(r hubsrec.Row) bool { return r.Parent != f.OrganizationID })
	}
	slices.SortFunc(rows, func(a, b hubsrec.Row) int { return cmp.Compare(a.ID, b.ID) })
	if f.Limit > 0 && len(rows) > f.Limit {
		rows = rows[:f.Limit]
	}
	out := make([]*hubs.Listing, 0, len(rows))
	for _, r := range rows {
		x, err := hubsrec.DecodeListing(r.Body)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// Location returns a location.
func (s *HubsStore) Location(_ context.Context, id string) (*hubs.Location, error) {
	return hubOne(s, hubsrec.KindLocation, id, hubsrec.DecodeLocation)
}

// Locations returns every location.
func (s *HubsStore) Locations(context.Context) ([]*hubs.Location, error) {
	return hubList(s, hubsrec.KindLocation, hubAll, hubsrec.DecodeLocation)
}

// Term returns a taxonomy term.
func (s *HubsStore) Term(_ context.Context, id string) (*hubs.TaxonomyTerm, error) {
	return hubOne(s, hubsrec.KindTaxonomyTerm, id, hubsrec.DecodeTaxonomyTerm)
}

// Terms returns every taxonomy term.
func (s *HubsStore) Terms(context.Context) ([]*hubs.TaxonomyTerm, error) {
	return hubList(s, hubsrec.KindTaxonomyTerm, hubAll, hubsrec.DecodeTaxonomyTerm)
}

// Postcode returns a postcode's centroid.
func (s *HubsStore) Postcode(_ context.Context, id string) (*hubs.Postcode, error) {
	return hubOne(s, hubsrec.KindPostcode, id, hubsrec.DecodePostcode)
}
