package timebanktest

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
)

// Round trips: every field of every record comes back as it went in.

func testBankRoundTrip(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	mk := func() []*timebank.Bank {
		borough := newBank("bank-1")
		borough.Name = "Thurrock Time Bank"
		borough.Rounding = 5
		borough.MinBalance = -300
		borough.MaxBalance = ptr(int64(2400))
		borough.Confirmation = timebank.ConfirmTrusted
		borough.UpdatedAt = at(time.Hour + 7*time.Microsecond)
		borough.UpdatedBy = "editor"
		mini := newMiniBank("bank-2", "bank-1", "org-1")
		mini.Confirmation = timebank.ConfirmCoordinator
		mini.MinBalance = 0
		zero := newBank("bank-3") // MaxBalance points at a zero: not nil.
		zero.MaxBalance = ptr(int64(0))
		return []*timebank.Bank{borough, mini, zero}
	}
	h.apply(&timebank.Batch{Banks: mk()})
	for _, want := range mk() {
		got, err := s.Bank(h.ctx, want.ID)
		if assert.NoError(t, err, "bank %s", want.ID) {
			same(t, want, got, "bank "+want.ID)
		}
	}
	_, err := s.Bank(h.ctx, "missing")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "Bank of a missing id")
}

func testMemberRoundTrip(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank")
	mk := func() []*timebank.Member {
		full := newMember("mem-full", "bank")
		full.Kind = timebank.Organisation
		full.Status = timebank.Left
		full.Trusted = true
		full.Name = "Grays Community Garden"
		full.Email = "garden@example.org"
		full.Phone = "+44 1375 000000"
		full.Ward = "Grays Riverside"
		full.MinBalance = ptr(int64(-1200))
		full.MaxBalance = ptr(int64(3000))
		full.JoinedAt = at(-30 * day)
		full.LeftAt = ptr(at(2*day + 3*time.Microsecond))
		full.ErasedAt = ptr(at(3 * day))
		full.CreatedBy = "coord-1"
		full.UpdatedAt = at(3 * day)
		full.UpdatedBy = "coord-2"
		coord := newMember("mem-coord", "bank")
		coord.Role = timebank.RoleCoordinator
		coord.Status = timebank.Paused
		zeros := newMember("mem-zeros", "bank") // pointers to zero values are not nil
		zeros.MinBalance = ptr(int64(0))
		zeros.MaxBalance = ptr(int64(0))
		return []*timebank.Member{full, coord, zeros}
	}
	h.apply(&timebank.Batch{Members: mk()})
	for _, want := range mk() {
		got, err := s.Member(h.ctx, want.ID)
		if assert.NoError(t, err, "member %s", want.ID) {
			same(t, want, got, "member "+want.ID)
		}
	}
	_, err := s.Member(h.ctx, "missing")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "Member of a missing id")
}

func testAccountRoundTrip(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.apply(&timebank.Batch{Banks: []*timebank.Bank{newBank("bank")}})
	mk := func() []*timebank.Account {
		return []*timebank.Account{
			newAccount("bank/issuing", "bank", timebank.IssuingAccount),
			newAccount("bank/pot", "bank", timebank.PotAccount),
			newAccount("mem", "bank", timebank.MemberAccount),
		}
	}
	in := mk()
	for _, a := range in { // ignored on create
		a.Balance = 500
		a.LastAt = at(day)
	}
	h.apply(&timebank.Batch{Accounts: in})
	for _, want := range mk() {
		got, err := s.Account(h.ctx, want.ID)
		if assert.NoError(t, err, "account %s", want.ID) {
			same(t, want, got, "account "+want.ID)
			assert.True(t, got.LastAt.IsZero(), "account %s: LastAt of an account with no postings is zero, got %s", want.ID, got.LastAt)
		}
	}
	_, err := s.Account(h.ctx, "missing")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "Account of a missing id")

	// Accounts are only created: an existing id is a conflict.
	again := newAccount("mem", "bank", timebank.PotAccount)
	err = s.Apply(h.ctx, &timebank.Batch{Accounts: []*timebank.Account{again}})
	assert.ErrorIs(t, err, timebank.ErrConflict, "creating an account whose id exists")
	got, err := s.Account(h.ctx, "mem")
	if assert.NoError(t, err) {
		assert.Equal(t, timebank.MemberAccount, got.Kind, "a refused create changed the account")
	}
}

