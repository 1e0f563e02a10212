package timebank_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// clock is a test clock that moves on one second each time it is read.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// Set moves the clock to t.
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

var start = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

// fixture is a borough bank with a coordinator, two people and an
// organisation.
type fixture struct {
	svc      *timebank.Service
	store    timebank.Store
	clock    *clock
	bank     *timebank.Bank
	coord    string
	ann, bob string
	org      string
	keys     atomic.Int64
}

func (f *fixture) key() string { return fmt.Sprintf("k%d", f.keys.Add(1)) }

func newFixture(t *testing.T, mode timebank.Confirmation) *fixture {
	t.Helper()
	return newFixtureOn(t, memory.NewTimebankStore(), mode)
}

func newFixtureOn(t *testing.T, store timebank.Store, mode timebank.Confirmation) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{store: store, clock: newClock(start)}
	f.svc = timebank.NewService(store, timebank.WithClock(f.clock.Now))
	require.NoError(t, f.svc.Bootstrap(ctx, call.As("officer-1")))
	b, c, err := f.svc.OpenBank(ctx, call.As("officer-1").Key(f.key()), timebank.NewBank{
		Name: "Thurrock Time Bank", MinBalance: -600, Confirmation: mode,
		Coordinator: timebank.NewMember{Name: "Cath Coordinator", Email: "cath@example.org"},
	})
	require.NoError(t, err)
	f.bank, f.coord = b, c.ID
	f.ann = f.join(t, timebank.NewMember{Name: "Ann", Email: "ann@example.org"})
	f.bob = f.join(t, timebank.NewMember{Name: "Bob"})
	f.org = f.join(t, timebank.NewMember{Name: "Chadwell Hub", Kind: timebank.Organisation})
	return f
}

func (f *fixture) join(t *testing.T, m timebank.NewMember) string {
	t.Helper()
	if m.Bank == "" {
		m.Bank = f.bank.ID
	}
	got, err := f.svc.Join(context.Background(), call.As(f.coord).Key(f.key()), m)
	require.NoError(t, err)
	return got.ID
}

func (f *fixture) balance(t *testing.T, account string) int64 {
	t.Helper()
	b, err := f.svc.Balance(context.Background(), call.As(f.coord), account)
	require.NoError(t, err)
	return b
}

// requireZeroSum checks that the network's balances, issuing and pot
// included, sum to zero.
func requireZeroSum(t *testing.T, store timebank.Store) {
	t.Helper()
	as, err := store.Accounts(context.Background(), timebank.AccountFilter{})
	require.NoError(t, err)
	var sum int64
	for _, a := range as {
		sum += a.Balance
	}
	require.Zero(t, sum, "sum of all balances")
}

func fieldOf(err error) string {
	var fe *timebank.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

func TestOpenBankDefaults(t *testing.T) {
	f := newFixture(t, "")
	assert.Equal(t, int64(15), f.bank.Rounding)
	assert.Equal(t, timebank.ConfirmBoth, f.bank.Confirmation)
	for _, id := range []string{f.bank.IssuingAccount(), f.bank.PotAccount(), f.coord} {
		a, err := f.store.Account(context.Background(), id)
		require.NoError(t, err, id)
		assert.Zero(t, a.Balance)
	}
	c, err := f.store.Member(context.Background(), f.coord)
	require.NoError(t, err)
	assert.Equal(t, timebank.RoleCoordinator, c.Role)
	ev, err := f.svc.Audit(context.Background(), call.As(f.coord), f.bank.ID, "")
	require.NoError(t, err)
	require.NotEmpty(t, ev)
	assert.Equal(t, "officer-1", ev[0].Actor)
	assert.Equal(t, "bank.open", ev[0].Action)
}

func TestExchangeBothConfirm(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	x, err := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), timebank.NewExchange{
		Giver: f.ann, Receiver: f.bob, Minutes: 90, Date: start, Category: "Gardening", Description: "cleared the garden",
	})
	require.NoError(t, err)
	assert.Equal(t, timebank.Pending, x.Status)
	assert.Equal(t, "gardening", x.Category)
	require.NotNil(t, x.GiverConfirmed)
	assert.Nil(t, x.ReceiverConfirmed)
	assert.Zero(t, f.balance(t, f.ann), "a pending exchange holds nothing")
	assert.Zero(t, f.balance(t, f.bob))

	_, err = f.svc.Confirm(ctx, call.As(f.ann).Key(f.key()), x.ID)
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition, "the giver confirming twice")

	_, err = f.svc.Confirm(ctx, call.As(f.org).Key(f.key()), x.ID)
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a stranger confirming")

	x, err = f.svc.Confirm(ctx, call.As(f.bob).Key(f.key()), x.ID)
	require.NoError(t, err)
	assert.Equal(t, timebank.Confirmed, x.Status)
	require.NotEmpty(t, x.Transfer)
	assert.Equal(t, int64(90), f.balance(t, f.ann))
	assert.Equal(t, int64(-90), f.balance(t, f.bob))

	_, err = f.svc.Confirm(ctx, call.As(f.bob).Key(f.key()), x.ID)
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition, "confirming a confirmed exchange")

	tr, err := f.store.Transfer(ctx, x.Transfer)
	require.NoError(t, err)
	assert.Equal(t, timebank.KindExchange, tr.Kind)
	assert.Equal(t, x.ID, tr.Exchange)
	requireZeroSum(t, f.store)
}

