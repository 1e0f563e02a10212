package grants_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// fieldIs asserts err wraps sentinel and is a *FieldError naming field.
func fieldIs(t *testing.T, err error, sentinel error, field string) {
	t.Helper()
	require.Error(t, err)
	assert.ErrorIs(t, err, sentinel)
	var fe *grants.FieldError
	if assert.ErrorAs(t, err, &fe, "want a *FieldError, got %v", err) {
		assert.Equal(t, field, fe.Field, "%v", err)
	}
}

func TestDraftBadInput(t *testing.T) {
	w := newWorld(t)
	cases := []struct {
		name  string
		edit  func(f *grants.NewApplication)
		field string
	}{
		{"three decimal places", func(f *grants.NewApplication) { f.Amount = gbp("240.001") }, "Amount"},
		{"negative", func(f *grants.NewApplication) { f.Amount = gbp("-5") }, "Amount"},
		{"zero", func(f *grants.NewApplication) { f.Amount = decimal.Zero }, "Amount"},
		{"cash match fraction of a penny", func(f *grants.NewApplication) { f.CashMatch = gbp("1.255") }, "CashMatch"},
		{"cost fraction", func(f *grants.NewApplication) {
			f.Costs = []grants.Cost{{Item: "x", Amount: gbp("239.999")}, {Item: "y", Amount: gbp("0.001")}}
		}, "Costs[0].Amount"},
		{"costs do not add up", func(f *grants.NewApplication) { f.Costs[0].Amount = gbp("100") }, "Costs"},
		{"no contact", func(f *grants.NewApplication) { f.Applicant.Email, f.Applicant.Phone = "", "" }, "Applicant.Email"},
		{"no contact name", func(f *grants.NewApplication) { f.Applicant.ContactName = " " }, "Applicant.ContactName"},
		{"bad email", func(f *grants.NewApplication) { f.Applicant.Email = "not an email" }, "Applicant.Email"},
		{"charity without number", func(f *grants.NewApplication) {
			f.Applicant.Type, f.Applicant.OrgID = grants.Charity, "GB-COH-01234567"
		}, "Applicant.OrgID"},
		{"company id", func(f *grants.NewApplication) { f.Applicant.Type, f.Applicant.OrgID = grants.Company, "GB-COH-12" }, "Applicant.OrgID"},
		{"group with org id", func(f *grants.NewApplication) { f.Applicant.OrgID = "GB-CHC-1234567" }, "Applicant.OrgID"},
		{"unknown type", func(f *grants.NewApplication) { f.Applicant.Type = "club" }, "Applicant.Type"},
		{"no title", func(f *grants.NewApplication) { f.Title = "" }, "Title"},
		{"an idea too long to claim", func(f *grants.NewApplication) { f.Idea = strings.Repeat("garden ", 80) }, "Idea"},
		{"no round", func(f *grants.NewApplication) { f.Round = "" }, "Round"},
		{"delivered before", func(f *grants.NewApplication) { f.Supporters[0].Delivered = 60 }, "Supporters[0].Delivered"},
		{"one neighbour as three supporters", func(f *grants.NewApplication) {
			f.Supporters = []grants.Supporter{{Name: "Ann", Pledged: 480}, {Name: "Ann", Pledged: 480}, {Name: "Ann", Pledged: 480}}
		}, "Supporters[1].Name"},
		{"same supporter, other case and spacing", func(f *grants.NewApplication) {
			f.Supporters = []grants.Supporter{{Name: "Ann Lee", Pledged: 480}, {Name: "Bob", Pledged: 480}, {Name: "  ann LEE ", Pledged: 60}}
		}, "Supporters[2].Name"},
		{"ends before start", func(f *grants.NewApplication) {
			a, b := start, start.Add(-time.Hour)
			f.PlannedStart, f.PlannedEnd = &a, &b
		}, "PlannedEnd"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := w.form("Planters")
			c.edit(&f)
			_, err := w.svc.Draft(w.ctx, w.as("applicant"), f)
			fieldIs(t, err, grants.ErrInvalid, c.field)
		})
	}
	all, err := w.store.Applications(w.ctx, grants.ApplicationFilter{})
	require.NoError(t, err)
	assert.Empty(t, all, "nothing written")
	f := w.form("Planters")
	f.Round = "nope"
	_, err = w.svc.Draft(w.ctx, w.as("applicant"), f)
	fieldIs(t, err, grants.ErrNotFound, "Round")
	// Two decimal places, and trailing zeros beyond them, are fine.
	f = w.form("Planters")
	f.Amount, f.Costs = gbp("240.000"), nil
	_, err = w.svc.Draft(w.ctx, w.as("applicant"), f)
	require.NoError(t, err)
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]string{"250": "250", "£1,250.50": "1250.5", " 0.01 ": "0.01", "6480.00": "6480"} {
		d, err := grants.ParseMoney("Amount", in)
		require.NoError(t, err, in)
		assert.True(t, d.Equal(gbp(want)), in)
	}
	for _, in := range []string{"", "12.345", "-1", "ten", "1e3", "0x10", "£"} {
		_, err := grants.ParseMoney("Amount", in)
		fieldIs(t, err, grants.ErrInvalid, "Amount")
	}
	assert.Equal(t, "£6,480.00", grants.Pounds(gbp("6480")))
	assert.Equal(t, "£1,000,000.05", grants.Pounds(gbp("1000000.05")))
}

