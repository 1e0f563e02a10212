package grants

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/idem"
)

// Bootstrap makes admin the first administrator of an empty store: a
// member of staff with the admin role, whose id is admin.ID, who may then
// add every other member of staff and create funds.
//
// It succeeds once, atomically: of any number of racing callers exactly
// one wins; a retry by the winner returns nil; every other caller, then or
// later, gets ErrConflict. Every later role is granted by someone who
// holds the right role (AddStaff and UpdateStaff need an admin). Errors:
// ErrInvalid (no admin id), ErrConflict.
func (s *Service) Bootstrap(ctx context.Context, admin call.Actor) error {
	if err := checkID("admin", admin.ID); err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	_, err := idem.Bootstrap(ctx, s.writes, admin, "grants.bootstrap", nil, func(now time.Time) (*Batch, string, error) {
		any, err := s.store.StaffList(ctx, StaffFilter{Limit: 1})
		if err != nil {
			return nil, "", err
		}
		if len(any) > 0 {
			return nil, "", s.writes.Taken()
		}
		m := &Staff{ID: admin.ID, Name: "Administrator", Roles: []Role{RoleAdmin}, Active: true,
			CreatedAt: now, CreatedBy: admin.ID, Version: 1}
		return &Batch{Staff: []*Staff{m}, Events: []Event{{At: now, Actor: admin.ID, Action: "grants.bootstrap", Subject: m.ID}}}, m.ID, nil
	}, func(ctx context.Context, id string) (*Staff, error) {
		if id != admin.ID {
			return nil, s.writes.Taken()
		}
		return s.store.Staff(ctx, id)
	})
	if err != nil {
		return fmt.Errorf("bootstrap: %w", err)
	}
	return nil
}

// admin is the allow check of writes only an admin may make.
func (s *Service) admin(w call.Write) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := s.staff(ctx, w.Actor.ID, RoleAdmin)
		return err
	}
}

// officer is the allow check of writes an officer (or admin) may make.
func (s *Service) officer(w call.Write) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := s.staff(ctx, w.Actor.ID, RoleOfficer)
		return err
	}
}

// NewStaff asks to add a member of staff. ID may be the person's id in
// the council's sign-in system; when empty one is made.
type NewStaff struct {
	ID    string
	Name  string
	Roles []Role
}

// AddStaff adds a member of staff. Only an admin may (the first admin is
// made by Bootstrap). Errors: ErrInvalid, ErrForbidden, ErrConflict (the
// id is taken).
func (s *Service) AddStaff(ctx context.Context, w call.Write, in NewStaff) (*Staff, error) {
	actor := w.Actor.ID
	m, err := do(ctx, s, w, "staff.add", in, s.admin(w), func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleAdmin); err != nil {
			return nil, "", err
		}
		m := &Staff{ID: in.ID, Name: strings.TrimSpace(in.Name), Roles: slices.Clone(in.Roles), Active: true,
			CreatedAt: now, CreatedBy: actor, Version: 1}
		if m.ID == "" {
			m.ID = s.newID("stf", now)
		}
		if err := checkID("ID", m.ID); err != nil {
			return nil, "", err
		}
		if err := m.Validate(); err != nil {
			return nil, "", err
		}
		return &Batch{Staff: []*Staff{m}, Events: []Event{{At: now, Actor: actor, Action: "staff.add", Subject: m.ID}}}, m.ID, nil
	}, s.store.Staff)
	if err != nil {
		return nil, fmt.Errorf("add staff: %w", err)
	}
	return m, nil
}

// StaffUpdate changes a member of staff: each field that is not nil
// replaces the stored value.
type StaffUpdate struct {
	Name   *string
	Roles  *[]Role
	Active *bool // false takes every role away until set true again
}