func TestExchangeCoordinatorMode(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmCoordinator)
	x, err := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60})
	require.NoError(t, err)
	x, err = f.svc.Confirm(ctx, call.As(f.bob).Key(f.key()), x.ID)
	require.NoError(t, err)
	assert.Equal(t, timebank.Pending, x.Status, "both parties are not enough without a coordinator")
	x, err = f.svc.Confirm(ctx, call.As(f.coord).Key(f.key()), x.ID)
	require.NoError(t, err)
	assert.Equal(t, timebank.Confirmed, x.Status)
	require.NotNil(t, x.Approved)
	assert.Equal(t, f.coord, x.Approved.By)
	assert.Equal(t, int64(60), f.balance(t, f.ann))

	// A coordinator's own record is confirmed at once.
	y, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.bob, Receiver: f.ann, Minutes: 30})
	require.NoError(t, err)
	assert.Equal(t, timebank.Confirmed, y.Status)
	assert.Equal(t, int64(30), f.balance(t, f.ann))
}

func TestExchangeTrustedMode(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmTrusted)
	trusted := true
	_, err := f.svc.UpdateMember(ctx, call.As(f.coord).Key(f.key()), f.ann, timebank.MemberUpdate{Trusted: &trusted})
	require.NoError(t, err)
	x, err := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60})
	require.NoError(t, err)
	assert.Equal(t, timebank.Confirmed, x.Status, "a trusted member's record confirms at once")
	y, err := f.svc.RecordExchange(ctx, call.As(f.bob).Key(f.key()), timebank.NewExchange{Giver: f.bob, Receiver: f.ann, Minutes: 60})
	require.NoError(t, err)
	assert.Equal(t, timebank.Pending, y.Status, "an untrusted member's record waits for the other party")
	y, err = f.svc.Confirm(ctx, call.As(f.ann).Key(f.key()), y.ID)
	require.NoError(t, err)
	assert.Equal(t, timebank.Confirmed, y.Status)
}

