package grantstest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/grants"
)

func testFundRoundTrip(t *testing.T, s grants.Store) {
	h := newH(t, s)
	want := fund("f1")
	h.apply(&grants.Batch{Funds: []*grants.Fund{want}})
	got, err := s.Fund(h.ctx, "f1")
	require.NoError(t, err)
	sameJSON(t, want, got, "fund")
	assert.Equal(t, "10000", got.Budgets[0].Amount.String())
	assert.True(t, got.Budgets[1].Amount.Equal(pounds("8000.50")))
	require.Len(t, got.Rules, 3)
	assert.True(t, got.Rules[1].HourlyRate.Equal(pounds("12")))
	assert.Len(t, got.Rules[2].Rules, 2)
	assert.Equal(t, got.CreatedAt.Location().String(), "UTC")
}

func testRoundRoundTrip(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Funds: []*grants.Fund{fund("f1")}})
	want := round("r1", "f1", 2014)
	h.apply(&grants.Batch{Rounds: []*grants.Round{want}})
	got, err := s.Round(h.ctx, "r1")
	require.NoError(t, err)
	sameJSON(t, want, got, "round")
	assert.True(t, got.Opens.Equal(want.Opens))
	assert.Equal(t, "UTC", got.Closes.Location().String())
}

func testStaffRoundTrip(t *testing.T, s grants.Store) {
	h := newH(t, s)
	want := staff("s1", grants.RoleOfficer, grants.RolePanel)
	h.apply(&grants.Batch{Staff: []*grants.Staff{want}})
	got, err := s.Staff(h.ctx, "s1")
	require.NoError(t, err)
	sameJSON(t, want, got, "staff")
}

func testApplicationRoundTrip(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setup("f1", "r1")
	want := h.app("a1", "f1", "r1")
	got, err := s.Application(h.ctx, "a1")
	require.NoError(t, err)
	sameJSON(t, want, got, "application")
	assert.True(t, got.Amount.Equal(pounds("249.99")))
	assert.True(t, got.InKindMatch.Equal(pounds("0.01")))
	assert.True(t, got.PlannedStart.Equal(*want.PlannedStart))
	assert.True(t, got.CreatedAt.Equal(want.CreatedAt))
	assert.Equal(t, 7, got.Scores[0].Total)
	assert.True(t, got.Scores[1].Excluded)

	// Nil pointers and empty slices stay empty.
	bare := &grants.Application{ID: "a2", Fund: "f1", Round: "r1", Year: 2014, Owner: "o", Title: "t",
		Status: grants.Draft, CreatedAt: at(5), UpdatedAt: at(5), Version: 1}
	h.apply(&grants.Batch{Applications: []*grants.Application{bare}})
	got, err = s.Application(h.ctx, "a2")
	require.NoError(t, err)
	assert.Nil(t, got.PlannedStart)
	assert.Nil(t, got.Eligibility)
	assert.Nil(t, got.Decision)
	assert.Nil(t, got.Outcome)
	assert.Empty(t, got.Scores)
	assert.True(t, got.Award.IsZero())
}

func testReadsAreCopies(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setup("f1", "r1")
	a := h.app("a1", "f1", "r1")
	a.Title = "changed after writing"
	a.Supporters[0].Name = "changed"
	got, err := s.Application(h.ctx, "a1")
	require.NoError(t, err)
	assert.Equal(t, "Street party a1", got.Title)
	assert.Equal(t, "A", got.Supporters[0].Name)
	got.Scores[0].Scores["need"] = 0
	again, err := s.Application(h.ctx, "a1")
	require.NoError(t, err)
	assert.Equal(t, 4, again.Scores[0].Scores["need"])
}