func testListingRoundTrip(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "mem")
	mk := func() []*timebank.Listing {
		offer := newListing("lst-offer", "bank", "mem")
		offer.UpdatedAt = at(time.Hour + time.Microsecond)
		request := newListing("lst-request", "bank", "mem")
		request.Kind = timebank.Request
		request.Category = "lifts"
		request.Title = "A lift to Basildon hospital"
		request.Description = "Tuesdays, 9am"
		request.Open = false
		request.UpdatedBy = "coord"
		return []*timebank.Listing{offer, request}
	}
	h.apply(&timebank.Batch{Listings: mk()})
	for _, want := range mk() {
		got, err := s.Listing(h.ctx, want.ID)
		if assert.NoError(t, err, "listing %s", want.ID) {
			same(t, want, got, "listing "+want.ID)
		}
	}
	_, err := s.Listing(h.ctx, "missing")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "Listing of a missing id")
}

func testExchangeRoundTrip(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "giver", "receiver")
	h.apply(&timebank.Batch{Listings: []*timebank.Listing{newListing("lst", "bank", "giver")}})
	mk := func() []*timebank.Exchange {
		full := newExchange("ex-full", "bank", "giver", "receiver", 90, at(-day))
		full.Category = "befriending"
		full.Listing = "lst"
		full.Status = timebank.Reversed
		full.GiverConfirmed = &timebank.Stamp{By: "giver", At: at(-day + time.Hour)}
		full.ReceiverConfirmed = &timebank.Stamp{By: "receiver", At: at(-day + 2*time.Hour + 5*time.Microsecond)}
		full.Approved = &timebank.Stamp{By: "coord", At: at(0)}
		full.Transfer = "tr-paid"
		full.Reversal = "tr-reversed"
		full.Reason = "recorded twice"
		full.CreatedBy = "receiver"
		full.UpdatedAt = at(day)
		full.UpdatedBy = "coord"
		bare := newExchange("ex-bare", "bank", "receiver", "giver", 15, at(0))
		bare.Category = ""
		bare.Description = ""
		return []*timebank.Exchange{full, bare}
	}
	h.apply(&timebank.Batch{Exchanges: mk()})
	for _, want := range mk() {
		got, err := s.Exchange(h.ctx, want.ID)
		if assert.NoError(t, err, "exchange %s", want.ID) {
			same(t, want, got, "exchange "+want.ID)
		}
	}
	_, err := s.Exchange(h.ctx, "missing")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "Exchange of a missing id")
}

func testTransferRoundTrip(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c", "d")
	mk := func() []*timebank.Transfer {
		// Postings deliberately not in account order: their order is kept.
		group := newTransfer("tr-group", "bank", timebank.KindGroup, at(time.Hour+time.Microsecond),
			post("d", 60), post("a", -120), post("c", 60))
		group.Actor = "coord"
		group.Exchange = "ex-1"
		group.Memo = "litter pick, 2 hours"
		reversal := newTransfer("tr-reversal", "bank", timebank.KindReversal, at(2*time.Hour),
			post("c", -60), post("a", 120), post("d", -60))
		reversal.Reverses = "tr-group"
		reversal.Memo = ""
		return []*timebank.Transfer{group, reversal}
	}
	h.apply(&timebank.Batch{Transfers: mk()})
	for _, want := range mk() {
		got, err := s.Transfer(h.ctx, want.ID)
		if assert.NoError(t, err, "transfer %s", want.ID) {
			same(t, want, got, "transfer "+want.ID)
		}
	}
	_, err := s.Transfer(h.ctx, "missing")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "Transfer of a missing id")
}

func testEventRoundTrip(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	mk := func() []timebank.Event {
		return []timebank.Event{
			{Bank: "bank", At: at(time.Microsecond), Actor: "coord", Action: "member.erase", Subject: "mem-1", Note: "on request"},
			{Bank: "bank", At: at(time.Second), Actor: "mem-2", Action: "exchange.confirm", Subject: "ex-1"},
		}
	}
	h.apply(&timebank.Batch{Events: mk()})
	got, err := s.Events(h.ctx, timebank.EventFilter{})
	require.NoError(t, err)
	want := mk()
	if assert.Len(t, got, len(want)) {
		for i := range want {
			want[i].Seq = got[i].Seq // assigned by the store
		}
		same(t, want, got, "events")
	}
}

func testReceiptRoundTrip(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	want := &timebank.Receipt{Key: "key-1", Hash: "sha256:abc", Result: "ex-42", At: at(3*time.Second + 9*time.Microsecond)}
	h.apply(&timebank.Batch{Key: want.Key, Hash: want.Hash, Result: want.Result, At: want.At})
	got, err := s.Receipt(h.ctx, "key-1")
	if assert.NoError(t, err) {
		same(t, want, got, "receipt")
	}
	_, err = s.Receipt(h.ctx, "key-2")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "Receipt of an unknown key")
}

// versioned describes one kind of versioned record for testUpdateVersions.
type versioned struct {
	kind string
	// batch returns a batch writing record id at version, labelled label.
	batch func(id string, version int64, label string) *timebank.Batch
	// read returns the stored record's label and version.
	read func(ctx context.Context, s timebank.Store, id string) (string, int64, error)
}

