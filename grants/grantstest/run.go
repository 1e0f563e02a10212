package grantstest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/grants"
)

// Run checks that the stores newStore returns behave as grants.Store's
// documentation says. Each sub-test calls newStore once and must get an
// empty store; newStore registers any clean-up with t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) grants.Store) {
	t.Helper()
	for _, tc := range suite() {
		t.Run(tc.name, func(t *testing.T) {
			s := newStore(t)
			if s == nil {
				t.Fatal("newStore returned nil")
			}
			tc.run(t, s)
		})
	}
}

type test struct {
	name string
	run  func(t *testing.T, s grants.Store)
}

func suite() []test {
	return []test{
		{"FundRoundTrip", testFundRoundTrip},
		{"RoundRoundTrip", testRoundRoundTrip},
		{"StaffRoundTrip", testStaffRoundTrip},
		{"ApplicationRoundTrip", testApplicationRoundTrip},
		{"ReadsAreCopies", testReadsAreCopies},
		{"NotFound", testNotFound},
		{"UpdateVersions", testUpdateVersions},
		{"Atomicity", testAtomicity},
		{"Idempotency", testIdempotency},
		{"CommitWithinBudget", testCommitWithinBudget},
		{"CommitOverBudget", testCommitOverBudget},
		{"CommitRelease", testCommitRelease},
		{"CommitMalformed", testCommitMalformed},
		{"BudgetSet", testBudgetSet},
		{"IdeaClaims", testIdeaClaims},
		{"Payments", testPayments},
		{"Events", testEvents},
		{"EventsAfter", testEventsAfter},
		{"ListFunds", testListFunds},
		{"ListRounds", testListRounds},
		{"ListStaff", testListStaff},
		{"ListApplications", testListApplications},
		{"ConcurrentCommits", testConcurrentCommits},
		{"ConcurrentOfficers", testConcurrentOfficers},
		{"ConcurrentBudgetCuts", testConcurrentBudgetCuts},
		{"ConcurrentBudgetCutAndApproval", testConcurrentBudgetCutAndApproval},
		{"ConcurrentIdeaClaims", testConcurrentIdeaClaims},
		{"ConcurrentSameIdeaApprovals", testConcurrentSameIdeaApprovals},
		{"ConcurrentPays", testConcurrentPays},
		{"ConcurrentKeys", testConcurrentKeys},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"BootstrapRace", testBootstrapRace},
		{"KeyScoping", testKeyScoping},
		{"ReplayAfterLosingRole", testReplayAfterLosingRole},
		{"IncomeRaisesAvailable", testIncomeRaisesAvailable},
		{"IncomeReversal", testIncomeReversal},
		{"IncomeIdempotent", testIncomeIdempotent},
		{"IncomeBadInput", testIncomeBadInput},
		{"ConcurrentIncomeAwards", testConcurrentIncomeAwards},
		{"Erasure", testErasure},
		{"TextRefused", testTextRefused},
	}
}

// base is the suite's clock: times are in UTC, to the microsecond.
var base = time.Date(2014, time.June, 2, 10, 30, 15, 123456000, time.UTC)

func at(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }

