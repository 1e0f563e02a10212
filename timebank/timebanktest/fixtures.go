package timebanktest

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
)

// t0 is the suite's base time: fixed, in UTC, with microseconds (the
// precision stores keep) but no nanoseconds.
func t0() time.Time {
	return time.Date(2025, time.March, 3, 9, 30, 15, 123456000, time.UTC)
}

// at returns the base time plus d.
func at(d time.Duration) time.Time { return t0().Add(d) }

// day is a day of ledger time.
const day = 24 * time.Hour

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// newBank returns a borough bank with every field set except MaxBalance.
func newBank(id string) *timebank.Bank {
	return &timebank.Bank{
		ID:           id,
		Name:         "Bank " + id,
		Rounding:     15,
		MinBalance:   -600,
		Confirmation: timebank.ConfirmBoth,
		CreatedAt:    at(0),
		CreatedBy:    "founder",
		UpdatedAt:    at(0),
		UpdatedBy:    "founder",
		Version:      1,
	}
}

// newMiniBank returns a Mini Time Bank of parent run by organisation org.
func newMiniBank(id, parent, org string) *timebank.Bank {
	b := newBank(id)
	b.Parent = parent
	b.Organisation = org
	return b
}

// newMember returns an active individual member of bank, joined at t0,
// with no optional fields set.
func newMember(id, bank string) *timebank.Member {
	return &timebank.Member{
		ID:        id,
		Bank:      bank,
		Kind:      timebank.Individual,
		Role:      timebank.RoleMember,
		Status:    timebank.Active,
		Name:      "Member " + id,
		JoinedAt:  at(0),
		CreatedBy: "coordinator",
		UpdatedAt: at(0),
		UpdatedBy: "coordinator",
		Version:   1,
	}
}

// newAccount returns an account of the given kind.
func newAccount(id, bank string, kind timebank.AccountKind) *timebank.Account {
	return &timebank.Account{ID: id, Bank: bank, Kind: kind}
}

// newListing returns an open offer by member.
func newListing(id, bank, member string) *timebank.Listing {
	return &timebank.Listing{
		ID:          id,
		Bank:        bank,
		Member:      member,
		Kind:        timebank.Offer,
		Category:    "gardening",
		Title:       "Listing " + id,
		Description: "Help with " + id,
		Open:        true,
		CreatedAt:   at(0),
		UpdatedAt:   at(0),
		UpdatedBy:   member,
		Version:     1,
	}
}

// newExchange returns a pending exchange of minutes from giver to receiver.
func newExchange(id, bank, giver, receiver string, minutes int64, date time.Time) *timebank.Exchange {
	return &timebank.Exchange{
		ID:          id,
		Bank:        bank,
		Giver:       giver,
		Receiver:    receiver,
		Minutes:     minutes,
		Date:        date,
		Category:    "gardening",
		Description: "Exchange " + id,
		Status:      timebank.Pending,
		CreatedAt:   date,
		CreatedBy:   giver,
		UpdatedAt:   date,
		UpdatedBy:   giver,
		Version:     1,
	}
}

// post returns a posting.
func post(account string, amount int64) timebank.Posting {
	return timebank.Posting{Account: account, Amount: amount}
}

// newTransfer returns a transfer with the given postings.
func newTransfer(id, bank string, kind timebank.TransferKind, when time.Time, postings ...timebank.Posting) *timebank.Transfer {
	return &timebank.Transfer{
		ID:       id,
		Bank:     bank,
		Kind:     kind,
		Postings: postings,
		At:       when,
		Actor:    "actor",
		Memo:     "memo " + id,
	}
}

// pay returns an exchange transfer of minutes from one account to another.
func pay(id, bank, from, to string, minutes int64, when time.Time) *timebank.Transfer {
	return newTransfer(id, bank, timebank.KindExchange, when, post(from, -minutes), post(to, minutes))
}

// h is a store under test with the helpers the sub-tests share.
type h struct {
	t   *testing.T
	s   timebank.Store
	ctx context.Context
	n   int // counter for generated transfer ids
}

func newH(t *testing.T, s timebank.Store) *h {
	return &h{t: t, s: s, ctx: t.Context()}
}

// apply applies b and stops the sub-test if it fails.
func (h *h) apply(b *timebank.Batch) {
	h.t.Helper()
	require.NoError(h.t, h.s.Apply(h.ctx, b))
}

// bank creates a borough bank with its issuing and pot accounts and the
// given individual members with their accounts.
func (h *h) bank(id string, members ...string) {
	h.t.Helper()
	h.apply(bankBatch(newBank(id), members...))
}

// bankBatch returns a batch creating bk, its issuing and pot accounts and
// the given individual members with their accounts.
func bankBatch(bk *timebank.Bank, members ...string) *timebank.Batch {
	b := &timebank.Batch{
		Banks: []*timebank.Bank{bk},
		Accounts: []*timebank.Account{
			newAccount(bk.IssuingAccount(), bk.ID, timebank.IssuingAccount),
			newAccount(bk.PotAccount(), bk.ID, timebank.PotAccount),
		},
	}
	for _, m := range members {
		b.Members = append(b.Members, newMember(m, bk.ID))
		b.Accounts = append(b.Accounts, newAccount(m, bk.ID, timebank.MemberAccount))
	}
	return b
}

// id returns a fresh transfer id.
func (h *h) id() string {
	h.n++
	return "fund-" + strconv.Itoa(h.n)
}

// fund issues minutes to account from bank's issuing account at when.
func (h *h) fund(bank, account string, minutes int64, when time.Time) {
	h.t.Helper()
	h.apply(&timebank.Batch{Transfers: []*timebank.Transfer{
		newTransfer(h.id(), bank, timebank.KindIssue, when,
			post(timebank.IssuingAccountID(bank), -minutes), post(account, minutes)),
	}})
}

