package timebank

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
)

// Balance returns an account's balance now, in minutes, from the balance
// the store maintains (it does not read history). The actor must hold the
// account (a member's account id is their member id) or coordinate its
// bank. Errors: ErrInvalid, ErrForbidden (also for an unknown account).
func (s *Service) Balance(ctx context.Context, actor call.Actor, account string) (int64, error) {
	if err := s.canReadAccount(ctx, actor, account); err != nil {
		return 0, fmt.Errorf("balance of %s: %w", account, err)
	}
	a, err := s.store.Account(ctx, account)
	if err != nil {
		return 0, fmt.Errorf("balance of %s: %w", account, err)
	}
	return a.Balance, nil
}

// BalanceAt returns an account's balance at a past time: after every
// transfer made at or before at. The actor must hold the account or
// coordinate its bank. Errors: ErrInvalid, ErrForbidden.
func (s *Service) BalanceAt(ctx context.Context, actor call.Actor, account string, at time.Time) (int64, error) {
	if err := s.canReadAccount(ctx, actor, account); err != nil {
		return 0, fmt.Errorf("balance of %s: %w", account, err)
	}
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
// period. A zero To means now. The actor must hold the account or
// coordinate its bank. Errors: ErrInvalid, ErrForbidden.
func (s *Service) Statement(ctx context.Context, actor call.Actor, account string, from, to time.Time, offset, limit int) (*Statement, error) {
	if err := s.canReadAccount(ctx, actor, account); err != nil {
		return nil, fmt.Errorf("statement of %s: %w", account, err)
	}
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
// To. It returns only aggregates and checks no role. Errors: ErrNotFound,
// ErrInvalid.
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
// [baseFrom, baseTo) to the current period [from, to). It returns only
// aggregates and checks no role. Errors: ErrNotFound, ErrInvalid.
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

// canReadAccount checks a read of account's history by actor.
func (s *Service) canReadAccount(ctx context.Context, a call.Actor, account string) error {
	if err := checkActor(a); err != nil {
		return err
	}
	return s.accountAccess(ctx, a.ID, account)
}

// Exchanges lists exchanges; see ExchangeFilter. A member may list their
// own (Member set to their id); a coordinator the exchanges of banks they
// coordinate (Banks set, each one theirs). Errors: ErrInvalid,
// ErrForbidden.
func (s *Service) Exchanges(ctx context.Context, a call.Actor, f ExchangeFilter) ([]*Exchange, error) {
	if err := checkActor(a); err != nil {
		return nil, fmt.Errorf("list exchanges: %w", err)
	}
	if f.Member == nil || *f.Member != a.ID {
		if len(f.Banks) == 0 {
			return nil, fmt.Errorf("list exchanges: %w", forbidden(a.ID, "may list only their own exchanges, or name the banks they coordinate"))
		}
		for _, b := range f.Banks {
			if err := s.coordinates(ctx, a.ID, b); err != nil {
				return nil, fmt.Errorf("list exchanges: %w", err)
			}
		}
	}
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

// Exchange returns an exchange. The actor must be its giver or receiver,
// or coordinate one of its banks. Errors: ErrInvalid, ErrForbidden (also
// for an unknown id).
func (s *Service) Exchange(ctx context.Context, a call.Actor, id string) (*Exchange, error) {
	if err := checkActor(a); err != nil {
		return nil, fmt.Errorf("exchange %s: %w", id, err)
	}
	if err := s.exchangeAccess(ctx, a.ID, id, true, nil); err != nil {
		return nil, fmt.Errorf("exchange %s: %w", id, err)
	}
	x, err := s.store.Exchange(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("exchange %s: %w", id, err)
	}
	return x, nil
}

// Audit returns the audit trail of a bank, oldest first: every event
// recorded in it, or only those about subject when subject is not empty.
// The actor must coordinate the bank. Errors: ErrInvalid, ErrForbidden.
func (s *Service) Audit(ctx context.Context, a call.Actor, bank, subject string) ([]Event, error) {
	if err := checkActor(a); err != nil {
		return nil, fmt.Errorf("audit of %s: %w", bank, err)
	}
	if err := s.coordinates(ctx, a.ID, bank); err != nil {
		return nil, fmt.Errorf("audit of %s: %w", bank, err)
	}
	ev, err := s.store.Events(ctx, EventFilter{Bank: bank, Subject: subject})
	if err != nil {
		return nil, fmt.Errorf("audit of %s: %w", bank, err)
	}
	return ev, nil
}

// Events returns a bank's audit trail oldest first, selected by f
// (f.Bank is required): with f.After only what followed the Seq a reader
// saw last, so a feed to a CRM resumes where it stopped. The actor must
// coordinate the bank. Errors: ErrInvalid, ErrForbidden.
func (s *Service) Events(ctx context.Context, a call.Actor, f EventFilter) ([]Event, error) {
	if err := checkActor(a); err != nil {
		return nil, fmt.Errorf("events of %s: %w", f.Bank, err)
	}
	if f.Bank == "" {
		return nil, fmt.Errorf("events: %w", invalid("Bank", "is required"))
	}
	if f.After < 0 || f.Offset < 0 || f.Limit < 0 {
		return nil, fmt.Errorf("events of %s: %w", f.Bank, invalid("EventFilter", "After, Offset and Limit must not be negative"))
	}
	if err := s.coordinates(ctx, a.ID, f.Bank); err != nil {
		return nil, fmt.Errorf("events of %s: %w", f.Bank, err)
	}
	ev, err := s.store.Events(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("events of %s: %w", f.Bank, err)
	}
	return ev, nil
}

// Bank returns a bank: its name and settings, and the ids of who created
// and last changed it. It holds no personal data and checks no role.
// Errors: ErrNotFound.
func (s *Service) Bank(ctx context.Context, id string) (*Bank, error) {
	b, err := s.store.Bank(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("bank %s: %w", id, err)
	}
	return b, nil
}

// Banks lists banks ordered by id; see BankFilter. It holds no personal
// data and checks no role.
func (s *Service) Banks(ctx context.Context, f BankFilter) ([]*Bank, error) {
	bs, err := s.store.Banks(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list banks: %w", err)
	}
	return bs, nil
}

// Member returns a member. The actor must be the member or coordinate
// their bank. Errors: ErrInvalid, ErrForbidden (also for an unknown id).
func (s *Service) Member(ctx context.Context, a call.Actor, id string) (*Member, error) {
	if err := checkActor(a); err != nil {
		return nil, fmt.Errorf("member %s: %w", id, err)
	}
	if err := s.selfOrCoordinator(ctx, a.ID, id); err != nil {
		return nil, fmt.Errorf("member %s: %w", id, err)
	}
	m, err := s.store.Member(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("member %s: %w", id, err)
	}
	return m, nil
}

// Members lists the members of a bank; see MemberFilter. Bank is required
// and the actor must coordinate it. Errors: ErrInvalid, ErrForbidden.
func (s *Service) Members(ctx context.Context, a call.Actor, f MemberFilter) ([]*Member, error) {
	if err := checkActor(a); err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	if f.Bank == nil {
		return nil, fmt.Errorf("list members: %w", invalid("Bank", "name the bank whose members to list"))
	}
	if err := s.coordinates(ctx, a.ID, *f.Bank); err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	ms, err := s.store.Members(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list members: %w", err)
	}
	return ms, nil
}

// Listings lists offers and requests, for members to browse; see
// ListingFilter. A category filter matches however it is written. Bank is
// required, and the actor must be an active member of that bank's network
// (the borough bank and its mini banks). Errors: ErrInvalid, ErrForbidden.
func (s *Service) Listings(ctx context.Context, a call.Actor, f ListingFilter) ([]*Listing, error) {
	if err := checkActor(a); err != nil {
		return nil, fmt.Errorf("list listings: %w", err)
	}
	if f.Bank == nil {
		return nil, fmt.Errorf("list listings: %w", invalid("Bank", "name the bank whose listings to list"))
	}
	if err := s.inNetwork(ctx, a.ID, *f.Bank); err != nil {
		return nil, fmt.Errorf("list listings: %w", err)
	}
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

// inNetwork checks that actor is an active member of the network bankID
// belongs to.
func (s *Service) inNetwork(ctx context.Context, actor, bankID string) error {
	no := forbidden(actor, "is not an active member of bank %s's time bank network", bankID)
	m, err := s.actorMember(ctx, actor)
	if err != nil {
		return err
	}
	if m == nil || m.Status != Active {
		return no
	}
	mine, err := s.bankOf(ctx, m.Bank)
	if err != nil {
		return err
	}
	theirs, err := s.bankOf(ctx, bankID)
	if errors.Is(err, ErrNotFound) {
		return no
	}
	if err != nil {
		return err
	}
	if mine.root != theirs.root {
		return no
	}
	return nil
}
