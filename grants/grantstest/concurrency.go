package grantstest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/internal/storetest"
)

// testConcurrentCommits: 40 writers each commit £100 of a £1,000 budget
// at once, each in a batch that also updates its application. Exactly 10
// succeed and the total never exceeds the budget.
func testConcurrentCommits(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setup("f1", "r1")
	h.setBudget("f1", 2014, "1000")
	const writers = 40
	apps := make([]*grants.Application, writers)
	var b grants.Batch
	for i := range apps {
		apps[i] = application(name("a", i), "f1", "r1", 2014, at(i))
		b.Applications = append(b.Applications, apps[i])
	}
	h.apply(&b)
	errs := storetest.Race(writers, func(i int) error {
		a := apps[i]
		a.Version, a.Status = 2, grants.Approved
		return s.Apply(h.ctx, &grants.Batch{Applications: []*grants.Application{a},
			Commits: []grants.Commit{commit("f1", 2014, a.ID, "100")},
			Events:  []grants.Event{{Fund: "f1", At: at(60), Actor: "officer", Action: "application.approve", Subject: a.ID}},
			Key:     "approve-" + a.ID, Hash: "h", Result: a.ID, At: at(60)})
	})
	ok, over := storetest.Count(t, errs, grants.ErrOverBudget)
	assert.Equal(t, 10, ok, "exactly the budget's worth of approvals succeed")
	assert.Equal(t, writers-10, over)
	c, _ := h.totals("f1", 2014)
	assert.Equal(t, "1000.00", c)
	approved, err := s.Applications(h.ctx, grants.ApplicationFilter{Status: []grants.Status{grants.Approved}})
	require.NoError(t, err)
	assert.Len(t, approved, 10, "an approval is written only with its commitment")
	ev, err := s.Events(h.ctx, grants.EventFilter{})
	require.NoError(t, err)
	assert.Len(t, ev, 10)
}

// testConcurrentOfficers: two officers approve two applications at the
// same moment through the Service; the fund has room for only one. One
// approval succeeds, the other is ErrOverBudget, and the fund never
// commits more than its budget.
func testConcurrentOfficers(t *testing.T, s grants.Store) {
	for n := range 5 {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ctx := t.Context()
			svc := grants.NewService(s, grants.WithClock(func() time.Time { return at(60) }))
			fundID := fmt.Sprintf("race-%d", n)
			f := fund(fundID)
			f.Budgets = []grants.Budget{{Year: 2014, Amount: pounds("300")}}
			f.Quorum = 0
			f.Criteria, f.MaxScore = nil, 0
			batch := &grants.Batch{Funds: []*grants.Fund{f}, Rounds: []*grants.Round{round(fundID+"-r", fundID, 2014)}, Budgets: budgetsOf(f)}
			if n == 0 {
				batch.Staff = []*grants.Staff{staff("officer-1", grants.RoleOfficer), staff("officer-2", grants.RoleOfficer)}
			}
			require.NoError(t, s.Apply(ctx, batch))
			var apps []*grants.Application
			for i := range 2 {
				a := application(fmt.Sprintf("%s-a%d", fundID, i), fundID, fundID+"-r", 2014, at(i))
				a.Status, a.Award, a.Paid, a.Payments, a.Decision = grants.UnderReview, pounds("0"), pounds("0"), nil, nil
				a.Scores, a.Conflicts, a.AwardedAt, a.Outcome = nil, nil, nil, nil
				a.Amount = pounds("200")
				apps = append(apps, a)
			}
			require.NoError(t, s.Apply(ctx, &grants.Batch{Applications: apps}))
			errs := storetest.Race(2, func(i int) error {
				_, err := svc.Approve(ctx, call.As(fmt.Sprintf("officer-%d", i+1)).Key(fmt.Sprintf("k-%s-%d", fundID, i)), apps[i].ID, pounds("200"), "meets the priorities")
				return err
			})
			ok, over := storetest.Count(t, errs, grants.ErrOverBudget)
			assert.Equal(t, 1, ok)
			assert.Equal(t, 1, over)
			tot, err := s.Totals(ctx, fundID, 2014)
			require.NoError(t, err)
			assert.Equal(t, "200.00", tot.Committed.StringFixed(2))
		})
	}
}

// testConcurrentPays: 30 payments of £10 race on a £250 award; exactly 25
// are written.
func testConcurrentPays(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setBudget("f1", 2014, "10000")
	h.apply(&grants.Batch{Commits: []grants.Commit{commit("f1", 2014, "a1", "250")}})
	errs := storetest.Race(30, func(i int) error {
		return s.Apply(h.ctx, &grants.Batch{Pays: []grants.Pay{{Application: "a1", Amount: pounds("10")}}})
	})
	ok, over := storetest.Count(t, errs, grants.ErrOverpaid)
	assert.Equal(t, 25, ok)
	assert.Equal(t, 5, over)
	_, p := h.totals("f1", 2014)
	assert.Equal(t, "250.00", p)
}