// balance returns an account's maintained balance.
func (h *h) balance(account string) int64 {
	h.t.Helper()
	a, err := h.s.Account(h.ctx, account)
	require.NoError(h.t, err, "account %s", account)
	return a.Balance
}

// balances returns the maintained balances of accounts.
func (h *h) balances(accounts ...string) []int64 {
	h.t.Helper()
	out := make([]int64, len(accounts))
	for i, a := range accounts {
		out[i] = h.balance(a)
	}
	return out
}

// sumZero checks that the balances of the given banks' accounts sum to
// zero.
func (h *h) sumZero(banks ...string) {
	h.t.Helper()
	var sum int64
	for _, bk := range banks {
		accs, err := h.s.Accounts(h.ctx, timebank.AccountFilter{Bank: &bk})
		require.NoError(h.t, err)
		for _, a := range accs {
			sum += a.Balance
		}
	}
	assert.Zero(h.t, sum, "balances of %v sum to %d, not zero", banks, sum)
}

// same reports, through t, every difference between want and got, which
// have the same type. Times are compared with Equal and must be in UTC;
// nil and empty slices and maps are the same; nil pointers must stay nil.
func same(t testing.TB, want, got any, what string) bool {
	t.Helper()
	var out []string
	diff(what, reflect.ValueOf(want), reflect.ValueOf(got), &out)
	for _, d := range out {
		assert.Fail(t, d)
	}
	return len(out) == 0
}

func diff(path string, w, g reflect.Value, out *[]string) {
	if w.IsValid() != g.IsValid() {
		*out = append(*out, fmt.Sprintf("%s: want %v, got %v", path, w, g))
		return
	}
	if !w.IsValid() {
		return
	}
	if w.Type() == reflect.TypeFor[time.Time]() {
		wt, gt := w.Interface().(time.Time), g.Interface().(time.Time)
		if !wt.Equal(gt) {
			*out = append(*out, fmt.Sprintf("%s: want time %s, got %s", path, wt.Format(time.RFC3339Nano), gt.Format(time.RFC3339Nano)))
		} else if gt.Location() != time.UTC {
			*out = append(*out, fmt.Sprintf("%s: time %s is not in UTC", path, gt.Format(time.RFC3339Nano)))
		}
		return
	}
	switch w.Kind() {
	case reflect.Pointer, reflect.Interface:
		if w.IsNil() || g.IsNil() {
			if w.IsNil() != g.IsNil() {
				*out = append(*out, fmt.Sprintf("%s: want %s, got %s", path, show(w), show(g)))
			}
			return
		}
		diff(path, w.Elem(), g.Elem(), out)
	case reflect.Struct:
		for i := range w.NumField() {
			if !w.Type().Field(i).IsExported() {
				continue
			}
			diff(path+"."+w.Type().Field(i).Name, w.Field(i), g.Field(i), out)
		}
	case reflect.Slice, reflect.Array:
		if w.Len() != g.Len() {
			*out = append(*out, fmt.Sprintf("%s: want %d elements, got %d: %+v", path, w.Len(), g.Len(), g.Interface()))
			return
		}
		for i := range w.Len() {
			diff(fmt.Sprintf("%s[%d]", path, i), w.Index(i), g.Index(i), out)
		}
	case reflect.Map:
		if w.Len() != g.Len() {
			*out = append(*out, fmt.Sprintf("%s: want %v, got %v", path, w.Interface(), g.Interface()))
			return
		}
		for _, k := range w.MapKeys() {
			gv := g.MapIndex(k)
			if !gv.IsValid() {
				*out = append(*out, fmt.Sprintf("%s[%v]: missing", path, k))
				continue
			}
			diff(fmt.Sprintf("%s[%v]", path, k), w.MapIndex(k), gv, out)
		}
	default:
		if w.Interface() != g.Interface() {
			*out = append(*out, fmt.Sprintf("%s: want %#v, got %#v", path, w.Interface(), g.Interface()))
		}
	}
}

func show(v reflect.Value) string {
	if v.IsNil() {
		return "nil"
	}
	return fmt.Sprintf("%+v", v.Elem().Interface())
}

// checkPaging checks that list honours Offset and Limit against the full,
// unpaged result want (which should hold at least three ids).
func checkPaging(t *testing.T, what string, want []string, list func(offset, limit int) ([]string, error)) {
	t.Helper()
	n := len(want)
	cases := []struct{ offset, limit, from, to int }{
		{0, 0, 0, n},
		{1, 0, 1, n},
		{0, 2, 0, min(2, n)},
		{1, 2, min(1, n), min(3, n)},
		{n - 1, 5, max(n-1, 0), n},
		{n, 0, n, n},
		{n + 3, 2, n, n},
	}
	for _, c := range cases {
		got, err := list(c.offset, c.limit)
		if !assert.NoError(t, err, "%s offset %d limit %d", what, c.offset, c.limit) {
			continue
		}
		exp := want[c.from:c.to]
		if len(exp) == 0 {
			assert.Empty(t, got, "%s offset %d limit %d", what, c.offset, c.limit)
			continue
		}
		assert.Equal(t, exp, got, "%s offset %d limit %d", what, c.offset, c.limit)
	}
}

// ids returns the ids of records.
func ids[T any](recs []*T, id func(*T) string) []string {
	out := make([]string, 0, len(recs))
	for _, r := range recs {
		out = append(out, id(r))
	}
	return out
}

func bankID(b *timebank.Bank) string         { return b.ID }
func memberID(m *timebank.Member) string     { return m.ID }
func accountID(a *timebank.Account) string   { return a.ID }
func listingID(l *timebank.Listing) string   { return l.ID }
func exchangeID(e *timebank.Exchange) string { return e.ID }
