package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
)

// goldenAt is the clock the golden database was written with: each write
// read it once, a minute later than the one before.
func goldenAt(n int) time.Time {
	return time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC).Add(time.Duration(n) * time.Minute)
}

func goldenDec(t *testing.T, want string, got *decimal.Decimal, what string) {
	t.Helper()
	if assert.NotNil(t, got, what) {
		assert.Equal(t, want, got.String(), what)
	}
}

// TestOutcomesGolden opens testdata/golden/outcomes.sqlite — a database
// written by the outcomes store before its tables were renamed and its
// bodies became explicit records — and reads every record back through the
// Service, field by field. A change that breaks stored data fails here.
func TestOutcomesGolden(t *testing.T) {
	ctx := context.Background()
	body, err := os.ReadFile("testdata/golden/outcomes.sqlite")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "outcomes.sqlite")
	require.NoError(t, os.WriteFile(path, body, 0o600))
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	svc := outcomes.NewService(sqlite.NewOutcomesStore(db), outcomes.WithClock(func() time.Time { return goldenAt(100) }))
	p := outcomes.MustPeriod

	l, err := svc.Framework(ctx, "golden-b3")
	require.NoError(t, err)
	f := l.Framework
	assert.Equal(t, "golden-b3", f.ID)
	assert.Equal(t, "Golden framework", f.Title)
	assert.Equal(t, "Goal B", f.Goal)
	assert.Equal(t, "B3 Build strong communities", f.Objective)
	assert.Equal(t, "Health and Wellbeing Strategy", f.Strategy)
	assert.Equal(t, "E06000034", f.Area)
	assert.True(t, f.End.Equal(p("2021")))
	assert.Equal(t, "0.25", f.Policy.AmberShare.String())
	assert.Equal(t, "0.95", f.Policy.Confidence.String())
	assert.Equal(t, map[string]outcomes.Role{"owner-1": outcomes.RoleOwner, "editor-1": outcomes.RoleEditor, "contrib-1": outcomes.RoleContributor}, f.Roles)
	assert.Equal(t, int64(2), f.Version)
	assert.Equal(t, goldenAt(1), f.CreatedAt)
	assert.Equal(t, "owner-1", f.CreatedBy)
	assert.Equal(t, goldenAt(2), f.UpdatedAt)
	assert.Equal(t, "owner-1", f.UpdatedBy)

	require.Len(t, l.Indicators, 2)
	d := l.Indicators[0]
	assert.Equal(t, "dementia-rate", d.ID)
	assert.Equal(t, "golden-b3", d.Framework)
	assert.Equal(t, "Dementia diagnosis rate", d.Title)
	assert.Equal(t, "Diagnosed over expected", d.Definition)
	assert.Equal(t, "Early diagnosis helps", d.Rationale)
	assert.Equal(t, "NHS Digital", d.Source)
	assert.Equal(t, outcomes.UnitPercentage, d.Unit)
	assert.Equal(t, outcomes.ValueProportion, d.ValueType)
	assert.Equal(t, outcomes.HigherIsBetter, d.Polarity)
	assert.Equal(t, outcomes.CalendarYear, d.PeriodType)
	assert.Equal(t, int32(2), d.Decimals)
	assert.Equal(t, "B3", d.Objective)
	assert.Equal(t, "HWB", d.Strategy)
	assert.Equal(t, "dementia", d.Programme)
	assert.Equal(t, "dementia-lead", d.Owner)
	assert.Equal(t, "E92000001", d.Comparator)
	assert.Equal(t, int64(92949), d.FingertipsID)
	if assert.NotNil(t, d.Baseline) {
		assert.Equal(t, "66.4", d.Baseline.Value.String())
		assert.True(t, d.Baseline.Period.Equal(p("2016")))
		assert.Equal(t, "April 2016", d.Baseline.AsOf)
	}
	if assert.NotNil(t, d.Target) {
		assert.Equal(t, outcomes.TargetSet, d.Target.Status)
		assert.Equal(t, "67", d.Target.Value.String())
		assert.True(t, d.Target.Period.Equal(p("2021")))
		assert.Equal(t, "national ambition", d.Target.Note)
	}
	if assert.NotNil(t, d.Trajectory) {
		assert.Equal(t, outcomes.Milestones, d.Trajectory.Kind)
		assert.True(t, d.Trajectory.End.Equal(p("2022")))
		if assert.Len(t, d.Trajectory.Milestones, 2) {
			assert.True(t, d.Trajectory.Milestones[0].Period.Equal(p("2018")))
			assert.Equal(t, "66.6", d.Trajectory.Milestones[0].Value.String())
			assert.True(t, d.Trajectory.Milestones[1].Period.Equal(p("2021")))
			assert.Equal(t, "67", d.Trajectory.Milestones[1].Value.String())
		}
	}
	goldenDec(t, "0.5", d.StatedChange, "StatedChange")
	assert.Equal(t, "an increase of 0.5 points", d.StatedText)
	assert.Equal(t, int64(1), d.Version)
	assert.Equal(t, goldenAt(3), d.CreatedAt)
	assert.Equal(t, "editor-1", d.CreatedBy)
	assert.Equal(t, goldenAt(3), d.UpdatedAt)
	assert.Equal(t, "editor-1", d.UpdatedBy)

	v, err := svc.Indicator(ctx, "volunteer-hours")
	require.NoError(t, err)
	assert.Equal(t, "Weekly volunteering hours per 1,000", v.Title)
	assert.Equal(t, "Hours a week", v.Definition)
	assert.Equal(t, "Volunteering builds community", v.Rationale)
	assert.Equal(t, "CVS survey", v.Source)
	assert.Equal(t, outcomes.UnitRate, v.Unit)
	assert.Equal(t, int64(1000), v.Per)
	assert.Equal(t, outcomes.ValueCrudeRate, v.ValueType)
	assert.Equal(t, outcomes.LowerIsBetter, v.Polarity)
	assert.Equal(t, outcomes.FinancialYear, v.PeriodType)
	assert.Equal(t, int32(1), v.Decimals)
	assert.Equal(t, "volunteering", v.Programme)
	assert.Equal(t, "cvs-lead", v.Owner)
	assert.Equal(t, "E12000006", v.Comparator)
	assert.Equal(t, int64(1234), v.FingertipsID)
	assert.Equal(t, "19.1", v.Baseline.Value.String())
	assert.True(t, v.Baseline.Period.Equal(p("2015/16")))
	assert.Equal(t, "2014/15", v.Baseline.AsOf)
	assert.Equal(t, "15.5", v.Target.Value.String())
	assert.True(t, v.Target.Period.Equal(p("2020/21")))
	assert.Equal(t, "by March 2021", v.Target.Note)
	assert.Equal(t, outcomes.Compound, v.Trajectory.Kind)
	assert.Equal(t, "-0.05", v.Trajectory.Rate.String())
	assert.True(t, v.Trajectory.End.Equal(p("2021/22")))
	goldenDec(t, "-3.6", v.StatedChange, "StatedChange")
	assert.Equal(t, "a fall of 3.6", v.StatedText)
	assert.Equal(t, int64(2), v.Version)
	assert.Equal(t, goldenAt(4), v.CreatedAt)
	assert.Equal(t, "editor-1", v.CreatedBy)
	assert.Equal(t, goldenAt(5), v.UpdatedAt)
	assert.Equal(t, "owner-1", v.UpdatedBy)

	// Measurements, with the revision history.
	k := outcomes.MeasurementKey{Indicator: "dementia-rate", Area: "E06000034", Period: p("2017")}
	revs, err := svc.Revisions(ctx, k)
	require.NoError(t, err)
	require.Len(t, revs, 2)
	type figures struct{ value, count, denom, lower, upper, method, source, note, by string }
	for i, want := range []figures{
		{"66.55", "1331", "2000", "64.452", "68.584", outcomes.MethodWilson, "QOF 2017", "provisional", "contrib-1"},
		{"66.6", "1332", "2000", "64.503", "68.633", outcomes.MethodWilson, "QOF 2017 final", "final figures", "contrib-1"},
	} {
		m := revs[i]
		assert.Equal(t, k, m.Key())
		assert.Equal(t, want.value, m.Value.String())
		goldenDec(t, want.count, m.Count, "Count")
		goldenDec(t, want.denom, m.Denominator, "Denominator")
		goldenDec(t, want.lower, m.Lower, "Lower")
		goldenDec(t, want.upper, m.Upper, "Upper")
		assert.Equal(t, want.method, m.CIMethod)
		assert.Equal(t, want.source, m.Source)
		assert.Equal(t, want.note, m.Note)
		assert.Equal(t, int64(i+1), m.Revision)
		assert.Equal(t, goldenAt(6+i), m.RecordedAt)
		assert.Equal(t, want.by, m.RecordedBy)
	}
	ms, err := svc.Measurements(ctx, outcomes.MeasurementFilter{Indicators: []string{"volunteer-hours"}})
	require.NoError(t, err)
	require.Len(t, ms, 1)
	m := ms[0]
	assert.True(t, m.Period.Equal(p("2016/17")))
	assert.Equal(t, "E06000034", m.Area)
	assert.Equal(t, "18.5", m.Value.String())
	goldenDec(t, "3700", m.Count, "Count")
	goldenDec(t, "200000", m.Denominator, "Denominator")
	goldenDec(t, "17.9", m.Lower, "Lower")
	goldenDec(t, "19.1", m.Upper, "Upper")
	assert.Equal(t, outcomes.MethodSupplied, m.CIMethod)
	assert.Equal(t, "CVS survey 2017", m.Source)
	assert.Equal(t, "supplied interval", m.Note)
	assert.Equal(t, int64(1), m.Revision)
	assert.Equal(t, goldenAt(8), m.RecordedAt)
	assert.Equal(t, "editor-1", m.RecordedBy)

	// Stories, read by a member of the framework.
	owner := call.As("owner-1")
	st, err := svc.Story(ctx, owner, "story-1")
	require.NoError(t, err)
	assert.Equal(t, "golden-b3", st.Framework)
	assert.Equal(t, "dementia-rate", st.Indicator)
	assert.Equal(t, "dementia", st.Programme)
	assert.Equal(t, "Mrs A's memory cafe", st.Title)
	assert.Equal(t, "Mrs A found the memory cafe through her GP.", st.Body)
	assert.Equal(t, time.Date(2017, 6, 1, 0, 0, 0, 0, time.UTC), st.Date)
	assert.Equal(t, []string{"hub", "tilbury"}, st.Tags)
	assert.Equal(t, outcomes.Consent{Given: true, Date: time.Date(2017, 6, 2, 0, 0, 0, 0, time.UTC), RecordedBy: "contrib-1", Scope: outcomes.ConsentPublic}, st.Consent)
	assert.Equal(t, outcomes.StoryPublished, st.Status)
	assert.Equal(t, int64(2), st.Version)
	assert.Equal(t, goldenAt(9), st.CreatedAt)
	assert.Equal(t, "contrib-1", st.CreatedBy)
	assert.Equal(t, goldenAt(10), st.UpdatedAt)
	assert.Equal(t, "editor-1", st.UpdatedBy)
	fw := "golden-b3"
	stories, err := svc.Stories(ctx, owner, outcomes.StoryFilter{Framework: &fw})
	require.NoError(t, err)
	require.Len(t, stories, 2)
	s2 := stories[1]
	assert.Equal(t, "story-2", s2.ID)
	assert.Equal(t, "volunteer-hours", s2.Indicator)
	assert.Equal(t, "volunteering", s2.Programme)
	assert.Equal(t, "A volunteer's year", s2.Title)
	assert.Equal(t, "B gave 200 hours at the hub.", s2.Body)
	assert.Equal(t, time.Date(2018, 3, 4, 0, 0, 0, 0, time.UTC), s2.Date)
	assert.Equal(t, []string{"volunteering"}, s2.Tags)
	assert.Equal(t, outcomes.Consent{Date: time.Date(2018, 3, 5, 0, 0, 0, 0, time.UTC), RecordedBy: "editor-1", Scope: outcomes.ConsentInternal}, s2.Consent)
	assert.Equal(t, outcomes.StoryWithdrawn, s2.Status)
	assert.Equal(t, goldenAt(11), s2.CreatedAt)
	assert.Equal(t, goldenAt(12), s2.UpdatedAt)

	// The audit trail, read by an owner.
	es, err := svc.Events(ctx, owner, outcomes.EventFilter{Framework: "golden-b3"})
	require.NoError(t, err)
	want := [][4]string{
		{"owner-1", "framework.create", "golden-b3", ""},
		{"owner-1", "framework.role", "contrib-1", "contributor"},
		{"editor-1", "indicator.create", "dementia-rate", ""},
		{"editor-1", "indicator.create", "volunteer-hours", ""},
		{"owner-1", "indicator.update", "volunteer-hours", ""},
		{"contrib-1", "measurement.record", "dementia-rate|E06000034|2017", "revision 1"},
		{"contrib-1", "measurement.record", "dementia-rate|E06000034|2017", "revision 2"},
		{"editor-1", "measurement.record", "volunteer-hours|E06000034|2016/17", "revision 1"},
		{"contrib-1", "story.add", "story-1", "draft"},
		{"editor-1", "story.published", "story-1", ""},
		{"contrib-1", "story.add", "story-2", "draft"},
		{"editor-1", "story.withdrawn", "story-2", "consent withdrawn by B"},
	}
	require.Len(t, es, len(want))
	for i, e := range es {
		assert.Equal(t, int64(i+1), e.Seq)
		assert.Equal(t, "golden-b3", e.Framework)
		assert.Equal(t, goldenAt(i+1), e.At, "event %d", i+1)
		assert.Equal(t, want[i], [4]string{e.Actor, e.Action, e.Subject, e.Note}, "event %d", i+1)
	}

	// The roles stored then still decide who may write, and the store
	// takes its first administrator.
	_, err = svc.Record(ctx, call.As("contrib-1").Key("after-upgrade"), outcomes.NewMeasurement{Indicator: "dementia-rate",
		Area: "E06000034", Period: p("2018"), Value: decimal.RequireFromString("66.7")})
	require.NoError(t, err)
	_, err = svc.Record(ctx, call.As("stranger").Key("after-upgrade"), outcomes.NewMeasurement{Indicator: "dementia-rate",
		Area: "E06000034", Period: p("2019"), Value: decimal.RequireFromString("66.8")})
	assert.ErrorIs(t, err, outcomes.ErrForbidden)
	require.NoError(t, svc.Bootstrap(ctx, call.As("admin")))
}