func TestVoidAndReverse(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	x, err := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60})
	require.NoError(t, err)
	_, err = f.svc.Void(ctx, call.As(f.ann).Key(f.key()), x.ID, "mistake")
	assert.ErrorIs(t, err, timebank.ErrForbidden)
	_, err = f.svc.Void(ctx, call.As(f.coord).Key(f.key()), x.ID, " ")
	assert.ErrorIs(t, err, timebank.ErrInvalid)
	assert.Equal(t, "reason", fieldOf(err))
	v, err := f.svc.Void(ctx, call.As(f.coord).Key(f.key()), x.ID, "recorded twice")
	require.NoError(t, err)
	assert.Equal(t, timebank.Voided, v.Status)
	_, err = f.svc.Confirm(ctx, call.As(f.bob).Key(f.key()), x.ID)
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition, "confirming a voided exchange")

	y, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 120})
	require.NoError(t, err)
	_, err = f.svc.Reverse(ctx, call.As(f.ann).Key(f.key()), y.ID, "wrong")
	assert.ErrorIs(t, err, timebank.ErrForbidden)
	original, err := f.store.Transfer(ctx, y.Transfer)
	require.NoError(t, err)
	r, err := f.svc.Reverse(ctx, call.As(f.coord).Key(f.key()), y.ID, "help was not given")
	require.NoError(t, err)
	assert.Equal(t, timebank.Reversed, r.Status)
	assert.Equal(t, y.Transfer, r.Transfer, "the original transfer is kept")
	rev, err := f.store.Transfer(ctx, r.Reversal)
	require.NoError(t, err)
	assert.Equal(t, timebank.KindReversal, rev.Kind)
	assert.Equal(t, y.Transfer, rev.Reverses)
	after, err := f.store.Transfer(ctx, y.Transfer)
	require.NoError(t, err)
	assert.Equal(t, original, after, "the original transfer is never changed")
	assert.Zero(t, f.balance(t, f.ann))
	assert.Zero(t, f.balance(t, f.bob))
	_, err = f.svc.Reverse(ctx, call.As(f.coord).Key(f.key()), y.ID, "again")
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition, "reversing twice")
	_, err = f.svc.Reverse(ctx, call.As(f.coord).Key(f.key()), x.ID, "voided one")
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition, "reversing a voided exchange")
	requireZeroSum(t, f.store)
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	future := start.Add(48 * time.Hour)
	cases := []struct {
		name  string
		actor string
		in    timebank.NewExchange
		err   error
		field string
	}{
		{"unknown giver", f.ann, timebank.NewExchange{Giver: "mem_nobody", Receiver: f.ann, Minutes: 60}, timebank.ErrNotFound, "Giver"},
		{"unknown receiver", f.ann, timebank.NewExchange{Giver: f.ann, Receiver: "mem_nobody", Minutes: 60}, timebank.ErrNotFound, "Receiver"},
		{"missing giver", f.ann, timebank.NewExchange{Receiver: f.ann, Minutes: 60}, timebank.ErrInvalid, "Giver"},
		{"self transfer", f.ann, timebank.NewExchange{Giver: f.ann, Receiver: f.ann, Minutes: 60}, timebank.ErrInvalid, "Receiver"},
		{"zero minutes", f.ann, timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 0}, timebank.ErrInvalid, "Minutes"},
		{"negative minutes", f.ann, timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: -60}, timebank.ErrInvalid, "Minutes"},
		{"off the rounding", f.ann, timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 50}, timebank.ErrInvalid, "Minutes"},
		{"future date", f.ann, timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60, Date: future}, timebank.ErrInvalid, "Date"},
		{"stranger records", f.org, timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60}, timebank.ErrForbidden, "actor"},
		{"unknown actor", "mem_nobody", timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60}, timebank.ErrForbidden, "actor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.RecordExchange(ctx, call.As(c.actor).Key(f.key()), c.in)
			require.ErrorIs(t, err, c.err)
			assert.Equal(t, c.field, fieldOf(err), "error %v", err)
		})
	}
	xs, err := f.svc.Exchanges(ctx, call.As(f.coord), timebank.ExchangeFilter{Banks: []string{f.bank.ID}})
	require.NoError(t, err)
	assert.Empty(t, xs, "no bad request wrote an exchange")

	_, err = f.svc.RecordExchange(ctx, call.As(f.ann).Key(""), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60})
	assert.ErrorIs(t, err, timebank.ErrInvalid)
	assert.Equal(t, "key", fieldOf(err))

	_, err = f.svc.Join(ctx, call.As(f.ann).Key(f.key()), timebank.NewMember{Bank: f.bank.ID, Name: "Eve"})
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a member who is not a coordinator adds a member")
	_, err = f.svc.Join(ctx, call.As(f.coord).Key(f.key()), timebank.NewMember{Bank: f.bank.ID, Name: "Eve", Email: "not an address"})
	assert.ErrorIs(t, err, timebank.ErrInvalid)
	assert.Equal(t, "Email", fieldOf(err))
	_, err = f.svc.Join(ctx, call.As(f.coord).Key(f.key()), timebank.NewMember{Bank: f.bank.ID, Name: "  "})
	assert.Equal(t, "Name", fieldOf(err))
	_, _, err = f.svc.OpenBank(ctx, call.As("officer-1").Key(f.key()), timebank.NewBank{Name: "X", Rounding: 7, Coordinator: timebank.NewMember{Name: "C"}})
	assert.ErrorIs(t, err, timebank.ErrInvalid)
	assert.Equal(t, "Rounding", fieldOf(err))
}

