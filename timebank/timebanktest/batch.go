package timebanktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
)

// goodBatch returns a batch that writes something of every kind: a bank,
// a new member and its account, an update of member "old", a listing, an
// exchange, two transfers (one to the new account), two events and a
// receipt. Its ids end in sfx.
func goodBatch(sfx string) *timebank.Batch {
	old := newMember("old", "bank")
	old.Name, old.Version = "updated "+sfx, 2
	return &timebank.Batch{
		Banks:     []*timebank.Bank{newBank("nb-" + sfx)},
		Members:   []*timebank.Member{newMember("nm-"+sfx, "bank"), old},
		Accounts:  []*timebank.Account{newAccount("nm-"+sfx, "bank", timebank.MemberAccount)},
		Listings:  []*timebank.Listing{newListing("nl-"+sfx, "bank", "nm-"+sfx)},
		Exchanges: []*timebank.Exchange{newExchange("ne-"+sfx, "bank", "a", "nm-"+sfx, 60, at(day))},
		Transfers: []*timebank.Transfer{
			pay("nt-"+sfx, "bank", "a", "nm-"+sfx, 60, at(day)),
			pay("nt2-"+sfx, "bank", "a", "c", 30, at(day)),
		},
		Bounds: map[string]timebank.Bounds{"a": {Min: ptr(int64(-10_000))}},
		Events: []timebank.Event{
			{Bank: "bank", At: at(day), Actor: "coord", Action: "member.join", Subject: "nm-" + sfx},
			{Bank: "bank", At: at(day), Actor: "coord", Action: "exchange.record", Subject: "ne-" + sfx},
		},
		Key:    "key-" + sfx,
		Hash:   "hash-" + sfx,
		Result: "nm-" + sfx,
		At:     at(day),
	}
}

// nothingOf checks that nothing of goodBatch(sfx) was written.
func (h *h) nothingOf(sfx, why string, balances []int64, events int) {
	h.t.Helper()
	t, s, ctx := h.t, h.s, h.ctx
	_, err := s.Bank(ctx, "nb-"+sfx)
	assert.ErrorIs(t, err, timebank.ErrNotFound, "bank written although %s", why)
	_, err = s.Member(ctx, "nm-"+sfx)
	assert.ErrorIs(t, err, timebank.ErrNotFound, "member written although %s", why)
	old, err := s.Member(ctx, "old")
	if assert.NoError(t, err) {
		assert.Equal(t, int64(1), old.Version, "member updated although %s", why)
		assert.Equal(t, "Member old", old.Name, "member updated although %s", why)
	}
	_, err = s.Account(ctx, "nm-"+sfx)
	assert.ErrorIs(t, err, timebank.ErrNotFound, "account written although %s", why)
	_, err = s.Listing(ctx, "nl-"+sfx)
	assert.ErrorIs(t, err, timebank.ErrNotFound, "listing written although %s", why)
	_, err = s.Exchange(ctx, "ne-"+sfx)
	assert.ErrorIs(t, err, timebank.ErrNotFound, "exchange written although %s", why)
	h.noTransfer("nt-"+sfx, why)
	h.noTransfer("nt2-"+sfx, why)
	assert.Equal(t, balances, h.balances("a", "c", "d", "bank/issuing"), "balances changed although %s", why)
	evs, err := s.Events(ctx, timebank.EventFilter{})
	if assert.NoError(t, err) {
		assert.Len(t, evs, events, "events written although %s", why)
	}
	for _, key := range []string{"key-" + sfx} {
		_, err = s.Receipt(ctx, key)
		assert.ErrorIs(t, err, timebank.ErrNotFound, "receipt written although %s", why)
	}
	ents, err := s.Entries(ctx, timebank.EntryFilter{Account: "a"})
	if assert.NoError(t, err) {
		assert.Len(t, ents, 1, "entries written although %s", why)
	}
}