func testNotFound(t *testing.T, s grants.Store) {
	h := newH(t, s)
	_, err := s.Fund(h.ctx, "nope")
	assert.ErrorIs(t, err, grants.ErrNotFound)
	_, err = s.Round(h.ctx, "nope")
	assert.ErrorIs(t, err, grants.ErrNotFound)
	_, err = s.Staff(h.ctx, "nope")
	assert.ErrorIs(t, err, grants.ErrNotFound)
	_, err = s.Application(h.ctx, "nope")
	assert.ErrorIs(t, err, grants.ErrNotFound)
	_, err = s.Receipt(h.ctx, "nope")
	assert.ErrorIs(t, err, grants.ErrNotFound)
	c, p := h.totals("nope", 2014)
	assert.Equal(t, "0.00", c)
	assert.Equal(t, "0.00", p)
	for _, l := range []func() (int, error){
		func() (int, error) { x, err := s.Funds(h.ctx, grants.FundFilter{}); return len(x), err },
		func() (int, error) { x, err := s.Rounds(h.ctx, grants.RoundFilter{}); return len(x), err },
		func() (int, error) { x, err := s.StaffList(h.ctx, grants.StaffFilter{}); return len(x), err },
		func() (int, error) {
			x, err := s.Applications(h.ctx, grants.ApplicationFilter{})
			return len(x), err
		},
		func() (int, error) { x, err := s.Events(h.ctx, grants.EventFilter{}); return len(x), err },
	} {
		n, err := l()
		require.NoError(t, err)
		assert.Zero(t, n)
	}
}

func testUpdateVersions(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setup("f1", "r1")
	// Creating an existing id is a conflict, for every kind of record.
	assert.ErrorIs(t, s.Apply(h.ctx, &grants.Batch{Funds: []*grants.Fund{fund("f1")}}), grants.ErrConflict)
	assert.ErrorIs(t, s.Apply(h.ctx, &grants.Batch{Rounds: []*grants.Round{round("r1", "f1", 2014)}}), grants.ErrConflict)
	h.apply(&grants.Batch{Staff: []*grants.Staff{staff("s1", grants.RoleAdmin)}})
	assert.ErrorIs(t, s.Apply(h.ctx, &grants.Batch{Staff: []*grants.Staff{staff("s1", grants.RoleAdmin)}}), grants.ErrConflict)
	a := h.app("a1", "f1", "r1")
	assert.ErrorIs(t, s.Apply(h.ctx, &grants.Batch{Applications: []*grants.Application{a}}), grants.ErrConflict)

	// Version n replaces n-1.
	a.Version, a.Title = 2, "second"
	h.apply(&grants.Batch{Applications: []*grants.Application{a}})
	got, err := s.Application(h.ctx, "a1")
	require.NoError(t, err)
	assert.Equal(t, "second", got.Title)
	assert.EqualValues(t, 2, got.Version)
	// A stale update is a conflict and changes nothing.
	a.Title = "stale"
	assert.ErrorIs(t, s.Apply(h.ctx, &grants.Batch{Applications: []*grants.Application{a}}), grants.ErrConflict)
	a.Version = 4
	assert.ErrorIs(t, s.Apply(h.ctx, &grants.Batch{Applications: []*grants.Application{a}}), grants.ErrConflict)
	got, err = s.Application(h.ctx, "a1")
	require.NoError(t, err)
	assert.Equal(t, "second", got.Title)
	// Updating a missing record is not found.
	m := application("missing", "f1", "r1", 2014, at(0))
	m.Version = 2
	assert.ErrorIs(t, s.Apply(h.ctx, &grants.Batch{Applications: []*grants.Application{m}}), grants.ErrNotFound)
	f := fund("ghost")
	f.Version = 3
	assert.ErrorIs(t, s.Apply(h.ctx, &grants.Batch{Funds: []*grants.Fund{f}}), grants.ErrNotFound)
	// Version 0 is malformed.
	z := application("zero", "f1", "r1", 2014, at(0))
	z.Version = 0
	assert.ErrorIs(t, s.Apply(h.ctx, &grants.Batch{Applications: []*grants.Application{z}}), grants.ErrInvalid)
	// Fund and round updates.
	ff := fund("f1")
	ff.Version, ff.Name = 2, "renamed"
	h.apply(&grants.Batch{Funds: []*grants.Fund{ff}})
	gf, err := s.Fund(h.ctx, "f1")
	require.NoError(t, err)
	assert.Equal(t, "renamed", gf.Name)
}

