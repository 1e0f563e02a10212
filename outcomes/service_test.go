package outcomes_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
)

// requireField checks err wraps sentinel and names field.
func requireField(t *testing.T, err error, sentinel error, field string) {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, sentinel)
	var fe *outcomes.FieldError
	require.True(t, errors.As(err, &fe), "%v is not a *FieldError", err)
	assert.Equal(t, field, fe.Field, "%v", err)
}

func percentIndicator() outcomes.NewIndicator {
	return outcomes.NewIndicator{ID: "rate", Framework: "thurrock-b3", Title: "A rate", Unit: outcomes.UnitPercentage,
		ValueType: outcomes.ValueProportion, Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.CalendarYear, Decimals: 1}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	_, err := f.svc.PutIndicator(ctx, f.w("officer"), percentIndicator())
	require.NoError(t, err)
	before := f.events(t)

	// Indicators.
	noPolarity := percentIndicator()
	noPolarity.ID, noPolarity.Polarity = "x1", ""
	_, err = f.svc.PutIndicator(ctx, f.w("officer"), noPolarity)
	requireField(t, err, outcomes.ErrInvalid, "Polarity")

	backwards := percentIndicator()
	backwards.ID = "x2"
	backwards.Baseline = &outcomes.Baseline{Value: dec("50"), Period: outcomes.MustPeriod("2020")}
	backwards.Target = &outcomes.Target{Status: outcomes.TargetSet, Value: dec("60"), Period: outcomes.MustPeriod("2018")}
	_, err = f.svc.PutIndicator(ctx, f.w("officer"), backwards)
	requireField(t, err, outcomes.ErrInvalid, "Target.Period")

	over := percentIndicator()
	over.ID = "x3"
	over.Target = &outcomes.Target{Status: outcomes.TargetSet, Value: dec("100.5"), Period: outcomes.MustPeriod("2018")}
	_, err = f.svc.PutIndicator(ctx, f.w("officer"), over)
	requireField(t, err, outcomes.ErrInvalid, "Target.Value")

	wrongType := percentIndicator()
	wrongType.ID = "x4"
	wrongType.Baseline = &outcomes.Baseline{Value: dec("50"), Period: outcomes.MustPeriod("2016/17")}
	_, err = f.svc.PutIndicator(ctx, f.w("officer"), wrongType)
	requireField(t, err, outcomes.ErrInvalid, "Baseline.Period")

	// Measurements.
	m := func(mod func(*outcomes.NewMeasurement)) outcomes.NewMeasurement {
		x := outcomes.NewMeasurement{Indicator: "rate", Area: "E06000034", Period: outcomes.MustPeriod("2017"),
			Value: dec("40"), Count: decp("40"), Denominator: decp("100")}
		mod(&x)
		return x
	}
	for _, c := range []struct {
		name  string
		m     outcomes.NewMeasurement
		field string
	}{
		{"percentage over 100", m(func(x *outcomes.NewMeasurement) { x.Value = dec("100.01") }), "Value"},
		{"negative percentage", m(func(x *outcomes.NewMeasurement) { x.Value = dec("-1") }), "Value"},
		{"zero denominator", m(func(x *outcomes.NewMeasurement) { x.Denominator = decp("0") }), "Denominator"},
		{"denominator below count", m(func(x *outcomes.NewMeasurement) { x.Denominator = decp("39") }), "Denominator"},
		{"financial year for a calendar-year indicator", m(func(x *outcomes.NewMeasurement) { x.Period = outcomes.MustPeriod("2017/18") }), "Period"},
		{"month for a calendar-year indicator", m(func(x *outcomes.NewMeasurement) { x.Period = outcomes.MustPeriod("2017-04") }), "Period"},
		{"no period", m(func(x *outcomes.NewMeasurement) { x.Period = outcomes.Period{} }), "Period"},
		{"no area", m(func(x *outcomes.NewMeasurement) { x.Area = "" }), "Area"},
		{"one limit", m(func(x *outcomes.NewMeasurement) { x.Lower = decp("1") }), "Lower"},
		{"limits reversed", m(func(x *outcomes.NewMeasurement) { x.Lower, x.Upper = decp("50"), decp("30") }), "Lower"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.Record(ctx, f.w("officer"), c.m)
			requireField(t, err, outcomes.ErrInvalid, c.field)
		})
	}
	_, err = f.svc.Record(ctx, f.w("officer"), m(func(x *outcomes.NewMeasurement) { x.Indicator = "nope" }))
	requireField(t, err, outcomes.ErrNotFound, "Indicator")

	// Nothing was written by any of them.
	assert.Equal(t, before, f.events(t))
	ms, err := f.store.Measurements(ctx, outcomes.MeasurementFilter{})
	require.NoError(t, err)
	assert.Empty(t, ms)
}