func TestFundAndRoundBadInput(t *testing.T) {
	w := newWorld(t)
	f := smallSparks()
	f.MaxAward = gbp("40")
	_, err := w.svc.CreateFund(w.ctx, w.as("admin"), f)
	fieldIs(t, err, grants.ErrInvalid, "MaxAward")
	f = smallSparks()
	f.Budgets[0].Amount = gbp("10000.001")
	_, err = w.svc.CreateFund(w.ctx, w.as("admin"), f)
	fieldIs(t, err, grants.ErrInvalid, "Budgets")
	f = smallSparks()
	f.FunderID = "Thurrock"
	_, err = w.svc.CreateFund(w.ctx, w.as("admin"), f)
	fieldIs(t, err, grants.ErrInvalid, "FunderID")
	f = smallSparks()
	f.Rules = append(f.Rules, grants.Rule{Kind: grants.KindSupporters})
	_, err = w.svc.CreateFund(w.ctx, w.as("admin"), f)
	fieldIs(t, err, grants.ErrInvalid, "Rules.Count")
	_, err = w.svc.CreateFund(w.ctx, w.as("officer"), smallSparks())
	fieldIs(t, err, grants.ErrForbidden, "actor")

	_, err = w.svc.OpenRound(w.ctx, w.as("officer"), grants.NewRound{Fund: w.fund.ID, Name: "Backwards", Year: 2014,
		Opens: start, Closes: start.Add(-time.Hour)})
	fieldIs(t, err, grants.ErrInvalid, "Closes")
	_, err = w.svc.OpenRound(w.ctx, w.as("officer"), grants.NewRound{Fund: w.fund.ID, Name: "No budget", Year: 2019,
		Opens: start, Closes: start.Add(time.Hour)})
	fieldIs(t, err, grants.ErrInvalid, "Year")
	_, err = w.svc.OpenRound(w.ctx, w.as("p1"), grants.NewRound{Fund: w.fund.ID, Name: "x", Year: 2014, Opens: start, Closes: start})
	fieldIs(t, err, grants.ErrForbidden, "actor")
	rs, err := w.store.Rounds(w.ctx, grants.RoundFilter{})
	require.NoError(t, err)
	assert.Len(t, rs, 1, "nothing written")
}

