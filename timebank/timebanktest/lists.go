package timebanktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/timebank"
)

// expectList checks one list call against the ids it should return, in
// order.
func expectList(t *testing.T, what string, want []string, got []string, err error) {
	t.Helper()
	if !assert.NoError(t, err, what) {
		return
	}
	if len(want) == 0 {
		assert.Empty(t, got, what)
		return
	}
	assert.Equal(t, want, got, what)
}

func testListBanks(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	// Created out of id order. "Zed" sorts before "alpha": ids are ordered
	// byte-wise, as Go compares strings (in SQL: COLLATE "C").
	h.apply(&timebank.Batch{Banks: []*timebank.Bank{
		newBank("cbank"), newBank("alpha"), newBank("ebank"),
		newMiniBank("dmini", "alpha", "org-d"), newMiniBank("bmini", "alpha", "org-b"),
		newMiniBank("fmini", "cbank", "org-f"), newBank("Zed"),
	}})
	list := func(f timebank.BankFilter) ([]string, error) {
		bs, err := s.Banks(h.ctx, f)
		return ids(bs, bankID), err
	}
	all := []string{"Zed", "alpha", "bmini", "cbank", "dmini", "ebank", "fmini"}
	cases := []struct {
		name string
		f    timebank.BankFilter
		want []string
	}{
		{"all banks", timebank.BankFilter{}, all},
		{"borough banks (Parent \"\")", timebank.BankFilter{Parent: ptr("")}, []string{"Zed", "alpha", "cbank", "ebank"}},
		{"mini banks of alpha", timebank.BankFilter{Parent: ptr("alpha")}, []string{"bmini", "dmini"}},
		{"mini banks of cbank", timebank.BankFilter{Parent: ptr("cbank")}, []string{"fmini"}},
		{"mini banks of a bank with none", timebank.BankFilter{Parent: ptr("ebank")}, nil},
	}
	for _, c := range cases {
		got, err := list(c.f)
		expectList(t, "Banks: "+c.name, c.want, got, err)
	}
	// Full records come back from lists too.
	bs, err := s.Banks(h.ctx, timebank.BankFilter{Parent: ptr("cbank")})
	if assert.NoError(t, err) && assert.Len(t, bs, 1) {
		same(t, newMiniBank("fmini", "cbank", "org-f"), bs[0], "Banks: record")
	}
	checkPaging(t, "Banks", all, func(offset, limit int) ([]string, error) {
		return list(timebank.BankFilter{Offset: offset, Limit: limit})
	})
	checkPaging(t, "Banks Parent \"\"", []string{"Zed", "alpha", "cbank", "ebank"}, func(offset, limit int) ([]string, error) {
		return list(timebank.BankFilter{Parent: ptr(""), Offset: offset, Limit: limit})
	})
}

