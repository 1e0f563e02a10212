package timebanktest

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
)

// noTransfer checks that transfer id was not written.
func (h *h) noTransfer(id, why string) {
	h.t.Helper()
	_, err := h.s.Transfer(h.ctx, id)
	assert.ErrorIs(h.t, err, timebank.ErrNotFound, "transfer %s was written although %s", id, why)
}

// refused applies b, checks it fails with want, that transfer id was not
// written and that the accounts kept their balances.
func (h *h) refused(b *timebank.Batch, want error, why string, accounts ...string) {
	h.t.Helper()
	before := h.balances(accounts...)
	err := h.s.Apply(h.ctx, b)
	assert.ErrorIs(h.t, err, want, why)
	for _, tr := range b.Transfers {
		if tr != nil && tr.ID != "" {
			h.noTransfer(tr.ID, why)
		}
	}
	assert.Equal(h.t, before, h.balances(accounts...), "balances of %v changed although %s", accounts, why)
}

// transfers returns a batch of transfers with the given bounds.
func transfers(bounds map[string]timebank.Bounds, trs ...*timebank.Transfer) *timebank.Batch {
	return &timebank.Batch{Transfers: trs, Bounds: bounds}
}

func testTransferBalances(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c", "d")
	h.apply(bankBatch(newMiniBank("mini", "bank", "d"), "e"))
	h.fund("bank", "a", 600, at(time.Hour))
	h.apply(transfers(nil,
		pay("tr-1", "bank", "a", "c", 120, at(2*time.Hour)),
		newTransfer("tr-group", "bank", timebank.KindGroup, at(3*time.Hour), post("a", -90), post("c", 30), post("d", 60)),
	))
	h.apply(transfers(nil, newTransfer("tr-donate", "bank", timebank.KindDonation, at(4*time.Hour), post("c", -15), post("bank/pot", 15))))
	// Members of a bank and of its mini banks exchange with each other.
	h.apply(transfers(nil, pay("tr-cross", "mini", "a", "e", 45, at(5*time.Hour))))
	h.fund("mini", "e", 30, at(6*time.Hour))

	accounts := []string{"a", "c", "d", "e", "bank/issuing", "bank/pot", "mini/issuing", "mini/pot"}
	assert.Equal(t, []int64{345, 135, 60, 75, -600, 15, -30, 0}, h.balances(accounts...))
	h.sumZero("bank", "mini")

	lastAt := map[string]time.Time{
		"a": at(5 * time.Hour), "c": at(4 * time.Hour), "d": at(3 * time.Hour), "e": at(6 * time.Hour),
		"bank/issuing": at(time.Hour), "bank/pot": at(4 * time.Hour), "mini/issuing": at(6 * time.Hour),
	}
	for id, want := range lastAt {
		a, err := s.Account(h.ctx, id)
		if assert.NoError(t, err) {
			same(t, want, a.LastAt, "LastAt of "+id)
		}
	}
	pot, err := s.Account(h.ctx, "mini/pot")
	if assert.NoError(t, err) {
		assert.True(t, pot.LastAt.IsZero(), "LastAt of an account with no postings is zero")
	}
}

func testTransferMissingAccount(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c")
	h.fund("bank", "a", 100, at(0))
	h.refused(transfers(nil, pay("tr-to", "bank", "a", "ghost", 10, at(time.Hour))),
		timebank.ErrNotFound, "a posting names a missing account", "a", "c")
	h.refused(transfers(nil, pay("tr-from", "bank", "ghost", "c", 10, at(time.Hour))),
		timebank.ErrNotFound, "a posting names a missing account", "a", "c")
	h.refused(transfers(nil, newTransfer("tr-group", "bank", timebank.KindGroup, at(time.Hour), post("a", -20), post("c", 10), post("ghost", 10))),
		timebank.ErrNotFound, "the last posting names a missing account", "a", "c")
	_, err := s.Account(h.ctx, "ghost")
	assert.ErrorIs(t, err, timebank.ErrNotFound, "posting to a missing account created it")
}