func TestLifecycle(t *testing.T) {
	w := newWorld(t)
	a := w.submitted(w.form("Planters"))
	// More information requested and resubmitted, with a change.
	a, err := w.svc.RequestInfo(w.ctx, w.as("officer"), a.ID, "how many planters?")
	require.NoError(t, err)
	assert.Equal(t, grants.InfoRequested, a.Status)
	_, err = w.svc.CheckEligibility(w.ctx, w.as("officer"), a.ID)
	fieldIs(t, err, grants.ErrInvalidTransition, "Status")
	f := w.form("Planters")
	f.Description = "Six planters and bulbs"
	_, err = w.svc.Resubmit(w.ctx, w.as("someone-else"), a.ID, &f)
	fieldIs(t, err, grants.ErrForbidden, "actor")
	a, err = w.svc.Resubmit(w.ctx, w.as("applicant"), a.ID, &f)
	require.NoError(t, err)
	assert.Equal(t, grants.Resubmitted, a.Status)
	assert.Equal(t, "Six planters and bulbs", a.Description)
	a, err = w.svc.RequestInfo(w.ctx, w.as("officer"), a.ID, "and a photo of the close")
	require.NoError(t, err)
	a, err = w.svc.Resubmit(w.ctx, w.as("applicant"), a.ID, nil)
	require.NoError(t, err)
	a, err = w.svc.CheckEligibility(w.ctx, w.as("officer"), a.ID)
	require.NoError(t, err)
	assert.Equal(t, grants.EligibilityChecked, a.Status)
	// An award without an approval is refused, and so is paying.
	_, err = w.svc.Award(w.ctx, w.as("officer"), a.ID)
	fieldIs(t, err, grants.ErrInvalidTransition, "Status")
	_, err = w.svc.Pay(w.ctx, w.as("officer"), a.ID, gbp("10"), "")
	fieldIs(t, err, grants.ErrInvalidTransition, "Status")
	_, err = w.svc.Approve(w.ctx, w.as("officer"), a.ID, gbp("240"), "ok")
	fieldIs(t, err, grants.ErrInvalidTransition, "Status")
	a, err = w.svc.StartReview(w.ctx, w.as("officer"), a.ID)
	require.NoError(t, err)
	// No quorum yet.
	_, err = w.svc.Approve(w.ctx, w.as("officer"), a.ID, gbp("240"), "ok")
	fieldIs(t, err, grants.ErrInvalidTransition, "Scores")
	for _, p := range []string{"p1", "p2"} {
		_, err = w.svc.ScoreApplication(w.ctx, w.as(p), a.ID, map[string]int{"community benefit": 3, "neighbour involvement": 4}, "")
		require.NoError(t, err)
	}
	a = w.mustApprove(a.ID, "240")
	a, err = w.svc.Award(w.ctx, w.as("officer"), a.ID)
	require.NoError(t, err)
	a, err = w.svc.Pay(w.ctx, w.as("officer"), a.ID, gbp("240"), "BACS")
	require.NoError(t, err)
	assert.Equal(t, grants.Paid, a.Status)
	a, err = w.svc.RecordDelivery(w.ctx, w.as("applicant"), a.ID, "N1", 9*60)
	require.NoError(t, err)
	a, err = w.svc.ReportOutcome(w.ctx, w.as("applicant"), a.ID, grants.Outcome{Summary: "The close is green", PeopleReached: 40,
		Photos: []string{"https://example.org/close.jpg"}})
	require.NoError(t, err)
	assert.Equal(t, grants.Monitored, a.Status)
	_, err = w.svc.CloseApplication(w.ctx, w.as("applicant"), a.ID, "done")
	fieldIs(t, err, grants.ErrForbidden, "actor")
	a, err = w.svc.CloseApplication(w.ctx, w.as("officer"), a.ID, "done")
	require.NoError(t, err)
	assert.Equal(t, grants.Closed, a.Status)
	// Closed is final.
	_, err = w.svc.Withdraw(w.ctx, w.as("applicant"), a.ID, "too late")
	fieldIs(t, err, grants.ErrInvalidTransition, "Status")

	// The audit trail has every move, with who and why.
	h, err := w.svc.History(w.ctx, call.As("officer"), a.ID)
	require.NoError(t, err)
	var moves []string
	for _, e := range h {
		require.NotEmpty(t, e.Actor)
		require.False(t, e.At.IsZero())
		if e.From != e.To {
			moves = append(moves, string(e.To))
		}
	}
	assert.Equal(t, []string{"draft", "submitted", "info-requested", "resubmitted", "info-requested", "resubmitted",
		"eligibility-checked", "under-review", "approved", "awarded", "paid", "monitored", "closed"}, moves)
	assert.Equal(t, "how many planters?", h[2].Note)
	assert.Equal(t, "officer", h[2].Actor)
}