// testAtomicity checks that a batch failing for any reason writes nothing
// of itself: not the records before the bad one, not its events nor its
// receipt.
func testAtomicity(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	setup := bankBatch(newBank("bank"), "a", "c", "d", "old")
	setup.Listings = []*timebank.Listing{newListing("old-lst", "bank", "a")}
	setup.Exchanges = []*timebank.Exchange{newExchange("old-ex", "bank", "a", "c", 60, at(0))}
	setup.Transfers = []*timebank.Transfer{
		newTransfer("fund-a", "bank", timebank.KindIssue, at(0), post("bank/issuing", -1000), post("a", 1000)),
		newTransfer("fund-c", "bank", timebank.KindIssue, at(0), post("bank/issuing", -100), post("c", 100)),
		newTransfer("fund-d", "bank", timebank.KindIssue, at(2*day), post("bank/issuing", -100), post("d", 100)),
	}
	setup.Events = []timebank.Event{{Bank: "bank", At: at(0), Action: "bank.create", Subject: "bank"}}
	setup.Key = "used"
	h.apply(setup)
	balances := h.balances("a", "c", "d", "bank/issuing")
	require.Equal(t, []int64{1000, 100, 100, -1200}, balances)

	cases := []struct {
		name  string
		spoil func(b *timebank.Batch)
		want  error
	}{
		{"a posting to a missing account", func(b *timebank.Batch) {
			b.Transfers = append(b.Transfers, pay("bad", "bank", "a", "ghost", 10, at(day)))
		}, timebank.ErrNotFound},
		{"a malformed transfer", func(b *timebank.Batch) {
			b.Transfers = append(b.Transfers, pay("bad", "bank", "a", "a", 10, at(day)))
		}, timebank.ErrInvalid},
		{"a transfer breaking Bounds", func(b *timebank.Batch) {
			b.Transfers = append(b.Transfers, pay("bad", "bank", "c", "a", 10_000, at(day)))
			b.Bounds["c"] = timebank.Bounds{Min: ptr(int64(0))}
		}, timebank.ErrInsufficientCredit},
		{"a transfer going back in time", func(b *timebank.Batch) {
			b.Transfers = append(b.Transfers, pay("bad", "bank", "d", "c", 10, at(day)))
		}, timebank.ErrConflict},
		{"a transfer id that exists", func(b *timebank.Batch) {
			b.Transfers = append(b.Transfers, pay("fund-c", "bank", "a", "c", 10, at(day)))
		}, timebank.ErrConflict},
		{"a member id that exists", func(b *timebank.Batch) {
			b.Members = append(b.Members, newMember("d", "bank"))
		}, timebank.ErrConflict},
		{"an account id that exists", func(b *timebank.Batch) {
			b.Accounts = append(b.Accounts, newAccount("d", "bank", timebank.MemberAccount))
		}, timebank.ErrConflict},
		{"a stale exchange update", func(b *timebank.Batch) {
			e := newExchange("old-ex", "bank", "a", "c", 60, at(0))
			e.Version = 3
			b.Exchanges = append(b.Exchanges, e)
		}, timebank.ErrConflict},
		{"a stale listing update", func(b *timebank.Batch) {
			l := newListing("old-lst", "bank", "a")
			b.Listings = append(b.Listings, l) // Version 1 again
		}, timebank.ErrConflict},
		{"an update of a missing bank", func(b *timebank.Batch) {
			bk := newBank("ghost-bank")
			bk.Version = 2
			b.Banks = append(b.Banks, bk)
		}, timebank.ErrNotFound},
		{"an idempotency key already used", func(b *timebank.Batch) {
			b.Key = "used"
		}, timebank.ErrDuplicateKey},
	}
	for i, c := range cases {
		sfx := string(rune('a' + i))
		b := goodBatch(sfx)
		c.spoil(b)
		err := s.Apply(h.ctx, b)
		assert.ErrorIs(t, err, c.want, "a batch with %s", c.name)
		h.nothingOf(sfx, "the batch had "+c.name, balances, 1)
	}

	// The store still takes a good batch.
	h.apply(goodBatch("ok"))
	assert.Equal(t, []int64{910, 130, 100, -1200}, h.balances("a", "c", "d", "bank/issuing"))
	_, err := s.Member(h.ctx, "nm-ok")
	assert.NoError(t, err)
	r, err := s.Receipt(h.ctx, "key-ok")
	if assert.NoError(t, err) {
		assert.Equal(t, "nm-ok", r.Result)
	}
}