func TestRoles(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	rec := outcomes.NewMeasurement{Indicator: "dementia-friends", Area: "E06000034", Period: outcomes.MustPeriod("2017"), Value: dec("2900")}

	_, err := f.svc.Record(ctx, f.w("stranger"), rec)
	requireField(t, err, outcomes.ErrForbidden, "actor")
	_, err = f.svc.GrantRole(ctx, f.w("stranger"), "thurrock-b3", "stranger", outcomes.RoleOwner)
	requireField(t, err, outcomes.ErrForbidden, "actor")

	_, err = f.svc.GrantRole(ctx, f.w("officer"), "thurrock-b3", "volunteer-lead", outcomes.RoleContributor)
	require.NoError(t, err)
	_, err = f.svc.Record(ctx, f.w("volunteer-lead"), rec)
	require.NoError(t, err)

	// A contributor may not change indicators or publish stories.
	ind, err := f.store.Indicator(ctx, "dementia-friends")
	require.NoError(t, err)
	ed := ind.Edit()
	ed.Title = "Changed"
	_, err = f.svc.PutIndicator(ctx, f.w("volunteer-lead"), ed)
	requireField(t, err, outcomes.ErrForbidden, "actor")

	// The last owner cannot be removed.
	_, err = f.svc.GrantRole(ctx, f.w("officer"), "thurrock-b3", "officer", "")
	requireField(t, err, outcomes.ErrInvalid, "Roles")
	_, err = f.svc.GrantRole(ctx, f.w("officer"), "thurrock-b3", "x", outcomes.Role("king"))
	requireField(t, err, outcomes.ErrInvalid, "Roles")

	// An editor may change an indicator; a stale version is a conflict.
	_, err = f.svc.GrantRole(ctx, f.w("officer"), "thurrock-b3", "analyst", outcomes.RoleEditor)
	require.NoError(t, err)
	got, err := f.svc.PutIndicator(ctx, f.w("analyst"), ed)
	require.NoError(t, err)
	assert.Equal(t, int64(2), got.Version)
	assert.Equal(t, "analyst", got.UpdatedBy)
	_, err = f.svc.PutIndicator(ctx, f.w("analyst"), ed)
	requireField(t, err, outcomes.ErrConflict, "Replaces")
}

