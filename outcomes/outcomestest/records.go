package outcomestest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

func testFrameworkRoundTrip(t *testing.T, s outcomes.Store) {
	f := framework("fw")
	apply(t, s, &outcomes.Batch{Frameworks: []*outcomes.Framework{f}})
	got, err := s.Framework(context.Background(), "fw")
	require.NoError(t, err)
	equalFramework(t, f, got)
	// A framework with no end and no roles map keeps them empty.
	g := framework("fw2")
	g.End, g.Roles = outcomes.Period{}, map[string]outcomes.Role{"o": outcomes.RoleOwner}
	apply(t, s, &outcomes.Batch{Frameworks: []*outcomes.Framework{g}})
	got, err = s.Framework(context.Background(), "fw2")
	require.NoError(t, err)
	equalFramework(t, g, got)
	assert.True(t, got.End.IsZero())
}

func testIndicatorRoundTrip(t *testing.T, s outcomes.Store) {
	full := indicator("i1", "fw")
	bare := &outcomes.Indicator{ID: "i2", Framework: "fw", Title: "Bare", Unit: outcomes.UnitRate, Per: 100000,
		ValueType: outcomes.ValueCrudeRate, Polarity: outcomes.LowerIsBetter, PeriodType: outcomes.Quarter,
		Target:  &outcomes.Target{Status: outcomes.TargetTBC},
		Version: 1, CreatedAt: base, CreatedBy: "o", UpdatedAt: base, UpdatedBy: "o"}
	apply(t, s, &outcomes.Batch{Indicators: []*outcomes.Indicator{full, bare}})
	for _, want := range []*outcomes.Indicator{full, bare} {
		got, err := s.Indicator(context.Background(), want.ID)
		require.NoError(t, err)
		equalIndicator(t, want, got)
	}
}

func testMeasurementRoundTrip(t *testing.T, s outcomes.Store) {
	full := measurement("i1", "E06000034", "2017/18 Q3", 1, "66.125")
	full.Count, full.Denominator, full.Lower, full.Upper = decp("1322"), decp("2000.5"), decp("64.0"), decp("68.25")
	full.CIMethod, full.Source, full.Note = outcomes.MethodWilson, "NHS Digital", "provisional, note with | and ,"
	bare := measurement("i1", "E06000034", "2018/19 Q1", 1, "0")
	day := measurement("i2", "a", "2019-02-28", 1, "-12.5")
	month := measurement("i2", "a", "2019-02", 1, "1000000000.000001")
	apply(t, s, &outcomes.Batch{Measurements: []*outcomes.Measurement{full, bare, day, month}})
	for _, want := range []*outcomes.Measurement{full, bare, day, month} {
		got, err := s.Measurement(context.Background(), want.Key())
		require.NoError(t, err)
		equalMeasurement(t, want, got)
	}
}

func testStoryRoundTrip(t *testing.T, s outcomes.Store) {
	st := story("s1", "fw", 0)
	bare := story("s2", "fw", 1)
	bare.Indicator, bare.Tags, bare.Consent = "", nil, outcomes.Consent{}
	apply(t, s, &outcomes.Batch{Stories: []*outcomes.Story{st, bare}})
	for _, want := range []*outcomes.Story{st, bare} {
		got, err := s.Story(context.Background(), want.ID)
		require.NoError(t, err)
		if len(want.Tags) == 0 {
			assert.Empty(t, got.Tags)
			got.Tags = want.Tags
		}
		equalStory(t, want, got)
	}
}

func testReceiptAndEvents(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	apply(t, s, &outcomes.Batch{Frameworks: []*outcomes.Framework{framework("fw")},
		Events: []outcomes.Event{{Framework: "fw", At: base, Actor: "owner", Action: "framework.create", Subject: "fw", Note: "n"}},
		Key:    "k1", Hash: "h1", Result: "fw", At: base})
	r, err := s.Receipt(ctx, "k1")
	require.NoError(t, err)
	assert.Equal(t, "k1", r.Key)
	assert.Equal(t, "h1", r.Hash)
	assert.Equal(t, "fw", r.Result)
	equalTime(t, base, r.At, "receipt At")
	es, err := s.Events(ctx, outcomes.EventFilter{})
	require.NoError(t, err)
	require.Len(t, es, 1)
	assert.Positive(t, es[0].Seq)
	equalTime(t, base, es[0].At, "event At")
	es[0].Seq, es[0].At = 0, time.Time{}
	assert.Equal(t, outcomes.Event{Framework: "fw", Actor: "owner", Action: "framework.create", Subject: "fw", Note: "n"}, es[0])
}

