package timebanktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/timebank"
)

// testTally checks Tally against its doc: the period is From ≤ t < To;
// members count when they joined before To and did not leave before From;
// only confirmed exchanges dated in the period count; issued, donated and
// granted minutes are the positive postings of issue, donation and grant
// transfers with At in the period.
func testTally(t *testing.T, s timebank.Store) {
	h := newH(t, s)
	from, to := at(10*day), at(20*day)

	// Banks: b, its mini bank m (run by o1), and x, another borough bank.
	b := bankBatch(newBank("b"))
	joined := func(id, bank string, kind timebank.Kind, when time.Time) *timebank.Member {
		m := newMember(id, bank)
		m.Kind, m.JoinedAt = kind, when
		b.Members = append(b.Members, m)
		b.Accounts = append(b.Accounts, newAccount(id, bank, timebank.MemberAccount))
		return m
	}
	left := func(m *timebank.Member, when time.Time) {
		m.Status, m.LeftAt = timebank.Left, ptr(when)
	}
	before := from.Add(-5 * day)
	joined("i1", "b", timebank.Individual, before)
	joined("i2", "b", timebank.Individual, from)                                      // joined at From: counted
	joined("i3", "b", timebank.Individual, to)                                        // joined at To: not counted
	left(joined("i4", "b", timebank.Individual, before), from.Add(-time.Microsecond)) // left before From
	left(joined("i5", "b", timebank.Individual, before), from)                        // left at From: counted
	left(joined("i6", "b", timebank.Individual, before), from.Add(3*day))
	joined("o1", "b", timebank.Organisation, before)
	erased := joined("i9", "b", timebank.Individual, before)
	erased.Name, erased.ErasedAt = "", ptr(from)
	joined("i10", "b", timebank.Individual, before).Status = timebank.Paused
	joined("i11", "b", timebank.Individual, to.Add(-time.Microsecond))
	joined("i12", "b", timebank.Individual, to.Add(day))
	h.apply(b)

	b = bankBatch(newMiniBank("m", "b", "o1"))
	joined("o2", "m", timebank.Organisation, from.Add(day))
	joined("i7", "m", timebank.Individual, from.Add(2*day))
	h.apply(b)

	b = bankBatch(newBank("x"))
	joined("i8", "x", timebank.Individual, before)
	h.apply(b)

	ex := func(id, bank, giver, receiver string, minutes int64, date time.Time, category string, status timebank.ExchangeStatus) *timebank.Exchange {
		e := newExchange(id, bank, giver, receiver, minutes, date)
		e.Category, e.Status = category, status
		return e
	}
	mid := from.Add(5 * day)
	h.apply(&timebank.Batch{Exchanges: []*timebank.Exchange{
		ex("e1", "b", "i1", "i2", 60, from, "gardening", timebank.Confirmed),
		ex("e2", "b", "i1", "i6", 90, mid, "lifts", timebank.Confirmed),
		ex("e3", "b", "i2", "i1", 30, to.Add(-time.Microsecond), "gardening", timebank.Confirmed),
		ex("e4", "b", "i5", "i1", 45, to, "gardening", timebank.Confirmed),                          // at To
		ex("e5", "b", "i6", "i1", 15, from.Add(-time.Microsecond), "gardening", timebank.Confirmed), // before From
		ex("e6", "b", "i10", "i11", 60, mid, "gardening", timebank.Pending),
		ex("e7", "b", "i10", "i11", 60, mid, "gardening", timebank.Voided),
		ex("e8", "b", "i10", "i11", 60, mid, "lifts", timebank.Reversed),
		ex("e9", "m", "i7", "o2", 120, mid, "befriending", timebank.Confirmed),
		ex("e10", "x", "i8", "i1", 60, mid, "gardening", timebank.Confirmed),
		ex("e11", "m", "i7", "i1", 60, from.Add(6*day), "gardening", timebank.Confirmed),
	}})

	t3 := newTransfer("t3", "b", timebank.KindDonation, from.Add(day), post("i1", -60), post("b/pot", 60))
	t10 := newTransfer("t10", "b", timebank.KindReversal, from.Add(4*day), post("b/pot", -60), post("i1", 60))
	t10.Reverses = "t3"
	h.apply(&timebank.Batch{Transfers: []*timebank.Transfer{
		newTransfer("t1", "b", timebank.KindIssue, from.Add(-time.Microsecond), post("b/issuing", -300), post("i1", 300)),
		newTransfer("t2", "b", timebank.KindIssue, from, post("b/issuing", -600), post("i1", 200), post("i2", 400)),
		t3,
		newTransfer("t4", "b", timebank.KindGrant, from.Add(2*day), post("b/pot", -45), post("i6", 45)),
		newTransfer("t4b", "b", timebank.KindGroup, from.Add(2*day), post("i1", -40), post("i2", 20), post("i6", 20)),
		pay("t5", "b", "i2", "i1", 30, from.Add(3*day)),
		newTransfer("t6", "m", timebank.KindIssue, from.Add(3*day), post("m/issuing", -120), post("i7", 120)),
		t10,
		newTransfer("t7", "b", timebank.KindDonation, to.Add(-time.Microsecond), post("i2", -30), post("b/pot", 30)),
		newTransfer("t8", "b", timebank.KindIssue, to, post("b/issuing", -50), post("i6", 50)),
		newTransfer("t9", "x", timebank.KindIssue, from.Add(day), post("x/issuing", -70), post("i8", 70)),
	}})

	cases := []struct {
		name string
		f    timebank.TallyFilter
		want timebank.Tally
	}{
		{"borough bank", timebank.TallyFilter{Banks: []string{"b"}, From: from, To: to}, timebank.Tally{
			Exchanges: 3, ExchangeMinutes: 180,
			Individuals: 7, Organisations: 1, ActiveMembers: 3,
			IssuedMinutes: 600, DonatedMinutes: 90, GrantedMinutes: 45,
			Categories: map[string]int64{"gardening": 90, "lifts": 90},
		}},
		{"borough bank and its mini bank", timebank.TallyFilter{Banks: []string{"b", "m"}, From: from, To: to}, timebank.Tally{
			Exchanges: 5, ExchangeMinutes: 360,
			Individuals: 8, Organisations: 2, ActiveMembers: 5,
			IssuedMinutes: 720, DonatedMinutes: 90, GrantedMinutes: 45,
			Categories: map[string]int64{"gardening": 150, "lifts": 90, "befriending": 120},
		}},
		{"mini bank", timebank.TallyFilter{Banks: []string{"m"}, From: from, To: to}, timebank.Tally{
			Exchanges: 2, ExchangeMinutes: 180,
			Individuals: 1, Organisations: 1, ActiveMembers: 3,
			IssuedMinutes: 120,
			Categories:    map[string]int64{"gardening": 60, "befriending": 120},
		}},
		{"other bank", timebank.TallyFilter{Banks: []string{"x"}, From: from, To: to}, timebank.Tally{
			Exchanges: 1, ExchangeMinutes: 60,
			Individuals: 1, ActiveMembers: 2,
			IssuedMinutes: 70,
			Categories:    map[string]int64{"gardening": 60},
		}},
		{"a later, quiet period", timebank.TallyFilter{Banks: []string{"b"}, From: to.Add(10 * day), To: to.Add(20 * day)}, timebank.Tally{
			Individuals: 7, Organisations: 1, // i1 i2 i3 i9 i10 i11 i12 and o1; the leavers are gone
		}},
		{"a period ending at From", timebank.TallyFilter{Banks: []string{"b"}, From: from.Add(-day), To: from}, timebank.Tally{
			Exchanges: 1, ExchangeMinutes: 15,
			Individuals: 6, Organisations: 1, ActiveMembers: 2, // i4 left during it: i1 i4 i5 i6 i9 i10
			IssuedMinutes: 300,
			Categories:    map[string]int64{"gardening": 15},
		}},
		{"an unknown bank", timebank.TallyFilter{Banks: []string{"nope"}, From: from, To: to}, timebank.Tally{}},
		{"every bank, when none is named", timebank.TallyFilter{From: from, To: to}, timebank.Tally{
			Exchanges: 6, ExchangeMinutes: 420,
			Individuals: 9, Organisations: 2, ActiveMembers: 6, // one member of x was active in b too
			IssuedMinutes: 790, DonatedMinutes: 90, GrantedMinutes: 45,
			Categories: map[string]int64{"gardening": 210, "lifts": 90, "befriending": 120},
		}},
	}
	for _, c := range cases {
		got, err := s.Tally(h.ctx, c.f)
		if assert.NoError(t, err, c.name) {
			same(t, c.want, got, "Tally: "+c.name)
		}
	}
}