func TestRevisionsKeepHistory(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	k := outcomes.MeasurementKey{Indicator: "dementia-diagnosis-rate", Area: "E06000034", Period: outcomes.MustPeriod("2017")}
	first, err := f.svc.Record(ctx, f.w("officer"), outcomes.NewMeasurement{Indicator: k.Indicator, Area: k.Area, Period: k.Period,
		Value: dec("66.10"), Count: decp("1322"), Denominator: decp("2000"), Source: "NHS Digital", Note: "provisional"})
	require.NoError(t, err)
	assert.Equal(t, int64(1), first.Revision)
	assert.Equal(t, outcomes.MethodWilson, first.CIMethod)
	firstAt := f.now.Load()

	f.advance(30 * 24 * time.Hour)
	second, err := f.svc.Record(ctx, f.w("officer"), outcomes.NewMeasurement{Indicator: k.Indicator, Area: k.Area, Period: k.Period,
		Value: dec("66.60"), Count: decp("1332"), Denominator: decp("2000"), Note: "final"})
	require.NoError(t, err)
	assert.Equal(t, int64(2), second.Revision)

	revs, err := f.store.Revisions(ctx, k)
	require.NoError(t, err)
	require.Len(t, revs, 2)
	assert.Equal(t, "provisional", revs[0].Note)
	assert.Equal(t, "final", revs[1].Note)

	// What was reported when: a report as of the first revision's time
	// shows 66.10; now it shows 66.60.
	asOf := time.UnixMicro(firstAt).UTC()
	r, err := f.svc.Report(ctx, "thurrock-b3", outcomes.ReportOptions{AsOf: &asOf})
	require.NoError(t, err)
	found := false
	for _, row := range r.Rows {
		if row.Indicator.ID == k.Indicator {
			require.NotNil(t, row.Status.Value)
			assert.Equal(t, "66.1", row.Status.Value.String())
			found = true
		}
	}
	assert.True(t, found)
	st, err := f.svc.Status(ctx, k.Indicator, k.Area)
	require.NoError(t, err)
	assert.Equal(t, "66.6", st.Value.String())
	// 66.60 against the 2017 trajectory value 66.52: green.
	assert.Equal(t, outcomes.Green, st.RAG)
	assert.Equal(t, "66.52", st.Expected.StringFixed(2))
}

func TestIdempotentRecord(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	m := outcomes.NewMeasurement{Indicator: "dementia-friends", Area: "E06000034", Period: outcomes.MustPeriod("2017"), Value: dec("2810")}
	a, err := f.svc.Record(ctx, call.As("officer").Key("same"), m)
	require.NoError(t, err)
	n := f.events(t)
	b, err := f.svc.Record(ctx, call.As("officer").Key("same"), m)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	assert.Equal(t, n, f.events(t))
	m.Value = dec("2811")
	_, err = f.svc.Record(ctx, call.As("officer").Key("same"), m)
	requireField(t, err, outcomes.ErrConflict, "key")
	_, err = f.svc.Record(ctx, call.As("officer").Key(""), m)
	requireField(t, err, outcomes.ErrInvalid, "key")
}

func TestStories(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	story := outcomes.NewStory{Framework: "thurrock-b3", Indicator: "dementia-friends", Title: "A walk with friends",
		Body: "After the Dementia Friends session at the Tilbury hub …", Date: t0, Tags: []string{"dementia", "tilbury"}}

	// Published without consent: refused.
	noConsent := story
	noConsent.Publish = true
	_, err := f.svc.AddStory(ctx, f.w("officer"), noConsent)
	requireField(t, err, outcomes.ErrInvalid, "Consent")
	// Not attached to anything: refused.
	loose := story
	loose.Indicator = ""
	_, err = f.svc.AddStory(ctx, f.w("officer"), loose)
	requireField(t, err, outcomes.ErrInvalid, "Indicator")

	draft, err := f.svc.AddStory(ctx, f.w("officer"), story)
	require.NoError(t, err)
	assert.Equal(t, outcomes.StoryDraft, draft.Status)
	_, err = f.svc.PublishStory(ctx, f.w("officer"), draft.ID)
	requireField(t, err, outcomes.ErrInvalid, "Consent")

	story.Consent = outcomes.Consent{Given: true, Date: t0, RecordedBy: "officer", Scope: outcomes.ConsentPublic}
	withConsent, err := f.svc.AddStory(ctx, f.w("officer"), story)
	require.NoError(t, err)
	pub, err := f.svc.PublishStory(ctx, f.w("officer"), withConsent.ID)
	require.NoError(t, err)
	assert.Equal(t, outcomes.StoryPublished, pub.Status)
	_, err = f.svc.PublishStory(ctx, f.w("officer"), withConsent.ID)
	requireField(t, err, outcomes.ErrInvalidTransition, "Status")

	r, err := f.svc.Report(ctx, "thurrock-b3", outcomes.ReportOptions{})
	require.NoError(t, err)
	require.Len(t, r.Stories, 1)

	w, err := f.svc.WithdrawStory(ctx, f.w("officer"), withConsent.ID, "consent withdrawn")
	require.NoError(t, err)
	assert.Equal(t, outcomes.StoryWithdrawn, w.Status)
	assert.False(t, w.Consent.Given)
	_, err = f.svc.WithdrawStory(ctx, f.w("officer"), withConsent.ID, "again")
	requireField(t, err, outcomes.ErrInvalidTransition, "Status")
	r, err = f.svc.Report(ctx, "thurrock-b3", outcomes.ReportOptions{})
	require.NoError(t, err)
	assert.Empty(t, r.Stories)

	tag := "tilbury"
	got, err := f.store.Stories(ctx, outcomes.StoryFilter{Tag: &tag})
	require.NoError(t, err)
	assert.Len(t, got, 2)
}