func TestLimits(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	// Bob may go to -10 hours (the bank's MinBalance) and no further.
	x, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 600})
	require.NoError(t, err)
	assert.Equal(t, timebank.Confirmed, x.Status)
	_, err = f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 15})
	require.ErrorIs(t, err, timebank.ErrInsufficientCredit)
	assert.Equal(t, int64(-600), f.balance(t, f.bob))
	xs, err := f.svc.Exchanges(ctx, call.As(f.coord), timebank.ExchangeFilter{Banks: []string{f.bank.ID}})
	require.NoError(t, err)
	assert.Len(t, xs, 1, "a refused exchange is not recorded")

	// A pending exchange that cannot be paid stays pending.
	p, err := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60})
	require.NoError(t, err)
	_, err = f.svc.Confirm(ctx, call.As(f.bob).Key(f.key()), p.ID)
	require.ErrorIs(t, err, timebank.ErrInsufficientCredit)
	got, err := f.store.Exchange(ctx, p.ID)
	require.NoError(t, err)
	assert.Equal(t, timebank.Pending, got.Status)
	assert.Nil(t, got.ReceiverConfirmed, "the failed confirmation wrote nothing")

	// A member's own limit overrides the bank's.
	lower := int64(-1200)
	_, err = f.svc.UpdateMember(ctx, call.As(f.ann).Key(f.key()), f.bob, timebank.MemberUpdate{MinBalance: &lower})
	assert.ErrorIs(t, err, timebank.ErrForbidden, "limits need a coordinator")
	_, err = f.svc.UpdateMember(ctx, call.As(f.coord).Key(f.key()), f.bob, timebank.MemberUpdate{MinBalance: &lower})
	require.NoError(t, err)
	_, err = f.svc.Confirm(ctx, call.As(f.bob).Key(f.key()), p.ID)
	require.NoError(t, err)
	assert.Equal(t, int64(-660), f.balance(t, f.bob))

	// A maximum caps what a member holds.
	max := int64(700)
	_, err = f.svc.UpdateMember(ctx, call.As(f.coord).Key(f.key()), f.ann, timebank.MemberUpdate{MaxBalance: &max})
	require.NoError(t, err)
	_, err = f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.org, Minutes: 60})
	require.ErrorIs(t, err, timebank.ErrInsufficientCredit)
	requireZeroSum(t, f.store)
}

func TestPotAndIssue(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	// Credits enter for voluntary work certified by an organisation.
	_, err := f.svc.Issue(ctx, call.As(f.ann).Key(f.key()), timebank.Issue{Member: f.ann, Minutes: 240, Certifier: f.org})
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a member cannot issue to themself")
	_, err = f.svc.Issue(ctx, call.As(f.coord).Key(f.key()), timebank.Issue{Member: f.ann, Minutes: 240, Certifier: f.bob})
	assert.ErrorIs(t, err, timebank.ErrInvalid, "a person cannot certify")
	tr, err := f.svc.Issue(ctx, call.As(f.org).Key(f.key()), timebank.Issue{Member: f.ann, Minutes: 240, Certifier: f.org, Description: "hub reception"})
	require.NoError(t, err)
	assert.Equal(t, timebank.KindIssue, tr.Kind)
	assert.Equal(t, int64(240), f.balance(t, f.ann))
	assert.Equal(t, int64(-240), f.balance(t, f.bank.IssuingAccount()))

	// Ann gives two hours to the pot; the pot grants an hour to Bob.
	_, err = f.svc.Donate(ctx, call.As(f.bob).Key(f.key()), f.ann, 120)
	assert.ErrorIs(t, err, timebank.ErrForbidden, "donating someone else's credit")
	_, err = f.svc.Donate(ctx, call.As(f.ann).Key(f.key()), f.ann, 120)
	require.NoError(t, err)
	assert.Equal(t, int64(120), f.balance(t, f.bank.PotAccount()))
	_, err = f.svc.Grant(ctx, call.As(f.ann).Key(f.key()), f.bob, 60, "needs a lift")
	assert.ErrorIs(t, err, timebank.ErrForbidden, "only a coordinator grants")
	_, err = f.svc.Grant(ctx, call.As(f.coord).Key(f.key()), f.ann, 60, "needs a lift")
	assert.ErrorIs(t, err, timebank.ErrInvalid, "Ann has credit of her own")
	_, err = f.svc.Grant(ctx, call.As(f.coord).Key(f.key()), f.bob, 180, "needs a lift")
	assert.ErrorIs(t, err, timebank.ErrInsufficientCredit, "the pot holds two hours")
	_, err = f.svc.Grant(ctx, call.As(f.coord).Key(f.key()), f.bob, 60, "needs a lift to hospital")
	require.NoError(t, err)
	assert.Equal(t, int64(60), f.balance(t, f.bob))
	assert.Equal(t, int64(60), f.balance(t, f.bank.PotAccount()))
	// Organisations donate too.
	_, err = f.svc.Issue(ctx, call.As(f.coord).Key(f.key()), timebank.Issue{Member: f.org, Minutes: 60, Certifier: f.org})
	require.NoError(t, err)
	_, err = f.svc.Donate(ctx, call.As(f.org).Key(f.key()), f.org, 60)
	require.NoError(t, err)
	assert.Equal(t, int64(120), f.balance(t, f.bank.PotAccount()))
	requireZeroSum(t, f.store)
}