func testTransferMalformed(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c")
	h.fund("bank", "a", 100, at(0))
	cases := []struct {
		name   string
		mangle func(tr *timebank.Transfer)
	}{
		{"no ID", func(tr *timebank.Transfer) { tr.ID = "" }},
		{"no Bank", func(tr *timebank.Transfer) { tr.Bank = "" }},
		{"unknown Kind", func(tr *timebank.Transfer) { tr.Kind = "gift" }},
		{"no Kind", func(tr *timebank.Transfer) { tr.Kind = "" }},
		{"one posting", func(tr *timebank.Transfer) { tr.Postings = tr.Postings[:1] }},
		{"no postings", func(tr *timebank.Transfer) { tr.Postings = nil }},
		{"zero At", func(tr *timebank.Transfer) { tr.At = time.Time{} }},
		{"reversal without Reverses", func(tr *timebank.Transfer) { tr.Kind = timebank.KindReversal }},
		{"posting without account", func(tr *timebank.Transfer) { tr.Postings[1].Account = "" }},
		{"zero amount", func(tr *timebank.Transfer) {
			tr.Postings = append(tr.Postings, post("bank/pot", 0))
		}},
		{"account twice", func(tr *timebank.Transfer) {
			tr.Postings = []timebank.Posting{post("a", -10), post("c", 5), post("c", 5)}
		}},
		{"postings do not sum to zero", func(tr *timebank.Transfer) { tr.Postings[1].Amount = 11 }},
		{"an amount beyond MaxAmount that would overflow a sum", func(tr *timebank.Transfer) {
			tr.Postings = []timebank.Posting{post("a", math.MaxInt64), post("c", math.MaxInt64), post("bank/pot", 2)}
		}},
	}
	for i, c := range cases {
		tr := pay("tr-bad-"+string(rune('a'+i)), "bank", "a", "c", 10, at(time.Hour))
		c.mangle(tr)
		require.ErrorIs(t, tr.Validate(), timebank.ErrInvalid, "%s: the case must fail Validate", c.name)
		h.refused(transfers(nil, tr), timebank.ErrInvalid, "the transfer is malformed: "+c.name, "a", "c", "bank/pot")
		// A malformed transfer after a good one in the same batch.
		good := pay("tr-good-"+string(rune('a'+i)), "bank", "a", "c", 10, at(time.Hour))
		h.refused(transfers(nil, good, tr), timebank.ErrInvalid, "a transfer in the batch is malformed: "+c.name, "a", "c", "bank/pot")
		// Nothing of the refused batch was written: its ids are free.
		assert.NoError(t, s.Apply(h.ctx, transfers(nil, good)), "%s: the good transfer of a refused batch, alone", c.name)
	}
	assert.Equal(t, []int64{100 - 10*int64(len(cases)), 10 * int64(len(cases))}, h.balances("a", "c"))
	// A nil transfer is malformed too.
	err := s.Apply(h.ctx, transfers(nil, pay("tr-ok", "bank", "a", "c", 10, at(time.Hour)), nil))
	assert.Error(t, err, "a nil transfer")
	h.noTransfer("tr-ok", "a nil transfer was in the batch")
}

func testTransferDuplicateID(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c")
	h.fund("bank", "a", 100, at(0))
	h.apply(transfers(nil, pay("tr-1", "bank", "a", "c", 10, at(time.Hour))))
	before := h.balances("a", "c")
	err := s.Apply(h.ctx, transfers(nil, pay("tr-1", "bank", "c", "a", 5, at(2*time.Hour))))
	assert.ErrorIs(t, err, timebank.ErrConflict, "a transfer id that exists")
	got, err := s.Transfer(h.ctx, "tr-1")
	if assert.NoError(t, err) {
		assert.Equal(t, []timebank.Posting{post("a", -10), post("c", 10)}, got.Postings, "a refused transfer replaced the stored one")
	}
	assert.Equal(t, before, h.balances("a", "c"), "a refused transfer moved balances")

	h.refused(transfers(nil,
		pay("tr-2", "bank", "a", "c", 10, at(2*time.Hour)),
		pay("tr-2", "bank", "c", "a", 5, at(2*time.Hour)),
	), timebank.ErrConflict, "the same transfer id is twice in one batch", "a", "c")
}

