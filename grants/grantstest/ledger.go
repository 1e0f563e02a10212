package grantstest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/grants"
)

func testCommitWithinBudget(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Budgets: []grants.BudgetSet{budget("f1", 2014, "500"), budget("f1", 2015, "100"), budget("f2", 2014, "100")}})
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "250"), commit("f1", 2014, "a2", "249.99")}})
	c, p := h.totals("f1", 2014)
	assert.Equal(t, "499.99", c)
	assert.Equal(t, "0.00", p)
	// Exactly up to the budget is allowed.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a3", "0.01")}})
	c, _ = h.totals("f1", 2014)
	assert.Equal(t, "500.00", c)
	// Other years and funds are separate.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2015, "b1", "100"), commit("f2", 2014, "c1", "100")}})
	c, _ = h.totals("f1", 2015)
	assert.Equal(t, "100.00", c)
	c, _ = h.totals("f2", 2014)
	assert.Equal(t, "100.00", c)
	// Re-committing an application replaces its amount.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "200")}})
	c, _ = h.totals("f1", 2014)
	assert.Equal(t, "450.00", c)
	// A budget set in the same batch as a commit counts for it.
	h.apply(&grants.Batch{Budgets: []grants.BudgetSet{budget("f3", 2014, "50")}, Commits: []grants.Commit{commit("f3", 2014, "d1", "50")}})
	c, _ = h.totals("f3", 2014)
	assert.Equal(t, "50.00", c)
}

func testCommitOverBudget(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setBudget("f1", 2014, "500")
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "400")}})
	err := s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "100.01")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	// Two commits in one batch count together.
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "60"), commit("f1", 2014, "a3", "60")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	c, _ := h.totals("f1", 2014)
	assert.Equal(t, "400.00", c)
	// Raising one application's commitment past the budget is refused.
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "500.01")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	// No budget stored is a budget of zero, which takes nothing.
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f9", 2014, "z1", "1")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	c, _ = h.totals("f9", 2014)
	assert.Equal(t, "0.00", c)
	// The budget is the stored one, not the fund record's: a fund record
	// whose Budgets say more gives no more room.
	f := fund("f1")
	f.Budgets = []grants.Budget{{Year: 2014, Amount: pounds("100000")}}
	h.apply(&grants.Batch{Funds: []*grants.Fund{f}})
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "100.01")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
}

func testCommitRelease(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setBudget("f1", 2014, "500")
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "400")}})
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "300")}})
	c, _ := h.totals("f1", 2014)
	assert.Equal(t, "300.00", c)
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "0")}})
	c, _ = h.totals("f1", 2014)
	assert.Equal(t, "0.00", c)
	// Released money can be committed again.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "500")}})
	c, _ = h.totals("f1", 2014)
	assert.Equal(t, "500.00", c)
	// A commitment may not fall below what was paid.
	h.apply(&grants.Batch{Pays: []grants.Pay{{Application: "a2", Amount: pounds("200")}}})
	err := s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "199.99")}})
	assert.ErrorIs(t, err, grants.ErrOverpaid)
}

