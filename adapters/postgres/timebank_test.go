package postgres_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/timebank"
	"github.com/strongertogether/community/timebank/timebanktest"
)

func newStore(tb testing.TB) timebank.Store {
	return postgres.NewTimebankStore(pgtest.Open(tb))
}

func TestTimebankConformance(t *testing.T) {
	t.Parallel()
	timebanktest.Run(t, func(t *testing.T) timebank.Store { return newStore(t) })
}

func BenchmarkTransfer(b *testing.B) {
	timebanktest.BenchmarkTransfer(b, func(b *testing.B) timebank.Store { return newStore(b) })
}

func BenchmarkBalanceAt(b *testing.B) {
	timebanktest.BenchmarkBalanceAt(b, func(b *testing.B) timebank.Store { return newStore(b) })
}

var base = time.Date(2025, time.March, 3, 9, 30, 15, 123456000, time.UTC)

func accountsBatch(bank string, ids ...string) *timebank.Batch {
	b := &timebank.Batch{Accounts: []*timebank.Account{
		{ID: timebank.IssuingAccountID(bank), Bank: bank, Kind: timebank.IssuingAccount},
	}}
	for _, id := range ids {
		b.Accounts = append(b.Accounts, &timebank.Account{ID: id, Bank: bank, Kind: timebank.MemberAccount})
	}
	return b
}

func pay(id, from, to string, minutes int64, at time.Time) *timebank.Transfer {
	return &timebank.Transfer{ID: id, Bank: "bank", Kind: timebank.KindExchange, At: at, Actor: "x", Memo: "m " + id,
		Postings: []timebank.Posting{{Account: from, Amount: -minutes}, {Account: to, Amount: minutes}}}
}

// TestTimebankLargeBatch checks the COPY path, taken for batches of many
// postings, against the same transfers applied one batch at a time.
func TestTimebankLargeBatch(t *testing.T) {
	t.Parallel()
	const n = 700 // 1,400 postings: above the COPY threshold
	members := []string{"a", "b", "c", "d", "e"}
	transfers := func() []*timebank.Transfer {
		out := make([]*timebank.Transfer, n)
		for i := range out {
			from, to := members[i%5], members[(i*3+1)%5]
			if from == to {
				to = timebank.IssuingAccountID("bank")
			}
			out[i] = pay(fmt.Sprintf("tr-%04d", i), from, to, int64(15*(1+i%4)), base.Add(time.Duration(i/3)*time.Minute))
		}
		return out
	}
	big, small := newStore(t), newStore(t)
	ctx := t.Context()
	require.NoError(t, big.Apply(ctx, accountsBatch("bank", members...)))
	require.NoError(t, small.Apply(ctx, accountsBatch("bank", members...)))
	require.NoError(t, big.Apply(ctx, &timebank.Batch{Transfers: transfers()}))
	for _, tr := range transfers() {
		require.NoError(t, small.Apply(ctx, &timebank.Batch{Transfers: []*timebank.Transfer{tr}}))
	}
	for _, id := range append(members, timebank.IssuingAccountID("bank")) {
		want, err := small.Account(ctx, id)
		require.NoError(t, err)
		got, err := big.Account(ctx, id)
		require.NoError(t, err)
		assert.Equal(t, want, got, "account %s", id)
		we, err := small.Entries(ctx, timebank.EntryFilter{Account: id})
		require.NoError(t, err)
		ge, err := big.Entries(ctx, timebank.EntryFilter{Account: id})
		require.NoError(t, err)
		assert.Equal(t, we, ge, "entries of %s", id)
		for _, at := range []time.Time{base.Add(-time.Minute), base, base.Add(100 * time.Minute), base.Add(time.Hour * 10)} {
			wb, err := small.BalanceAt(ctx, id, at)
			require.NoError(t, err)
			gb, err := big.BalanceAt(ctx, id, at)
			require.NoError(t, err)
			assert.Equal(t, wb, gb, "balance of %s at %s", id, at)
		}
	}
	// A large batch that breaks a bound writes nothing.
	more := transfers()
	for i, tr := range more {
		tr.ID = fmt.Sprintf("again-%04d", i)
		tr.At = base.Add(time.Hour * 24)
	}
	err := big.Apply(ctx, &timebank.Batch{Transfers: more, Bounds: map[string]timebank.Bounds{"a": {Min: new(int64(-30))}}})
	require.ErrorIs(t, err, timebank.ErrInsufficientCredit)
	// And one whose transfer id is taken is a conflict.
	more = transfers()
	for _, tr := range more {
		tr.At = base.Add(time.Hour * 24)
	}
	err = big.Apply(ctx, &timebank.Batch{Transfers: more})
	require.ErrorIs(t, err, timebank.ErrConflict)
	_, err = big.Transfer(ctx, "again-0000")
	require.ErrorIs(t, err, timebank.ErrNotFound)
}

// TestTimebankOpposingTransfers checks that writers moving the same
// accounts in opposite directions neither deadlock nor lose a posting.
func TestTimebankOpposingTransfers(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := t.Context()
	require.NoError(t, s.Apply(ctx, accountsBatch("bank", "a", "b")))
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				from, to := "a", "b"
				if (w+i)%2 == 0 {
					from, to = to, from
				}
				// Both accounts in one batch, listed in either order.
				tr := pay(fmt.Sprintf("tr-%d-%d", w, i), from, to, 15, base)
				tr2 := pay(fmt.Sprintf("tr-%d-%d-back", w, i), to, from, 30, base)
				assert.NoError(t, s.Apply(ctx, &timebank.Batch{Transfers: []*timebank.Transfer{tr, tr2}}))
			}
		})
	}
	wg.Wait()
	a, err := s.Account(ctx, "a")
	require.NoError(t, err)
	b, err := s.Account(ctx, "b")
	require.NoError(t, err)
	assert.Zero(t, a.Balance+b.Balance)
	es, err := s.Entries(ctx, timebank.EntryFilter{Account: "a"})
	require.NoError(t, err)
	require.Len(t, es, 2*workers*each)
	var bal int64
	for _, e := range es {
		bal += e.Amount
		assert.Equal(t, bal, e.Balance, "entry %s", e.Transfer)
	}
	assert.Equal(t, a.Balance, bal)
}
