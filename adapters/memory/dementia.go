package memory

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/strongertogether/community/adapters/internal/dementiarec"
	"github.com/strongertogether/community/dementia"
)

// DementiaStore is the in-memory dementia.Store. It keeps each record in
// its stored format (adapters/internal/dementiarec), as the SQL stores do,
// so a read is always a copy; a whole batch is checked before any of it
// is written, under one lock.
type DementiaStore struct {
	mu       sync.RWMutex
	rows     map[string]map[string]dementiarec.Row // kind → id → row
	receipts map[string]dementia.Receipt
	secret   []byte
}

var _ dementia.Store = (*DementiaStore)(nil)

// NewDementiaStore returns an empty in-memory dementia.Store.
func NewDementiaStore() *DementiaStore {
	return &DementiaStore{rows: map[string]map[string]dementiarec.Row{}, receipts: map[string]dementia.Receipt{}, secret: newSecret()}
}

// Secret returns the store's secret for idempotency receipts.
func (s *DementiaStore) Secret(context.Context) ([]byte, error) { return s.secret, nil }

// Apply writes b atomically: see dementia.Store.
func (s *DementiaStore) Apply(ctx context.Context, b *dementia.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("apply batch: %w", &dementia.FieldError{Field: "Batch", Reason: "is nil"})
	}
	rows, err := dementiarec.Rows(b)
	if err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.receipts[b.Key]; b.Key != "" && ok {
		return fmt.Errorf("apply batch: %w", dementia.ErrDuplicateKey)
	}
	staged := map[[2]string]dementiarec.Row{}
	for _, r := range rows {
		k := [2]string{r.Kind, r.ID}
		cur, ok := staged[k]
		if !ok {
			cur, ok = s.rows[r.Kind][r.ID]
		}
		switch {
		case r.Version == 1 && ok:
			return fmt.Errorf("apply batch: create %s %s: %w", r.Kind, r.ID, dementia.ErrConflict)
		case r.Version > 1 && !ok:
			return fmt.Errorf("apply batch: update %s %s: %w", r.Kind, r.ID, dementia.ErrNotFound)
		case r.Version > 1 && cur.Version != r.Version-1:
			return fmt.Errorf("apply batch: update %s %s to version %d: stored version is %d: %w", r.Kind, r.ID, r.Version, cur.Version, dementia.ErrConflict)
		}
		staged[k] = r
	}
	for _, r := range rows {
		m := s.rows[r.Kind]
		if m == nil {
			m = map[string]dementiarec.Row{}
			s.rows[r.Kind] = m
		}
		r.Body = bytes.Clone(r.Body)
		m[r.ID] = r
	}
	if b.Key != "" {
		s.receipts[b.Key] = dementia.Receipt{Key: b.Key, Hash: b.Hash, Result: b.Result, At: b.At}
	}
	return nil
}

// Receipt returns what was recorded under a receipt key.
func (s *DementiaStore) Receipt(_ context.Context, key string) (*dementia.Receipt, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.receipts[key]
	if !ok {
		return nil, fmt.Errorf("receipt: %w", dementia.ErrNotFound)
	}
	return &r, nil
}

func demOne[T any](s *DementiaStore, kind, id string, dec func([]byte) (*T, error)) (*T, error) {
	s.mu.RLock()
	r, ok := s.rows[kind][id]
	s.mu.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%s %s: %w", kind, id, dementia.ErrNotFound)
	}
	return dec(r.Body)
}

