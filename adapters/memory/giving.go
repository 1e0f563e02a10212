package memory

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/strongertogether/community/grants/giving"
)

// GivingStore is the in-memory giving.Store. Records are kept as private
// deep copies (through their JSON encoding), and a whole batch is checked
// before any of it is written, under one lock.
type GivingStore struct {
	mu           sync.RWMutex
	campaigns    map[string]*giving.Campaign
	staff        map[string]*giving.Staff
	donors       map[string]*giving.Donor
	declarations map[string]*giving.Declaration
	gifts        map[string]*giving.Gift
	matches      map[string]*giving.Match
	claims       map[string]*giving.Claim
	income       []giving.Income
	receipts     map[string]*giving.Receipt
	secret       []byte
}

var _ giving.Store = (*GivingStore)(nil)

// NewGivingStore returns an empty store.
func NewGivingStore() *GivingStore {
	return &GivingStore{
		campaigns: map[string]*giving.Campaign{}, staff: map[string]*giving.Staff{},
		donors: map[string]*giving.Donor{}, declarations: map[string]*giving.Declaration{},
		gifts: map[string]*giving.Gift{}, matches: map[string]*giving.Match{},
		claims: map[string]*giving.Claim{}, receipts: map[string]*giving.Receipt{},
	}
}

// gdup returns a deep copy of v: a copy of the struct with its slices
// cloned, so nothing a caller changes reaches the store.
func gdup[T any](v *T) *T {
	switch x := any(v).(type) {
	case *giving.Gift:
		c := *x
		return any(&c).(*T)
	case *giving.Donor:
		c := *x
		return any(&c).(*T)
	case *giving.Declaration:
		c := *x
		return any(&c).(*T)
	case *giving.Staff:
		c := *x
		c.Roles = slices.Clone(x.Roles)
		return any(&c).(*T)
	case *giving.Campaign:
		c := *x
		c.Priorities, c.Champions = slices.Clone(x.Priorities), slices.Clone(x.Champions)
		return any(&c).(*T)
	case *giving.Match:
		c := *x
		c.Payments = slices.Clone(x.Payments)
		return any(&c).(*T)
	case *giving.Claim:
		c := *x
		c.Lines = slices.Clone(x.Lines)
		for i := range c.Lines {
			c.Lines[i].Gifts = slices.Clone(x.Lines[i].Gifts)
		}
		return any(&c).(*T)
	}
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("memory: copy %T: %v", v, err))
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(fmt.Sprintf("memory: copy %T: %v", v, err))
	}
	return out
}

// check tells whether rec (at version v) may be written over m.
func gcheck[T any](m map[string]*T, id string, v int, version func(*T) int) error {
	if id == "" || v < 1 {
		return fmt.Errorf("memory: a record needs an id and a version ≥ 1: %w", giving.ErrInvalid)
	}
	old, ok := m[id]
	switch {
	case v == 1 && ok:
		return fmt.Errorf("memory: %s exists: %w", id, giving.ErrConflict)
	case v > 1 && !ok:
		return fmt.Errorf("memory: %s: %w", id, giving.ErrNotFound)
	case v > 1 && version(old) != v-1:
		return fmt.Errorf("memory: %s changed: %w", id, giving.ErrConflict)
	}
	return nil
}

func gcheckAll[T any](m map[string]*T, recs []*T, id func(*T) string, version func(*T) int) error {
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[id(r)] {
			return fmt.Errorf("memory: %s twice in a batch: %w", id(r), giving.ErrConflict)
		}
		seen[id(r)] = true
		if err := gcheck(m, id(r), version(r), version); err != nil {
			return err
		}
	}
	return nil
}

func gput[T any](m map[string]*T, recs []*T, id func(*T) string) {
	for _, r := range recs {
		m[id(r)] = gdup(r)
	}
}