func TestLoadFrameworkBadFile(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	for name, body := range map[string]string{
		"unknown field": `{"framework":{"id":"a","title":"A","area":"x"},"indicators":[{"id":"i","title":"I","unit":"count","valueType":"count","polarity":"higher-is-better","periodType":"month","colour":"red"}]}`,
		"no polarity":   `{"framework":{"id":"a","title":"A","area":"x"},"indicators":[{"id":"i","title":"I","unit":"count","valueType":"count","periodType":"month"}]}`,
		"no indicators": `{"framework":{"id":"a","title":"A","area":"x"},"indicators":[]}`,
		"not json":      `framework: a`,
	} {
		_, err := f.svc.LoadFramework(ctx, f.w("officer"), stringsReader(body))
		assert.ErrorIs(t, err, outcomes.ErrInvalid, name)
	}
	_, err := f.svc.LoadFramework(ctx, f.w("officer"), stringsReader(`{"framework":{"id":"a","title":"A","area":"x"},"indicators":[{"id":"i","title":"I","unit":"count","valueType":"count","periodType":"month"}]}`))
	var fe *outcomes.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "indicators[0](i).Polarity", fe.Field)
	assert.Equal(t, 1, f.events(t), "only the bootstrap")

	f.loadB3(t)
	file := mustOpen(t, b3Path)
	_, err = f.svc.LoadFramework(ctx, f.w("officer"), file)
	assert.ErrorIs(t, err, outcomes.ErrConflict)
}

// A retried Record returns its own first result — revision 1 — even when
// the figure was revised under another key in between.
func TestRecordRetryAfterRevision(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	m := outcomes.NewMeasurement{Indicator: "dementia-friends", Area: "E06000034", Period: outcomes.MustPeriod("2017"), Value: dec("2810"), Note: "first"}
	first, err := f.svc.Record(ctx, call.As("officer").Key("record-k1"), m)
	require.NoError(t, err)
	require.Equal(t, int64(1), first.Revision)

	f.advance(time.Hour)
	revised := m
	revised.Value, revised.Note = dec("2850"), "revised"
	second, err := f.svc.Record(ctx, call.As("officer").Key("record-k2"), revised)
	require.NoError(t, err)
	require.Equal(t, int64(2), second.Revision)

	n := f.events(t)
	retry, err := f.svc.Record(ctx, call.As("officer").Key("record-k1"), m)
	require.NoError(t, err)
	assert.Equal(t, first, retry)
	assert.Equal(t, int64(1), retry.Revision)
	assert.Equal(t, "2810", retry.Value.String())
	assert.Equal(t, "first", retry.Note)
	assert.Equal(t, n, f.events(t), "a retry writes nothing")
}
