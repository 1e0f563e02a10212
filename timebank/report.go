package timebank

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// Balance returns an account's balance now, in minutes, from the balance
// the store maintains (it does not read history). Errors: ErrNotFound.
func (s *Service) Balance(ctx context.Context, account string) (int64, error) {
	a, err := s.store.Account(ctx, account)
	if err != nil {
		return 0, fmt.Errorf("balance of %s: %w", account, err)
	}
	return a.Balance, nil
}

// BalanceAt returns an account's balance at a past time: after every
// transfer made at or before at. Errors: ErrNotFound.
func (s *Service) BalanceAt(ctx context.Context, account string, at time.Time) (int64, error) {
	b, err := s.store.BalanceAt(ctx, account, norm(at))
	if err != nil {
		return 0, fmt.Errorf("balance of %s at %s: %w", account, at.Format(time.RFC3339), err)
	}
	return b, nil
}

// Statement is a page of an account's history over a period.
type Statement struct {
	Account string
	From    time.Time // start of the period (inclusive); zero means the beginning
	To      time.Time // end of the period (exclusive)
	Opening int64     // balance at the start of the period
	Entries []Entry   // the page asked for
	Closing int64     // balance at the end of the period
}

// Statement returns an account's entries with From ≤ At < To, a page at a
// time (Offset, Limit), with the balances at the start and end of the
// period. A zero To means now. Errors: ErrNotFound, ErrInvalid.
func (s *Service) Statement(ctx context.Context, account string, from, to time.Time, offset, limit int) (*Statement, error) {
	if to.IsZero() {
		to = s.clock()
	}
	from, to = norm(from), norm(to)
	if !from.IsZero() && !from.Before(to) {
		return nil, invalid("from", "must be before to")
	}
	if offset < 0 || limit < 0 {
		return nil, invalid("offset", "offset and limit must not be negative")
	}
	st := &Statement{Account: account, From: from, To: to}
	var err error
	if !from.IsZero() {
		if st.Opening, err = s.store.BalanceAt(ctx, account, from.Add(-time.Microsecond)); err != nil {
			return nil, fmt.Errorf("statement of %s: %w", account, err)
		}
	}
	if st.Closing, err = s.store.BalanceAt(ctx, account, to.Add(-time.Microsecond)); err != nil {
		return nil, fmt.Errorf("statement of %s: %w", account, err)
	}
	f := EntryFilter{Account: account, To: &to, Offset: offset, Limit: limit}
	if !from.IsZero() {
		f.From = &from
	}
	if st.Entries, err = s.store.Entries(ctx, f); err != nil {
		return nil, fmt.Errorf("statement of %s: %w", account, err)
	}
	return st, nil
}

// Report is a bank's activity over a period, its mini banks included: the
// figures the Stronger Together partnership reports ("10,970 hours
// exchanged, 206 individual members, 474 transactions, 42 organisations").
type Report struct {
	Bank  string
	Banks []string  // the bank and its mini banks, whose figures are summed
	From  time.Time // inclusive
	To    time.Time // exclusive
	Tally
}

// Hours returns the hours exchanged: confirmed exchange minutes / 60.
func (r *Report) Hours() decimal.Decimal { return Hours(r.ExchangeMinutes) }

// Hours converts minutes to hours (and so to Time Credits), exactly.
func Hours(minutes int64) decimal.Decimal {
	return decimal.New(minutes, 0).Div(decimal.New(MinutesPerCredit, 0))
}

// CategoryHours is the hours exchanged in one category.
type CategoryHours struct {
	Category string
	Minutes  int64
}

// ByCategory returns the minutes exchanged per category, most first.
func (r *Report) ByCategory() []CategoryHours {
	out := make([]CategoryHours, 0, len(r.Categories))
	for c, m := range r.Categories {
		out = append(out, CategoryHours{c, m})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Minutes != out[j].Minutes {
			return out[i].Minutes > out[j].Minutes
		}
		return out[i].Category < out[j].Category
	})
	return out
}

