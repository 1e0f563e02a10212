package sqlite_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// TestGrantsGolden opens testdata/golden/grants.sqlite — a database written
// by the code before migration 0011 (see grants_gen.go.txt beside it), with
// every record kind and every field set — with today's code, which
// migrates it, and reads every record back through the Service, checking
// every field. A change that loses or misreads stored data fails here.
func TestGrantsGolden(t *testing.T) {
	ctx := t.Context()
	src, err := os.ReadFile(filepath.Join("testdata", "golden", "grants.sqlite"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "grants.sqlite")
	require.NoError(t, os.WriteFile(path, src, 0o600))
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	svc := grants.NewService(sqlite.NewGrantsStore(db))
	admin, officer := call.As("admin"), call.As("officer")

	d := decimal.RequireFromString
	dp := func(s string) *decimal.Decimal { v := d(s); return &v }
	base := time.Date(2014, time.June, 2, 10, 30, 15, 123456000, time.UTC)
	h := func(n int) time.Time { return base.Add(time.Duration(n) * time.Hour) }
	hp := func(n int) *time.Time { v := h(n); return &v }

	f, err := svc.Fund(ctx, "fund-golden")
	require.NoError(t, err)
	assert.Equal(t, &grants.Fund{ID: "fund-golden", Name: "Small Sparks", Description: "Matching funds for new one-off projects",
		FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00thr",
		Budgets:  []grants.Budget{{Year: 2014, Amount: d("10000")}, {Year: 2015, Amount: d("8000.5")}},
		MinAward: d("50"), MaxAward: d("250"),
		Priorities: []string{"bring neighbours together", "improve the neighbourhood"},
		Criteria:   []string{"community benefit", "neighbour involvement"}, MaxScore: 5, Quorum: 2,
		Rules: []grants.Rule{
			{Kind: grants.KindAmount, Name: "amount", Min: dp("50"), Max: dp("250")},
			{Kind: grants.KindApplicantType, Types: []grants.ApplicantType{grants.Individual, grants.UnconstitutedGroup, grants.Charity}},
			{Kind: grants.KindExclusions, Exclude: []string{"party-political"}},
			{Kind: grants.KindSupporters, Count: 2, Minutes: 60},
			{Kind: grants.KindMatch, Name: "sweat equity", HourlyRate: dp("12"), Share: dp("1")},
			{Kind: grants.KindAll, Name: "new and running", Rules: []grants.Rule{{Kind: grants.KindNewIdea},
				{Kind: grants.KindNot, Rules: []grants.Rule{{Kind: grants.KindNoRunningCosts}}}}},
			{Kind: grants.KindPriorities, Priorities: []string{"bring neighbours together"}},
		},
		CreatedAt: h(1), CreatedBy: "admin", UpdatedAt: h(2), UpdatedBy: "admin", Version: 2}, f)

	r, err := svc.Round(ctx, "rnd-golden")
	require.NoError(t, err)
	assert.Equal(t, &grants.Round{ID: "rnd-golden", Fund: "fund-golden", Name: "Summer 2014", Year: 2014, Opens: h(1),
		Closes: h(2).AddDate(0, 1, 0), CreatedAt: h(2), CreatedBy: "officer", Version: 1}, r)

	staff, err := svc.StaffList(ctx, admin, grants.StaffFilter{})
	require.NoError(t, err)
	assert.Equal(t, []*grants.Staff{
		{ID: "admin", Name: "Ada Admin", Roles: []grants.Role{grants.RoleAdmin}, Active: true, CreatedAt: h(0), CreatedBy: "admin", Version: 1},
		{ID: "officer", Name: "Olu Officer", Roles: []grants.Role{grants.RoleOfficer, grants.RolePanel}, Active: true, CreatedAt: h(0), CreatedBy: "admin", Version: 1},
		{ID: "panel-1", Name: "Pat Panel", Roles: []grants.Role{grants.RolePanel}, Active: true, CreatedAt: h(0), CreatedBy: "admin", Version: 1},
		{ID: "panel-2", Name: "Pip Panel", Roles: []grants.Role{grants.RolePanel}, Active: true, CreatedAt: h(0), CreatedBy: "admin", Version: 1},
		{ID: "panel-3", Name: "Poppy Panel", Roles: []grants.Role{grants.RolePanel}, Active: true, CreatedAt: h(0), CreatedBy: "admin", Version: 1},
	}, staff)

	start, end := time.Date(2014, 8, 1, 9, 0, 0, 0, time.UTC), time.Date(2014, 8, 31, 17, 0, 0, 0, time.UTC)
	a, err := svc.Application(ctx, officer, "app-1")
	require.NoError(t, err)
	assert.Equal(t, &grants.Application{ID: "app-1", Fund: "fund-golden", Round: "rnd-golden", Year: 2014, Owner: "applicant-1",
		Title: "Chadwell Street Party", Description: "A street party for the whole road", Idea: "chadwell street party",
		Applicant: grants.Applicant{Type: grants.Individual, Name: "Jo Bloggs", ContactName: "Jo Bloggs", Email: "jo.bloggs@example.org",
			Phone: "01375 000111", Postcode: "RM16 4AA", Regrants: true},
		Ward: "Chadwell St Mary", Amount: d("249.99"),
		Costs:      []grants.Cost{{Item: "bunting", Amount: d("49.99")}, {Item: "hall hire", Amount: d("200"), Running: true}},
		Purposes:   []string{"celebration"},
		Priorities: []string{"bring neighbours together"},
		Supporters: []grants.Supporter{{Name: "Ann Neighbour", Pledged: 600, Delivered: 540}, {Name: "Bob Neighbour", Pledged: 720}},
		CashMatch:  d("10.5"), InKindMatch: d("20.01"), PlannedStart: &start, PlannedEnd: &end,
		Status: grants.Closed,
		Eligibility: &grants.Eligibility{Pass: true, Checks: []grants.Check{
			{Rule: "amount", Pass: true, Reason: "£249.99 is within £50.00 to £250.00"},
			{Rule: "applicant-type", Pass: true, Reason: "a individual may apply"},
			{Rule: "exclusions", Pass: true, Reason: "no excluded purposes"},
			{Rule: "supporters", Pass: true, Reason: "2 supporters pledge at least 1h each"},
			{Rule: "sweat equity", Pass: true, Reason: "match of £294.51 reaches the £249.99 needed"},
			{Rule: "new and running", Pass: true, Reason: "all conditions met"},
			{Rule: "priorities", Pass: true, Reason: "addresses the priority \"bring neighbours together\""},
		}},
		Conflicts: []grants.Conflict{{Member: "panel-3", Reason: "lives on the road", At: h(8)}},
		Scores: []grants.Score{
			{Member: "panel-1", Scores: map[string]int{"community benefit": 3, "neighbour involvement": 2}, Total: 5, Comment: "comment 1 from panel-1", At: h(10)},
			{Member: "panel-2", Scores: map[string]int{"community benefit": 4, "neighbour involvement": 3}, Total: 7, Comment: "comment 2 from panel-2", At: h(11)},
			{Member: "panel-3", Scores: map[string]int{"community benefit": 5, "neighbour involvement": 4}, Total: 9, Comment: "comment 3 from panel-3", Excluded: true, At: h(12)},
		},
		Decision:  &grants.Decision{By: "officer", At: h(13), Approved: true, Amount: d("200"), Reason: "strong neighbour support", Counted: 2, Mean: d("6")},
		Award:     d("200"),
		AwardedAt: hp(14),
		Paid:      d("200"),
		Payments: []grants.Payment{{ID: "pay-2", Amount: d("120"), Reference: "BACS 0001", By: "officer", At: h(15)},
			{ID: "pay-3", Amount: d("80"), Reference: "BACS 0002", By: "officer", At: h(16)}},
		Outcome: &grants.Outcome{Summary: "Eighty neighbours came", PeopleReached: 80,
			Photos: []string{"https://example.org/party-1.jpg", "https://example.org/party-2.jpg"}, At: h(18), By: "applicant-1"},
		Note:      "monitoring complete",
		CreatedAt: h(3), UpdatedAt: h(19), UpdatedBy: "officer", Version: 17}, a)

	b, err := svc.Application(ctx, call.As("applicant-2"), "app-4")
	require.NoError(t, err, "the owner reads their own")
	assert.Equal(t, &grants.Application{ID: "app-4", Fund: "fund-golden", Round: "rnd-golden", Year: 2014, Owner: "applicant-2",
		Title: "Garden club", Description: "Raised beds", Idea: "garden club",
		Applicant: grants.Applicant{Type: grants.Charity, Name: "Grays Garden Trust", OrgID: "GB-CHC-0000001", ContactName: "Kim Gardener",
			Email: "kim@example.org", Postcode: "RM17 5AA"},
		Ward: "Grays Riverside", Amount: d("100"), Supporters: []grants.Supporter{{Name: "Cal Neighbour", Pledged: 60}},
		CashMatch: d("0"), InKindMatch: d("0"), Status: grants.Withdrawn, Award: d("0"), Paid: d("0"),
		Note: "found other funding", CreatedAt: h(20), UpdatedAt: h(21), UpdatedBy: "applicant-2", Version: 2}, b)

	ev, err := svc.History(ctx, officer, "app-1")
	require.NoError(t, err)
	require.Len(t, ev, 17)
	assert.Equal(t, grants.Event{Seq: 11, Fund: "fund-golden", At: h(5), Actor: "officer", Action: "application.request-info",
		Subject: "app-1", From: grants.Submitted, To: grants.InfoRequested, Note: "please say who will clear up"}, ev[2])
	assert.Equal(t, "monitoring complete", ev[16].Note)
	// Migration 0022: the award and payment events' amounts, read back
	// from their notes; the other events move no money.
	moved := map[string][]string{}
	for _, e := range ev {
		if !e.Amount.IsZero() {
			moved[e.Action] = append(moved[e.Action], e.Amount.StringFixed(2))
		}
	}
	assert.Equal(t, map[string][]string{"application.award": {"200.00"}, "application.pay": {"120.00", "80.00"}}, moved)

	rep, err := svc.Report(ctx, "fund-golden", 2014)
	require.NoError(t, err)
	assert.Equal(t, "10000.00", rep.Budget.StringFixed(2))
	assert.Equal(t, "200.00", rep.Committed.StringFixed(2), "the ledger")
	assert.Equal(t, "200.00", rep.Paid.StringFixed(2), "the ledger")
	assert.Equal(t, 1, rep.Awards)
	assert.Equal(t, int64(1320), rep.PledgedMinutes)
	rep15, err := svc.Report(ctx, "fund-golden", 2015)
	require.NoError(t, err)
	assert.Equal(t, "8000.50", rep15.Budget.StringFixed(2))

	// The idea claim migrated: another application with the same idea
	// cannot be approved (its idea is funded).
	same, err := svc.Applications(ctx, officer, grants.ApplicationFilter{Idea: "chadwell street party"})
	require.NoError(t, err)
	assert.Len(t, same, 1)

	// The migrated store takes new writes in the new format.
	_, err = svc.UpdateStaff(ctx, admin.Key("rename"), "panel-1", grants.StaffUpdate{Name: ptrTo("Pat Panellist")})
	require.NoError(t, err)
	p, err := svc.Staff(ctx, call.As("panel-1"), "panel-1")
	require.NoError(t, err)
	assert.Equal(t, "Pat Panellist", p.Name)
	assert.Equal(t, int64(2), p.Version)

	// Migration 0020: the ledger rows written before it hold no income,
	// and the migrated store records income that counts in the fund's
	// totals and report.
	assert.Equal(t, "0.00", rep.Income.StringFixed(2))
	assert.Equal(t, "9800.00", rep.Available.StringFixed(2), "£10,000 budget less £200 committed")
	_, err = svc.AddStaff(ctx, admin.Key("manager"), grants.NewStaff{ID: "manager", Name: "Fund manager", Roles: []grants.Role{grants.RoleManager}})
	require.NoError(t, err)
	_, err = svc.RecordIncome(ctx, call.As("manager").Key("income"), grants.NewIncome{Fund: "fund-golden", Source: "a funder",
		Ref: "golden-1", Amount: d("250.50"), Received: h(3)})
	require.NoError(t, err)
	tot, err := svc.Totals(ctx, "fund-golden", 2014)
	require.NoError(t, err)
	assert.Equal(t, []string{"10000.00", "250.50", "200.00", "200.00", "10050.50"},
		[]string{tot.Budget.StringFixed(2), tot.Income.StringFixed(2), tot.Committed.StringFixed(2), tot.Paid.StringFixed(2), tot.Available().StringFixed(2)})
}

func ptrTo[T any](v T) *T { return &v }