func pounds(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func ptr[T any](v T) *T { return &v }

// sameJSON asserts that two records encode alike: decimals compare by
// their canonical form, times as instants in UTC.
func sameJSON(t *testing.T, want, got any, msg string) {
	t.Helper()
	w, err := json.Marshal(want)
	require.NoError(t, err)
	g, err := json.Marshal(got)
	require.NoError(t, err)
	assert.JSONEq(t, string(w), string(g), msg)
}

func ctxOf(t *testing.T) context.Context { return t.Context() }

// fund returns a fully filled fund record.
func fund(id string) *grants.Fund {
	min, max := pounds("50"), pounds("250")
	rate, share := pounds("12"), pounds("1")
	return &grants.Fund{
		ID: id, Name: "Small Sparks " + id, Description: "new one-off projects", FunderName: "Thurrock Council",
		FunderID: "GB-LAE-THR", Prefix: "a00thr",
		Budgets:  []grants.Budget{{Year: 2014, Amount: pounds("10000")}, {Year: 2015, Amount: pounds("8000.50")}},
		MinAward: min, MaxAward: max, Priorities: []string{"neighbours", "green spaces"},
		Criteria: []string{"need", "reach"}, MaxScore: 5, Quorum: 2,
		Rules: []grants.Rule{
			{Kind: grants.KindAmount, Min: &min, Max: &max},
			{Kind: grants.KindMatch, Name: "sweat equity", HourlyRate: &rate, Share: &share},
			{Kind: grants.KindAny, Rules: []grants.Rule{{Kind: grants.KindNewIdea}, {Kind: grants.KindPriorities}}},
		},
		CreatedAt: at(0), CreatedBy: "admin", UpdatedAt: at(0), UpdatedBy: "admin", Version: 1,
	}
}

func round(id, fund string, year int) *grants.Round {
	return &grants.Round{ID: id, Fund: fund, Name: "Round " + id, Year: year, Opens: at(0), Closes: at(60 * 24 * 30),
		CreatedAt: at(1), CreatedBy: "officer", Version: 1}
}

func staff(id string, roles ...grants.Role) *grants.Staff {
	return &grants.Staff{ID: id, Name: "Staff " + id, Roles: roles, Active: true, CreatedAt: at(0), CreatedBy: "admin", Version: 1}
}

// application returns a fully filled application record.
func application(id, fund, round string, year int, created time.Time) *grants.Application {
	start, end := at(100), at(200)
	awarded := at(50)
	return &grants.Application{
		ID: id, Fund: fund, Round: round, Year: year, Owner: "owner-" + id,
		Title: "Street party " + id, Description: "A jubilee street party", Idea: "street party " + id,
		Applicant: grants.Applicant{Type: grants.UnconstitutedGroup, Name: "Friends of " + id, ContactName: "Sam",
			Email: "sam@example.org", Phone: "01375 000000", Postcode: "RM18 7AA"},
		Ward: "Tilbury St Chads", Amount: pounds("249.99"),
		Costs:      []grants.Cost{{Item: "bunting", Amount: pounds("49.99")}, {Item: "hall", Amount: pounds("200"), Running: true}},
		Purposes:   []string{"celebration"},
		Priorities: []string{"neighbours"},
		Supporters: []grants.Supporter{{Name: "A", Pledged: 120, Delivered: 90}, {Name: "B", Pledged: 60}},
		CashMatch:  pounds("10.50"), InKindMatch: pounds("0.01"),
		PlannedStart: &start, PlannedEnd: &end,
		Status:      grants.Awarded,
		Eligibility: &grants.Eligibility{Pass: true, Checks: []grants.Check{{Rule: "amount", Pass: true, Reason: "ok"}}},
		Conflicts:   []grants.Conflict{{Member: "p2", Reason: "neighbour", At: at(20)}},
		Scores: []grants.Score{{Member: "p1", Scores: map[string]int{"need": 4, "reach": 3}, Total: 7, Comment: "good", At: at(21)},
			{Member: "p2", Scores: map[string]int{"need": 5, "reach": 5}, Total: 10, Excluded: true, At: at(22)}},
		Decision:  &grants.Decision{By: "officer", At: at(30), Approved: true, Amount: pounds("200"), Reason: "fits", Counted: 1, Mean: pounds("7")},
		Award:     pounds("200"),
		AwardedAt: &awarded,
		Paid:      pounds("100"),
		Payments:  []grants.Payment{{ID: "pay-1", Amount: pounds("100"), Reference: "BACS 1", By: "officer", At: at(60)}},
		Outcome:   &grants.Outcome{Summary: "fun", PeopleReached: 80, Photos: []string{"https://example.org/p.jpg"}, At: at(70), By: "owner"},
		Note:      "paid £100.00",
		CreatedAt: created, UpdatedAt: created, UpdatedBy: "owner-" + id, Version: 1,
	}
}

// h is a helper holding a store and the test.
type h struct {
	t   *testing.T
	s   grants.Store
	ctx context.Context
}

func newH(t *testing.T, s grants.Store) *h { return &h{t: t, s: s, ctx: t.Context()} }

func (h *h) apply(b *grants.Batch) {
	h.t.Helper()
	require.NoError(h.t, h.s.Apply(h.ctx, b))
}

// setup creates fund f with a 2014 round r.
func (h *h) setup(f, r string) {
	h.t.Helper()
	fd := fund(f)
	h.apply(&grants.Batch{Funds: []*grants.Fund{fd}, Rounds: []*grants.Round{round(r, f, 2014)}, Budgets: budgetsOf(fd)})
}

func (h *h) app(id, f, r string) *grants.Application {
	h.t.Helper()
	a := application(id, f, r, 2014, at(len(id)))
	h.apply(&grants.Batch{Applications: []*grants.Application{a}})
	return a
}

func commit(f string, year int, app, amount string) grants.Commit {
	return grants.Commit{Fund: f, Year: year, Application: app, Amount: pounds(amount)}
}

func budget(f string, year int, amount string) grants.BudgetSet {
	return grants.BudgetSet{Fund: f, Year: year, Amount: pounds(amount)}
}

// budgetsOf returns the ledger entries for a fund record's budgets, which a
// batch creating the fund carries (as Service.CreateFund's does).
func budgetsOf(f *grants.Fund) []grants.BudgetSet {
	var out []grants.BudgetSet
	for _, b := range f.Budgets {
		out = append(out, grants.BudgetSet{Fund: f.ID, Year: b.Year, Amount: b.Amount})
	}
	return out
}

// setBudget sets a fund's budget for a year in the ledger.
func (h *h) setBudget(f string, year int, amount string) {
	h.t.Helper()
	h.apply(&grants.Batch{Budgets: []grants.BudgetSet{budget(f, year, amount)}})
}

func (h *h) totals(f string, year int) (committed, paid string) {
	h.t.Helper()
	tot, err := h.s.Totals(h.ctx, f, year)
	require.NoError(h.t, err)
	return tot.Committed.StringFixed(2), tot.Paid.StringFixed(2)
}

func ids[T any](xs []*T, id func(*T) string) []string {
	out := []string{}
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}

func appIDs(xs []*grants.Application) []string {
	return ids(xs, func(a *grants.Application) string { return a.ID })
}

func name(prefix string, i int) string { return fmt.Sprintf("%s-%03d", prefix, i) }