func testNotFound(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	_, err := s.Framework(ctx, "x")
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	_, err = s.Indicator(ctx, "x")
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	_, err = s.Story(ctx, "x")
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	_, err = s.Receipt(ctx, "x")
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	k := outcomes.MeasurementKey{Indicator: "x", Area: "a", Period: period("2017")}
	_, err = s.Measurement(ctx, k)
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	_, err = s.Revisions(ctx, k)
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	ms, err := s.Measurements(ctx, outcomes.MeasurementFilter{})
	assert.NoError(t, err)
	assert.Empty(t, ms)
}

func testUpdateVersions(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	apply(t, s, &outcomes.Batch{Frameworks: []*outcomes.Framework{framework("fw")},
		Indicators: []*outcomes.Indicator{indicator("i1", "fw")}, Stories: []*outcomes.Story{story("s1", "fw", 0)}})

	// Creating again is a conflict.
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Frameworks: []*outcomes.Framework{framework("fw")}}), outcomes.ErrConflict)
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Indicators: []*outcomes.Indicator{indicator("i1", "fw")}}), outcomes.ErrConflict)
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Stories: []*outcomes.Story{story("s1", "fw", 0)}}), outcomes.ErrConflict)

	// Version 2 replaces 1; another version 2 is stale.
	ind := indicator("i1", "fw")
	ind.Version, ind.Title, ind.Target = 2, "Renamed", &outcomes.Target{Status: outcomes.TargetTBC}
	apply(t, s, &outcomes.Batch{Indicators: []*outcomes.Indicator{ind}})
	got, err := s.Indicator(ctx, "i1")
	require.NoError(t, err)
	assert.Equal(t, "Renamed", got.Title)
	assert.Equal(t, int64(2), got.Version)
	assert.Equal(t, outcomes.TargetTBC, got.Target.Status)
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Indicators: []*outcomes.Indicator{ind}}), outcomes.ErrConflict)
	ind.Version = 4
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Indicators: []*outcomes.Indicator{ind}}), outcomes.ErrConflict)

	f := framework("fw")
	f.Version, f.Title = 2, "Renamed"
	apply(t, s, &outcomes.Batch{Frameworks: []*outcomes.Framework{f}})
	gf, err := s.Framework(ctx, "fw")
	require.NoError(t, err)
	assert.Equal(t, "Renamed", gf.Title)
	st := story("s1", "fw", 0)
	st.Version, st.Status = 2, outcomes.StoryPublished
	apply(t, s, &outcomes.Batch{Stories: []*outcomes.Story{st}})
	gs, err := s.Story(ctx, "s1")
	require.NoError(t, err)
	assert.Equal(t, outcomes.StoryPublished, gs.Status)

	// Updating a missing record is not found; version 0 is invalid.
	missing := indicator("nope", "fw")
	missing.Version = 2
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Indicators: []*outcomes.Indicator{missing}}), outcomes.ErrNotFound)
	missingF := framework("nope")
	missingF.Version = 3
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Frameworks: []*outcomes.Framework{missingF}}), outcomes.ErrNotFound)
	zero := indicator("z", "fw")
	zero.Version = 0
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Indicators: []*outcomes.Indicator{zero}}), outcomes.ErrInvalid)
}

func testRevisions(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	m1 := measurement("i1", "a", "2017", 1, "10")
	apply(t, s, &outcomes.Batch{Measurements: []*outcomes.Measurement{m1}})
	// A second first report is a conflict.
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Measurements: []*outcomes.Measurement{measurement("i1", "a", "2017", 1, "11")}}), outcomes.ErrConflict)
	// Revision 3 before 2 is a conflict; a revision with nothing before it
	// is not found; revision 0 is invalid.
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Measurements: []*outcomes.Measurement{measurement("i1", "a", "2017", 3, "11")}}), outcomes.ErrConflict)
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Measurements: []*outcomes.Measurement{measurement("i1", "a", "2018", 2, "11")}}), outcomes.ErrNotFound)
	assert.ErrorIs(t, s.Apply(ctx, &outcomes.Batch{Measurements: []*outcomes.Measurement{measurement("i1", "a", "2018", 0, "11")}}), outcomes.ErrInvalid)

	m2 := measurement("i1", "a", "2017", 2, "12")
	m2.Note = "revised"
	apply(t, s, &outcomes.Batch{Measurements: []*outcomes.Measurement{m2}})
	got, err := s.Measurement(ctx, m1.Key())
	require.NoError(t, err)
	equalMeasurement(t, m2, got)
	revs, err := s.Revisions(ctx, m1.Key())
	require.NoError(t, err)
	if assert.Len(t, revs, 2) {
		equalMeasurement(t, m1, revs[0])
		equalMeasurement(t, m2, revs[1])
	}
	ms, err := s.Measurements(ctx, outcomes.MeasurementFilter{})
	require.NoError(t, err)
	if assert.Len(t, ms, 1, "Measurements returns one revision per key") {
		equalMeasurement(t, m2, ms[0])
	}
}

