package outcomestest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

// base is a time with microseconds, in a zone other than UTC, so a store
// that drops either is caught.
var base = time.Date(2019, time.March, 4, 10, 30, 15, 123456000, time.FixedZone("BST", 3600))

func dec(s string) decimal.Decimal    { return decimal.RequireFromString(s) }
func decp(s string) *decimal.Decimal  { d := dec(s); return &d }
func period(s string) outcomes.Period { return outcomes.MustPeriod(s) }

func framework(id string) *outcomes.Framework {
	return &outcomes.Framework{ID: id, Title: "Framework " + id, Goal: "B", Objective: "B3", Strategy: "HWB",
		Area: "E06000034", End: period("2021"), Policy: outcomes.DefaultPolicy(),
		Roles:   map[string]outcomes.Role{"owner": outcomes.RoleOwner, "ed": outcomes.RoleEditor},
		Version: 1, CreatedAt: base, CreatedBy: "owner", UpdatedAt: base, UpdatedBy: "owner"}
}

func indicator(id, fw string) *outcomes.Indicator {
	sc := dec("1180")
	return &outcomes.Indicator{ID: id, Framework: fw, Title: "Indicator " + id, Definition: "def", Rationale: "why",
		Source: "src", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion, Polarity: outcomes.HigherIsBetter,
		PeriodType: outcomes.CalendarYear, Decimals: 2, Objective: "B3", Strategy: "HWB", Programme: "dementia", Owner: "lead",
		Comparator: "E92000001", FingertipsID: 92949,
		Baseline:     &outcomes.Baseline{Value: dec("66.40"), Period: period("2016"), AsOf: "April 2016"},
		Target:       &outcomes.Target{Status: outcomes.TargetSet, Value: dec("67"), Period: period("2021"), Note: "national"},
		Trajectory:   &outcomes.Trajectory{Kind: outcomes.Milestones, Rate: dec("0.1"), End: period("2022"), Milestones: []outcomes.Point{{Period: period("2018"), Value: dec("66.6")}}},
		StatedChange: &sc, StatedText: "an increase of 1180",
		Version: 1, CreatedAt: base, CreatedBy: "owner", UpdatedAt: base, UpdatedBy: "owner"}
}

func measurement(ind, area, p string, rev int64, value string) *outcomes.Measurement {
	return &outcomes.Measurement{Indicator: ind, Area: area, Period: period(p), Value: dec(value),
		Revision: rev, RecordedAt: base.Add(time.Duration(rev) * time.Hour), RecordedBy: "owner"}
}

func story(id, fw string, day int) *outcomes.Story {
	return &outcomes.Story{ID: id, Framework: fw, Indicator: "i1", Programme: "dementia", Title: "Story " + id, Body: "body",
		Date: base.AddDate(0, 0, day), Tags: []string{"hub", "tilbury"},
		Consent: outcomes.Consent{Given: true, Date: base, RecordedBy: "owner", Scope: outcomes.ConsentPublic},
		Status:  outcomes.StoryDraft, Version: 1, CreatedAt: base, CreatedBy: "owner", UpdatedAt: base, UpdatedBy: "owner"}
}

func apply(t testing.TB, s outcomes.Store, b *outcomes.Batch) {
	t.Helper()
	require.NoError(t, s.Apply(context.Background(), b))
}

// equalDec checks two optional decimals.
func equalDec(t *testing.T, want, got *decimal.Decimal, what string) {
	t.Helper()
	if want == nil {
		assert.Nil(t, got, what)
		return
	}
	if assert.NotNil(t, got, what) {
		assert.True(t, want.Equal(*got), "%s: want %s, got %s", what, want, got)
	}
}

func equalTime(t *testing.T, want, got time.Time, what string) {
	t.Helper()
	assert.True(t, want.Equal(got), "%s: want %s, got %s", what, want, got)
	assert.Equal(t, time.UTC, got.Location(), "%s is not in UTC", what)
}

func equalPeriod(t *testing.T, want, got outcomes.Period, what string) {
	t.Helper()
	assert.True(t, want.Equal(got), "%s: want %s, got %s", what, want, got)
}