// Report counts a bank's activity, mini banks included, over From ≤ t <
// To. Errors: ErrNotFound, ErrInvalid.
func (s *Service) Report(ctx context.Context, bankID string, from, to time.Time) (*Report, error) {
	from, to = norm(from), norm(to)
	if !from.Before(to) {
		return nil, invalid("to", "the period must end after it starts")
	}
	if _, err := s.store.Bank(ctx, bankID); err != nil {
		return nil, fmt.Errorf("report on %s: %w", bankID, err)
	}
	minis, err := s.store.Banks(ctx, BankFilter{Parent: &bankID})
	if err != nil {
		return nil, fmt.Errorf("report on %s: %w", bankID, err)
	}
	r := &Report{Bank: bankID, Banks: []string{bankID}, From: from, To: to}
	for _, m := range minis {
		r.Banks = append(r.Banks, m.ID)
	}
	if r.Tally, err = s.store.Tally(ctx, TallyFilter{Banks: r.Banks, From: from, To: to}); err != nil {
		return nil, fmt.Errorf("report on %s: %w", bankID, err)
	}
	return r, nil
}

// Growth compares a bank's activity in two periods: the action plan's
// "increase the time bank by 10%" is Growth of the later period over the
// earlier.
type Growth struct {
	Base, Current *Report
	// Percentage changes from Base to Current, to one decimal place. Nil
	// where Base is zero and the change is not defined.
	Hours         *decimal.Decimal
	Transactions  *decimal.Decimal
	Individuals   *decimal.Decimal
	Organisations *decimal.Decimal
}

// Met reports whether hours exchanged grew by at least target per cent.
func (g *Growth) Met(target decimal.Decimal) bool {
	return g.Hours != nil && g.Hours.GreaterThanOrEqual(target)
}

// Growth reports the change in a bank's activity from the base period
// [baseFrom, baseTo) to the current period [from, to). Errors:
// ErrNotFound, ErrInvalid.
func (s *Service) Growth(ctx context.Context, bankID string, baseFrom, baseTo, from, to time.Time) (*Growth, error) {
	base, err := s.Report(ctx, bankID, baseFrom, baseTo)
	if err != nil {
		return nil, fmt.Errorf("growth: base period: %w", err)
	}
	cur, err := s.Report(ctx, bankID, from, to)
	if err != nil {
		return nil, fmt.Errorf("growth: current period: %w", err)
	}
	return &Growth{
		Base: base, Current: cur,
		Hours:         change(base.ExchangeMinutes, cur.ExchangeMinutes),
		Transactions:  change(int64(base.Exchanges), int64(cur.Exchanges)),
		Individuals:   change(int64(base.Individuals), int64(cur.Individuals)),
		Organisations: change(int64(base.Organisations), int64(cur.Organisations)),
	}, nil
}

// change is the percentage change from a to b, to one decimal place, or
// nil when a is zero.
func change(a, b int64) *decimal.Decimal {
	if a == 0 {
		return nil
	}
	d := decimal.New(b-a, 0).Mul(decimal.New(100, 0)).DivRound(decimal.New(a, 0), 1)
	return &d
}

// Exchanges lists exchanges; see ExchangeFilter. Errors: ErrInvalid.
func (s *Service) Exchanges(ctx context.Context, f ExchangeFilter) ([]*Exchange, error) {
	if f.Category != nil {
		c := normCategory(*f.Category)
		f.Category = &c
	}
	xs, err := s.store.Exchanges(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list exchanges: %w", err)
	}
	return xs, nil
}

// Audit returns the audit trail of a record (or of a bank, if subject is a
// bank id), oldest first.
func (s *Service) Audit(ctx context.Context, subject string) ([]Event, error) {
	ev, err := s.store.Events(ctx, EventFilter{Subject: subject})
	if err != nil {
		return nil, fmt.Errorf("audit of %s: %w", subject, err)
	}
	return ev, nil
}

// Bank returns a bank. Errors: ErrNotFound.
func (s *Service) Bank(ctx context.Context, id string) (*Bank, error) {
	b, err := s.store.Bank(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("bank %s: %w", id, err)
	}
	return b, nil
}

// Member returns a member. Errors: ErrNotFound.
func (s *Service) Member(ctx context.Context, id string) (*Member, error) {
	m, err := s.store.Member(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("member %s: %w", id, err)
	}
	return m, nil
}

// Members lists members; see MemberFilter.
func (s *Service) Members(ctx context.Context, f MemberFilter) ([]*Member, error) {
	ms, err := s.store.Members(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return ms, nil
}

// Listings lists offers and requests, for members to browse; see
// ListingFilter. A category filter matches however it is written.
func (s *Service) Listings(ctx context.Context, f ListingFilter) ([]*Listing, error) {
	if f.Category != nil {
		c := normCategory(*f.Category)
		f.Category = &c
	}
	ls, err := s.store.Listings(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list listings: %w", err)
	}
	return ls, nil
}
