package sqlite_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/outcomes"
)

func TestGenerateOutcomesGolden(t *testing.T) {
	path := os.Getenv("GOLDEN_OUT")
	if path == "" {
		t.Skip()
	}
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	now := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC)
	n := 0
	clock := func() time.Time { n++; return now.Add(time.Duration(n) * time.Minute) }
	ids := 0
	svc := outcomes.NewService(sqlite.NewOutcomesStore(db), outcomes.WithClock(clock),
		outcomes.WithIDs(func(p string, _ time.Time) string { ids++; return p + "-gen" }))
	d := func(s string) decimal.Decimal { return decimal.RequireFromString(s) }
	dp := func(s string) *decimal.Decimal { x := d(s); return &x }
	p := outcomes.MustPeriod
	_, err = svc.CreateFramework(ctx, "k-fw", "owner-1", outcomes.Framework{ID: "golden-b3", Title: "Golden framework",
		Goal: "Goal B", Objective: "B3 Build strong communities", Strategy: "Health and Wellbeing Strategy",
		Area: "E06000034", End: p("2021"), Policy: outcomes.Policy{AmberShare: d("0.25"), Confidence: d("0.95")},
		Roles: map[string]outcomes.Role{"editor-1": outcomes.RoleEditor}})
	require.NoError(t, err)
	_, err = svc.GrantRole(ctx, "k-role", "owner-1", "golden-b3", "contrib-1", outcomes.RoleContributor)
	require.NoError(t, err)
	_, err = svc.PutIndicator(ctx, "k-ind1", "editor-1", outcomes.Indicator{ID: "dementia-rate", Framework: "golden-b3",
		Title: "Dementia diagnosis rate", Definition: "Diagnosed over expected", Rationale: "Early diagnosis helps",
		Source: "NHS Digital", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion, Polarity: outcomes.HigherIsBetter,
		PeriodType: outcomes.CalendarYear, Decimals: 2, Objective: "B3", Strategy: "HWB", Programme: "dementia",
		Owner: "dementia-lead", Comparator: "E92000001", FingertipsID: 92949,
		Baseline:     &outcomes.Baseline{Value: d("66.4"), Period: p("2016"), AsOf: "April 2016"},
		Target:       &outcomes.Target{Status: outcomes.TargetSet, Value: d("67"), Period: p("2021"), Note: "national ambition"},
		Trajectory:   &outcomes.Trajectory{Kind: outcomes.Milestones, Milestones: []outcomes.Point{{Period: p("2018"), Value: d("66.6")}, {Period: p("2021"), Value: d("67")}}, End: p("2022")},
		StatedChange: dp("0.5"), StatedText: "an increase of 0.5 points"})
	require.NoError(t, err)
	ind2, err := svc.PutIndicator(ctx, "k-ind2", "editor-1", outcomes.Indicator{ID: "volunteer-hours", Framework: "golden-b3",
		Title: "Weekly volunteering hours", Definition: "Hours a week", Rationale: "Volunteering builds community",
		Source: "CVS survey", Unit: outcomes.UnitRate, Per: 1000, ValueType: outcomes.ValueCrudeRate, Polarity: outcomes.LowerIsBetter,
		PeriodType: outcomes.FinancialYear, Decimals: 1, Objective: "B3", Strategy: "HWB", Programme: "volunteering",
		Owner: "cvs-lead", Comparator: "E12000006", FingertipsID: 1234,
		Baseline:     &outcomes.Baseline{Value: d("19.1"), Period: p("2015/16"), AsOf: "2014/15"},
		Target:       &outcomes.Target{Status: outcomes.TargetSet, Value: d("15.5"), Period: p("2020/21"), Note: "by March 2021"},
		Trajectory:   &outcomes.Trajectory{Kind: outcomes.Compound, Rate: d("-0.05"), End: p("2021/22")},
		StatedChange: dp("-3.6"), StatedText: "a fall of 3.6"})
	require.NoError(t, err)
	// A second version of the indicator.
	ind2.Title = "Weekly volunteering hours per 1,000"
	_, err = svc.PutIndicator(ctx, "k-ind2b", "owner-1", *ind2)
	require.NoError(t, err)
	_, err = svc.Record(ctx, "k-m1", "contrib-1", outcomes.Measurement{Indicator: "dementia-rate", Area: "E06000034", Period: p("2017"),
		Value: d("66.55"), Count: dp("1331"), Denominator: dp("2000"), Source: "QOF 2017", Note: "provisional"})
	require.NoError(t, err)
	_, err = svc.Record(ctx, "k-m1b", "contrib-1", outcomes.Measurement{Indicator: "dementia-rate", Area: "E06000034", Period: p("2017"),
		Value: d("66.6"), Count: dp("1332"), Denominator: dp("2000"), Source: "QOF 2017 final", Note: "final figures"})
	require.NoError(t, err)
	_, err = svc.Record(ctx, "k-m2", "editor-1", outcomes.Measurement{Indicator: "volunteer-hours", Area: "E06000034", Period: p("2016/17"),
		Value: d("18.5"), Count: dp("3700"), Denominator: dp("200000"), Lower: dp("17.9"), Upper: dp("19.1"), Source: "CVS survey 2017", Note: "supplied interval"})
	require.NoError(t, err)
	_, err = svc.AddStory(ctx, "k-s1", "contrib-1", outcomes.Story{ID: "story-1", Framework: "golden-b3", Indicator: "dementia-rate",
		Programme: "dementia", Title: "Mrs A's memory cafe", Body: "Mrs A found the memory cafe through her GP.",
		Date: time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), Tags: []string{"hub", "tilbury"},
		Consent: outcomes.Consent{Given: true, Date: time.Date(2017, 6, 2, 0, 0, 0, 0, time.UTC), RecordedBy: "contrib-1", Scope: outcomes.ConsentPublic}})
	require.NoError(t, err)
	_, err = svc.PublishStory(ctx, "k-s1p", "editor-1", "story-1")
	require.NoError(t, err)
	_, err = svc.AddStory(ctx, "k-s2", "contrib-1", outcomes.Story{ID: "story-2", Framework: "golden-b3", Indicator: "volunteer-hours",
		Programme: "volunteering", Title: "A volunteer's year", Body: "B gave 200 hours at the hub.",
		Date: time.Date(2018, 3, 4, 0, 0, 0, 0, time.UTC), Tags: []string{"volunteering"},
		Consent: outcomes.Consent{Given: true, Date: time.Date(2018, 3, 5, 0, 0, 0, 0, time.UTC), RecordedBy: "editor-1", Scope: outcomes.ConsentInternal}})
	require.NoError(t, err)
	_, err = svc.WithdrawStory(ctx, "k-s2w", "editor-1", "story-2", "consent withdrawn by B")
	require.NoError(t, err)
	require.NoError(t, db.Close())
}