func versionedKinds() []versioned {
	return []versioned{
		{
			kind: "bank",
			batch: func(id string, v int64, label string) *timebank.Batch {
				b := newBank(id)
				b.Name, b.Version = label, v
				return &timebank.Batch{Banks: []*timebank.Bank{b}}
			},
			read: func(ctx context.Context, s timebank.Store, id string) (string, int64, error) {
				b, err := s.Bank(ctx, id)
				if err != nil {
					return "", 0, err
				}
				return b.Name, b.Version, nil
			},
		},
		{
			kind: "member",
			batch: func(id string, v int64, label string) *timebank.Batch {
				m := newMember(id, "bank")
				m.Name, m.Version = label, v
				return &timebank.Batch{Members: []*timebank.Member{m}}
			},
			read: func(ctx context.Context, s timebank.Store, id string) (string, int64, error) {
				m, err := s.Member(ctx, id)
				if err != nil {
					return "", 0, err
				}
				return m.Name, m.Version, nil
			},
		},
		{
			kind: "listing",
			batch: func(id string, v int64, label string) *timebank.Batch {
				l := newListing(id, "bank", "giver")
				l.Title, l.Version = label, v
				return &timebank.Batch{Listings: []*timebank.Listing{l}}
			},
			read: func(ctx context.Context, s timebank.Store, id string) (string, int64, error) {
				l, err := s.Listing(ctx, id)
				if err != nil {
					return "", 0, err
				}
				return l.Title, l.Version, nil
			},
		},
		{
			kind: "exchange",
			batch: func(id string, v int64, label string) *timebank.Batch {
				e := newExchange(id, "bank", "giver", "receiver", 60, at(0))
				e.Description, e.Version = label, v
				return &timebank.Batch{Exchanges: []*timebank.Exchange{e}}
			},
			read: func(ctx context.Context, s timebank.Store, id string) (string, int64, error) {
				e, err := s.Exchange(ctx, id)
				if err != nil {
					return "", 0, err
				}
				return e.Description, e.Version, nil
			},
		},
	}
}

// testUpdateVersions checks, for banks, members, listings and exchanges:
// Version 1 creates and an existing id is ErrConflict; Version n replaces
// Version n-1, anything else is ErrConflict, and a missing record is
// ErrNotFound.
func testUpdateVersions(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "giver", "receiver")
	for _, k := range versionedKinds() {
		id := k.kind + "-x"
		expect := func(step, label string, version int64) {
			t.Helper()
			gotLabel, gotVersion, err := k.read(h.ctx, s, id)
			if assert.NoError(t, err, "%s: %s", k.kind, step) {
				assert.Equal(t, label, gotLabel, "%s: %s", k.kind, step)
				assert.Equal(t, version, gotVersion, "%s: %s: Version", k.kind, step)
			}
		}
		apply := func(v int64, label string) error { return s.Apply(h.ctx, k.batch(id, v, label)) }

		if !assert.NoError(t, apply(1, "one"), "%s: create with Version 1", k.kind) {
			continue
		}
		expect("after create", "one", 1)
		assert.ErrorIs(t, apply(1, "again"), timebank.ErrConflict, "%s: create with Version 1 when the id exists", k.kind)
		expect("after a refused create", "one", 1)
		assert.NoError(t, apply(2, "two"), "%s: update Version 1 to 2", k.kind)
		expect("after update to Version 2", "two", 2)
		assert.ErrorIs(t, apply(2, "stale"), timebank.ErrConflict, "%s: update with a stale Version", k.kind)
		expect("after a stale update", "two", 2)
		assert.ErrorIs(t, apply(4, "ahead"), timebank.ErrConflict, "%s: update skipping a Version", k.kind)
		expect("after an update skipping a Version", "two", 2)
		assert.NoError(t, apply(3, "three"), "%s: update Version 2 to 3", k.kind)
		expect("after update to Version 3", "three", 3)

		err := s.Apply(h.ctx, k.batch(k.kind+"-missing", 2, "ghost"))
		assert.ErrorIs(t, err, timebank.ErrNotFound, "%s: update of a missing record", k.kind)
		_, _, err = k.read(h.ctx, s, k.kind+"-missing")
		assert.ErrorIs(t, err, timebank.ErrNotFound, "%s: a refused update of a missing record created it", k.kind)
	}
}