func (w *world) mustApprove(id, amount string) *grants.Application {
	w.t.Helper()
	a, err := w.svc.Approve(w.ctx, w.as("officer"), id, gbp(amount), "meets the priorities")
	require.NoError(w.t, err)
	return a
}

func TestTransitionTable(t *testing.T) {
	// Every status named in the table, and the final ones are final.
	for _, final := range []grants.Status{grants.Declined, grants.Withdrawn, grants.Closed} {
		assert.Empty(t, grants.Transitions()[final])
	}
	assert.Contains(t, grants.Transitions()[grants.InfoRequested], grants.Resubmitted)
	assert.Contains(t, grants.Transitions()[grants.Resubmitted], grants.InfoRequested)
	assert.NotContains(t, grants.Transitions()[grants.UnderReview], grants.Awarded)
}

func TestIneligibleIsDeclinedWithReasons(t *testing.T) {
	w := newWorld(t)
	cases := map[string]func(f *grants.NewApplication){
		"amount": func(f *grants.NewApplication) { f.Amount, f.Costs, f.CashMatch = gbp("300"), nil, gbp("60") },
		"applicant-type": func(f *grants.NewApplication) {
			f.Applicant.Type, f.Applicant.OrgID = grants.Company, "GB-COH-01234567"
		},
		"no-running-costs": func(f *grants.NewApplication) { f.Costs[1].Running = true },
		"exclusions":       func(f *grants.NewApplication) { f.Purposes = []string{"party-political"} },
		"supporters": func(f *grants.NewApplication) {
			f.Supporters = []grants.Supporter{{Name: "a", Pledged: 600}, {Name: "b", Pledged: 600}}
		},
		"match": func(f *grants.NewApplication) {
			f.Supporters = []grants.Supporter{{Name: "a", Pledged: 60}, {Name: "b", Pledged: 60}, {Name: "c", Pledged: 60}}
		},
		"priorities": func(f *grants.NewApplication) { f.Priorities = []string{"something else"} },
	}
	for rule, edit := range cases {
		t.Run(rule, func(t *testing.T) {
			f := w.form("Idea " + rule)
			edit(&f)
			a := w.submitted(f)
			a, err := w.svc.CheckEligibility(w.ctx, w.as("officer"), a.ID)
			require.NoError(t, err)
			assert.Equal(t, grants.Declined, a.Status)
			assert.Contains(t, a.Note, rule+":")
			var failed []string
			for _, c := range a.Eligibility.Checks {
				if !c.Pass {
					failed = append(failed, c.Rule)
				}
			}
			assert.Equal(t, []string{rule}, failed)
		})
	}
}

// A resubmission that names one neighbour twice is refused too, and
// nothing is changed.
func TestResubmitDuplicateSupporters(t *testing.T) {
	w := newWorld(t)
	a := w.submitted(w.form("Planters"))
	_, err := w.svc.RequestInfo(w.ctx, w.as("officer"), a.ID, "who are the neighbours?")
	require.NoError(t, err)
	f := w.form("Planters")
	f.Supporters = []grants.Supporter{{Name: "Ann", Pledged: 480}, {Name: "Bob", Pledged: 480}, {Name: "ANN", Pledged: 480}}
	_, err = w.svc.Resubmit(w.ctx, w.as("applicant"), a.ID, &f)
	fieldIs(t, err, grants.ErrInvalid, "Supporters[2].Name")
	got, err := w.store.Application(w.ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, grants.InfoRequested, got.Status)
}

// The supporters rule counts people, not names: an application stored
// with one neighbour named three times (as a store written before names
// were checked may hold) fails a rule needing three.
func TestSupportersRuleCountsPeople(t *testing.T) {
	rule := []grants.Rule{{Kind: grants.KindSupporters, Count: 3, Minutes: 60}}
	a := &grants.Application{Supporters: []grants.Supporter{{Name: "Ann", Pledged: 480}, {Name: " ann", Pledged: 480}, {Name: "ANN ", Pledged: 480}}}
	e := grants.Evaluate(rule, a, grants.Env{})
	assert.False(t, e.Pass, "%v", e.Checks)
	a.Supporters[1].Name, a.Supporters[2].Name = "Bob", "Cy"
	assert.True(t, grants.Evaluate(rule, a, grants.Env{}).Pass)
}

