package grantstest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/grants"
)

func testCommitWithinBudget(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "250", "500"), commit("f1", 2014, "a2", "249.99", "500")}})
	c, p := h.totals("f1", 2014)
	assert.Equal(t, "499.99", c)
	assert.Equal(t, "0.00", p)
	// Exactly up to the budget is allowed.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a3", "0.01", "500")}})
	c, _ = h.totals("f1", 2014)
	assert.Equal(t, "500.00", c)
	// Other years and funds are separate.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2015, "b1", "100", "100"), commit("f2", 2014, "c1", "100", "100")}})
	c, _ = h.totals("f1", 2015)
	assert.Equal(t, "100.00", c)
	c, _ = h.totals("f2", 2014)
	assert.Equal(t, "100.00", c)
	// Re-committing an application replaces its amount.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "200", "500")}})
	c, _ = h.totals("f1", 2014)
	assert.Equal(t, "450.00", c)
}

func testCommitOverBudget(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "400", "500")}})
	err := s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "100.01", "500")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	// Two commits in one batch count together.
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "60", "500"), commit("f1", 2014, "a3", "60", "500")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	c, _ := h.totals("f1", 2014)
	assert.Equal(t, "400.00", c)
	// Raising one application's commitment past the budget is refused.
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "500.01", "500")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	// A budget of zero takes nothing.
	err = s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f9", 2014, "z1", "1", "0")}})
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	c, _ = h.totals("f9", 2014)
	assert.Equal(t, "0.00", c)
}

func testCommitRelease(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "400", "500")}})
	// Lowering a commitment is allowed even when the budget has since
	// been cut below the total.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "300", "100")}})
	c, _ := h.totals("f1", 2014)
	assert.Equal(t, "300.00", c)
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "0", "500")}})
	c, _ = h.totals("f1", 2014)
	assert.Equal(t, "0.00", c)
	// Released money can be committed again.
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "500", "500")}})
	c, _ = h.totals("f1", 2014)
	assert.Equal(t, "500.00", c)
	// A commitment may not fall below what was paid.
	h.apply(&grants.Batch{Pays: []grants.Pay{{Application: "a2", Amount: pounds("200")}}})
	err := s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a2", "199.99", "500")}})
	assert.ErrorIs(t, err, grants.ErrOverpaid)
}

func testCommitMalformed(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "100", "500")}})
	for name, c := range map[string]grants.Commit{
		"negative":       commit("f1", 2014, "a2", "-1", "500"),
		"fraction":       commit("f1", 2014, "a2", "1.001", "500"),
		"no fund":        commit("", 2014, "a2", "1", "500"),
		"no application": commit("f1", 2014, "", "1", "500"),
		"other fund":     commit("f2", 2014, "a1", "100", "500"),
		"other year":     commit("f1", 2015, "a1", "100", "500"),
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
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "250", "1000"), commit("f1", 2014, "a2", "100", "1000")}})
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
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a3", "50", "1000")}})
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a3", "0", "1000")}})
	err = s.Apply(h.ctx, &grants.Batch{Pays: []grants.Pay{{Application: "a3", Amount: pounds("1")}}})
	assert.ErrorIs(t, err, grants.ErrOverpaid)
}