func testIdempotency(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c", "d", "old")
	h.fund("bank", "a", 1000, at(0))
	balances := h.balances("a", "c", "d", "bank/issuing")

	first := goodBatch("1")
	h.apply(first)
	after := h.balances("a", "c", "d", "bank/issuing")
	evs, err := s.Events(h.ctx, timebank.EventFilter{})
	require.NoError(t, err)
	events := len(evs)

	// The same key with another request.
	second := goodBatch("2")
	second.Key = first.Key
	second.Members = second.Members[:1] // not the update of "old", already done
	err = s.Apply(h.ctx, second)
	assert.ErrorIs(t, err, timebank.ErrDuplicateKey, "a batch whose key is recorded")
	_, err = s.Member(h.ctx, "nm-2")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "a refused batch wrote its member")
	h.noTransfer("nt-2", "its batch's key was recorded already")
	assert.Equal(t, after, h.balances("a", "c", "d", "bank/issuing"), "a refused batch moved balances")
	evs, err = s.Events(h.ctx, timebank.EventFilter{})
	if assert.NoError(t, err) {
		assert.Len(t, evs, events, "a refused batch wrote its events")
	}
	r, err := s.Receipt(h.ctx, first.Key)
	if assert.NoError(t, err) {
		same(t, &timebank.Receipt{Key: "key-1", Hash: "hash-1", Result: "nm-1", At: at(day)}, r, "receipt after a refused reuse of its key")
	}

	// The very same batch again (a retry): the key answers, not the ids.
	err = s.Apply(h.ctx, goodBatch("1"))
	assert.ErrorIs(t, err, timebank.ErrDuplicateKey, "a retry of a recorded batch is a duplicate key, whatever else it holds")

	// Another key is another request.
	third := goodBatch("3")
	third.Members = third.Members[:1]
	assert.NoError(t, s.Apply(h.ctx, third), "a batch with a new key")
	_, err = s.Receipt(h.ctx, "key-3")
	assert.NoError(t, err)
	// Without a key, nothing is recorded and nothing is refused.
	fourth := goodBatch("4")
	fourth.Members = fourth.Members[:1]
	fourth.Key = ""
	assert.NoError(t, s.Apply(h.ctx, fourth), "a batch without a key")
	_, err = s.Receipt(h.ctx, "key-4")
	assert.ErrorIs(t, err, timebank.ErrNotFound)
	assert.Equal(t, balances[0]-3*90, h.balance("a"))
}