// testSameBatchOrder checks that a batch is written in its documented
// order: records and accounts created in a batch can be posted to by the
// same batch's transfers.
func testSameBatchOrder(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	b := bankBatch(newBank("bank"), "a", "c")
	b.Listings = []*timebank.Listing{newListing("lst", "bank", "a")}
	b.Exchanges = []*timebank.Exchange{newExchange("ex", "bank", "a", "c", 60, at(0))}
	b.Transfers = []*timebank.Transfer{
		newTransfer("tr-issue", "bank", timebank.KindIssue, at(0), post("bank/issuing", -120), post("a", 120)),
		pay("tr-pay", "bank", "a", "c", 60, at(time.Minute)),
	}
	b.Bounds = map[string]timebank.Bounds{"a": {Min: ptr(int64(0))}}
	b.Events = []timebank.Event{{Bank: "bank", At: at(0), Actor: "coord", Action: "bank.create", Subject: "bank"}}
	h.apply(b)
	assert.Equal(t, []int64{60, 60, -120}, h.balances("a", "c", "bank/issuing"))
	_, err := s.Exchange(h.ctx, "ex")
	assert.NoError(t, err)
	_, err = s.Listing(h.ctx, "lst")
	assert.NoError(t, err)
	_, err = s.Member(h.ctx, "c")
	assert.NoError(t, err)
}

// testIsolation checks that a caller cannot change stored state by
// changing what it passed to Apply or got from a read.
func testIsolation(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	bk := newBank("bank")
	bk.MaxBalance = ptr(int64(600))
	m := newMember("a", "bank")
	m.MinBalance = ptr(int64(-60))
	m.LeftAt = ptr(at(day))
	ex := newExchange("ex", "bank", "a", "c", 60, at(0))
	ex.Approved = &timebank.Stamp{By: "coord", At: at(0)}
	b := bankBatch(bk, "c")
	b.Members = append(b.Members, m)
	b.Accounts = append(b.Accounts, newAccount("a", "bank", timebank.MemberAccount))
	b.Exchanges = []*timebank.Exchange{ex}
	tr := pay("tr", "bank", "a", "c", 60, at(time.Hour))
	b.Transfers = []*timebank.Transfer{tr}
	h.apply(b)

	// Change what went in.
	bk.Name = "changed"
	*bk.MaxBalance = 1
	*m.MinBalance = 1
	*m.LeftAt = at(99 * day)
	ex.Approved.By = "changed"
	tr.Postings[0].Amount = -1
	tr.Postings[1].Amount = 1

	check := func(when string) {
		t.Helper()
		gb, err := s.Bank(h.ctx, "bank")
		if assert.NoError(t, err) && assert.NotNil(t, gb.MaxBalance) {
			assert.Equal(t, "Bank bank", gb.Name, when)
			assert.Equal(t, int64(600), *gb.MaxBalance, when)
		}
		gm, err := s.Member(h.ctx, "a")
		if assert.NoError(t, err) && assert.NotNil(t, gm.MinBalance) && assert.NotNil(t, gm.LeftAt) {
			assert.Equal(t, int64(-60), *gm.MinBalance, when)
			assert.True(t, at(day).Equal(*gm.LeftAt), when)
		}
		ge, err := s.Exchange(h.ctx, "ex")
		if assert.NoError(t, err) && assert.NotNil(t, ge.Approved) {
			assert.Equal(t, "coord", ge.Approved.By, when)
		}
		gt, err := s.Transfer(h.ctx, "tr")
		if assert.NoError(t, err) {
			assert.Equal(t, []timebank.Posting{post("a", -60), post("c", 60)}, gt.Postings, when)
		}
	}
	check("after changing the records given to Apply")

	// Change what came out.
	if gb, err := s.Bank(h.ctx, "bank"); err == nil && gb.MaxBalance != nil {
		*gb.MaxBalance = 2
		gb.Name = "changed"
	}
	if gm, err := s.Member(h.ctx, "a"); err == nil && gm.MinBalance != nil && gm.LeftAt != nil {
		*gm.MinBalance = 2
		*gm.LeftAt = at(98 * day)
	}
	if ge, err := s.Exchange(h.ctx, "ex"); err == nil && ge.Approved != nil {
		ge.Approved.By = "changed"
	}
	if gt, err := s.Transfer(h.ctx, "tr"); err == nil && len(gt.Postings) == 2 {
		gt.Postings[0].Amount = -2
		gt.Postings[1] = post("x", 2)
	}
	check("after changing the records a read returned")
}

// testEmptyBatch checks that an empty batch is accepted and that a batch
// holding only a key records its receipt.
func testEmptyBatch(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	assert.NoError(t, s.Apply(h.ctx, &timebank.Batch{}), "an empty batch")
	assert.NoError(t, s.Apply(h.ctx, &timebank.Batch{Key: "k", Hash: "h", At: at(0)}), "a batch with only a key")
	r, err := s.Receipt(h.ctx, "k")
	if assert.NoError(t, err) {
		assert.Equal(t, "h", r.Hash)
		assert.Empty(t, r.Result)
	}
	evs, err := s.Events(h.ctx, timebank.EventFilter{})
	assert.NoError(t, err)
	assert.Empty(t, evs)
}