// testBudgetSet: the ledger holds each fund's budget for a year; it may
// be raised, or lowered no further than what is committed.
func testBudgetSet(t *testing.T, s grants.Store) {
	h := newH(t, s)
	tot, err := s.Totals(h.ctx, "f1", 2014)
	require.NoError(t, err)
	assert.True(t, tot.Budget.IsZero(), "no budget set is zero")
	h.setBudget("f1", 2014, "10000")
	h.setBudget("f1", 2015, "8000.50")
	tot, err = s.Totals(h.ctx, "f1", 2014)
	require.NoError(t, err)
	assert.Equal(t, "10000.00", tot.Budget.StringFixed(2))
	tot, err = s.Totals(h.ctx, "f1", 2015)
	require.NoError(t, err)
	assert.Equal(t, "8000.50", tot.Budget.StringFixed(2))

	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "240"), commit("f1", 2014, "a2", "200")}})
	h.apply(&grants.Batch{Pays: []grants.Pay{{Application: "a1", Amount: pounds("40")}}})
	// Down to exactly what is committed is allowed; below it is not.
	h.setBudget("f1", 2014, "440")
	err = s.Apply(h.ctx, &grants.Batch{Budgets: []grants.BudgetSet{budget("f1", 2014, "439.99")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	err = s.Apply(h.ctx, &grants.Batch{Budgets: []grants.BudgetSet{budget("f1", 2014, "100")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	tot, err = s.Totals(h.ctx, "f1", 2014)
	require.NoError(t, err)
	assert.Equal(t, "440.00", tot.Budget.StringFixed(2))
	assert.Equal(t, "440.00", tot.Committed.StringFixed(2), "setting a budget leaves the commitments")
	assert.Equal(t, "40.00", tot.Paid.StringFixed(2), "and the payments")
	// The budget now stored is what commits are checked against.
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a3", "0.01")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	// A release and a cut in one batch: the cut sees the commitments
	// before the release (budgets are written before commits).
	err = s.Apply(h.ctx, &grants.Batch{Budgets: []grants.BudgetSet{budget("f1", 2014, "240")}, Commits: []grants.Commit{commit("f1", 2014, "a2", "0")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "0")}})
	h.setBudget("f1", 2014, "240")
	// A refused budget writes nothing else of its batch.
	f := fund("f1")
	err = s.Apply(h.ctx, &grants.Batch{Funds: []*grants.Fund{f}, Budgets: []grants.BudgetSet{budget("f1", 2014, "239.99")},
		Key: "k-cut", Hash: "h", Result: "f1", At: at(1)})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	_, err = s.Fund(h.ctx, "f1")
	assert.ErrorIs(t, err, grants.ErrNotFound)
	_, err = s.Receipt(h.ctx, "k-cut")
	assert.ErrorIs(t, err, grants.ErrNotFound)
	// Malformed budgets are ErrInvalid.
	for name, b := range map[string]grants.BudgetSet{
		"negative": budget("f1", 2014, "-1"),
		"fraction": budget("f1", 2014, "300.001"),
		"no fund":  budget("", 2014, "300"),
		"no year":  budget("f1", 0, "300"),
	} {
		err := s.Apply(h.ctx, &grants.Batch{Budgets: []grants.BudgetSet{b}})
		assert.ErrorIs(t, err, grants.ErrInvalid, name)
	}
	tot, err = s.Totals(h.ctx, "f1", 2014)
	require.NoError(t, err)
	assert.Equal(t, "240.00", tot.Budget.StringFixed(2))
}

// testIdeaClaims: a commitment with an Idea claims it in its fund; another
// application's claim on it is ErrIdeaFunded until the first is released.
func testIdeaClaims(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setBudget("f1", 2014, "1000")
	h.setBudget("f1", 2015, "1000")
	h.setBudget("f2", 2014, "1000")
	idea := func(c grants.Commit, idea string) grants.Commit { c.Idea = idea; return c }
	h.apply(&grants.Batch{Commits: []grants.Commit{idea(commit("f1", 2014, "a1", "200"), "planters for elm close")}})
	// The same application may re-commit with its idea.
	h.apply(&grants.Batch{Commits: []grants.Commit{idea(commit("f1", 2014, "a1", "250"), "planters for elm close")}})
	// Another application may not, in any year of the fund, and the
	// refused batch writes nothing.
	for _, year := range []int{2014, 2015} {
		err := s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{idea(commit("f1", year, "a2", "100"), "planters for elm close")},
			Events: []grants.Event{{Fund: "f1", At: at(1), Actor: "x", Action: "application.approve", Subject: "a2"}}})
		assert.ErrorIs(t, err, grants.ErrIdeaFunded, "year %d", year)
		assert.ErrorIs(t, err, grants.ErrInvalid, "ErrIdeaFunded is a kind of ErrInvalid")
	}
	c, _ := h.totals("f1", 2014)
	assert.Equal(t, "250.00", c)
	c, _ = h.totals("f1", 2015)
	assert.Equal(t, "0.00", c)
	ev, err := s.Events(h.ctx, grants.EventFilter{})
	require.NoError(t, err)
	assert.Empty(t, ev)
	// Two claims on one idea in one batch: the second is refused.
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{idea(commit("f1", 2014, "b1", "10"), "bulbs"), idea(commit("f1", 2014, "b2", "10"), "bulbs")}})
	assert.ErrorIs(t, err, grants.ErrIdeaFunded)
	// Another fund may fund the same idea; without an Idea nothing is
	// claimed.
	h.apply(&grants.Batch{Commits: []grants.Commit{idea(commit("f2", 2014, "c1", "100"), "planters for elm close")}})
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a3", "100"), commit("f1", 2014, "a4", "100")}})
	// Releasing the commitment releases the claim.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "0")}})
	h.apply(&grants.Batch{Commits: []grants.Commit{idea(commit("f1", 2014, "a2", "100"), "planters for elm close")}})
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{idea(commit("f1", 2014, "a1", "100"), "planters for elm close")}})
	assert.ErrorIs(t, err, grants.ErrIdeaFunded)
	c, _ = h.totals("f1", 2014)
	assert.Equal(t, "300.00", c)
}