func testAtomicity(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setup("f1", "r1")
	h.app("a0", "f1", "r1")
	// A batch whose last record conflicts writes nothing: not its new
	// records, commits, pays, events nor its receipt.
	bad := &grants.Batch{
		Funds:        []*grants.Fund{fund("f2")},
		Rounds:       []*grants.Round{round("r2", "f1", 2014)},
		Staff:        []*grants.Staff{staff("s9", grants.RoleOfficer)},
		Applications: []*grants.Application{application("a1", "f1", "r1", 2014, at(3)), application("a0", "f1", "r1", 2014, at(3))},
		Budgets:      []grants.BudgetSet{budget("f1", 2015, "1")},
		Commits:      []grants.Commit{commit("f1", 2014, "a1", "200")},
		Events:       []grants.Event{{Fund: "f1", At: at(3), Actor: "x", Action: "bad", Subject: "a1"}},
		Key:          "k-bad", Hash: "h", Result: "a1", At: at(3),
	}
	assert.ErrorIs(t, s.Apply(h.ctx, bad), grants.ErrConflict)
	h.assertNothing("f2", "r2", "s9", "a1", "k-bad")
	c, _ := h.totals("f1", 2014)
	assert.Equal(t, "0.00", c)
	tot, err := s.Totals(h.ctx, "f1", 2015)
	require.NoError(t, err)
	assert.Equal(t, "8000.50", tot.Budget.StringFixed(2), "the budget is not changed")

	// A batch whose commit breaks the budget writes nothing either.
	over := &grants.Batch{
		Applications: []*grants.Application{application("a1", "f1", "r1", 2014, at(3))},
		Commits:      []grants.Commit{commit("f1", 2014, "a0", "10000.01")},
		Events:       []grants.Event{{Fund: "f1", At: at(3), Actor: "x", Action: "bad", Subject: "a1"}},
		Key:          "k-over", Hash: "h", Result: "a1", At: at(3),
	}
	assert.ErrorIs(t, s.Apply(h.ctx, over), grants.ErrOverBudget)
	h.assertNothing("", "", "", "a1", "k-over")
	ev, err := s.Events(h.ctx, grants.EventFilter{})
	require.NoError(t, err)
	assert.Empty(t, ev)

	// And so does one whose payment exceeds the commitment.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a0", "100")}})
	overpaid := &grants.Batch{
		Applications: []*grants.Application{application("a1", "f1", "r1", 2014, at(3))},
		Pays:         []grants.Pay{{Application: "a0", Amount: pounds("60")}, {Application: "a0", Amount: pounds("60")}},
		Key:          "k-pay", Hash: "h", Result: "a1", At: at(3),
	}
	assert.ErrorIs(t, s.Apply(h.ctx, overpaid), grants.ErrOverpaid)
	h.assertNothing("", "", "", "a1", "k-pay")
	c, p := h.totals("f1", 2014)
	assert.Equal(t, "100.00", c)
	assert.Equal(t, "0.00", p)

	// An empty batch is fine.
	h.apply(&grants.Batch{})
}

