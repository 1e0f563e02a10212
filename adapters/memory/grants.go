package memory

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/internal/grantsrec"
	"github.com/strongertogether/community/grants"
)

// GrantsStore is the in-memory grants.Store. Records are kept as private
// deep copies (made through their JSON encoding, as the SQL stores keep
// them), and a whole batch is checked before any of it is written, under
// one lock, so budget, idea and payment checks are atomic.
type GrantsStore struct {
	mu           sync.RWMutex
	funds        map[string]*grants.Fund
	rounds       map[string]*grants.Round
	staff        map[string]*grants.Staff
	applications map[string]*grants.Application
	budgets      map[grantFundYear]*grants.Totals
	commitments  map[string]*grantCommitment
	ideas        map[grantFundIdea]string // the application holding each claimed idea
	income       []*grants.Income         // in the order applied
	incomeIDs    map[string]bool
	incomeRefs   map[grantFundIdea]bool // each fund's income references
	receipts     map[string]*grants.Receipt
	events       []grants.Event
	secret       []byte
}

var _ grants.Store = (*GrantsStore)(nil)

type grantFundYear struct {
	fund string
	year int
}

type grantFundIdea struct {
	fund string
	idea string
}

type grantCommitment struct {
	fund         string
	year         int
	amount, paid decimal.Decimal
}

// NewGrantsStore returns an empty in-memory grants.Store.
func NewGrantsStore() *GrantsStore {
	return &GrantsStore{
		funds:        map[string]*grants.Fund{},
		rounds:       map[string]*grants.Round{},
		staff:        map[string]*grants.Staff{},
		applications: map[string]*grants.Application{},
		budgets:      map[grantFundYear]*grants.Totals{},
		commitments:  map[string]*grantCommitment{},
		ideas:        map[grantFundIdea]string{},
		incomeIDs:    map[string]bool{},
		incomeRefs:   map[grantFundIdea]bool{},
		receipts:     map[string]*grants.Receipt{},
		secret:       newSecret(),
	}
}

// Secret returns the store's secret for idempotency receipts, made when
// the store was: see grants.Store.
func (s *GrantsStore) Secret(ctx context.Context) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return slices.Clone(s.secret), nil
}

// grantClone deep-copies a record through its JSON encoding.
func grantClone[T any](v *T) *T {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("memory: encode %T: %v", v, err))
	}
	out := new(T)
	if err := json.Unmarshal(b, out); err != nil {
		panic(fmt.Sprintf("memory: decode %T: %v", v, err))
	}
	return out
}

// grantStage checks versioned writes against stored and earlier staged
// records and stages copies of them.
func grantStage[T any](stored map[string]*T, recs []*T, what string, id func(*T) string, version func(*T) int64) (map[string]*T, error) {
	staged := map[string]*T{}
	for _, r := range recs {
		if r == nil {
			return nil, &grants.FieldError{Field: what, Reason: "nil record"}
		}
		k, v := id(r), version(r)
		if k == "" {
			return nil, &grants.FieldError{Field: "ID", Reason: what + " id is required"}
		}
		cur, ok := staged[k]
		if !ok {
			cur = stored[k]
		}
		switch {
		case v < 1:
			return nil, &grants.FieldError{Field: "Version", Reason: fmt.Sprintf("%s %s: version must be at least 1, got %d", what, k, v)}
		case v == 1 && cur != nil:
			return nil, fmt.Errorf("create %s %s: %w", what, k, grants.ErrConflict)
		case v > 1 && cur == nil:
			return nil, fmt.Errorf("update %s %s: %w", what, k, grants.ErrNotFound)
		case v > 1 && version(cur) != v-1:
			return nil, fmt.Errorf("update %s %s to version %d: stored version is %d: %w", what, k, v, version(cur), grants.ErrConflict)
		}
		staged[k] = grantClone(r)
	}
	return staged, nil
}