func TestGroupExchange(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	var shares []timebank.Share
	for i := 0; i < 5; i++ {
		shares = append(shares, timebank.Share{Member: f.join(t, timebank.NewMember{Name: fmt.Sprintf("Volunteer %d", i)}), Minutes: 60})
	}
	xs, err := f.svc.RecordGroup(ctx, call.As(f.org).Key(f.key()), timebank.GroupExchange{Receiver: f.org, Shares: shares, Category: "events", Description: "fun day"})
	require.NoError(t, err)
	require.Len(t, xs, 5)
	tr, err := f.store.Transfer(ctx, xs[0].Transfer)
	require.NoError(t, err)
	assert.Len(t, tr.Postings, 6, "one atomic transfer: the organisation and five volunteers")
	for _, x := range xs {
		assert.Equal(t, timebank.Confirmed, x.Status)
		assert.Equal(t, tr.ID, x.Transfer)
		assert.Equal(t, int64(60), f.balance(t, x.Giver))
	}
	assert.Equal(t, int64(-300), f.balance(t, f.org))

	// All or nothing: one share that breaks the payer's limit refuses the lot.
	_, err = f.svc.RecordGroup(ctx, call.As(f.coord).Key(f.key()), timebank.GroupExchange{Receiver: f.org, Shares: []timebank.Share{{Member: f.ann, Minutes: 60}, {Member: f.bob, Minutes: 300}}})
	require.ErrorIs(t, err, timebank.ErrInsufficientCredit)
	assert.Zero(t, f.balance(t, f.ann))
	_, err = f.svc.RecordGroup(ctx, call.As(f.ann).Key(f.key()), timebank.GroupExchange{Giver: f.ann, Shares: []timebank.Share{{Member: f.bob, Minutes: 60}}})
	assert.ErrorIs(t, err, timebank.ErrForbidden, "receivers pay, so a giver's group record needs a coordinator")
	_, err = f.svc.RecordGroup(ctx, call.As(f.coord).Key(f.key()), timebank.GroupExchange{Receiver: f.org, Shares: []timebank.Share{{Member: f.ann, Minutes: 60}, {Member: f.ann, Minutes: 60}}})
	assert.ErrorIs(t, err, timebank.ErrInvalid)
	requireZeroSum(t, f.store)
}

func TestIdempotency(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	in := timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60, Date: start}
	first, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key("crm-42"), in)
	require.NoError(t, err)
	again, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key("crm-42"), in)
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID, "a retry returns the first result")
	assert.Equal(t, int64(60), f.balance(t, f.ann), "a retry does not pay twice")
	in.Minutes = 120
	_, err = f.svc.RecordExchange(ctx, call.As(f.coord).Key("crm-42"), in)
	assert.ErrorIs(t, err, timebank.ErrConflict, "same key, different request")
	assert.Equal(t, "key", fieldOf(err))

	// Concurrent retries of one request: one write, one result.
	var wg sync.WaitGroup
	results := make([]string, 16)
	errs := make([]error, 16)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tr, err := f.svc.Donate(ctx, call.As(f.ann).Key("donate-1"), f.ann, 30)
			errs[i] = err
			if err == nil {
				results[i] = tr.ID
			}
		}()
	}
	wg.Wait()
	for i := range results {
		require.NoError(t, errs[i])
		assert.Equal(t, results[0], results[i])
	}
	assert.Equal(t, int64(30), f.balance(t, f.bank.PotAccount()))
}