// UpdateStaff changes a member of staff's name, roles or whether they are
// active. Only an admin may; an admin may not deactivate or demote
// themself, so a store always keeps an administrator. Errors: ErrInvalid,
// ErrForbidden, ErrNotFound.
func (s *Service) UpdateStaff(ctx context.Context, w call.Write, id string, u StaffUpdate) (*Staff, error) {
	actor := w.Actor.ID
	m, err := do(ctx, s, w, "staff.update", struct {
		ID string
		U  StaffUpdate
	}{id, u}, s.admin(w), func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleAdmin); err != nil {
			return nil, "", err
		}
		if err := checkID("ID", id); err != nil {
			return nil, "", err
		}
		m, err := s.store.Staff(ctx, id)
		if err != nil {
			return nil, "", err
		}
		if u.Name != nil {
			m.Name = strings.TrimSpace(*u.Name)
		}
		if u.Roles != nil {
			m.Roles = slices.Clone(*u.Roles)
		}
		if u.Active != nil {
			m.Active = *u.Active
		}
		if id == actor && !m.Has(RoleAdmin) {
			return nil, "", invalid("Roles", "an admin may not take their own admin role away")
		}
		if err := m.Validate(); err != nil {
			return nil, "", err
		}
		m.Version++
		return &Batch{Staff: []*Staff{m}, Events: []Event{{At: now, Actor: actor, Action: "staff.update", Subject: m.ID}}}, m.ID, nil
	}, s.store.Staff)
	if err != nil {
		return nil, fmt.Errorf("update staff %s: %w", id, err)
	}
	return m, nil
}

// NewFund is a fund's settings, as an admin sets it up: see Fund for what
// each field means. ID is made when empty.
type NewFund struct {
	ID          string
	Name        string
	Description string
	FunderName  string
	FunderID    string
	Prefix      string
	Budgets     []Budget
	MinAward    decimal.Decimal
	MaxAward    decimal.Decimal
	Priorities  []string
	Criteria    []string
	MaxScore    int
	Quorum      int
	Rules       []Rule
}

// CreateFund creates a fund from in. Only an admin may. Errors:
// ErrInvalid (a *FieldError naming the field), ErrForbidden, ErrConflict
// (the id is taken).
func (s *Service) CreateFund(ctx context.Context, w call.Write, in NewFund) (*Fund, error) {
	actor := w.Actor.ID
	out, err := do(ctx, s, w, "fund.create", in, s.admin(w), func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleAdmin); err != nil {
			return nil, "", err
		}
		n := Fund{ID: in.ID, Name: strings.TrimSpace(in.Name), Description: strings.TrimSpace(in.Description),
			FunderName: in.FunderName, FunderID: in.FunderID, Prefix: in.Prefix,
			Budgets: slices.Clone(in.Budgets), MinAward: in.MinAward, MaxAward: in.MaxAward,
			Priorities: slices.Clone(in.Priorities), Criteria: slices.Clone(in.Criteria), MaxScore: in.MaxScore, Quorum: in.Quorum,
			Rules: slices.Clone(in.Rules)}
		if n.ID == "" {
			n.ID = s.newID("fund", now)
		}
		if err := checkID("ID", n.ID); err != nil {
			return nil, "", err
		}
		n.CreatedAt, n.CreatedBy, n.UpdatedAt, n.UpdatedBy, n.Version = now, actor, now, actor, 1
		if err := n.Validate(); err != nil {
			return nil, "", err
		}
		b := &Batch{Funds: []*Fund{&n}, Events: []Event{{Fund: n.ID, At: now, Actor: actor, Action: "fund.create", Subject: n.ID}}}
		for _, y := range n.Budgets {
			b.Budgets = append(b.Budgets, BudgetSet{Fund: n.ID, Year: y.Year, Amount: y.Amount})
		}
		return b, n.ID, nil
	}, s.store.Fund)
	if err != nil {
		return nil, fmt.Errorf("create fund: %w", err)
	}
	return out, nil
}