// testConcurrentKeys: 20 writers send batches under one idempotency key;
// one is written, the others are ErrDuplicateKey.
func testConcurrentKeys(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setup("f1", "r1")
	errs := storetest.Race(20, func(i int) error {
		return s.Apply(h.ctx, &grants.Batch{Applications: []*grants.Application{application(name("k", i), "f1", "r1", 2014, at(i))},
			Key: "same", Hash: "h", Result: name("k", i), At: at(i)})
	})
	ok, dup := storetest.Count(t, errs, grants.ErrDuplicateKey)
	assert.Equal(t, 1, ok)
	assert.Equal(t, 19, dup)
	all, err := s.Applications(h.ctx, grants.ApplicationFilter{})
	require.NoError(t, err)
	require.Len(t, all, 1)
	r, err := s.Receipt(h.ctx, "same")
	require.NoError(t, err)
	assert.Equal(t, all[0].ID, r.Result)
}

// testConcurrentUpdates: 20 writers update version 1 of one application;
// exactly one wins, the others are ErrConflict.
func testConcurrentUpdates(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setup("f1", "r1")
	h.app("a1", "f1", "r1")
	errs := storetest.Race(20, func(i int) error {
		a := application("a1", "f1", "r1", 2014, at(2))
		a.Version, a.Title = 2, name("title", i)
		return s.Apply(h.ctx, &grants.Batch{Applications: []*grants.Application{a}})
	})
	ok, conflicts := storetest.Count(t, errs, grants.ErrConflict)
	assert.Equal(t, 1, ok)
	assert.Equal(t, 19, conflicts)
	got, err := s.Application(h.ctx, "a1")
	require.NoError(t, err)
	assert.EqualValues(t, 2, got.Version)
}

// underReview returns an application under panel review asking for
// amount, with no award or panel history.
func underReview(id, fund, round, amount string) *grants.Application {
	a := application(id, fund, round, 2014, at(1))
	a.Status, a.Award, a.Paid, a.Payments, a.Decision = grants.UnderReview, pounds("0"), pounds("0"), nil, nil
	a.Scores, a.Conflicts, a.AwardedAt, a.Outcome = nil, nil, nil, nil
	a.Amount = pounds(amount)
	a.Costs = []grants.Cost{{Item: "planters", Amount: pounds(amount)}}
	return a
}

// testConcurrentBudgetCuts: 20 writers commit £100 each while 10 others
// cut the same fund's budget (to £0, £100, … £900) at the same moment.
// Every write either succeeds or is ErrOverBudget, and the fund never
// ends with more committed than its budget: a cut is checked against the
// commitments, and each commitment against the budget, atomically.
func testConcurrentBudgetCuts(t *testing.T, s grants.Store) {
	for n := range 5 {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			h := newH(t, s)
			f := fmt.Sprintf("cut-%d", n)
			h.setBudget(f, 2014, "1000")
			const committers, cutters = 20, 10
			errs := storetest.Race(committers+cutters, func(i int) error {
				if i < committers {
					return s.Apply(h.ctx, &grants.Batch{Commits: []grants.Commit{commit(f, 2014, fmt.Sprintf("%s-a%d", f, i), "100")}})
				}
				return s.Apply(h.ctx, &grants.Batch{Budgets: []grants.BudgetSet{budget(f, 2014, fmt.Sprint(100*(i-committers)))}})
			})
			storetest.Count(t, errs, grants.ErrOverBudget)
			committed := 0
			for _, err := range errs[:committers] {
				if err == nil {
					committed++
				}
			}
			tot, err := s.Totals(h.ctx, f, 2014)
			require.NoError(t, err)
			assert.Equal(t, fmt.Sprintf("%d.00", 100*committed), tot.Committed.StringFixed(2), "the total is the sum of the commits written")
			assert.False(t, tot.Committed.GreaterThan(tot.Budget), "committed %s of a %s budget", tot.Committed, tot.Budget)
		})
	}
}

// testConcurrentBudgetCutAndApproval: through the Service, an admin cuts
// a £300 budget to £100 at the moment an officer approves £240. One of
// them succeeds, the other is ErrOverBudget; never both, so the fund never
// holds £240 against £100.
func testConcurrentBudgetCutAndApproval(t *testing.T, s grants.Store) {
	for n := range 8 {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ctx := t.Context()
			svc := grants.NewService(s, grants.WithClock(func() time.Time { return at(60) }))
			fundID := fmt.Sprintf("cutapp-%d", n)
			f := fund(fundID)
			f.Budgets = []grants.Budget{{Year: 2014, Amount: pounds("300")}}
			f.Criteria, f.MaxScore, f.Quorum = nil, 0, 0
			batch := &grants.Batch{Funds: []*grants.Fund{f}, Rounds: []*grants.Round{round(fundID+"-r", fundID, 2014)}, Budgets: budgetsOf(f),
				Applications: []*grants.Application{underReview(fundID+"-a", fundID, fundID+"-r", "240")}}
			if n == 0 {
				batch.Staff = []*grants.Staff{staff("cut-admin", grants.RoleAdmin), staff("cut-officer", grants.RoleOfficer)}
			}
			require.NoError(t, s.Apply(ctx, batch))
			errs := storetest.Race(2, func(i int) error {
				if i == 0 {
					_, err := svc.Approve(ctx, call.As("cut-officer").Key("approve-"+fundID), fundID+"-a", pounds("240"), "meets the priorities")
					return err
				}
				_, err := svc.SetBudget(ctx, call.As("cut-admin").Key("cut-"+fundID), fundID, 2014, pounds("100"))
				return err
			})
			ok, over := storetest.Count(t, errs, grants.ErrOverBudget)
			assert.Equal(t, 1, ok, "approve: %v; cut: %v", errs[0], errs[1])
			assert.Equal(t, 1, over)
			tot, err := s.Totals(ctx, fundID, 2014)
			require.NoError(t, err)
			assert.False(t, tot.Committed.GreaterThan(tot.Budget), "committed %s of a %s budget", tot.Committed, tot.Budget)
			got, err := s.Fund(ctx, fundID)
			require.NoError(t, err)
			b, _ := got.BudgetFor(2014)
			assert.True(t, b.Equal(tot.Budget), "the fund record's budget %s mirrors the ledger's %s", b, tot.Budget)
		})
	}
}