func testListMembers(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.apply(&timebank.Batch{Banks: []*timebank.Bank{newBank("b1"), newBank("b2")}})
	mk := func(id, bank string, kind timebank.Kind, status timebank.Status) *timebank.Member {
		m := newMember(id, bank)
		m.Kind, m.Status = kind, status
		return m
	}
	full := mk("m3", "b1", timebank.Organisation, timebank.Active)
	full.MinBalance = ptr(int64(-60))
	full.LeftAt = ptr(at(day))
	h.apply(&timebank.Batch{Members: []*timebank.Member{
		mk("m5", "b1", timebank.Individual, timebank.Paused),
		mk("m1", "b1", timebank.Individual, timebank.Active),
		mk("m4", "b2", timebank.Individual, timebank.Active),
		full,
		mk("m2", "b1", timebank.Individual, timebank.Left),
		mk("m6", "b2", timebank.Organisation, timebank.Left),
		mk("m7", "b1", timebank.Individual, timebank.Active),
		mk("M0", "b1", timebank.Individual, timebank.Active),
	}})
	list := func(f timebank.MemberFilter) ([]string, error) {
		ms, err := s.Members(h.ctx, f)
		return ids(ms, memberID), err
	}
	cases := []struct {
		name string
		f    timebank.MemberFilter
		want []string
	}{
		{"all", timebank.MemberFilter{}, []string{"M0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"}},
		{"Bank", timebank.MemberFilter{Bank: ptr("b1")}, []string{"M0", "m1", "m2", "m3", "m5", "m7"}},
		{"Kind", timebank.MemberFilter{Kind: ptr(timebank.Organisation)}, []string{"m3", "m6"}},
		{"Status", timebank.MemberFilter{Status: ptr(timebank.Active)}, []string{"M0", "m1", "m3", "m4", "m7"}},
		{"Bank and Kind", timebank.MemberFilter{Bank: ptr("b1"), Kind: ptr(timebank.Individual)}, []string{"M0", "m1", "m2", "m5", "m7"}},
		{"Bank and Status", timebank.MemberFilter{Bank: ptr("b2"), Status: ptr(timebank.Left)}, []string{"m6"}},
		{"Kind and Status", timebank.MemberFilter{Kind: ptr(timebank.Individual), Status: ptr(timebank.Active)}, []string{"M0", "m1", "m4", "m7"}},
		{"Bank, Kind and Status", timebank.MemberFilter{Bank: ptr("b1"), Kind: ptr(timebank.Organisation), Status: ptr(timebank.Active)}, []string{"m3"}},
		{"no match", timebank.MemberFilter{Bank: ptr("b2"), Status: ptr(timebank.Paused)}, nil},
		{"unknown bank", timebank.MemberFilter{Bank: ptr("b9")}, nil},
	}
	for _, c := range cases {
		got, err := list(c.f)
		expectList(t, "Members: "+c.name, c.want, got, err)
	}
	ms, err := s.Members(h.ctx, timebank.MemberFilter{Kind: ptr(timebank.Organisation), Status: ptr(timebank.Active)})
	if assert.NoError(t, err) && assert.Len(t, ms, 1) {
		same(t, full, ms[0], "Members: record")
	}
	checkPaging(t, "Members", []string{"M0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"}, func(offset, limit int) ([]string, error) {
		return list(timebank.MemberFilter{Offset: offset, Limit: limit})
	})
	checkPaging(t, "Members of b1, individuals", []string{"M0", "m1", "m2", "m5", "m7"}, func(offset, limit int) ([]string, error) {
		return list(timebank.MemberFilter{Bank: ptr("b1"), Kind: ptr(timebank.Individual), Offset: offset, Limit: limit})
	})
}

func testListAccounts(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("b2", "y", "x")
	h.bank("b1", "c", "a", "B")
	h.fund("b1", "a", 90, at(time.Hour))
	list := func(f timebank.AccountFilter) ([]string, error) {
		as, err := s.Accounts(h.ctx, f)
		return ids(as, accountID), err
	}
	b1 := []string{"B", "a", "b1/issuing", "b1/pot", "c"}
	cases := []struct {
		name string
		f    timebank.AccountFilter
		want []string
	}{
		{"all", timebank.AccountFilter{}, []string{"B", "a", "b1/issuing", "b1/pot", "b2/issuing", "b2/pot", "c", "x", "y"}},
		{"Bank", timebank.AccountFilter{Bank: ptr("b1")}, b1},
		{"unknown bank", timebank.AccountFilter{Bank: ptr("b9")}, nil},
	}
	for _, c := range cases {
		got, err := list(c.f)
		expectList(t, "Accounts: "+c.name, c.want, got, err)
	}
	as, err := s.Accounts(h.ctx, timebank.AccountFilter{Bank: ptr("b1")})
	if assert.NoError(t, err) && assert.Len(t, as, 5) {
		same(t, &timebank.Account{ID: "a", Bank: "b1", Kind: timebank.MemberAccount, Balance: 90, LastAt: at(time.Hour)}, as[1], "Accounts: record with its balance")
		same(t, &timebank.Account{ID: "b1/issuing", Bank: "b1", Kind: timebank.IssuingAccount, Balance: -90, LastAt: at(time.Hour)}, as[2], "Accounts: record with its balance")
		same(t, &timebank.Account{ID: "b1/pot", Bank: "b1", Kind: timebank.PotAccount}, as[3], "Accounts: record")
	}
	checkPaging(t, "Accounts of b1", b1, func(offset, limit int) ([]string, error) {
		return list(timebank.AccountFilter{Bank: ptr("b1"), Offset: offset, Limit: limit})
	})
}