func equalMeasurement(t *testing.T, want, got *outcomes.Measurement) {
	t.Helper()
	what := fmt.Sprintf("measurement %s rev %d", want.Key(), want.Revision)
	assert.Equal(t, want.Indicator, got.Indicator, what)
	assert.Equal(t, want.Area, got.Area, what)
	equalPeriod(t, want.Period, got.Period, what)
	assert.True(t, want.Value.Equal(got.Value), "%s value: want %s got %s", what, want.Value, got.Value)
	equalDec(t, want.Count, got.Count, what+" Count")
	equalDec(t, want.Denominator, got.Denominator, what+" Denominator")
	equalDec(t, want.Lower, got.Lower, what+" Lower")
	equalDec(t, want.Upper, got.Upper, what+" Upper")
	assert.Equal(t, want.CIMethod, got.CIMethod, what)
	assert.Equal(t, want.Source, got.Source, what)
	assert.Equal(t, want.Note, got.Note, what)
	assert.Equal(t, want.Revision, got.Revision, what)
	equalTime(t, want.RecordedAt, got.RecordedAt, what+" RecordedAt")
	assert.Equal(t, want.RecordedBy, got.RecordedBy, what)
}

func equalIndicator(t *testing.T, want, got *outcomes.Indicator) {
	t.Helper()
	w, g := *want, *got
	equalTime(t, w.CreatedAt, g.CreatedAt, "CreatedAt")
	equalTime(t, w.UpdatedAt, g.UpdatedAt, "UpdatedAt")
	equalDec(t, w.StatedChange, g.StatedChange, "StatedChange")
	if w.Baseline != nil && assert.NotNil(t, g.Baseline) {
		assert.True(t, w.Baseline.Value.Equal(g.Baseline.Value))
		equalPeriod(t, w.Baseline.Period, g.Baseline.Period, "Baseline.Period")
		assert.Equal(t, w.Baseline.AsOf, g.Baseline.AsOf)
	} else {
		assert.Nil(t, g.Baseline)
	}
	if w.Target != nil && assert.NotNil(t, g.Target) {
		assert.Equal(t, w.Target.Status, g.Target.Status)
		assert.True(t, w.Target.Value.Equal(g.Target.Value))
		equalPeriod(t, w.Target.Period, g.Target.Period, "Target.Period")
		assert.Equal(t, w.Target.Note, g.Target.Note)
	} else {
		assert.Nil(t, g.Target)
	}
	if w.Trajectory != nil && assert.NotNil(t, g.Trajectory) {
		assert.Equal(t, w.Trajectory.Kind, g.Trajectory.Kind)
		assert.True(t, w.Trajectory.Rate.Equal(g.Trajectory.Rate))
		equalPeriod(t, w.Trajectory.End, g.Trajectory.End, "Trajectory.End")
		if assert.Len(t, g.Trajectory.Milestones, len(w.Trajectory.Milestones)) {
			for i, m := range w.Trajectory.Milestones {
				equalPeriod(t, m.Period, g.Trajectory.Milestones[i].Period, "milestone")
				assert.True(t, m.Value.Equal(g.Trajectory.Milestones[i].Value))
			}
		}
	} else {
		assert.Nil(t, g.Trajectory)
	}
	for _, x := range []*outcomes.Indicator{&w, &g} {
		x.CreatedAt, x.UpdatedAt, x.StatedChange, x.Baseline, x.Target, x.Trajectory = time.Time{}, time.Time{}, nil, nil, nil, nil
	}
	assert.Equal(t, w, g)
}

func equalFramework(t *testing.T, want, got *outcomes.Framework) {
	t.Helper()
	w, g := *want, *got
	equalTime(t, w.CreatedAt, g.CreatedAt, "CreatedAt")
	equalTime(t, w.UpdatedAt, g.UpdatedAt, "UpdatedAt")
	equalPeriod(t, w.End, g.End, "End")
	assert.True(t, w.Policy.AmberShare.Equal(g.Policy.AmberShare))
	assert.True(t, w.Policy.Confidence.Equal(g.Policy.Confidence))
	for _, x := range []*outcomes.Framework{&w, &g} {
		x.CreatedAt, x.UpdatedAt, x.End, x.Policy = time.Time{}, time.Time{}, outcomes.Period{}, outcomes.Policy{}
	}
	assert.Equal(t, w, g)
}

func equalStory(t *testing.T, want, got *outcomes.Story) {
	t.Helper()
	w, g := *want, *got
	for _, p := range [][2]time.Time{{w.Date, g.Date}, {w.CreatedAt, g.CreatedAt}, {w.UpdatedAt, g.UpdatedAt}, {w.Consent.Date, g.Consent.Date}} {
		equalTime(t, p[0], p[1], "story time")
	}
	for _, x := range []*outcomes.Story{&w, &g} {
		x.Date, x.CreatedAt, x.UpdatedAt, x.Consent.Date = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	}
	assert.Equal(t, w, g)
}