// Two applications with the same idea both pass the eligibility check
// while neither is approved; the store lets only the first approval claim
// the idea. Withdrawing it frees the idea again.
func TestSameIdeaApprovedOnce(t *testing.T) {
	w := newWorld(t)
	a1 := w.reviewed(w.form("Planters for Elm Close"))
	f := w.form("planters for  ELM close")
	f.Applicant.Name = "Another group"
	a2 := w.reviewed(f)
	w.mustApprove(a1.ID, "240")
	_, err := w.svc.Approve(w.ctx, w.as("officer"), a2.ID, gbp("240"), "fits")
	fieldIs(t, err, grants.ErrIdeaFunded, "Idea")
	assert.ErrorIs(t, err, grants.ErrInvalid)
	assert.Contains(t, err.Error(), "funded before")
	got, err := w.store.Application(w.ctx, a2.ID)
	require.NoError(t, err)
	assert.Equal(t, grants.UnderReview, got.Status, "nothing written")
	_, err = w.svc.Withdraw(w.ctx, w.as("applicant"), a1.ID, "merged with the other group")
	require.NoError(t, err)
	w.mustApprove(a2.ID, "240")
}

// A fund whose rules do not insist on new ideas may fund one twice.
func TestRepeatIdeaAllowedByRules(t *testing.T) {
	w := newWorld(t)
	sp := smallSparks()
	sp.Name = "Repeat friendly"
	sp.Rules = slices.DeleteFunc(sp.Rules, func(r grants.Rule) bool { return r.Kind == grants.KindNewIdea })
	fund, err := w.svc.CreateFund(w.ctx, w.as("admin"), sp)
	require.NoError(t, err)
	round, err := w.svc.OpenRound(w.ctx, w.as("officer"), grants.NewRound{Fund: fund.ID, Name: "Summer", Year: 2014,
		Opens: start.Add(-24 * time.Hour), Closes: start.Add(30 * 24 * time.Hour)})
	require.NoError(t, err)
	w.fund, w.round = fund, round
	a1 := w.reviewed(w.form("Planters"))
	a2 := w.reviewed(w.form("Planters"))
	w.mustApprove(a1.ID, "240")
	w.mustApprove(a2.ID, "240")
}

func TestSameIdeaFundedOnce(t *testing.T) {
	w := newWorld(t)
	w.awarded(w.form("Planters for Elm Close"), "240")
	f := w.form("  planters FOR elm   close ")
	f.Applicant.Name = "Another group"
	a := w.submitted(f)
	a, err := w.svc.CheckEligibility(w.ctx, w.as("officer"), a.ID)
	require.NoError(t, err)
	assert.Equal(t, grants.Declined, a.Status)
	assert.Contains(t, a.Note, "new-idea")
}