func testListExchanges(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("b", "g", "r", "o")
	h.apply(bankBatch(newMiniBank("m", "b", "o"), "mm"))
	h.bank("x", "xx")
	d1, d2, d3, d4 := at(day), at(2*day), at(3*day), at(4*day)
	mk := func(id, bank, giver, receiver string, date time.Time, category string, status timebank.ExchangeStatus) *timebank.Exchange {
		e := newExchange(id, bank, giver, receiver, 60, date)
		e.Category, e.Status = category, status
		return e
	}
	h.apply(&timebank.Batch{Exchanges: []*timebank.Exchange{
		mk("e9", "b", "g", "r", d1, "gardening", timebank.Confirmed),
		mk("e5", "b", "r", "g", d2, "lifts", timebank.Pending),
		mk("e1", "b", "g", "o", d2, "gardening", timebank.Voided), // same Date as e5: id decides
		mk("e7", "m", "mm", "g", d3, "lifts", timebank.Confirmed),
		mk("e3", "x", "xx", "xx", d1.Add(-time.Microsecond), "gardening", timebank.Confirmed),
		mk("e2", "b", "o", "r", d4, "befriending", timebank.Reversed),
		mk("e8", "m", "r", "mm", d3, "gardening", timebank.Confirmed),
	}})
	list := func(f timebank.ExchangeFilter) ([]string, error) {
		es, err := s.Exchanges(h.ctx, f)
		return ids(es, exchangeID), err
	}
	all := []string{"e3", "e9", "e1", "e5", "e7", "e8", "e2"}
	cases := []struct {
		name string
		f    timebank.ExchangeFilter
		want []string
	}{
		{"all, by Date then id", timebank.ExchangeFilter{}, all},
		{"one bank", timebank.ExchangeFilter{Banks: []string{"b"}}, []string{"e9", "e1", "e5", "e2"}},
		{"a bank and its mini bank", timebank.ExchangeFilter{Banks: []string{"m", "b"}}, []string{"e9", "e1", "e5", "e7", "e8", "e2"}},
		{"banks with no exchanges", timebank.ExchangeFilter{Banks: []string{"none", "other"}}, nil},
		{"Member as giver or receiver", timebank.ExchangeFilter{Member: ptr("g")}, []string{"e9", "e1", "e5", "e7"}},
		{"Member in another bank's exchanges", timebank.ExchangeFilter{Member: ptr("mm")}, []string{"e7", "e8"}},
		{"Category", timebank.ExchangeFilter{Category: ptr("gardening")}, []string{"e3", "e9", "e1", "e8"}},
		{"Status", timebank.ExchangeFilter{Status: ptr(timebank.Confirmed)}, []string{"e3", "e9", "e7", "e8"}},
		{"From (included)", timebank.ExchangeFilter{From: &d2}, []string{"e1", "e5", "e7", "e8", "e2"}},
		{"To (excluded)", timebank.ExchangeFilter{To: &d2}, []string{"e3", "e9"}},
		{"From and To", timebank.ExchangeFilter{From: &d1, To: &d4}, []string{"e9", "e1", "e5", "e7", "e8"}},
		{"From equal to To", timebank.ExchangeFilter{From: &d2, To: &d2}, nil},
		{"every filter", timebank.ExchangeFilter{
			Banks: []string{"b", "m"}, Member: ptr("r"), Category: ptr("gardening"), Status: ptr(timebank.Confirmed), From: &d1, To: &d4,
		}, []string{"e9", "e8"}},
		{"Member and Status", timebank.ExchangeFilter{Member: ptr("o"), Status: ptr(timebank.Reversed)}, []string{"e2"}},
	}
	for _, c := range cases {
		got, err := list(c.f)
		expectList(t, "Exchanges: "+c.name, c.want, got, err)
	}
	es, err := s.Exchanges(h.ctx, timebank.ExchangeFilter{Status: ptr(timebank.Reversed)})
	if assert.NoError(t, err) && assert.Len(t, es, 1) {
		same(t, mk("e2", "b", "o", "r", d4, "befriending", timebank.Reversed), es[0], "Exchanges: record")
	}
	checkPaging(t, "Exchanges", all, func(offset, limit int) ([]string, error) {
		return list(timebank.ExchangeFilter{Offset: offset, Limit: limit})
	})
	checkPaging(t, "Exchanges of b and m", []string{"e9", "e1", "e5", "e7", "e8", "e2"}, func(offset, limit int) ([]string, error) {
		return list(timebank.ExchangeFilter{Banks: []string{"b", "m"}, Offset: offset, Limit: limit})
	})
}

