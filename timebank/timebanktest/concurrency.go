package timebanktest

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/internal/storetest"
	"github.com/strongertogether/community/timebank"
)

// testConcurrentTransfers: 50 writers each take 60 minutes out of one
// account holding 600 with Min 0. Exactly 10 succeed; the balance never
// goes below zero.
func testConcurrentTransfers(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	const writers, amount, funds = 50, 60, 600
	members := []string{"payer"}
	for i := range writers {
		members = append(members, "payee-"+strconv.Itoa(i))
	}
	h.bank("bank", members...)
	h.fund("bank", "payer", funds, at(0))
	bounds := map[string]timebank.Bounds{"payer": {Min: ptr(int64(0))}}

	// A reader watches the balance while the writers run.
	done := make(chan struct{})
	var lowest int64
	var reads int
	var readErr error
	var reader sync.WaitGroup
	reader.Go(func() {
		for {
			a, err := s.Account(h.ctx, "payer")
			if err != nil {
				readErr = err
				return
			}
			reads++
			lowest = min(lowest, a.Balance)
			select {
			case <-done:
				return
			default:
			}
		}
	})
	errs := storetest.Race(writers, func(i int) error {
		// One At for all: an equal At never goes back.
		return s.Apply(h.ctx, transfers(bounds, pay("tr-"+strconv.Itoa(i), "bank", "payer", "payee-"+strconv.Itoa(i), amount, at(time.Hour))))
	})
	close(done)
	reader.Wait()
	assert.NoError(t, readErr, "reading while writers run")
	assert.GreaterOrEqual(t, lowest, int64(0), "a reader saw the balance below Min")
	assert.Positive(t, reads)

	ok, refused := storetest.Count(t, errs, timebank.ErrInsufficientCredit)
	assert.Equal(t, funds/amount, ok, "transfers that succeeded")
	assert.Equal(t, writers-funds/amount, refused, "transfers refused with ErrInsufficientCredit")
	assert.Equal(t, int64(0), h.balance("payer"), "final balance")
	h.sumZero("bank")

	entries, err := s.Entries(h.ctx, timebank.EntryFilter{Account: "payer"})
	require.NoError(t, err)
	assert.Len(t, entries, 1+funds/amount, "statement lines")
	for _, e := range entries {
		assert.GreaterOrEqual(t, e.Balance, int64(0), "running balance after %s", e.Transfer)
	}
	paid := 0
	for i := range writers {
		b := h.balance("payee-" + strconv.Itoa(i))
		_, terr := s.Transfer(h.ctx, "tr-"+strconv.Itoa(i))
		if errs[i] == nil {
			assert.Equal(t, int64(amount), b, "payee %d of a transfer that succeeded", i)
			assert.NoError(t, terr, "transfer %d succeeded but is not stored", i)
			paid++
		} else {
			assert.Zero(t, b, "payee %d of a refused transfer", i)
			assert.ErrorIs(t, terr, timebank.ErrNotFound, "transfer %d was refused but is stored", i)
		}
	}
	assert.Equal(t, ok, paid)
}

// testConcurrentUpdates: 20 writers update one member from Version 1 to
// 2. Exactly one succeeds; the others get ErrConflict.
func testConcurrentUpdates(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	const writers = 20
	h.bank("bank", "m")
	errs := storetest.Race(writers, func(i int) error {
		m := newMember("m", "bank")
		m.Name, m.Version = "writer "+strconv.Itoa(i), 2
		return s.Apply(h.ctx, &timebank.Batch{Members: []*timebank.Member{m}})
	})
	ok, conflicts := storetest.Count(t, errs, timebank.ErrConflict)
	assert.Equal(t, 1, ok, "updates that succeeded")
	assert.Equal(t, writers-1, conflicts, "updates refused with ErrConflict")
	m, err := s.Member(h.ctx, "m")
	require.NoError(t, err)
	assert.Equal(t, int64(2), m.Version)
	for i, err := range errs {
		if err == nil {
			assert.Equal(t, "writer "+strconv.Itoa(i), m.Name, "the stored member is the winner's")
		}
	}
}