func TestPanelConflicts(t *testing.T) {
	w := newWorld(t)
	a := w.submitted(w.form("Planters"))
	a, err := w.svc.CheckEligibility(w.ctx, w.as("officer"), a.ID)
	require.NoError(t, err)
	a, err = w.svc.StartReview(w.ctx, w.as("officer"), a.ID)
	require.NoError(t, err)
	scores := map[string]int{"community benefit": 5, "neighbour involvement": 5}
	_, err = w.svc.ScoreApplication(w.ctx, w.as("officer"), a.ID, scores, "")
	fieldIs(t, err, grants.ErrForbidden, "actor")
	_, err = w.svc.ScoreApplication(w.ctx, w.as("p1"), a.ID, map[string]int{"community benefit": 6, "neighbour involvement": 1}, "")
	fieldIs(t, err, grants.ErrInvalid, "Scores")
	_, err = w.svc.ScoreApplication(w.ctx, w.as("p1"), a.ID, map[string]int{"community benefit": 3}, "")
	fieldIs(t, err, grants.ErrInvalid, "Scores")
	_, err = w.svc.ScoreApplication(w.ctx, w.as("p1"), a.ID, map[string]int{"community benefit": 3, "neighbour involvement": 1, "looks": 2}, "")
	fieldIs(t, err, grants.ErrInvalid, "Scores")
	// p1 scores 10, then declares a conflict: the score is excluded.
	_, err = w.svc.ScoreApplication(w.ctx, w.as("p1"), a.ID, scores, "my neighbour's idea")
	require.NoError(t, err)
	_, err = w.svc.ScoreApplication(w.ctx, w.as("p1"), a.ID, scores, "again")
	fieldIs(t, err, grants.ErrInvalidTransition, "Scores")
	_, err = w.svc.DeclareConflict(w.ctx, w.as("p1"), a.ID, "")
	fieldIs(t, err, grants.ErrInvalid, "reason")
	_, err = w.svc.DeclareConflict(w.ctx, w.as("p1"), a.ID, "lives on Elm Close")
	require.NoError(t, err)
	// p2 declares first, then scores: excluded too.
	_, err = w.svc.DeclareConflict(w.ctx, w.as("p2"), a.ID, "applicant's sister")
	require.NoError(t, err)
	a, err = w.svc.ScoreApplication(w.ctx, w.as("p2"), a.ID, scores, "")
	require.NoError(t, err)
	assert.True(t, a.Scores[0].Excluded)
	assert.True(t, a.Scores[1].Excluded)
	// Quorum 2 is not met by excluded scores.
	_, err = w.svc.Approve(w.ctx, w.as("officer"), a.ID, gbp("240"), "ok")
	fieldIs(t, err, grants.ErrInvalidTransition, "Scores")
	a, err = w.svc.ScoreApplication(w.ctx, w.as("p3"), a.ID, map[string]int{"community benefit": 2, "neighbour involvement": 3}, "")
	require.NoError(t, err)
	_, err = w.svc.Decline(w.ctx, w.as("officer"), a.ID, "")
	fieldIs(t, err, grants.ErrInvalid, "reason")
	a, err = w.svc.Decline(w.ctx, w.as("officer"), a.ID, "scored too low")
	require.NoError(t, err)
	require.NotNil(t, a.Decision)
	assert.Equal(t, 1, a.Decision.Counted, "only p3's score counts")
	assert.True(t, a.Decision.Mean.Equal(gbp("5")), a.Decision.Mean.String())
	assert.Equal(t, "scored too low", a.Decision.Reason)
}

func TestApproveChecks(t *testing.T) {
	w := newWorld(t)
	a := w.reviewed(w.form("Planters"))
	for amount, field := range map[string]string{"240.001": "Amount", "0": "Amount", "-1": "Amount", "40": "Amount", "250": "Amount"} {
		_, err := w.svc.Approve(w.ctx, w.as("officer"), a.ID, gbp(amount), "ok")
		fieldIs(t, err, grants.ErrInvalid, field)
	}
	_, err := w.svc.Approve(w.ctx, w.as("officer"), a.ID, gbp("240"), " ")
	fieldIs(t, err, grants.ErrInvalid, "reason")
	_, err = w.svc.Approve(w.ctx, w.as("p1"), a.ID, gbp("240"), "ok")
	fieldIs(t, err, grants.ErrForbidden, "actor")
	_, err = w.svc.Approve(w.ctx, w.as("applicant"), a.ID, gbp("240"), "ok")
	fieldIs(t, err, grants.ErrForbidden, "actor")
	tot, err := w.store.Totals(w.ctx, w.fund.ID, 2014)
	require.NoError(t, err)
	assert.True(t, tot.Committed.IsZero(), "nothing committed")
	a = w.mustApprove(a.ID, "200.50")
	assert.True(t, a.Award.Equal(gbp("200.50")))
	require.NotNil(t, a.Decision)
	assert.Equal(t, 2, a.Decision.Counted)
	assert.True(t, a.Decision.Mean.Equal(gbp("9")))
}