func testBoundsMin(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c", "d")
	h.fund("bank", "a", 100, at(0))
	min0 := map[string]timebank.Bounds{"a": {Min: ptr(int64(0))}}
	h.refused(transfers(min0, pay("tr-over", "bank", "a", "c", 101, at(time.Hour))),
		timebank.ErrInsufficientCredit, "the payer would go below Min", "a", "c")
	h.apply(transfers(min0, pay("tr-exact", "bank", "a", "c", 100, at(time.Hour))))
	assert.Equal(t, []int64{0, 100}, h.balances("a", "c"), "a transfer leaving the balance exactly at Min is allowed")
	h.refused(transfers(min0, pay("tr-one", "bank", "a", "c", 1, at(time.Hour))),
		timebank.ErrInsufficientCredit, "the payer would go below Min", "a", "c")

	// A negative Min lets a member owe.
	owe := map[string]timebank.Bounds{"c": {Min: ptr(int64(-60))}}
	h.apply(transfers(owe, pay("tr-owe", "bank", "c", "d", 160, at(2*time.Hour))))
	assert.Equal(t, int64(-60), h.balance("c"))
	h.refused(transfers(owe, pay("tr-owe-more", "bank", "c", "d", 15, at(2*time.Hour))),
		timebank.ErrInsufficientCredit, "the payer would go below a negative Min", "c", "d")

	// A group transfer is checked for every account it moves.
	group := newTransfer("tr-group", "bank", timebank.KindGroup, at(3*time.Hour), post("d", -100), post("a", 50), post("c", 50))
	h.refused(transfers(map[string]timebank.Bounds{"d": {Min: ptr(int64(61))}}, group),
		timebank.ErrInsufficientCredit, "one payer of a group transfer would go below Min", "a", "c", "d")
}

func testBoundsMax(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c")
	h.fund("bank", "a", 1000, at(0))
	max100 := map[string]timebank.Bounds{"c": {Max: ptr(int64(100))}, "a": {Min: ptr(int64(0))}}
	h.refused(transfers(max100, pay("tr-over", "bank", "a", "c", 101, at(time.Hour))),
		timebank.ErrInsufficientCredit, "the payee would go above Max", "a", "c")
	h.apply(transfers(max100, pay("tr-exact", "bank", "a", "c", 100, at(time.Hour))))
	assert.Equal(t, []int64{900, 100}, h.balances("a", "c"), "a transfer leaving the balance exactly at Max is allowed")
	h.refused(transfers(max100, pay("tr-one", "bank", "a", "c", 1, at(time.Hour))),
		timebank.ErrInsufficientCredit, "the payee would go above Max", "a", "c")
	// Max of the payer and Min of the payee do not limit.
	h.apply(transfers(map[string]timebank.Bounds{"a": {Max: ptr(int64(0))}, "c": {Min: ptr(int64(1000))}},
		pay("tr-limits-unused", "bank", "a", "c", 50, at(time.Hour))))
	assert.Equal(t, []int64{850, 150}, h.balances("a", "c"))
}

func testBoundsTowardsRange(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c")
	h.apply(transfers(nil, pay("tr-setup", "bank", "a", "c", 300, at(0))))
	// a is at -300, below Min 0; c is at 300, above Max 100 (the limits
	// were tightened after).
	bounds := map[string]timebank.Bounds{
		"a": {Min: ptr(int64(0)), Max: ptr(int64(100))},
		"c": {Min: ptr(int64(0)), Max: ptr(int64(100))},
	}
	h.apply(transfers(bounds, pay("tr-back", "bank", "c", "a", 50, at(time.Hour))))
	assert.Equal(t, []int64{-250, 250}, h.balances("a", "c"), "a transfer moving balances towards their range is allowed though they stay outside it")
	h.refused(transfers(bounds, pay("tr-away", "bank", "a", "c", 10, at(time.Hour))),
		timebank.ErrInsufficientCredit, "balances outside their range would move away from it", "a", "c")
	h.refused(transfers(map[string]timebank.Bounds{"c": bounds["c"]}, pay("tr-away-max", "bank", "a", "c", 10, at(time.Hour))),
		timebank.ErrInsufficientCredit, "a balance above Max would go up", "a", "c")
	h.refused(transfers(map[string]timebank.Bounds{"a": bounds["a"]}, pay("tr-away-min", "bank", "a", "c", 10, at(time.Hour))),
		timebank.ErrInsufficientCredit, "a balance below Min would go down", "a", "c")
}