// SetBudget sets a fund's budget for financial year y. With the year's
// income it may not fall below what the fund has committed that year (see
// RecordIncome): the store checks the new
// budget against the commitments in the same transaction that sets it
// (and checks every approval against the budget it holds), so a cut
// racing an approval never leaves more committed than the budget. Only
// an admin may. Errors: ErrInvalid, ErrForbidden, ErrNotFound,
// ErrOverBudget (a *FieldError on "Amount").
func (s *Service) SetBudget(ctx context.Context, w call.Write, fundID string, y int, amount decimal.Decimal) (*Fund, error) {
	actor := w.Actor.ID
	req := struct {
		Fund   string
		Year   int
		Amount string
	}{fundID, y, amount.String()}
	out, err := do(ctx, s, w, "fund.budget", req, s.admin(w), func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleAdmin); err != nil {
			return nil, "", err
		}
		if err := CheckMoney("Amount", amount, false); err != nil {
			return nil, "", err
		}
		if err := checkID("Fund", fundID); err != nil {
			return nil, "", err
		}
		f, err := s.store.Fund(ctx, fundID)
		if err != nil {
			return nil, "", err
		}
		t, err := s.store.Totals(ctx, fundID, y)
		if err != nil {
			return nil, "", err
		}
		if amount.Add(t.Income).LessThan(t.Committed) {
			return nil, "", fieldErr(ErrOverBudget, "Amount", "%s with the year's income of %s is less than the %s already committed in %d",
				pounds(amount), pounds(t.Income), pounds(t.Committed), y)
		}
		f.Budgets = slices.DeleteFunc(f.Budgets, func(b Budget) bool { return b.Year == y })
		f.Budgets = append(f.Budgets, Budget{Year: y, Amount: amount})
		slices.SortFunc(f.Budgets, func(a, b Budget) int { return a.Year - b.Year })
		f.UpdatedAt, f.UpdatedBy = now, actor
		f.Version++
		if err := f.Validate(); err != nil {
			return nil, "", err
		}
		return &Batch{Funds: []*Fund{f}, Budgets: []BudgetSet{{Fund: f.ID, Year: y, Amount: amount}},
			Events: []Event{{Fund: f.ID, At: now, Actor: actor, Action: "fund.budget", Subject: f.ID,
				Note: fmt.Sprintf("%d: %s", y, pounds(amount))}}}, f.ID, nil
	}, s.store.Fund)
	var fe *FieldError
	if errors.Is(err, ErrOverBudget) && !errors.As(err, &fe) {
		// The store refused the cut: an approval committed more meanwhile.
		err = &FieldError{Field: "Amount", Reason: fmt.Sprintf("%s is less than what is already committed in %d: %v", pounds(amount), y, err), Err: ErrOverBudget}
	}
	if err != nil {
		return nil, fmt.Errorf("set budget of fund %s: %w", fundID, err)
	}
	return out, nil
}

// NewRound is a call for applications to a fund: see Round. ID is made
// when empty.
type NewRound struct {
	ID     string
	Fund   string
	Name   string
	Year   int
	Opens  time.Time
	Closes time.Time
}

// OpenRound adds a round to a fund. Its Year must have a budget. An
// officer may. Errors: ErrInvalid (for example a close date before the
// open date, Field "Closes"), ErrForbidden, ErrNotFound.
func (s *Service) OpenRound(ctx context.Context, w call.Write, in NewRound) (*Round, error) {
	actor := w.Actor.ID
	out, err := do(ctx, s, w, "round.open", in, s.officer(w), func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return nil, "", err
		}
		n := Round{ID: in.ID, Fund: in.Fund, Name: strings.TrimSpace(in.Name), Year: in.Year,
			Opens: norm(in.Opens), Closes: norm(in.Closes), CreatedAt: now, CreatedBy: actor, Version: 1}
		if n.ID == "" {
			n.ID = s.newID("rnd", now)
		}
		if err := checkID("ID", n.ID); err != nil {
			return nil, "", err
		}
		if err := n.Validate(); err != nil {
			return nil, "", err
		}
		f, err := s.store.Fund(ctx, n.Fund)
		if err != nil {
			return nil, "", fmt.Errorf("Fund: %w", err)
		}
		if _, ok := f.BudgetFor(n.Year); !ok {
			return nil, "", invalid("Year", "fund %s has no budget for %d", f.ID, n.Year)
		}
		return &Batch{Rounds: []*Round{&n}, Events: []Event{{Fund: f.ID, At: now, Actor: actor, Action: "round.open", Subject: n.ID}}}, n.ID, nil
	}, s.store.Round)
	if err != nil {
		return nil, fmt.Errorf("open round: %w", err)
	}
	return out, nil
}
