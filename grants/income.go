package grants

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// Income is money a fund received in a financial year — from a funder, a
// donor, or the Local Giving campaign that raises for it (grants/giving
// posts the campaign's money) — or the reversal of money received before
// (a refund, an over-claim of Gift Aid), which is income with a negative
// Amount.
//
// Income adds to what a fund may commit: a fund's awards and pending
// approvals for a year stay within its budget plus its income for that year
// (see Totals.Available), and a reversal may not take the budget plus the
// income below what is committed (ErrOverdrawn). The store checks both in
// the same transaction as the write, so approvals and reversals racing each
// other never over-commit the fund. A fund that lives on income alone has
// a budget of zero for the year (rounds and approvals need the year to
// have a budget).
//
// Ref is the sender's reference for the money (spaces around it, as
// around Source and Note, are dropped), unique within the fund: a
// second record of the same Ref with the same details records nothing, and
// with other details is ErrConflict, so a sender that re-runs never counts
// money twice. Source, Ref and Note name where the money came from, never a
// person: income is published with the fund's accounts.
//
// Only a fund manager (RoleManager, or an admin) records or reverses
// income.
type Income struct {
	ID       string
	Fund     string
	Year     int             // the financial year of Received
	Source   string          // where the money came from, e.g. "Thurrock Giving: gifts"
	Ref      string          // the sender's reference, unique within the fund
	Amount   decimal.Decimal // above zero when received, below zero for a reversal
	Received time.Time       // when the money arrived (or went back)
	Note     string

	RecordedAt time.Time
	RecordedBy string
}

// Reversal reports whether the income is a reversal (a negative amount).
func (i *Income) Reversal() bool { return i.Amount.IsNegative() }

// NewIncome is money a fund received, or a reversal of it, as a fund
// manager records it: see Income for what each field means. Amount is
// always above zero; ReverseIncome records it as a negative amount.
type NewIncome struct {
	Fund     string
	Source   string
	Ref      string
	Amount   decimal.Decimal
	Received time.Time
	Note     string
}

// Validate checks the fields of in: Fund, Source and Ref are required,
// Amount is above zero and pence-exact, Received is a date in a financial
// year from 2000 to 2200, and every text is within its limit. It returns a
// *FieldError naming the field.
func (in *NewIncome) Validate() error {
	if err := checkID("Fund", in.Fund); err != nil {
		return err
	}
	if strings.TrimSpace(in.Source) == "" {
		return invalid("Source", "is required: say where the money came from")
	}
	if err := checkText("Source", in.Source, MaxName); err != nil {
		return err
	}
	if strings.TrimSpace(in.Ref) == "" {
		return invalid("Ref", "is required: the sender's reference, so the money is never counted twice")
	}
	if err := checkText("Ref", in.Ref, MaxReference); err != nil {
		return err
	}
	if err := checkText("Note", in.Note, MaxReason); err != nil {
		return err
	}
	if err := CheckMoney("Amount", in.Amount, true); err != nil {
		return err
	}
	if in.Received.IsZero() {
		return invalid("Received", "is required")
	}
	if y := FinancialYear(in.Received); y < 2000 || y > 2200 {
		return invalid("Received", "financial year %d is out of range", y)
	}
	return nil
}

// IncomeFilter selects a fund's income. Empty fields do not filter.
type IncomeFilter struct {
	Fund   string
	Year   int
	Ref    string
	Offset int
	Limit  int
}

// RecordIncome records money a fund received: it adds to what the fund
// may commit in the financial year of in.Received. A fund manager (or an
// admin) may. A second record of in.Ref for the fund with the same details
// returns the first and records nothing. Errors: ErrInvalid (a *FieldError
// naming the field: Fund, Source, Ref, Amount — zero, negative or with
// fractions of a penny — Received or Note), ErrNotFound (a *FieldError on
// "Fund": no such fund), ErrConflict (a *FieldError on "Ref": the fund has
// other income under that reference), ErrForbidden.
func (s *Service) RecordIncome(ctx context.Context, w call.Write, in NewIncome) (*Income, error) {
	out, err := s.income(ctx, w, "fund.income", in, false)
	if err != nil {
		return nil, fmt.Errorf("record income of fund %s: %w", in.Fund, err)
	}
	return out, nil
}

// ReverseIncome records money that went back out of a fund's income (a
// refund, an over-claim): income of −in.Amount in the financial year of
// in.Received. It may not take the fund's budget plus income for that year
// below what the fund has committed: the store checks this in the same
// transaction as the write, so a reversal racing an approval never leaves
// the fund over-committed. A fund manager (or an admin) may. Errors: as
// RecordIncome, and ErrOverdrawn (a *FieldError on "Amount").
func (s *Service) ReverseIncome(ctx context.Context, w call.Write, in NewIncome) (*Income, error) {
	out, err := s.income(ctx, w, "fund.income.reverse", in, true)
	if err != nil {
		return nil, fmt.Errorf("reverse income of fund %s: %w", in.Fund, err)
	}
	return out, nil
}

// manager is the allow check of writes a fund manager (or admin) may make.
func (s *Service) manager(w call.Write) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		_, err := s.staff(ctx, w.Actor.ID, RoleManager)
		return err
	}
}