func testBoundsInOrder(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c", "d")
	h.fund("bank", "c", 100, at(0))
	min0 := map[string]timebank.Bounds{"a": {Min: ptr(int64(0))}}
	// Paid, then pays: fine after each transfer.
	h.apply(transfers(min0,
		pay("tr-in", "bank", "c", "a", 50, at(time.Hour)),
		pay("tr-out", "bank", "a", "d", 50, at(time.Hour)),
	))
	assert.Equal(t, []int64{0, 50, 50}, h.balances("a", "c", "d"))
	// Pays, then is paid: below Min after the first transfer, although
	// the batch as a whole would leave a at zero.
	h.refused(transfers(min0,
		pay("tr-out-2", "bank", "a", "d", 50, at(2*time.Hour)),
		pay("tr-in-2", "bank", "c", "a", 50, at(2*time.Hour)),
	), timebank.ErrInsufficientCredit, "a transfer in the batch takes a below Min before a later one pays it", "a", "c", "d")
}

func testUnbounded(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c", "d")
	// Bounds name other accounts only: a has no limit.
	h.apply(transfers(map[string]timebank.Bounds{"d": {Min: ptr(int64(0)), Max: ptr(int64(0))}},
		pay("tr-1", "bank", "a", "c", 1_000_000, at(0))))
	h.apply(transfers(nil, pay("tr-2", "bank", "a", "c", 1_000_000_000, at(0))))
	assert.Equal(t, []int64{-1_000_000_000 - 1_000_000, 1_000_000_000 + 1_000_000}, h.balances("a", "c"))
	// An empty Bounds entry is no limit either.
	h.apply(transfers(map[string]timebank.Bounds{"c": {}, "a": {}}, pay("tr-3", "bank", "c", "a", 2_000_000_000, at(0))))
	assert.Equal(t, []int64{1_000_000_000 - 1_000_000, -1_000_000_000 + 1_000_000}, h.balances("a", "c"))
}

func testLedgerTime(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c", "d", "e", "f")
	h.apply(transfers(nil, pay("tr-1", "bank", "a", "c", 10, at(2*time.Hour))))
	all := []string{"a", "c", "d", "e", "f"}
	h.refused(transfers(nil, pay("tr-back-payer", "bank", "a", "d", 10, at(time.Hour))),
		timebank.ErrConflict, "its At is before a posting on the payer's account", all...)
	h.refused(transfers(nil, pay("tr-back-payee", "bank", "d", "c", 10, at(2*time.Hour-time.Microsecond))),
		timebank.ErrConflict, "its At is before a posting on the payee's account", all...)
	// Accounts with no later posting may take an earlier At.
	h.apply(transfers(nil, pay("tr-earlier", "bank", "d", "e", 10, at(time.Hour))))
	// An equal At is allowed.
	h.apply(transfers(nil, pay("tr-equal", "bank", "c", "a", 5, at(2*time.Hour))))
	assert.Equal(t, []int64{-5, 5, -10, 10, 0}, h.balances(all...))
	// Going back within one batch.
	h.refused(transfers(nil,
		pay("tr-later", "bank", "e", "f", 1, at(3*time.Hour)),
		pay("tr-sooner", "bank", "f", "d", 1, at(3*time.Hour-time.Microsecond)),
	), timebank.ErrConflict, "a later transfer in the batch goes back on an account", all...)
	// The issuing account is one account: issues go forward in time too.
	h.fund("bank", "a", 60, at(5*time.Hour))
	h.refused(&timebank.Batch{Transfers: []*timebank.Transfer{
		newTransfer("tr-issue-back", "bank", timebank.KindIssue, at(4*time.Hour), post("bank/issuing", -60), post("f", 60)),
	}}, timebank.ErrConflict, "its At is before a posting on the issuing account", append(all, "bank/issuing")...)
}

