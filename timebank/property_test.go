package timebank_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// TestPropertyLedgerInvariants runs random sequences of operations and
// checks after every one that the bank's balances, issuing account and pot
// included, sum to zero and that no member is below their limit and the pot
// is not negative; and at the end that every maintained balance equals the
// sum of the account's entries.
func TestPropertyLedgerInvariants(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	for seed := 1; seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			t.Parallel()
			runProperty(t, uint64(seed), 150)
		})
	}
}

func runProperty(t *testing.T, seed uint64, steps int) {
	ctx := context.Background()
	rnd := rand.New(rand.NewPCG(seed, 7))
	f := newFixture(t, []timebank.Confirmation{timebank.ConfirmBoth, timebank.ConfirmCoordinator, timebank.ConfirmTrusted}[seed%3])
	members := []string{f.ann, f.bob, f.org}
	for i := 0; i < 4; i++ {
		members = append(members, f.join(t, timebank.NewMember{Name: fmt.Sprint("M", i), Trusted: i%2 == 0}))
	}
	people := append([]string{f.ann, f.bob}, members[3:]...)
	var exchanges []string
	pick := func(s []string) string { return s[rnd.IntN(len(s))] }
	minutes := func() int64 { return 15 * (1 + rnd.Int64N(24)) }
	for step := 0; step < steps; step++ {
		var err error
		var op string
		switch rnd.IntN(10) {
		case 0:
			op = "issue"
			_, err = f.svc.Issue(ctx, call.As(f.org).Key(f.key()), timebank.Issue{Member: pick(people), Minutes: minutes(), Certifier: f.org})
			if org, _ := f.store.Member(ctx, f.org); org.Status != timebank.Active {
				// A paused organisation holds no authority of its own.
				require.ErrorIs(t, err, timebank.ErrForbidden, "step %d: a paused organisation issues", step)
				err = nil
			}
		case 1, 2:
			op = "record"
			g, r := pick(members), pick(members)
			actor := pick([]string{g, r, f.coord})
			var x *timebank.Exchange
			x, err = f.svc.RecordExchange(ctx, call.As(actor).Key(f.key()), timebank.NewExchange{Giver: g, Receiver: r, Minutes: minutes()})
			if err == nil {
				exchanges = append(exchanges, x.ID)
			}
		case 3, 4:
			if len(exchanges) == 0 {
				continue
			}
			op = "confirm"
			x, _ := f.store.Exchange(ctx, pick(exchanges))
			_, err = f.svc.Confirm(ctx, call.As(pick([]string{x.Giver, x.Receiver, f.coord})).Key(f.key()), x.ID)
		case 5:
			if len(exchanges) == 0 {
				continue
			}
			op = "void or reverse"
			id := pick(exchanges)
			if rnd.IntN(2) == 0 {
				_, err = f.svc.Void(ctx, call.As(f.coord).Key(f.key()), id, "test")
			} else {
				_, err = f.svc.Reverse(ctx, call.As(f.coord).Key(f.key()), id, "test")
			}
		case 6:
			op = "donate"
			m := pick(members)
			_, err = f.svc.Donate(ctx, call.As(m).Key(f.key()), m, minutes())
		case 7:
			op = "grant"
			_, err = f.svc.Grant(ctx, call.As(f.coord).Key(f.key()), pick(members), minutes(), "test")
		case 8:
			op = "group"
			var shares []timebank.Share
			for _, m := range members[3:] {
				if rnd.IntN(2) == 0 {
					shares = append(shares, timebank.Share{Member: m, Minutes: minutes()})
				}
			}
			_, err = f.svc.RecordGroup(ctx, call.As(f.coord).Key(f.key()), timebank.GroupExchange{Receiver: pick(members[:3]), Shares: shares})
		case 9:
			op = "pause or resume"
			m := pick(members)
			if _, e := f.svc.Pause(ctx, call.As(f.coord).Key(f.key()), m, "test"); e != nil {
				_, err = f.svc.Resume(ctx, call.As(f.coord).Key(f.key()), m, "test")
			}
		}
		if err != nil && !errors.Is(err, timebank.ErrInsufficientCredit) && !errors.Is(err, timebank.ErrInvalidTransition) && !errors.Is(err, timebank.ErrInvalid) {
			t.Fatalf("step %d %s: unexpected error %v", step, op, err)
		}
		checkInvariants(t, f, fmt.Sprintf("after step %d (%s)", step, op))
	}
	as, err := f.store.Accounts(ctx, timebank.AccountFilter{})
	require.NoError(t, err)
	for _, a := range as {
		es, err := f.store.Entries(ctx, timebank.EntryFilter{Account: a.ID})
		require.NoError(t, err)
		var sum int64
		for _, e := range es {
			sum += e.Amount
			require.Equal(t, sum, e.Balance, "running balance of %s", a.ID)
		}
		require.Equal(t, sum, a.Balance, "maintained balance of %s equals its entries", a.ID)
	}
}

func checkInvariants(t *testing.T, f *fixture, when string) {
	t.Helper()
	ctx := context.Background()
	as, err := f.store.Accounts(ctx, timebank.AccountFilter{})
	require.NoError(t, err)
	var sum int64
	for _, a := range as {
		sum += a.Balance
		switch a.Kind {
		case timebank.PotAccount:
			require.GreaterOrEqual(t, a.Balance, int64(0), "pot %s", when)
		case timebank.MemberAccount:
			m, err := f.store.Member(ctx, a.ID)
			require.NoError(t, err)
			min := f.bank.MinBalance
			if m.MinBalance != nil {
				min = *m.MinBalance
			}
			require.GreaterOrEqual(t, a.Balance, min, "member %s %s", a.ID, when)
		}
	}
	require.Zero(t, sum, "sum of balances %s", when)
}