// assertNothing checks that the named records (those not empty) do not
// exist.
func (h *h) assertNothing(fundID, roundID, staffID, appID, key string) {
	h.t.Helper()
	ctx := h.ctx
	if fundID != "" {
		_, err := h.s.Fund(ctx, fundID)
		assert.ErrorIs(h.t, err, grants.ErrNotFound, "fund %s", fundID)
	}
	if roundID != "" {
		_, err := h.s.Round(ctx, roundID)
		assert.ErrorIs(h.t, err, grants.ErrNotFound, "round %s", roundID)
	}
	if staffID != "" {
		_, err := h.s.Staff(ctx, staffID)
		assert.ErrorIs(h.t, err, grants.ErrNotFound, "staff %s", staffID)
	}
	if appID != "" {
		_, err := h.s.Application(ctx, appID)
		assert.ErrorIs(h.t, err, grants.ErrNotFound, "application %s", appID)
	}
	if key != "" {
		_, err := h.s.Receipt(ctx, key)
		assert.ErrorIs(h.t, err, grants.ErrNotFound, "receipt %s", key)
	}
}

func testIdempotency(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setup("f1", "r1")
	first := &grants.Batch{Applications: []*grants.Application{application("a1", "f1", "r1", 2014, at(3))},
		Key: "key-1", Hash: "hash-1", Result: "a1", At: at(3)}
	h.apply(first)
	r, err := s.Receipt(h.ctx, "key-1")
	require.NoError(t, err)
	assert.Equal(t, "key-1", r.Key)
	assert.Equal(t, "hash-1", r.Hash)
	assert.Equal(t, "a1", r.Result)
	assert.True(t, r.At.Equal(at(3)))
	// The same key again is refused whatever the batch holds, and writes
	// nothing.
	again := &grants.Batch{Applications: []*grants.Application{application("a2", "f1", "r1", 2014, at(4))},
		Key: "key-1", Hash: "hash-2", Result: "a2", At: at(4)}
	assert.ErrorIs(t, s.Apply(h.ctx, again), grants.ErrDuplicateKey)
	h.assertNothing("", "", "", "a2", "")
	r, err = s.Receipt(h.ctx, "key-1")
	require.NoError(t, err)
	assert.Equal(t, "hash-1", r.Hash)
	// A batch without a key records no receipt.
	h.apply(&grants.Batch{Applications: []*grants.Application{application("a3", "f1", "r1", 2014, at(4))}})
}

func testEvents(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Events: []grants.Event{
		{Fund: "f1", At: at(1), Actor: "u1", Action: "application.submit", Subject: "a1", From: grants.Draft, To: grants.Submitted, Note: "n1"},
		{Fund: "f2", At: at(2), Actor: "u2", Action: "fund.create", Subject: "f2"},
	}})
	h.apply(&grants.Batch{Events: []grants.Event{{Fund: "f1", At: at(3), Actor: "u3", Action: "application.check", Subject: "a1",
		From: grants.Submitted, To: grants.EligibilityChecked}}})
	all, err := s.Events(h.ctx, grants.EventFilter{})
	require.NoError(t, err)
	require.Len(t, all, 3)
	for i := 1; i < len(all); i++ {
		assert.Greater(t, all[i].Seq, all[i-1].Seq, "Seq increases in the order events are applied")
	}
	assert.Equal(t, "a1", all[0].Subject)
	assert.Equal(t, grants.Draft, all[0].From)
	assert.Equal(t, grants.Submitted, all[0].To)
	assert.Equal(t, "n1", all[0].Note)
	assert.Equal(t, "u1", all[0].Actor)
	assert.True(t, all[0].At.Equal(at(1)))
	assert.Equal(t, "UTC", all[0].At.Location().String())
	sub, err := s.Events(h.ctx, grants.EventFilter{Subject: "a1"})
	require.NoError(t, err)
	assert.Len(t, sub, 2)
	f2, err := s.Events(h.ctx, grants.EventFilter{Fund: "f2"})
	require.NoError(t, err)
	require.Len(t, f2, 1)
	assert.Equal(t, "fund.create", f2[0].Action)
	paged, err := s.Events(h.ctx, grants.EventFilter{Offset: 1, Limit: 1})
	require.NoError(t, err)
	require.Len(t, paged, 1)
	assert.Equal(t, all[1].Seq, paged[0].Seq)
}