func testCommitMalformed(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setBudget("f1", 2014, "500")
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "100")}})
	for name, c := range map[string]grants.Commit{
		"negative":       commit("f1", 2014, "a2", "-1"),
		"fraction":       commit("f1", 2014, "a2", "1.001"),
		"no fund":        commit("", 2014, "a2", "1"),
		"no application": commit("f1", 2014, "", "1"),
		"other fund":     commit("f2", 2014, "a1", "100"),
		"other year":     commit("f1", 2015, "a1", "100"),
	} {
		err := s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{c}})
		assert.ErrorIs(t, err, grants.ErrInvalid, name)
	}
	for name, p := range map[string]grants.Pay{
		"zero":           {Application: "a1", Amount: pounds("0")},
		"negative":       {Application: "a1", Amount: pounds("-5")},
		"fraction":       {Application: "a1", Amount: pounds("0.005")},
		"no application": {Amount: pounds("1")},
	} {
		err := s.Apply(h.ctx, &grants.Batch{Pays: []grants.Pay{p}})
		assert.ErrorIs(t, err, grants.ErrInvalid, name)
	}
	c, p := h.totals("f1", 2014)
	assert.Equal(t, "100.00", c)
	assert.Equal(t, "0.00", p)
}

func testPayments(t *testing.T, s grants.Store) {
	h := newH(t, s)
	// Nothing committed: nothing may be paid.
	err := s.Apply(h.ctx, &grants.Batch{Pays: []grants.Pay{{Application: "a1", Amount: pounds("1")}}})
	assert.ErrorIs(t, err, grants.ErrOverpaid)
	h.setBudget("f1", 2014, "1000")
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "250"), commit("f1", 2014, "a2", "100")}})
	h.apply(&grants.Batch{Pays: []grants.Pay{{Application: "a1", Amount: pounds("100")}}})
	h.apply(&grants.Batch{Pays: []grants.Pay{{Application: "a1", Amount: pounds("149.99")}, {Application: "a2", Amount: pounds("100")}}})
	c, p := h.totals("f1", 2014)
	assert.Equal(t, "350.00", c)
	assert.Equal(t, "349.99", p)
	err = s.Apply(h.ctx, &grants.Batch{Pays: []grants.Pay{{Application: "a1", Amount: pounds("0.02")}}})
	assert.ErrorIs(t, err, grants.ErrOverpaid)
	err = s.Apply(h.ctx, &grants.Batch{Pays: []grants.Pay{{Application: "a2", Amount: pounds("0.01")}}})
	assert.ErrorIs(t, err, grants.ErrOverpaid)
	h.apply(&grants.Batch{Pays: []grants.Pay{{Application: "a1", Amount: pounds("0.01")}}})
	_, p = h.totals("f1", 2014)
	assert.Equal(t, "350.00", p)
	// A released commitment stops payments too.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a3", "50")}})
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a3", "0")}})
	err = s.Apply(h.ctx, &grants.Batch{Pays: []grants.Pay{{Application: "a3", Amount: pounds("1")}}})
	assert.ErrorIs(t, err, grants.ErrOverpaid)
}