func testBalanceAt(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c", "quiet")
	t1, t2, t3 := at(time.Hour), at(2*time.Hour), at(3*time.Hour)
	h.fund("bank", "a", 600, t1)
	h.apply(transfers(nil, pay("tr-2a", "bank", "a", "c", 60, t2)))
	h.apply(transfers(nil, pay("tr-2b", "bank", "a", "c", 30, t2))) // same At, another batch
	h.apply(transfers(nil, pay("tr-3", "bank", "c", "a", 15, t3)))

	cases := []struct {
		account string
		when    time.Time
		want    int64
		what    string
	}{
		{"a", at(-365 * day), 0, "long before the first posting"},
		{"a", t1.Add(-time.Microsecond), 0, "just before the first posting"},
		{"a", t1, 600, "exactly at the first posting"},
		{"a", at(90 * time.Minute), 600, "between postings"},
		{"a", t2.Add(-time.Microsecond), 600, "just before two postings with the same At"},
		{"a", t2, 510, "exactly at two postings with the same At"},
		{"a", t3.Add(-time.Microsecond), 510, "just before the last posting"},
		{"a", t3, 525, "exactly at the last posting"},
		{"a", at(10 * day), 525, "after the last posting"},
		{"c", t1, 0, "before the account's first posting"},
		{"c", t2, 90, "at the account's first postings"},
		{"c", at(1000 * day), 75, "long after"},
		{"bank/issuing", t1, -600, "the issuing account"},
		{"quiet", at(day), 0, "an account with no postings"},
	}
	for _, c := range cases {
		got, err := s.BalanceAt(h.ctx, c.account, c.when)
		if assert.NoError(t, err, "BalanceAt %s %s", c.account, c.what) {
			assert.Equal(t, c.want, got, "BalanceAt %s %s", c.account, c.what)
		}
	}
	_, err := s.BalanceAt(h.ctx, "missing", at(0))
	assert.ErrorIs(t, err, timebank.ErrNotFound, "BalanceAt of a missing account")
}