func TestConcurrentConfirmationsNeverOverdraw(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	// Bob may owe 10 hours; 30 pending one-hour exchanges are confirmed at once.
	var pending []string
	for i := 0; i < 30; i++ {
		x, err := f.svc.RecordExchange(ctx, call.As(f.ann).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60})
		require.NoError(t, err)
		pending = append(pending, x.ID)
	}
	var ok, refused atomic.Int64
	var wg sync.WaitGroup
	for _, id := range pending {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.svc.Confirm(ctx, call.As(f.bob).Key(f.key()), id)
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, timebank.ErrInsufficientCredit):
				refused.Add(1)
			default:
				t.Errorf("confirm %s: %v", id, err)
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(10), ok.Load())
	assert.Equal(t, int64(20), refused.Load())
	assert.Equal(t, int64(-600), f.balance(t, f.bob))
	requireZeroSum(t, f.store)
}

func TestMemberLifecycle(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	_, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 60})
	require.NoError(t, err)
	offer, err := f.svc.PostListing(ctx, call.As(f.ann).Key(f.key()), timebank.NewListing{Member: f.ann, Kind: timebank.Offer, Category: "gardening",
		Title: "Ann's allotment on Elm Road", Description: "ring Ann on 01375 000000"})
	require.NoError(t, err)

	m, err := f.svc.Pause(ctx, call.As(f.ann).Key(f.key()), f.ann, "on holiday")
	require.NoError(t, err)
	assert.Equal(t, timebank.Paused, m.Status)
	_, err = f.svc.RecordExchange(ctx, call.As(f.bob).Key(f.key()), timebank.NewExchange{Giver: f.bob, Receiver: f.ann, Minutes: 60})
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition, "a paused member records no new exchanges")
	_, err = f.svc.Pause(ctx, call.As(f.ann).Key(f.key()), f.ann, "again")
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition)
	_, err = f.svc.Pause(ctx, call.As(f.bob).Key(f.key()), f.ann, "not yours")
	assert.ErrorIs(t, err, timebank.ErrForbidden)
	_, err = f.svc.Resume(ctx, call.As(f.ann).Key(f.key()), f.ann, "back")
	require.NoError(t, err)

	m, err = f.svc.Leave(ctx, call.As(f.ann).Key(f.key()), f.ann, "moving away")
	require.NoError(t, err)
	assert.Equal(t, timebank.Left, m.Status)
	require.NotNil(t, m.LeftAt)
	assert.Equal(t, int64(60), f.balance(t, f.ann), "a member who leaves keeps their history")
	_, err = f.svc.Resume(ctx, call.As(f.coord).Key(f.key()), f.ann, "")
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition)

	_, err = f.svc.Erase(ctx, call.As(f.bob).Key(f.key()), f.ann)
	assert.ErrorIs(t, err, timebank.ErrForbidden)
	m, err = f.svc.Erase(ctx, call.As(f.coord).Key(f.key()), f.ann)
	require.NoError(t, err)
	assert.Equal(t, "Former member "+f.ann, m.Name)
	assert.Empty(t, m.Email)
	require.NotNil(t, m.ErasedAt)
	assert.Equal(t, int64(60), f.balance(t, f.ann), "erasure keeps the ledger whole")
	l, err := f.store.Listing(ctx, offer.ID)
	require.NoError(t, err)
	assert.Equal(t, "(erased on request)", l.Title, "what she wrote in her offer goes too")
	assert.Empty(t, l.Description)
	assert.False(t, l.Open)
	assert.Equal(t, "gardening", l.Category, "the category stays for reports")
	st, err := f.svc.Statement(ctx, call.As(f.coord), f.ann, time.Time{}, time.Time{}, 0, 0)
	require.NoError(t, err)
	assert.Len(t, st.Entries, 1)
	name := "Ann again"
	_, err = f.svc.UpdateMember(ctx, call.As(f.coord).Key(f.key()), f.ann, timebank.MemberUpdate{Name: &name})
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition)
	_, err = f.svc.Erase(ctx, call.As(f.coord).Key(f.key()), f.ann)
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition)
	requireZeroSum(t, f.store)
}