// demMany decodes the rows of kind that keep selects, by On then id.
func demMany[T any](s *DementiaStore, kind string, keep func(dementiarec.Row) bool, dec func([]byte) (*T, error)) ([]*T, error) {
	s.mu.RLock()
	var sel []dementiarec.Row
	for _, r := range s.rows[kind] {
		if keep == nil || keep(r) {
			sel = append(sel, r)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(sel, func(a, b dementiarec.Row) int { return cmp.Or(cmp.Compare(a.On, b.On), cmp.Compare(a.ID, b.ID)) })
	out := make([]*T, 0, len(sel))
	for _, r := range sel {
		x, err := dec(r.Body)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// Staff returns a member of staff.
func (s *DementiaStore) Staff(_ context.Context, id string) (*dementia.Staff, error) {
	return demOne(s, dementiarec.KindStaff, id, dementiarec.DecodeStaff)
}

// StaffList returns every member of staff.
func (s *DementiaStore) StaffList(context.Context) ([]*dementia.Staff, error) {
	return demMany(s, dementiarec.KindStaff, nil, dementiarec.DecodeStaff)
}

// Member returns an alliance member.
func (s *DementiaStore) Member(_ context.Context, id string) (*dementia.Member, error) {
	return demOne(s, dementiarec.KindMember, id, dementiarec.DecodeMember)
}

// Members returns every member, by Joined.
func (s *DementiaStore) Members(context.Context) ([]*dementia.Member, error) {
	return demMany(s, dementiarec.KindMember, nil, dementiarec.DecodeMember)
}

// Action returns an action.
func (s *DementiaStore) Action(_ context.Context, id string) (*dementia.Action, error) {
	return demOne(s, dementiarec.KindAction, id, dementiarec.DecodeAction)
}

// Actions returns a member's actions ("" for every member's), by Due.
func (s *DementiaStore) Actions(_ context.Context, member string) ([]*dementia.Action, error) {
	var keep func(dementiarec.Row) bool
	if member != "" {
		keep = func(r dementiarec.Row) bool { return r.Parent == member }
	}
	return demMany(s, dementiarec.KindAction, keep, dementiarec.DecodeAction)
}

// Meetings returns every meeting, by On.
func (s *DementiaStore) Meetings(context.Context) ([]*dementia.Meeting, error) {
	return demMany(s, dementiarec.KindMeeting, nil, dementiarec.DecodeMeeting)
}

// Community returns a community.
func (s *DementiaStore) Community(_ context.Context, id string) (*dementia.Community, error) {
	return demOne(s, dementiarec.KindCommunity, id, dementiarec.DecodeCommunity)
}

// Communities returns every community, by Registered.
func (s *DementiaStore) Communities(context.Context) ([]*dementia.Community, error) {
	return demMany(s, dementiarec.KindCommunity, nil, dementiarec.DecodeCommunity)
}

// Champion returns a Dementia Friends Champion.
func (s *DementiaStore) Champion(_ context.Context, id string) (*dementia.Champion, error) {
	return demOne(s, dementiarec.KindChampion, id, dementiarec.DecodeChampion)
}

// Champions returns every Champion, by Trained.
func (s *DementiaStore) Champions(context.Context) ([]*dementia.Champion, error) {
	return demMany(s, dementiarec.KindChampion, nil, dementiarec.DecodeChampion)
}

// Friends returns the counts dated before the end, by On.
func (s *DementiaStore) Friends(_ context.Context, before time.Time) ([]*dementia.Friends, error) {
	var keep func(dementiarec.Row) bool
	if !before.IsZero() {
		end := dementiarec.Micros(before)
		keep = func(r dementiarec.Row) bool { return r.On < end }
	}
	return demMany(s, dementiarec.KindFriends, keep, dementiarec.DecodeFriends)
}

// Prevalence returns a prevalence table.
func (s *DementiaStore) Prevalence(_ context.Context, id string) (*dementia.Prevalence, error) {
	return demOne(s, dementiarec.KindPrevalence, id, dementiarec.DecodePrevalence)
}

// Registers returns the registers dated on the day (zero: every one).
func (s *DementiaStore) Registers(_ context.Context, on time.Time) ([]*dementia.Register, error) {
	var keep func(dementiarec.Row) bool
	if !on.IsZero() {
		at := dementiarec.Micros(on)
		keep = func(r dementiarec.Row) bool { return r.On == at }
	}
	return demMany(s, dementiarec.KindRegister, keep, dementiarec.DecodeRegister)
}

// Reviews returns the care-plan review counts of a year ("" for every
// year), by id.
func (s *DementiaStore) Reviews(_ context.Context, year string) ([]*dementia.Review, error) {
	var keep func(dementiarec.Row) bool
	if year != "" {
		keep = func(r dementiarec.Row) bool { return r.Parent == year }
	}
	return demMany(s, dementiarec.KindReview, keep, dementiarec.DecodeReview)
}