// testConcurrentKeys: 20 writers apply batches with the same idempotency
// key. Exactly one succeeds; the others get ErrDuplicateKey and write
// nothing.
func testConcurrentKeys(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	const writers = 20
	h.bank("bank")
	errs := storetest.Race(writers, func(i int) error {
		id := "m-" + strconv.Itoa(i)
		return s.Apply(h.ctx, &timebank.Batch{
			Members:  []*timebank.Member{newMember(id, "bank")},
			Accounts: []*timebank.Account{newAccount(id, "bank", timebank.MemberAccount)},
			Events:   []timebank.Event{{Bank: "bank", At: at(0), Actor: "coord", Action: "member.join", Subject: id}},
			Key:      "the-key",
			Hash:     "hash-" + id,
			Result:   id,
			At:       at(0),
		})
	})
	ok, dups := storetest.Count(t, errs, timebank.ErrDuplicateKey)
	assert.Equal(t, 1, ok, "batches that succeeded")
	assert.Equal(t, writers-1, dups, "batches refused with ErrDuplicateKey")
	r, err := s.Receipt(h.ctx, "the-key")
	require.NoError(t, err)
	for i, err := range errs {
		id := "m-" + strconv.Itoa(i)
		_, merr := s.Member(h.ctx, id)
		_, aerr := s.Account(h.ctx, id)
		if err == nil {
			assert.NoError(t, merr, "the winner's member")
			assert.NoError(t, aerr, "the winner's account")
			assert.Equal(t, id, r.Result, "the receipt is the winner's")
			assert.Equal(t, "hash-"+id, r.Hash, "the receipt is the winner's")
		} else {
			assert.ErrorIs(t, merr, timebank.ErrNotFound, "a refused batch wrote its member")
			assert.ErrorIs(t, aerr, timebank.ErrNotFound, "a refused batch wrote its account")
		}
	}
	evs, err := s.Events(h.ctx, timebank.EventFilter{})
	require.NoError(t, err)
	assert.Len(t, evs, 1, "events written")
	ms, err := s.Members(h.ctx, timebank.MemberFilter{})
	require.NoError(t, err)
	assert.Len(t, ms, 1, "members written")
}

// testConcurrentConfirmations: 20 writers each confirm the same pending
// exchange, writing its next version with the transfer that pays it, as
// the Service does. Exactly one batch lands: one confirmed exchange, one
// transfer, the balances moved once.
func testConcurrentConfirmations(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "giver", "receiver")
	x := newExchange("x-1", "bank", "giver", "receiver", 60, at(0))
	h.apply(&timebank.Batch{Exchanges: []*timebank.Exchange{x}})
	const writers = 20
	errs := storetest.Race(writers, func(i int) error {
		c := *newExchange("x-1", "bank", "giver", "receiver", 60, at(0))
		c.Version, c.Status = 2, timebank.Confirmed
		c.Transfer = "tr-confirm-" + strconv.Itoa(i)
		return s.Apply(h.ctx, &timebank.Batch{
			Exchanges: []*timebank.Exchange{&c},
			Transfers: []*timebank.Transfer{pay(c.Transfer, "bank", "receiver", "giver", 60, at(time.Hour))},
		})
	})
	ok, conflicts := storetest.Count(t, errs, timebank.ErrConflict)
	assert.Equal(t, 1, ok, "confirmations that landed")
	assert.Equal(t, writers-1, conflicts, "confirmations refused as stale")
	got, err := s.Exchange(h.ctx, "x-1")
	require.NoError(t, err)
	assert.Equal(t, int64(2), got.Version)
	assert.Equal(t, []int64{60, -60}, h.balances("giver", "receiver"), "paid once")
	for i := range writers {
		id := "tr-confirm-" + strconv.Itoa(i)
		_, err := s.Transfer(h.ctx, id)
		if id == got.Transfer {
			assert.NoError(t, err, "the winner's transfer")
		} else {
			assert.ErrorIs(t, err, timebank.ErrNotFound, "a loser's transfer %s was written", id)
		}
	}
}

// testCancelledContext: Apply with a cancelled context fails and writes
// nothing; the store works afterwards.
func testCancelledContext(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c")
	ctx, cancel := context.WithCancel(h.ctx)
	cancel()
	err := s.Apply(ctx, transfers(nil, pay("tr-cancelled", "bank", "a", "c", 10, at(0))))
	require.Error(t, err, "Apply with a cancelled context")
	_, err = s.Transfer(h.ctx, "tr-cancelled")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "a cancelled Apply wrote its transfer")
	assert.Equal(t, []int64{0, 0}, h.balances("a", "c"))
	h.apply(transfers(nil, pay("tr-after", "bank", "a", "c", 10, at(0))))
	assert.Equal(t, []int64{-10, 10}, h.balances("a", "c"))
}