// Apply writes b atomically: see grants.Store.
func (s *GrantsStore) Apply(ctx context.Context, b *grants.Batch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b == nil {
		return fmt.Errorf("apply batch: %w", &grants.FieldError{Field: "Batch", Reason: "is nil"})
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.apply(b); err != nil {
		return fmt.Errorf("apply batch: %w", err)
	}
	return nil
}

func (s *GrantsStore) apply(b *grants.Batch) error {
	for _, e := range b.Erasures {
		if e.Application == "" {
			return &grants.FieldError{Field: "Erasures.Application", Reason: "is required"}
		}
	}
	if b.Key != "" && s.receipts[b.Key] != nil {
		return fmt.Errorf("key %q: %w", b.Key, grants.ErrDuplicateKey)
	}
	funds, err := grantStage(s.funds, b.Funds, "fund", func(x *grants.Fund) string { return x.ID }, func(x *grants.Fund) int64 { return x.Version })
	if err != nil {
		return err
	}
	rounds, err := grantStage(s.rounds, b.Rounds, "round", func(x *grants.Round) string { return x.ID }, func(x *grants.Round) int64 { return x.Version })
	if err != nil {
		return err
	}
	staff, err := grantStage(s.staff, b.Staff, "staff", func(x *grants.Staff) string { return x.ID }, func(x *grants.Staff) int64 { return x.Version })
	if err != nil {
		return err
	}
	apps, err := grantStage(s.applications, b.Applications, "application", func(x *grants.Application) string { return x.ID }, func(x *grants.Application) int64 { return x.Version })
	if err != nil {
		return err
	}

	// The ledger, staged.
	budgets := map[grantFundYear]*grants.Totals{}
	comms := map[string]*grantCommitment{}
	budget := func(k grantFundYear) *grants.Totals {
		if t, ok := budgets[k]; ok {
			return t
		}
		t := &grants.Totals{}
		if cur := s.budgets[k]; cur != nil {
			*t = *cur
		}
		budgets[k] = t
		return t
	}
	commitment := func(app string) *grantCommitment {
		if c, ok := comms[app]; ok {
			return c
		}
		cur := s.commitments[app]
		if cur == nil {
			return nil
		}
		c := *cur
		comms[app] = &c
		return &c
	}
	for _, x := range b.Budgets {
		if err := grantsrec.CheckBudgetSet(x); err != nil {
			return err
		}
		t := budget(grantFundYear{x.Fund, x.Year})
		if x.Amount.Add(t.Income).LessThan(t.Committed) {
			return fmt.Errorf("set budget of fund %s for %d to %s: with income of %s, %s is committed: %w", x.Fund, x.Year, x.Amount, t.Income, t.Committed, grants.ErrOverBudget)
		}
		t.Budget = x.Amount
	}
	// Income, staged: refs holds each fund's references (in the idea
	// key's shape) of the batch.
	var income []*grants.Income
	ids, refs := map[string]bool{}, map[grantFundIdea]bool{}
	for _, x := range b.Income {
		if err := grantsrec.CheckIncome(x); err != nil {
			return err
		}
		ref := grantFundIdea{x.Fund, x.Ref}
		if s.incomeIDs[x.ID] || ids[x.ID] {
			return fmt.Errorf("record income %s: %w", x.ID, grants.ErrConflict)
		}
		if s.incomeRefs[ref] || refs[ref] {
			return fmt.Errorf("record income %q of fund %s: the reference is recorded already: %w", x.Ref, x.Fund, grants.ErrConflict)
		}
		ids[x.ID], refs[ref] = true, true
		t := budget(grantFundYear{x.Fund, x.Year})
		t.Income = t.Income.Add(x.Amount)
		if x.Amount.IsNegative() && t.Budget.Add(t.Income).LessThan(t.Committed) {
			return fmt.Errorf("reverse income %s of fund %s for %d: budget %s and income %s would not cover the %s committed: %w",
				x.Amount.Neg(), x.Fund, x.Year, t.Budget, t.Income, t.Committed, grants.ErrOverdrawn)
		}
		income = append(income, grantClone(x))
	}
	// Idea claims, staged: an entry "" marks a released claim.
	ideas := map[grantFundIdea]string{}
	holder := func(k grantFundIdea) string {
		if app, ok := ideas[k]; ok {
			return app
		}
		return s.ideas[k]
	}
	release := func(fund, app string) {
		for k, v := range s.ideas {
			if k.fund == fund && v == app {
				if _, ok := ideas[k]; !ok {
					ideas[k] = ""
				}
			}
		}
		for k, v := range ideas {
			if k.fund == fund && v == app {
				ideas[k] = ""
			}
		}
	}
	for _, c := range b.Commits {
		if err := grantsrec.CheckCommit(c); err != nil {
			return err
		}
		k := grantFundYear{c.Fund, c.Year}
		cur := commitment(c.Application)
		if cur == nil {
			cur = &grantCommitment{fund: c.Fund, year: c.Year}
			comms[c.Application] = cur
		}
		if cur.fund != c.Fund || cur.year != c.Year {
			return &grants.FieldError{Field: "Commits", Reason: fmt.Sprintf("application %s is committed in fund %s, %d", c.Application, cur.fund, cur.year)}
		}
		if c.Amount.LessThan(cur.paid) {
			return fmt.Errorf("commit %s to application %s: %s is paid already: %w", c.Amount, c.Application, cur.paid, grants.ErrOverpaid)
		}
		t := budget(k)
		total := t.Committed.Sub(cur.amount).Add(c.Amount)
		if c.Amount.GreaterThan(cur.amount) && total.GreaterThan(t.Budget.Add(t.Income)) {
			return fmt.Errorf("commit %s to application %s: fund %s would commit %s of its %s budget and %s income for %d: %w",
				c.Amount, c.Application, c.Fund, total, t.Budget, t.Income, c.Year, grants.ErrOverBudget)
		}
		t.Committed, cur.amount = total, c.Amount
		switch {
		case c.Amount.IsZero():
			release(c.Fund, c.Application)
		case c.Idea != "":
			k := grantFundIdea{c.Fund, c.Idea}
			if h := holder(k); h != "" && h != c.Application {
				return fmt.Errorf("commit to application %s: fund %s funds the idea %q through application %s: %w",
					c.Application, c.Fund, c.Idea, h, grants.ErrIdeaFunded)
			}
			ideas[k] = c.Application
		}
	}
	for _, p := range b.Pays {
		if err := grantsrec.CheckPay(p); err != nil {
			return err
		}
		cur := commitment(p.Application)
		if cur == nil {
			return fmt.Errorf("pay application %s: nothing is committed to it: %w", p.Application, grants.ErrOverpaid)
		}
		if cur.paid.Add(p.Amount).GreaterThan(cur.amount) {
			return fmt.Errorf("pay %s to application %s: %s of %s is paid: %w", p.Amount, p.Application, cur.paid, cur.amount, grants.ErrOverpaid)
		}
		cur.paid = cur.paid.Add(p.Amount)
		t := budget(grantFundYear{cur.fund, cur.year})
		t.Paid = t.Paid.Add(p.Amount)
	}

	// Everything checked: write.
	for k, v := range funds {
		s.funds[k] = v
	}
	for k, v := range rounds {
		s.rounds[k] = v
	}
	for k, v := range staff {
		s.staff[k] = v
	}
	for k, v := range apps {
		s.applications[k] = v
	}
	for k, v := range budgets {
		s.budgets[k] = v
	}
	for k, v := range comms {
		s.commitments[k] = v
	}
	for _, x := range income {
		s.income = append(s.income, x)
		s.incomeIDs[x.ID], s.incomeRefs[grantFundIdea{x.Fund, x.Ref}] = true, true
	}
	for k, v := range ideas {
		if v == "" {
			delete(s.ideas, k)
		} else {
			s.ideas[k] = v
		}
	}
	for _, e := range b.Events {
		e.Seq = int64(len(s.events)) + 1
		e.At = e.At.UTC()
		s.events = append(s.events, e)
	}
	for _, er := range b.Erasures {
		for i := range s.events {
			if s.events[i].Subject == er.Application {
				s.events[i].Note = ""
			}
		}
		for k, v := range s.ideas {
			if v == er.Application {
				delete(s.ideas, k)
				s.ideas[grantFundIdea{k.fund, er.Idea}] = v
			}
		}
	}
	if b.Key != "" {
		s.receipts[b.Key] = &grants.Receipt{Key: b.Key, Hash: b.Hash, Result: b.Result, At: b.At.UTC()}
	}
	return nil
}

func grantGet[T any](ctx context.Context, s *GrantsStore, m map[string]*T, id, what string) (*T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	v := m[id]
	if v == nil {
		return nil, fmt.Errorf("%s %s: %w", what, id, grants.ErrNotFound)
	}
	return grantClone(v), nil
}

// grantList returns clones of the records keep selects, sorted by less,
// paged.
func grantList[T any](ctx context.Context, s *GrantsStore, m map[string]*T, keep func(*T) bool, cmp func(a, b *T) int, offset, limit int) ([]*T, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var out []*T
	for _, v := range m {
		if keep(v) {
			out = append(out, v)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, cmp)
	out = pageOf(out, offset, limit)
	for i, v := range out {
		out[i] = grantClone(v)
	}
	return out, nil
}

// Fund returns a fund: see grants.Store.
func (s *GrantsStore) Fund(ctx context.Context, id string) (*grants.Fund, error) {
	return grantGet(ctx, s, s.funds, id, "fund")
}

// Funds lists funds: see grants.Store.
func (s *GrantsStore) Funds(ctx context.Context, f grants.FundFilter) ([]*grants.Fund, error) {
	return grantList(ctx, s, s.funds, func(*grants.Fund) bool { return true },
		func(a, b *grants.Fund) int { return strings.Compare(a.ID, b.ID) }, f.Offset, f.Limit)
}

// Round returns a round: see grants.Store.
func (s *GrantsStore) Round(ctx context.Context, id string) (*grants.Round, error) {
	return grantGet(ctx, s, s.rounds, id, "round")
}

// Rounds lists rounds: see grants.Store.
func (s *GrantsStore) Rounds(ctx context.Context, f grants.RoundFilter) ([]*grants.Round, error) {
	return grantList(ctx, s, s.rounds, func(r *grants.Round) bool {
		return (f.Fund == "" || r.Fund == f.Fund) && (f.Year == 0 || r.Year == f.Year)
	}, func(a, b *grants.Round) int {
		if c := a.Opens.Compare(b.Opens); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}, f.Offset, f.Limit)
}

// Staff returns a member of staff: see grants.Store.
func (s *GrantsStore) Staff(ctx context.Context, id string) (*grants.Staff, error) {
	return grantGet(ctx, s, s.staff, id, "staff")
}

// StaffList lists staff: see grants.Store.
func (s *GrantsStore) StaffList(ctx context.Context, f grants.StaffFilter) ([]*grants.Staff, error) {
	return grantList(ctx, s, s.staff, func(*grants.Staff) bool { return true },
		func(a, b *grants.Staff) int { return strings.Compare(a.ID, b.ID) }, f.Offset, f.Limit)
}

// Application returns an application: see grants.Store.
func (s *GrantsStore) Application(ctx context.Context, id string) (*grants.Application, error) {
	return grantGet(ctx, s, s.applications, id, "application")
}

// Applications lists applications: see grants.Store.
func (s *GrantsStore) Applications(ctx context.Context, f grants.ApplicationFilter) ([]*grants.Application, error) {
	return grantList(ctx, s, s.applications, func(a *grants.Application) bool {
		return (f.Fund == "" || a.Fund == f.Fund) && (f.Round == "" || a.Round == f.Round) &&
			(f.Year == 0 || a.Year == f.Year) && (f.Owner == "" || a.Owner == f.Owner) &&
			(f.Idea == "" || a.Idea == f.Idea) && (len(f.Status) == 0 || slices.Contains(f.Status, a.Status))
	}, func(a, b *grants.Application) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}, f.Offset, f.Limit)
}

// Totals returns a fund's committed and paid totals: see grants.Store.
func (s *GrantsStore) Totals(ctx context.Context, fund string, year int) (grants.Totals, error) {
	if err := ctx.Err(); err != nil {
		return grants.Totals{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if t := s.budgets[grantFundYear{fund, year}]; t != nil {
		return *t, nil
	}
	return grants.Totals{}, nil
}

// Income lists a fund's income: see grants.Store.
func (s *GrantsStore) Income(ctx context.Context, f grants.IncomeFilter) ([]*grants.Income, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var out []*grants.Income
	for _, x := range s.income {
		if (f.Fund == "" || x.Fund == f.Fund) && (f.Year == 0 || x.Year == f.Year) && (f.Ref == "" || x.Ref == f.Ref) {
			out = append(out, x)
		}
	}
	s.mu.RUnlock()
	slices.SortStableFunc(out, func(a, b *grants.Income) int {
		if c := a.Received.Compare(b.Received); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	out = pageOf(out, f.Offset, f.Limit)
	for i, x := range out {
		out[i] = grantClone(x)
	}
	return out, nil
}

// Receipt returns an idempotency receipt: see grants.Store.
func (s *GrantsStore) Receipt(ctx context.Context, key string) (*grants.Receipt, error) {
	return grantGet(ctx, s, s.receipts, key, "receipt")
}

// Events lists the audit trail: see grants.Store.
func (s *GrantsStore) Events(ctx context.Context, f grants.EventFilter) ([]grants.Event, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	var out []grants.Event
	for _, e := range s.events {
		if (f.Fund == "" || e.Fund == f.Fund) && (f.Subject == "" || e.Subject == f.Subject) && e.Seq > f.After {
			out = append(out, e)
		}
	}
	s.mu.RUnlock()
	return pageOf(out, f.Offset, f.Limit), nil
}