func TestBudgetNeverOvercommitted(t *testing.T) {
	w := newWorld(t)
	_, err := w.svc.SetBudget(w.ctx, w.as("admin"), w.fund.ID, 2014, gbp("500"))
	require.NoError(t, err)
	a1 := w.reviewed(w.form("One"))
	a2 := w.reviewed(w.form("Two"))
	a3 := w.reviewed(w.form("Three"))
	w.mustApprove(a1.ID, "240")
	w.mustApprove(a2.ID, "240")
	_, err = w.svc.Approve(w.ctx, w.as("officer"), a3.ID, gbp("50"), "ok")
	assert.ErrorIs(t, err, grants.ErrOverBudget)
	got, err := w.store.Application(w.ctx, a3.ID)
	require.NoError(t, err)
	assert.Equal(t, grants.UnderReview, got.Status, "nothing written")
	// The budget cannot be cut below what is committed.
	_, err = w.svc.SetBudget(w.ctx, w.as("admin"), w.fund.ID, 2014, gbp("479.99"))
	fieldIs(t, err, grants.ErrOverBudget, "Amount")
	// Withdrawing an approval releases its commitment.
	_, err = w.svc.Withdraw(w.ctx, w.as("applicant"), a2.ID, "the street party is cancelled")
	require.NoError(t, err)
	w.mustApprove(a3.ID, "240")
	tot, err := w.store.Totals(w.ctx, w.fund.ID, 2014)
	require.NoError(t, err)
	assert.True(t, tot.Committed.Equal(gbp("480")))
}

// Two officers approve at the same moment; only one fits the budget.
func TestTwoOfficersApproveAtOnce(t *testing.T) {
	for range 20 {
		w := newWorld(t)
		_, err := w.svc.SetBudget(w.ctx, w.as("admin"), w.fund.ID, 2014, gbp("400"))
		require.NoError(t, err)
		a1 := w.reviewed(w.form("One"))
		a2 := w.reviewed(w.form("Two"))
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, pair := range [][2]string{{"officer", a1.ID}, {"officer2", a2.ID}} {
			wg.Go(func() {
				_, errs[i] = w.svc.Approve(w.ctx, call.As(pair[0]).Key("approve-"+pair[1]), pair[1], gbp("240"), "fits")
			})
		}
		wg.Wait()
		over := 0
		for _, err := range errs {
			if err != nil {
				require.ErrorIs(t, err, grants.ErrOverBudget)
				over++
			}
		}
		assert.Equal(t, 1, over)
		tot, err := w.store.Totals(w.ctx, w.fund.ID, 2014)
		require.NoError(t, err)
		assert.True(t, tot.Committed.Equal(gbp("240")))
	}
}

func TestPaymentsNeverExceedAward(t *testing.T) {
	w := newWorld(t)
	a := w.awarded(w.form("Planters"), "240")
	a, err := w.svc.Pay(w.ctx, w.as("officer"), a.ID, gbp("100"), "1")
	require.NoError(t, err)
	_, err = w.svc.Pay(w.ctx, w.as("officer"), a.ID, gbp("140.01"), "2")
	fieldIs(t, err, grants.ErrOverpaid, "Amount")
	_, err = w.svc.Pay(w.ctx, w.as("officer"), a.ID, gbp("0.001"), "2")
	fieldIs(t, err, grants.ErrInvalid, "Amount")
	_, err = w.svc.Pay(w.ctx, w.as("applicant"), a.ID, gbp("1"), "2")
	fieldIs(t, err, grants.ErrForbidden, "actor")
	a, err = w.svc.Pay(w.ctx, w.as("officer"), a.ID, gbp("140"), "2")
	require.NoError(t, err)
	assert.Equal(t, grants.Paid, a.Status)
	assert.True(t, a.Unpaid().IsZero())
	_, err = w.svc.Pay(w.ctx, w.as("officer"), a.ID, gbp("0.01"), "3")
	fieldIs(t, err, grants.ErrInvalidTransition, "Status")
	// Even a batch that skips the Service is refused by the store.
	err = w.store.Apply(w.ctx, &grants.Batch{Pays: []grants.Pay{{Application: a.ID, Amount: gbp("0.01")}}})
	assert.ErrorIs(t, err, grants.ErrOverpaid)
}