func testListListings(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	h.bank("b1", "p", "q")
	h.bank("b2", "r")
	mk := func(id, bank, member string, kind timebank.ListingKind, category string, open bool) *timebank.Listing {
		l := newListing(id, bank, member)
		l.Kind, l.Category, l.Open = kind, category, open
		return l
	}
	h.apply(&timebank.Batch{Listings: []*timebank.Listing{
		mk("l4", "b1", "q", timebank.Request, "lifts", true),
		mk("l2", "b1", "p", timebank.Offer, "gardening", false),
		mk("l6", "b2", "r", timebank.Offer, "lifts", true),
		mk("l1", "b1", "p", timebank.Offer, "lifts", true),
		mk("l5", "b2", "r", timebank.Request, "gardening", false),
		mk("l3", "b1", "q", timebank.Offer, "gardening", true),
	}})
	list := func(f timebank.ListingFilter) ([]string, error) {
		ls, err := s.Listings(h.ctx, f)
		return ids(ls, listingID), err
	}
	cases := []struct {
		name string
		f    timebank.ListingFilter
		want []string
	}{
		{"all", timebank.ListingFilter{}, []string{"l1", "l2", "l3", "l4", "l5", "l6"}},
		{"Bank", timebank.ListingFilter{Bank: ptr("b1")}, []string{"l1", "l2", "l3", "l4"}},
		{"Member", timebank.ListingFilter{Member: ptr("q")}, []string{"l3", "l4"}},
		{"Kind", timebank.ListingFilter{Kind: ptr(timebank.Request)}, []string{"l4", "l5"}},
		{"Category", timebank.ListingFilter{Category: ptr("lifts")}, []string{"l1", "l4", "l6"}},
		{"Open", timebank.ListingFilter{Open: ptr(true)}, []string{"l1", "l3", "l4", "l6"}},
		{"closed", timebank.ListingFilter{Open: ptr(false)}, []string{"l2", "l5"}},
		{"Bank, Kind, Category and Open", timebank.ListingFilter{
			Bank: ptr("b1"), Kind: ptr(timebank.Offer), Category: ptr("gardening"), Open: ptr(true),
		}, []string{"l3"}},
		{"Member and Open", timebank.ListingFilter{Member: ptr("p"), Open: ptr(false)}, []string{"l2"}},
		{"no match", timebank.ListingFilter{Bank: ptr("b2"), Category: ptr("befriending")}, nil},
	}
	for _, c := range cases {
		got, err := list(c.f)
		expectList(t, "Listings: "+c.name, c.want, got, err)
	}
	ls, err := s.Listings(h.ctx, timebank.ListingFilter{Member: ptr("r"), Open: ptr(false)})
	if assert.NoError(t, err) && assert.Len(t, ls, 1) {
		same(t, mk("l5", "b2", "r", timebank.Request, "gardening", false), ls[0], "Listings: record")
	}
	checkPaging(t, "Listings", []string{"l1", "l2", "l3", "l4", "l5", "l6"}, func(offset, limit int) ([]string, error) {
		return list(timebank.ListingFilter{Offset: offset, Limit: limit})
	})
	checkPaging(t, "Listings open", []string{"l1", "l3", "l4", "l6"}, func(offset, limit int) ([]string, error) {
		return list(timebank.ListingFilter{Open: ptr(true), Offset: offset, Limit: limit})
	})
}