func testEvents(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	ev := func(bank, subject, action string, seq int64) timebank.Event {
		return timebank.Event{Seq: seq, Bank: bank, At: at(time.Minute), Actor: "coord", Action: action, Subject: subject, Note: "note " + action}
	}
	// Seq given by the caller is ignored: the store assigns it.
	h.apply(&timebank.Batch{Events: []timebank.Event{ev("b", "x", "e1", 100), ev("b", "y", "e2", 50)}})
	h.apply(&timebank.Batch{Events: []timebank.Event{ev("m", "x", "e3", 1)}})
	h.apply(&timebank.Batch{Events: []timebank.Event{ev("b", "x", "e4", 0), ev("m", "z", "e5", -7), ev("b", "y", "e6", 0)}})

	actions := func(evs []timebank.Event) []string {
		out := make([]string, 0, len(evs))
		for _, e := range evs {
			out = append(out, e.Action)
		}
		return out
	}
	all, err := s.Events(h.ctx, timebank.EventFilter{})
	require.NoError(t, err)
	assert.Equal(t, []string{"e1", "e2", "e3", "e4", "e5", "e6"}, actions(all), "events in apply order")
	for i := 1; i < len(all); i++ {
		assert.Greater(t, all[i].Seq, all[i-1].Seq, "Seq of %s after %s", all[i].Action, all[i-1].Action)
	}
	if len(all) == 6 {
		want := ev("m", "z", "e5", all[4].Seq)
		same(t, want, all[4], "event e5")
	}
	seqOf := map[string]int64{}
	for _, e := range all {
		seqOf[e.Action] = e.Seq
	}

	filters := []struct {
		f    timebank.EventFilter
		want []string
	}{
		{timebank.EventFilter{Bank: "b"}, []string{"e1", "e2", "e4", "e6"}},
		{timebank.EventFilter{Subject: "x"}, []string{"e1", "e3", "e4"}},
		{timebank.EventFilter{Bank: "b", Subject: "x"}, []string{"e1", "e4"}},
		{timebank.EventFilter{Bank: "m", Subject: "y"}, nil},
		{timebank.EventFilter{Bank: "none"}, nil},
	}
	for _, c := range filters {
		got, err := s.Events(h.ctx, c.f)
		if !assert.NoError(t, err, "%+v", c.f) {
			continue
		}
		if len(c.want) == 0 {
			assert.Empty(t, got, "%+v", c.f)
			continue
		}
		assert.Equal(t, c.want, actions(got), "%+v", c.f)
		for _, e := range got {
			assert.Equal(t, seqOf[e.Action], e.Seq, "%+v: Seq of %s", c.f, e.Action)
		}
	}
	checkPaging(t, "Events", actions(all), func(offset, limit int) ([]string, error) {
		evs, err := s.Events(h.ctx, timebank.EventFilter{Offset: offset, Limit: limit})
		return actions(evs), err
	})
	checkPaging(t, "Events of bank b", []string{"e1", "e2", "e4", "e6"}, func(offset, limit int) ([]string, error) {
		evs, err := s.Events(h.ctx, timebank.EventFilter{Bank: "b", Offset: offset, Limit: limit})
		return actions(evs), err
	})
}

// testNilRecords checks that a batch holding a nil record, or a record
// with a Version below 1, is refused with ErrInvalid, writes nothing and
// does not upset the store.
func testNilRecords(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c")
	cases := map[string]*timebank.Batch{
		"a nil bank":         {Banks: []*timebank.Bank{nil}},
		"a nil member":       {Members: []*timebank.Member{newMember("m-new", "bank"), nil}},
		"a nil account":      {Accounts: []*timebank.Account{nil}},
		"a nil listing":      {Listings: []*timebank.Listing{nil}},
		"a nil exchange":     {Exchanges: []*timebank.Exchange{nil}},
		"a nil transfer":     {Transfers: []*timebank.Transfer{pay("tr-ok", "bank", "a", "c", 10, at(0)), nil}},
		"a member version 0": {Members: []*timebank.Member{func() *timebank.Member { m := newMember("m-zero", "bank"); m.Version = 0; return m }()}},
		"a bank version -1":  {Banks: []*timebank.Bank{func() *timebank.Bank { b := newBank("b-neg"); b.Version = -1; return b }()}},
	}
	for name, b := range cases {
		err := s.Apply(h.ctx, b)
		assert.ErrorIs(t, err, timebank.ErrInvalid, name)
	}
	for _, id := range []string{"m-new", "m-zero"} {
		_, err := s.Member(h.ctx, id)
		assert.ErrorIs(t, err, timebank.ErrNotFound, "%s was written by a refused batch", id)
	}
	_, err := s.Transfer(h.ctx, "tr-ok")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "the good transfer of a refused batch was written")
	// The store still works.
	h.apply(transfers(nil, pay("tr-after", "bank", "a", "c", 10, at(0))))
	assert.Equal(t, []int64{-10, 10}, h.balances("a", "c"))
}