func (s *Service) income(ctx context.Context, w call.Write, op string, in NewIncome, reverse bool) (*Income, error) {
	actor := w.Actor.ID
	in.Received = norm(in.Received)
	in.Source, in.Ref, in.Note = strings.TrimSpace(in.Source), strings.TrimSpace(in.Ref), strings.TrimSpace(in.Note)
	req := struct {
		Fund, Source, Ref, Amount, Note string
		Received                        time.Time
	}{in.Fund, in.Source, in.Ref, in.Amount.String(), in.Note, in.Received}
	out, err := do(ctx, s, w, op, req, s.manager(w), func(now time.Time) (*Batch, string, error) {
		if _, err := s.staff(ctx, actor, RoleManager); err != nil {
			return nil, "", err
		}
		if err := in.Validate(); err != nil {
			return nil, "", err
		}
		f, err := s.store.Fund(ctx, in.Fund)
		if errors.Is(err, ErrNotFound) {
			return nil, "", fieldErr(ErrNotFound, "Fund", "there is no fund %s", in.Fund)
		}
		if err != nil {
			return nil, "", err
		}
		amount := in.Amount
		if reverse {
			amount = amount.Neg()
		}
		n := Income{Fund: f.ID, Year: FinancialYear(in.Received), Source: in.Source, Ref: in.Ref, Amount: amount,
			Received: in.Received, Note: in.Note}
		had, err := s.store.Income(ctx, IncomeFilter{Fund: f.ID, Ref: in.Ref})
		if err != nil {
			return nil, "", err
		}
		if len(had) > 0 {
			if sameIncome(had[0], &n) {
				// Recorded already: the receipt is all this request writes.
				return &Batch{}, had[0].ID, nil
			}
			return nil, "", fieldErr(ErrConflict, "Ref", "fund %s has other income under the reference %q", f.ID, in.Ref)
		}
		if reverse {
			t, err := s.store.Totals(ctx, f.ID, n.Year)
			if err != nil {
				return nil, "", err
			}
			if t.Available().Add(amount).IsNegative() {
				return nil, "", overdrawn(in.Amount, n.Year, t)
			}
		}
		n.ID = s.newID("inc", now)
		n.RecordedAt, n.RecordedBy = now, actor
		note := fmt.Sprintf("%d: %s from %s", n.Year, pounds(amount), n.Source)
		return &Batch{Income: []*Income{&n}, Events: []Event{{Fund: f.ID, At: now, Actor: actor, Action: op, Subject: n.ID, Note: note}}}, n.ID, nil
	}, func(ctx context.Context, id string) (*Income, error) {
		xs, err := s.store.Income(ctx, IncomeFilter{Fund: in.Fund, Ref: in.Ref})
		if err != nil {
			return nil, err
		}
		for _, x := range xs {
			if x.ID == id {
				return x, nil
			}
		}
		return nil, fmt.Errorf("income %s: %w", id, ErrNotFound)
	})
	var fe *FieldError
	if errors.Is(err, ErrOverdrawn) && !errors.As(err, &fe) {
		// The store refused it: an approval committed more meanwhile.
		err = &FieldError{Field: "Amount", Reason: fmt.Sprintf("reversing %s would leave less than is committed: %v", pounds(in.Amount), err), Err: ErrOverdrawn}
	}
	return out, err
}

// overdrawn is the error for a reversal of amount the year's totals t
// cannot take.
func overdrawn(amount decimal.Decimal, y int, t Totals) error {
	return fieldErr(ErrOverdrawn, "Amount", "reversing %s would leave %s (budget %s plus income %s) for the %s committed in %d",
		pounds(amount), pounds(t.Budget.Add(t.Income).Sub(amount)), pounds(t.Budget), pounds(t.Income), pounds(t.Committed), y)
}

// sameIncome reports whether a recorded income has the details of n.
func sameIncome(had, n *Income) bool {
	return had.Fund == n.Fund && had.Ref == n.Ref && had.Source == n.Source && had.Amount.Equal(n.Amount) &&
		had.Received.Equal(n.Received) && had.Note == n.Note
}

// Income returns a fund's income in the order it was received (then by
// id): f.Fund is required; f.Year, when set, selects a financial year and
// f.Ref one reference. Staff who run the fund may read it (a fund manager,
// an officer or an admin): income names no person, but its notes are the
// fund's working papers. Errors: ErrInvalid, ErrForbidden.
func (s *Service) Income(ctx context.Context, a call.Actor, f IncomeFilter) ([]*Income, error) {
	if !s.isStaff(ctx, a.ID, RoleManager) {
		if _, err := s.staff(ctx, a.ID, RoleOfficer); err != nil {
			return nil, fmt.Errorf("income: %w", err)
		}
	}
	if err := checkID("Fund", f.Fund); err != nil {
		return nil, fmt.Errorf("income: %w", err)
	}
	out, err := s.store.Income(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("income of fund %s: %w", f.Fund, err)
	}
	return out, nil
}

// Totals returns a fund's money for financial year y as the store's
// ledger holds it: the budget, the income received, what is committed
// (awards plus pending approvals) and paid, and so what is available to
// award (Totals.Available). It returns aggregates only and checks no role.
// Errors: ErrInvalid, ErrNotFound (no such fund).
func (s *Service) Totals(ctx context.Context, fundID string, y int) (Totals, error) {
	if err := checkID("fund", fundID); err != nil {
		return Totals{}, fmt.Errorf("totals: %w", err)
	}
	if _, err := s.store.Fund(ctx, fundID); err != nil {
		return Totals{}, fmt.Errorf("totals: %w", err)
	}
	t, err := s.store.Totals(ctx, fundID, y)
	if err != nil {
		return Totals{}, fmt.Errorf("totals of fund %s: %w", fundID, err)
	}
	return t, nil
}