// testConcurrentIdeaClaims: 20 writers approve 20 applications with the
// same idea at once, each committing £10 of an ample budget and claiming
// the idea. Exactly one is written; the others are ErrIdeaFunded and
// write nothing.
func testConcurrentIdeaClaims(t *testing.T, s grants.Store) {
	h := newH(t, s)
	h.setup("f1", "r1")
	const writers = 20
	apps := make([]*grants.Application, writers)
	var b grants.Batch
	for i := range apps {
		apps[i] = application(name("a", i), "f1", "r1", 2014, at(i))
		apps[i].Idea = "planters for elm close"
		b.Applications = append(b.Applications, apps[i])
	}
	h.apply(&b)
	errs := storetest.Race(writers, func(i int) error {
		a := apps[i]
		a.Version, a.Status = 2, grants.Approved
		return s.Apply(h.ctx, &grants.Batch{Applications: []*grants.Application{a},
			Commits: []grants.Commit{{Fund: "f1", Year: 2014, Application: a.ID, Amount: pounds("10"), Idea: a.Idea}}})
	})
	ok, dup := storetest.Count(t, errs, grants.ErrIdeaFunded)
	assert.Equal(t, 1, ok)
	assert.Equal(t, writers-1, dup)
	c, _ := h.totals("f1", 2014)
	assert.Equal(t, "10.00", c)
	approved, err := s.Applications(h.ctx, grants.ApplicationFilter{Status: []grants.Status{grants.Approved}})
	require.NoError(t, err)
	assert.Len(t, approved, 1)
}

// testConcurrentSameIdeaApprovals: through the Service, two officers
// approve two applications with the same idea at the same moment, in a
// fund whose rules insist on new ideas. One succeeds; the other is
// ErrIdeaFunded, reported on the field "Idea".
func testConcurrentSameIdeaApprovals(t *testing.T, s grants.Store) {
	for n := range 5 {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ctx := t.Context()
			svc := grants.NewService(s, grants.WithClock(func() time.Time { return at(60) }))
			fundID := fmt.Sprintf("idea-%d", n)
			f := fund(fundID)
			f.Criteria, f.MaxScore, f.Quorum = nil, 0, 0
			f.Rules = []grants.Rule{{Kind: grants.KindNewIdea}}
			var apps []*grants.Application
			for i := range 2 {
				a := underReview(fmt.Sprintf("%s-a%d", fundID, i), fundID, fundID+"-r", "200")
				a.Idea = "planters for elm close"
				apps = append(apps, a)
			}
			batch := &grants.Batch{Funds: []*grants.Fund{f}, Rounds: []*grants.Round{round(fundID+"-r", fundID, 2014)}, Budgets: budgetsOf(f),
				Applications: apps}
			if n == 0 {
				batch.Staff = []*grants.Staff{staff("idea-officer-1", grants.RoleOfficer), staff("idea-officer-2", grants.RoleOfficer)}
			}
			require.NoError(t, s.Apply(ctx, batch))
			errs := storetest.Race(2, func(i int) error {
				_, err := svc.Approve(ctx, call.As(fmt.Sprintf("idea-officer-%d", i+1)).Key(fmt.Sprintf("k-%s-%d", fundID, i)), apps[i].ID, pounds("200"), "meets the priorities")
				return err
			})
			ok, dup := storetest.Count(t, errs, grants.ErrIdeaFunded)
			assert.Equal(t, 1, ok)
			assert.Equal(t, 1, dup)
			for _, err := range errs {
				var fe *grants.FieldError
				if err != nil && assert.ErrorAs(t, err, &fe) {
					assert.Equal(t, "Idea", fe.Field)
					assert.ErrorIs(t, err, grants.ErrInvalid)
				}
			}
			tot, err := s.Totals(ctx, fundID, 2014)
			require.NoError(t, err)
			assert.Equal(t, "200.00", tot.Committed.StringFixed(2))
			approved, err := s.Applications(ctx, grants.ApplicationFilter{Fund: fundID, Status: []grants.Status{grants.Approved}})
			require.NoError(t, err)
			assert.Len(t, approved, 1)
		})
	}
}