// Apply implements giving.Store.
func (s *GivingStore) Apply(ctx context.Context, b *giving.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if b.Key != "" {
		if _, ok := s.receipts[b.Key]; ok {
			return giving.ErrDuplicateKey
		}
	}
	for _, in := range b.Income {
		if in.Fund == "" || !in.Amount.Equal(in.Amount.Round(2)) {
			return fmt.Errorf("memory: income needs a fund and a pence-exact amount: %w", giving.ErrInvalid)
		}
	}
	errs := []error{
		gcheckAll(s.campaigns, b.Campaigns, func(r *giving.Campaign) string { return r.ID }, func(r *giving.Campaign) int { return r.Version }),
		gcheckAll(s.staff, b.Staff, func(r *giving.Staff) string { return r.ID }, func(r *giving.Staff) int { return r.Version }),
		gcheckAll(s.donors, b.Donors, func(r *giving.Donor) string { return r.ID }, func(r *giving.Donor) int { return r.Version }),
		gcheckAll(s.declarations, b.Declarations, func(r *giving.Declaration) string { return r.ID }, func(r *giving.Declaration) int { return r.Version }),
		gcheckAll(s.gifts, b.Gifts, func(r *giving.Gift) string { return r.ID }, func(r *giving.Gift) int { return r.Version }),
		gcheckAll(s.matches, b.Matches, func(r *giving.Match) string { return r.ID }, func(r *giving.Match) int { return r.Version }),
		gcheckAll(s.claims, b.Claims, func(r *giving.Claim) string { return r.ID }, func(r *giving.Claim) int { return r.Version }),
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	gput(s.campaigns, b.Campaigns, func(r *giving.Campaign) string { return r.ID })
	gput(s.staff, b.Staff, func(r *giving.Staff) string { return r.ID })
	gput(s.donors, b.Donors, func(r *giving.Donor) string { return r.ID })
	gput(s.declarations, b.Declarations, func(r *giving.Declaration) string { return r.ID })
	gput(s.gifts, b.Gifts, func(r *giving.Gift) string { return r.ID })
	gput(s.matches, b.Matches, func(r *giving.Match) string { return r.ID })
	gput(s.claims, b.Claims, func(r *giving.Claim) string { return r.ID })
	s.income = append(s.income, b.Income...)
	if b.Key != "" {
		s.receipts[b.Key] = &giving.Receipt{Key: b.Key, Hash: b.Hash, Result: b.Result, At: b.At}
	}
	return nil
}

func gget[T any](s *GivingStore, m map[string]*T, id string) (*T, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := m[id]
	if !ok {
		return nil, fmt.Errorf("memory: %s: %w", id, giving.ErrNotFound)
	}
	return gdup(r), nil
}

func glist[T any](s *GivingStore, m map[string]*T, keep func(*T) bool, id func(*T) string) []*T {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []*T
	for _, r := range m {
		if keep(r) {
			out = append(out, gdup(r))
		}
	}
	slices.SortFunc(out, func(a, b *T) int {
		switch x, y := id(a), id(b); {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	return out
}

// Campaign implements giving.Store.
func (s *GivingStore) Campaign(_ context.Context, id string) (*giving.Campaign, error) {
	return gget(s, s.campaigns, id)
}

// Donor implements giving.Store.
func (s *GivingStore) Donor(_ context.Context, id string) (*giving.Donor, error) {
	return gget(s, s.donors, id)
}

// Donors implements giving.Store.
func (s *GivingStore) Donors(_ context.Context, campaign string) ([]*giving.Donor, error) {
	return glist(s, s.donors, func(d *giving.Donor) bool { return d.Campaign == campaign }, func(d *giving.Donor) string { return d.ID }), nil
}

// Declaration implements giving.Store.
func (s *GivingStore) Declaration(_ context.Context, id string) (*giving.Declaration, error) {
	return gget(s, s.declarations, id)
}

// Declarations implements giving.Store.
func (s *GivingStore) Declarations(_ context.Context, donor string) ([]*giving.Declaration, error) {
	return glist(s, s.declarations, func(d *giving.Declaration) bool { return d.Donor == donor }, func(d *giving.Declaration) string { return d.ID }), nil
}

// Gift implements giving.Store.
func (s *GivingStore) Gift(_ context.Context, id string) (*giving.Gift, error) {
	return gget(s, s.gifts, id)
}

// Gifts implements giving.Store.
func (s *GivingStore) Gifts(_ context.Context, campaign, donor string) ([]*giving.Gift, error) {
	return glist(s, s.gifts, func(g *giving.Gift) bool {
		return g.Campaign == campaign && (donor == "" || g.Donor == donor)
	}, func(g *giving.Gift) string { return g.ID }), nil
}

// Match implements giving.Store.
func (s *GivingStore) Match(_ context.Context, id string) (*giving.Match, error) {
	return gget(s, s.matches, id)
}

// Matches implements giving.Store.
func (s *GivingStore) Matches(_ context.Context, campaign string) ([]*giving.Match, error) {
	return glist(s, s.matches, func(m *giving.Match) bool { return m.Campaign == campaign }, func(m *giving.Match) string { return m.ID }), nil
}

// Claim implements giving.Store.
func (s *GivingStore) Claim(_ context.Context, id string) (*giving.Claim, error) {
	return gget(s, s.claims, id)
}

// Claims implements giving.Store.
func (s *GivingStore) Claims(_ context.Context, campaign string) ([]*giving.Claim, error) {
	return glist(s, s.claims, func(c *giving.Claim) bool { return c.Campaign == campaign }, func(c *giving.Claim) string { return c.ID }), nil
}

// Staff implements giving.Store.
func (s *GivingStore) Staff(_ context.Context, id string) (*giving.Staff, error) {
	return gget(s, s.staff, id)
}

// AnyStaff implements giving.Store.
func (s *GivingStore) AnyStaff(context.Context) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.staff) > 0, nil
}

// Income implements giving.Store.
func (s *GivingStore) Income(_ context.Context, fund string, year int) ([]giving.Income, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []giving.Income
	for _, i := range s.income {
		if i.Fund == fund && i.Year == year {
			out = append(out, i)
		}
	}
	return out, nil
}

// Receipt implements giving.Store.
func (s *GivingStore) Receipt(_ context.Context, key string) (*giving.Receipt, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.receipts[key]
	if !ok {
		return nil, fmt.Errorf("memory: receipt: %w", giving.ErrNotFound)
	}
	c := *r
	return &c, nil
}

// Secret implements giving.Store.
func (s *GivingStore) Secret(context.Context) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secret == nil {
		s.secret = make([]byte, 32)
		if _, err := rand.Read(s.secret); err != nil {
			return nil, fmt.Errorf("memory: secret: %w", err)
		}
	}
	return slices.Clone(s.secret), nil
}
