package grants

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// NewStaff asks to add a member of staff. ID may be the person's id in
// the council's sign-in system; when empty one is made.
type NewStaff struct {
	ID    string
	Name  string
	Roles []Role
}

// AddStaff adds a member of staff. The actor must be an admin, except for
// the very first member of staff, who may add themself (ID = actor) as an
// admin to set the service up. Errors: ErrInvalid, ErrForbidden,
// ErrConflict (the id is taken).
func (s *Service) AddStaff(ctx context.Context, key, actor string, in NewStaff) (*Staff, error) {
	m, err := write(ctx, s, key, "staff.add", actor, in, func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleAdmin); err != nil {
			all, lerr := s.store.StaffList(ctx, StaffFilter{Limit: 1})
			if lerr != nil {
				return nil, "", lerr
			}
			if len(all) > 0 || in.ID != actor || !slices.Contains(in.Roles, RoleAdmin) {
				return nil, "", err
			}
		}
		m := &Staff{ID: in.ID, Name: strings.TrimSpace(in.Name), Roles: slices.Clone(in.Roles), Active: true,
			CreatedAt: now, CreatedBy: actor, Version: 1}
		if m.ID == "" {
			m.ID = s.newID("stf", now)
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

// CreateFund creates a fund from f's settings (its ID is made when empty;
// its record fields are set by the Service). Only an admin may. Errors:
// ErrInvalid (a *FieldError naming the field), ErrForbidden, ErrConflict.
func (s *Service) CreateFund(ctx context.Context, key, actor string, f Fund) (*Fund, error) {
	out, err := write(ctx, s, key, "fund.create", actor, f, func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleAdmin); err != nil {
			return nil, "", err
		}
		n := f
		if n.ID == "" {
			n.ID = s.newID("fund", now)
		}
		n.Name, n.Description = strings.TrimSpace(n.Name), strings.TrimSpace(n.Description)
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

// SetBudget sets a fund's budget for financial year y. It may not fall
// below what the fund has committed that year: the store checks the new
// budget against the commitments in the same transaction that sets it
// (and checks every approval against the budget it holds), so a cut
// racing an approval never leaves more committed than the budget. Only
// an admin may. Errors: ErrInvalid, ErrForbidden, ErrNotFound,
// ErrOverBudget (a *FieldError on "Amount").
func (s *Service) SetBudget(ctx context.Context, key, actor, fundID string, y int, amount decimal.Decimal) (*Fund, error) {
	req := struct {
		Fund   string
		Year   int
		Amount string
	}{fundID, y, amount.String()}
	out, err := write(ctx, s, key, "fund.budget", actor, req, func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleAdmin); err != nil {
			return nil, "", err
		}
		if err := CheckMoney("Amount", amount, false); err != nil {
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
		if amount.LessThan(t.Committed) {
			return nil, "", fieldErr(ErrOverBudget, "Amount", "%s is less than the %s already committed in %d", pounds(amount), pounds(t.Committed), y)
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

// OpenRound adds a round to a fund. Its Year must have a budget. An
// officer may. Errors: ErrInvalid (for example a close date before the
// open date, Field "Closes"), ErrForbidden, ErrNotFound.
func (s *Service) OpenRound(ctx context.Context, key, actor string, r Round) (*Round, error) {
	out, err := write(ctx, s, key, "round.open", actor, r, func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleOfficer); err != nil {
			return nil, "", err
		}
		n := r
		if n.ID == "" {
			n.ID = s.newID("rnd", now)
		}
		n.Name = strings.TrimSpace(n.Name)
		n.Opens, n.Closes = norm(n.Opens), norm(n.Closes)
		n.CreatedAt, n.CreatedBy, n.Version = now, actor, 1
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