func TestIdempotentWrites(t *testing.T) {
	w := newWorld(t)
	f := w.form("Planters")
	a1, err := w.svc.Draft(w.ctx, call.As("applicant").Key("same-key"), f)
	require.NoError(t, err)
	a2, err := w.svc.Draft(w.ctx, call.As("applicant").Key("same-key"), f)
	require.NoError(t, err)
	assert.Equal(t, a1.ID, a2.ID)
	f.Title = "Different"
	_, err = w.svc.Draft(w.ctx, call.As("applicant").Key("same-key"), f)
	fieldIs(t, err, grants.ErrConflict, "key")
	_, err = w.svc.Draft(w.ctx, call.As("applicant").Key(""), f)
	fieldIs(t, err, grants.ErrInvalid, "key")
	all, err := w.store.Applications(w.ctx, grants.ApplicationFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 1)
}

func TestSubmitOnlyWhileRoundOpen(t *testing.T) {
	w := newWorld(t)
	a, err := w.svc.Draft(w.ctx, w.as("applicant"), w.form("Late"))
	require.NoError(t, err)
	w.now = w.round.Closes.Add(time.Second)
	_, err = w.svc.Submit(w.ctx, w.as("applicant"), a.ID)
	fieldIs(t, err, grants.ErrInvalidTransition, "Round")
	_, err = w.svc.Submit(w.ctx, w.as("officer"), a.ID)
	fieldIs(t, err, grants.ErrForbidden, "actor")
}

func TestStaffRoles(t *testing.T) {
	w := newWorld(t)
	_, err := w.svc.AddStaff(w.ctx, w.as("officer"), grants.NewStaff{Name: "X", Roles: []grants.Role{grants.RolePanel}})
	fieldIs(t, err, grants.ErrForbidden, "actor")
	_, err = w.svc.AddStaff(w.ctx, w.as("admin"), grants.NewStaff{Name: "X", Roles: []grants.Role{"boss"}})
	fieldIs(t, err, grants.ErrInvalid, "Roles")
	// Only the very first member of staff may add themself.
	_, err = w.svc.AddStaff(w.ctx, w.as("intruder"), grants.NewStaff{ID: "intruder", Name: "I", Roles: []grants.Role{grants.RoleAdmin}})
	fieldIs(t, err, grants.ErrForbidden, "actor")
}

func TestDeliveredAgainstPledged(t *testing.T) {
	w := newWorld(t)
	a := w.awarded(w.form("Planters"), "240")
	_, err := w.svc.RecordDelivery(w.ctx, w.as("applicant"), a.ID, "Nobody", 60)
	fieldIs(t, err, grants.ErrInvalid, "supporter")
	_, err = w.svc.RecordDelivery(w.ctx, w.as("stranger"), a.ID, "N1", 60)
	fieldIs(t, err, grants.ErrForbidden, "actor")
	// A supporter is found by their name trimmed and case-folded.
	for name, m := range map[string]int64{"N1": 10 * 60, " n2 ": 5 * 60, "N3": 0} {
		_, err := w.svc.RecordDelivery(w.ctx, w.as("applicant"), a.ID, name, m)
		require.NoError(t, err)
	}
	r, err := w.svc.Report(w.ctx, w.fund.ID, 2014)
	require.NoError(t, err)
	assert.EqualValues(t, 20*60, r.PledgedMinutes)
	assert.EqualValues(t, 15*60, r.DeliveredMinutes)
	assert.True(t, r.MatchedValue.Equal(gbp("240")), r.MatchedValue.String())
	assert.True(t, r.DeliveredValue.Equal(gbp("180")), r.DeliveredValue.String())
}

func TestErrorsWrapSentinels(t *testing.T) {
	err := &grants.FieldError{Field: "Amount", Reason: "bad"}
	assert.True(t, errors.Is(err, grants.ErrInvalid))
	assert.Equal(t, "grants: invalid: Amount: bad", err.Error())
	err = &grants.FieldError{Field: "Amount", Reason: "bad", Err: grants.ErrOverpaid}
	assert.True(t, errors.Is(err, grants.ErrOverpaid))
}