func TestMiniTimeBank(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	_, _, err := f.svc.OpenMiniBank(ctx, call.As(f.bob).Key(f.key()), timebank.NewMiniBank{Parent: f.bank.ID, Organisation: f.org,
		NewBank: timebank.NewBank{Name: "Hub Time Bank", Coordinator: timebank.NewMember{Name: "Hana"}}})
	assert.ErrorIs(t, err, timebank.ErrForbidden)
	_, _, err = f.svc.OpenMiniBank(ctx, call.As(f.coord).Key(f.key()), timebank.NewMiniBank{Parent: f.bank.ID, Organisation: f.ann,
		NewBank: timebank.NewBank{Name: "Hub Time Bank", Coordinator: timebank.NewMember{Name: "Hana"}}})
	assert.ErrorIs(t, err, timebank.ErrInvalid, "a person cannot run a mini time bank")
	mini, hana, err := f.svc.OpenMiniBank(ctx, call.As(f.org).Key(f.key()), timebank.NewMiniBank{Parent: f.bank.ID, Organisation: f.org,
		NewBank: timebank.NewBank{Name: "Hub Time Bank", Coordinator: timebank.NewMember{Name: "Hana"}}})
	require.NoError(t, err)
	assert.Equal(t, f.bank.ID, mini.Parent)
	assert.Equal(t, f.bank.Rounding, mini.Rounding, "settings default to the parent's")
	assert.Equal(t, f.bank.MinBalance, mini.MinBalance)

	dan, err := f.svc.Join(ctx, call.As(hana.ID).Key(f.key()), timebank.NewMember{Bank: mini.ID, Name: "Dan"})
	require.NoError(t, err)
	_, err = f.svc.Join(ctx, call.As(hana.ID).Key(f.key()), timebank.NewMember{Bank: f.bank.ID, Name: "Eve"})
	assert.ErrorIs(t, err, timebank.ErrForbidden, "a mini bank's coordinator does not coordinate the borough bank")
	_, err = f.svc.Join(ctx, call.As(f.coord).Key(f.key()), timebank.NewMember{Bank: mini.ID, Name: "Fay"})
	require.NoError(t, err, "the borough coordinator coordinates its mini banks")

	// Members of the mini bank exchange with the borough's. Hana may
	// record Dan's help to Bob, but not approve it: Bob pays, and she does
	// not coordinate his bank.
	x, err := f.svc.RecordExchange(ctx, call.As(hana.ID).Key(f.key()), timebank.NewExchange{Giver: dan.ID, Receiver: f.bob, Minutes: 60, Category: "lifts"})
	require.NoError(t, err)
	assert.Equal(t, timebank.Pending, x.Status)
	require.NotNil(t, x.GiverConfirmed, "she vouches for Dan, her member")
	_, err = f.svc.Confirm(ctx, call.As(hana.ID).Key(f.key()), x.ID)
	assert.ErrorIs(t, err, timebank.ErrInvalidTransition, "and cannot approve Bob's side")
	_, err = f.svc.RecordGroup(ctx, call.As(hana.ID).Key(f.key()), timebank.GroupExchange{Giver: dan.ID, Shares: []timebank.Share{{Member: f.bob, Minutes: 60}}})
	assert.ErrorIs(t, err, timebank.ErrForbidden, "nor in a group")
	assert.Zero(t, f.balance(t, f.bob))
	x, err = f.svc.Confirm(ctx, call.As(f.bob).Key(f.key()), x.ID)
	require.NoError(t, err)
	assert.Equal(t, timebank.Confirmed, x.Status)
	_, err = f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: 30, Category: "shopping"})
	require.NoError(t, err)

	whole, err := f.svc.Report(ctx, f.bank.ID, start, start.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, []string{f.bank.ID, mini.ID}, whole.Banks)
	assert.Equal(t, 2, whole.Exchanges, "the mini bank rolls up into the borough")
	assert.Equal(t, int64(90), whole.ExchangeMinutes)
	assert.Equal(t, "1.5", whole.Hours().String())
	assert.Equal(t, 6, whole.Individuals, "coordinator, Ann, Bob, Hana, Dan, Fay")
	assert.Equal(t, 1, whole.Organisations)
	part, err := f.svc.Report(ctx, mini.ID, start, start.Add(time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, part.Exchanges)
	assert.Equal(t, 3, part.Individuals)
	requireZeroSum(t, f.store)
}