func testRevisionsInOneBatch(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	b := &outcomes.Batch{Measurements: []*outcomes.Measurement{
		measurement("i1", "a", "2017", 1, "10"), measurement("i1", "a", "2017", 2, "11"), measurement("i1", "a", "2017", 3, "12"),
	}}
	apply(t, s, b)
	revs, err := s.Revisions(ctx, b.Measurements[0].Key())
	require.NoError(t, err)
	assert.Len(t, revs, 3)
	// Two revision 2s in one batch: conflict, nothing written.
	err = s.Apply(ctx, &outcomes.Batch{Measurements: []*outcomes.Measurement{
		measurement("i1", "a", "2018", 1, "10"), measurement("i1", "a", "2018", 2, "11"), measurement("i1", "a", "2018", 2, "12"),
	}})
	assert.ErrorIs(t, err, outcomes.ErrConflict)
	_, err = s.Measurement(ctx, outcomes.MeasurementKey{Indicator: "i1", Area: "a", Period: period("2018")})
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
}

func testAsOf(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	// 2017: revisions at +1h and +3h; 2018 first reported at +2h.
	r1 := measurement("i1", "a", "2017", 1, "10")
	r2 := measurement("i1", "a", "2017", 2, "11")
	r2.RecordedAt = base.Add(3 * time.Hour)
	late := measurement("i1", "a", "2018", 1, "20")
	late.RecordedAt = base.Add(2 * time.Hour)
	apply(t, s, &outcomes.Batch{Measurements: []*outcomes.Measurement{r1}})
	apply(t, s, &outcomes.Batch{Measurements: []*outcomes.Measurement{late}})
	apply(t, s, &outcomes.Batch{Measurements: []*outcomes.Measurement{r2}})
	at := func(d time.Duration) []string {
		asOf := base.Add(d)
		ms, err := s.Measurements(ctx, outcomes.MeasurementFilter{AsOf: &asOf})
		require.NoError(t, err)
		var out []string
		for _, m := range ms {
			out = append(out, m.Period.String()+"="+m.Value.String())
		}
		return out
	}
	assert.Empty(t, at(0))
	assert.Equal(t, []string{"2017=10"}, at(time.Hour))
	assert.Equal(t, []string{"2017=10", "2018=20"}, at(2*time.Hour+time.Minute))
	assert.Equal(t, []string{"2017=11", "2018=20"}, at(3*time.Hour))
	assert.Equal(t, []string{"2017=11", "2018=20"}, at(100*time.Hour))
}

func testAtomicity(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	apply(t, s, &outcomes.Batch{Indicators: []*outcomes.Indicator{indicator("taken", "fw")}})
	// Every part of the batch is good except the last indicator.
	err := s.Apply(ctx, &outcomes.Batch{
		Frameworks:   []*outcomes.Framework{framework("fw")},
		Indicators:   []*outcomes.Indicator{indicator("i1", "fw"), indicator("taken", "fw")},
		Measurements: []*outcomes.Measurement{measurement("i1", "a", "2017", 1, "1")},
		Stories:      []*outcomes.Story{story("s1", "fw", 0)},
		Events:       []outcomes.Event{{Framework: "fw", At: base, Actor: "o", Action: "x", Subject: "y"}},
		Key:          "k", Hash: "h", Result: "r", At: base,
	})
	assert.ErrorIs(t, err, outcomes.ErrConflict)
	// A bad measurement at the end of a batch likewise.
	err = s.Apply(ctx, &outcomes.Batch{
		Frameworks:   []*outcomes.Framework{framework("fw")},
		Measurements: []*outcomes.Measurement{measurement("i1", "a", "2017", 1, "1"), measurement("i1", "a", "2019", 2, "1")},
		Key:          "k", Hash: "h", Result: "r", At: base,
	})
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	_, err = s.Framework(ctx, "fw")
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	_, err = s.Indicator(ctx, "i1")
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	_, err = s.Story(ctx, "s1")
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	_, err = s.Receipt(ctx, "k")
	assert.ErrorIs(t, err, outcomes.ErrNotFound)
	ms, err := s.Measurements(ctx, outcomes.MeasurementFilter{})
	require.NoError(t, err)
	assert.Empty(t, ms)
	es, err := s.Events(ctx, outcomes.EventFilter{})
	require.NoError(t, err)
	assert.Empty(t, es)
}