func testEntries(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("bank", "a", "c", "d", "quiet")
	t1, t2, t3, t4 := at(time.Hour), at(2*time.Hour), at(3*time.Hour), at(4*time.Hour)
	fund := newTransfer("e-1", "bank", timebank.KindIssue, t1, post("bank/issuing", -600), post("a", 600))
	fund.Memo = "volunteering at the library"
	// Two transfers with the same At in one batch, ids not in apply order:
	// ledger order is At, then the order they were applied.
	z := pay("e-2z", "bank", "a", "c", 60, t2)
	y := pay("e-2y", "bank", "c", "a", 15, t2)
	y.Memo = ""
	h.apply(transfers(nil, fund))
	h.apply(transfers(nil, z, y))
	h.apply(transfers(nil, newTransfer("e-0", "bank", timebank.KindDonation, t3, post("a", -100), post("bank/pot", 100))))
	h.apply(transfers(nil, pay("e-4", "bank", "a", "d", 5, t4)))

	want := []timebank.Entry{
		{Transfer: "e-1", Account: "a", Kind: timebank.KindIssue, Amount: 600, Balance: 600, At: t1, Memo: "volunteering at the library"},
		{Transfer: "e-2z", Account: "a", Kind: timebank.KindExchange, Amount: -60, Balance: 540, At: t2, Memo: "memo e-2z"},
		{Transfer: "e-2y", Account: "a", Kind: timebank.KindExchange, Amount: 15, Balance: 555, At: t2},
		{Transfer: "e-0", Account: "a", Kind: timebank.KindDonation, Amount: -100, Balance: 455, At: t3, Memo: "memo e-0"},
		{Transfer: "e-4", Account: "a", Kind: timebank.KindExchange, Amount: -5, Balance: 450, At: t4, Memo: "memo e-4"},
	}
	got, err := s.Entries(h.ctx, timebank.EntryFilter{Account: "a"})
	if assert.NoError(t, err) {
		same(t, want, got, "entries of a")
	}
	gotC, err := s.Entries(h.ctx, timebank.EntryFilter{Account: "c"})
	if assert.NoError(t, err) {
		same(t, []timebank.Entry{
			{Transfer: "e-2z", Account: "c", Kind: timebank.KindExchange, Amount: 60, Balance: 60, At: t2, Memo: "memo e-2z"},
			{Transfer: "e-2y", Account: "c", Kind: timebank.KindExchange, Amount: -15, Balance: 45, At: t2},
		}, gotC, "entries of c")
	}

	transfersOf := func(es []timebank.Entry) []string {
		out := make([]string, 0, len(es))
		for _, e := range es {
			out = append(out, e.Transfer)
		}
		return out
	}
	filters := []struct {
		name     string
		from, to *time.Time
		want     []string
	}{
		{"From at a posting (included)", &t2, nil, []string{"e-2z", "e-2y", "e-0", "e-4"}},
		{"From just after a posting", ptr(t2.Add(time.Microsecond)), nil, []string{"e-0", "e-4"}},
		{"To at a posting (excluded)", nil, &t3, []string{"e-1", "e-2z", "e-2y"}},
		{"To just after a posting", nil, ptr(t3.Add(time.Microsecond)), []string{"e-1", "e-2z", "e-2y", "e-0"}},
		{"From and To", &t2, &t4, []string{"e-2z", "e-2y", "e-0"}},
		{"From equal to To", &t2, &t2, nil},
		{"before everything", nil, &t1, nil},
		{"after everything", ptr(t4.Add(time.Microsecond)), nil, nil},
	}
	for _, f := range filters {
		got, err := s.Entries(h.ctx, timebank.EntryFilter{Account: "a", From: f.from, To: f.to})
		if assert.NoError(t, err, f.name) {
			if len(f.want) == 0 {
				assert.Empty(t, got, f.name)
			} else {
				assert.Equal(t, f.want, transfersOf(got), f.name)
			}
		}
	}
	// Running balances stay those of the whole statement when filtered.
	got, err = s.Entries(h.ctx, timebank.EntryFilter{Account: "a", From: &t3})
	if assert.NoError(t, err) && assert.Len(t, got, 2) {
		assert.Equal(t, int64(455), got[0].Balance, "Balance of a filtered entry")
	}

	checkPaging(t, "Entries", transfersOf(want), func(offset, limit int) ([]string, error) {
		es, err := s.Entries(h.ctx, timebank.EntryFilter{Account: "a", Offset: offset, Limit: limit})
		return transfersOf(es), err
	})
	checkPaging(t, "Entries From t2", []string{"e-2z", "e-2y", "e-0", "e-4"}, func(offset, limit int) ([]string, error) {
		es, err := s.Entries(h.ctx, timebank.EntryFilter{Account: "a", From: &t2, Offset: offset, Limit: limit})
		return transfersOf(es), err
	})
	got, err = s.Entries(h.ctx, timebank.EntryFilter{Account: "a", From: &t2, Offset: 1, Limit: 2})
	if assert.NoError(t, err) {
		same(t, want[2:4], got, "entries From t2, Offset 1, Limit 2")
	}

	got, err = s.Entries(h.ctx, timebank.EntryFilter{Account: "quiet"})
	assert.NoError(t, err, "Entries of an account with no postings")
	assert.Empty(t, got, "Entries of an account with no postings")
	_, err = s.Entries(h.ctx, timebank.EntryFilter{Account: "missing"})
	assert.ErrorIs(t, err, timebank.ErrNotFound, "Entries of a missing account")
}