func TestBalanceAtAndStatement(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmBoth)
	var times []time.Time
	for i := 1; i <= 5; i++ {
		f.clock.Set(start.Add(time.Duration(i) * time.Hour))
		x, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: int64(i) * 15})
		require.NoError(t, err)
		tr, err := f.store.Transfer(ctx, x.Transfer)
		require.NoError(t, err)
		times = append(times, tr.At)
	}
	want := []int64{15, 45, 90, 150, 225}
	for i, at := range times {
		got, err := f.svc.BalanceAt(ctx, call.As(f.coord), f.ann, at)
		require.NoError(t, err)
		assert.Equal(t, want[i], got, "balance at the %d-th posting", i+1)
		got, err = f.svc.BalanceAt(ctx, call.As(f.coord), f.ann, at.Add(-time.Microsecond))
		require.NoError(t, err)
		if i > 0 {
			assert.Equal(t, want[i-1], got)
		} else {
			assert.Zero(t, got)
		}
	}
	st, err := f.svc.Statement(ctx, call.As(f.coord), f.ann, times[1], times[4], 1, 1)
	require.NoError(t, err)
	assert.Equal(t, int64(15), st.Opening)
	assert.Equal(t, int64(150), st.Closing)
	require.Len(t, st.Entries, 1, "a page of one")
	assert.Equal(t, int64(45), st.Entries[0].Amount)
	assert.Equal(t, int64(90), st.Entries[0].Balance)
	_, err = f.svc.Statement(ctx, call.As(f.coord), f.ann, times[3], times[1], 0, 0)
	assert.ErrorIs(t, err, timebank.ErrInvalid)
	_, err = f.svc.BalanceAt(ctx, call.As(f.coord), "mem_nobody", start)
	assert.ErrorIs(t, err, timebank.ErrForbidden, "an unknown account is refused as any other")
}

func TestGrowth(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, timebank.ConfirmCoordinator)
	y1 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	y2 := time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)
	for i, d := range []struct {
		at      time.Time
		minutes int64
	}{{y1.AddDate(0, 1, 0), 600}, {y1.AddDate(0, 2, 0), 600}, {y2.AddDate(0, 1, 0), 420}, {y2.AddDate(0, 2, 0), 420}, {y2.AddDate(0, 3, 0), 480}} {
		minutes := d.minutes
		_, err := f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.ann, Receiver: f.bob, Minutes: minutes / 2, Date: d.at, Description: fmt.Sprint(i)})
		require.NoError(t, err)
		_, err = f.svc.RecordExchange(ctx, call.As(f.coord).Key(f.key()), timebank.NewExchange{Giver: f.bob, Receiver: f.ann, Minutes: minutes / 2, Date: d.at})
		require.NoError(t, err)
	}
	g, err := f.svc.Growth(ctx, f.bank.ID, y1, y2, y2, y2.AddDate(0, 6, 0))
	require.NoError(t, err)
	assert.Equal(t, int64(1200), g.Base.ExchangeMinutes)
	assert.Equal(t, int64(1320), g.Current.ExchangeMinutes)
	require.NotNil(t, g.Hours)
	assert.Equal(t, "10", g.Hours.String(), "1,200 to 1,320 minutes is 10% growth")
	assert.Equal(t, "50", g.Transactions.String())
	assert.True(t, g.Met(decimal.NewFromInt(10)), "the 10% target is met")
	assert.False(t, g.Met(decimal.NewFromInt(11)))
	empty, err := f.svc.Growth(ctx, f.bank.ID, y1.AddDate(-5, 0, 0), y1.AddDate(-4, 0, 0), y1, y2)
	require.NoError(t, err)
	assert.Nil(t, empty.Hours, "growth from nothing is undefined")
	assert.False(t, empty.Met(decimal.Zero))
}