func testIdempotency(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	apply(t, s, &outcomes.Batch{Frameworks: []*outcomes.Framework{framework("fw")}, Key: "k", Hash: "h", Result: "fw", At: base})
	err := s.Apply(ctx, &outcomes.Batch{Frameworks: []*outcomes.Framework{framework("fw2")}, Key: "k", Hash: "h2", Result: "fw2", At: base})
	assert.ErrorIs(t, err, outcomes.ErrDuplicateKey)
	_, err = s.Framework(ctx, "fw2")
	assert.ErrorIs(t, err, outcomes.ErrNotFound, "a batch refused for its key writes nothing")
	r, err := s.Receipt(ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "h", r.Hash)
}

func testIsolation(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	f, ind, m, st := framework("fw"), indicator("i1", "fw"), measurement("i1", "a", "2017", 1, "5"), story("s1", "fw", 0)
	m.Count = decp("5")
	apply(t, s, &outcomes.Batch{Frameworks: []*outcomes.Framework{f}, Indicators: []*outcomes.Indicator{ind},
		Measurements: []*outcomes.Measurement{m}, Stories: []*outcomes.Story{st}})
	// Changing what was passed in changes nothing stored.
	f.Roles["intruder"] = outcomes.RoleOwner
	ind.Baseline.AsOf = "changed"
	ind.Trajectory.Milestones[0].Value = dec("1")
	*m.Count = dec("6")
	st.Tags[0] = "changed"
	gf, _ := s.Framework(ctx, "fw")
	assert.NotContains(t, gf.Roles, "intruder")
	gi, _ := s.Indicator(ctx, "i1")
	assert.Equal(t, "April 2016", gi.Baseline.AsOf)
	assert.Equal(t, "66.6", gi.Trajectory.Milestones[0].Value.String())
	gm, _ := s.Measurement(ctx, m.Key())
	assert.Equal(t, "5", gm.Count.String())
	gs, _ := s.Story(ctx, "s1")
	assert.Equal(t, "hub", gs.Tags[0])
	// Changing what was read changes nothing stored.
	gf.Roles["intruder"] = outcomes.RoleOwner
	gi.Baseline.AsOf = "changed"
	*gm.Count = dec("7")
	gs.Tags[0] = "changed"
	gf, _ = s.Framework(ctx, "fw")
	assert.NotContains(t, gf.Roles, "intruder")
	gi, _ = s.Indicator(ctx, "i1")
	assert.Equal(t, "April 2016", gi.Baseline.AsOf)
	gm, _ = s.Measurement(ctx, m.Key())
	assert.Equal(t, "5", gm.Count.String())
	gs, _ = s.Story(ctx, "s1")
	assert.Equal(t, "hub", gs.Tags[0])
}

func testEmptyBatch(t *testing.T, s outcomes.Store) {
	ctx := context.Background()
	require.NoError(t, s.Apply(ctx, &outcomes.Batch{}))
	assert.ErrorIs(t, s.Apply(ctx, nil), outcomes.ErrInvalid)
	// A receipt-only batch records the key.
	require.NoError(t, s.Apply(ctx, &outcomes.Batch{Key: "k", Hash: "h", Result: "r", At: base}))
	_, err := s.Receipt(ctx, "k")
	assert.NoError(t, err)
}

// isConflict reports whether err is ErrConflict or ErrDuplicateKey.
func isConflict(err error) bool {
	return errors.Is(err, outcomes.ErrConflict) || errors.Is(err, outcomes.ErrDuplicateKey)
}
