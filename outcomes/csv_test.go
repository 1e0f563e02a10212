package outcomes_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

func TestImportMeasurements(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	good := "indicator,area,period,value,count,denominator,source,note\n" +
		"dementia-diagnosis-rate,E06000034,2017,66.55,1331,2000,NHS Digital,\n" +
		"dementia-diagnosis-rate,E06000034,2018,66.70,1334,2000,NHS Digital,\n" +
		"dementia-friends,E06000034,2017,\"2,850\",,,Alzheimer's Society,\n"
	res, err := f.svc.ImportMeasurements(ctx, f.w("officer"), "thurrock-b3", strings.NewReader(good))
	require.NoError(t, err)
	assert.Equal(t, outcomes.ImportResult{Framework: "thurrock-b3", Recorded: 3}, *res)

	// A bad file is rejected whole, with every problem on its line.
	before := f.events(t)
	bad := "indicator,area,period,value,count,denominator\n" +
		"dementia-diagnosis-rate,E06000034,2019,66.9,1338,2000\n" + // good
		"dementia-diagnosis-rate,E06000034,2020,101,,\n" + // over 100
		"dementia-diagnosis-rate,E06000034,2020/21,66,,\n" + // wrong period type
		"dementia-diagnosis-rate,E06000034,2021,66,10,0\n" + // zero denominator
		"dementia-care-plan-review,E06000034,2021,70,100,90\n" + // denominator below count
		"nope,E06000034,2021,1,,\n" + // unknown indicator
		"dementia-friends,E06000034,2018,lots,,\n" // not a number
	_, err = f.svc.ImportMeasurements(ctx, f.w("officer"), "thurrock-b3", strings.NewReader(bad))
	var ie *outcomes.ImportError
	require.True(t, errors.As(err, &ie), "%v", err)
	require.ErrorIs(t, err, outcomes.ErrInvalid)
	// The form problems (line 8) are found first; fix it to see the rest.
	require.Len(t, ie.Rows, 1)
	assert.Equal(t, 8, ie.Rows[0].Line)
	assert.Equal(t, "value", ie.Rows[0].Field)
	bad = strings.Replace(bad, "lots", "2900", 1)
	_, err = f.svc.ImportMeasurements(ctx, f.w("officer"), "thurrock-b3", strings.NewReader(bad))
	require.True(t, errors.As(err, &ie), "%v", err)
	var got []string
	for _, r := range ie.Rows {
		got = append(got, r.Field+"@"+string(rune('0'+r.Line)))
	}
	assert.Equal(t, []string{"value@3", "period@4", "denominator@5", "denominator@6", "indicator@7"}, got)
	assert.Equal(t, before, f.events(t))
	ms, err := f.store.Measurements(ctx, outcomes.MeasurementFilter{})
	require.NoError(t, err)
	assert.Len(t, ms, 3)

	// Re-importing the same figures writes nothing new; a changed one is a
	// revision.
	f.advance(time.Hour)
	again := strings.Replace(good, "66.70,1334", "66.80,1336", 1)
	res, err = f.svc.ImportMeasurements(ctx, f.w("officer"), "thurrock-b3", strings.NewReader(again))
	require.NoError(t, err)
	assert.Equal(t, outcomes.ImportResult{Framework: "thurrock-b3", Revised: 1, Unchanged: 2}, *res)

	// Header problems.
	for _, h := range []string{"", "indicator,area,period\n", "indicator,area,period,value,colour\n"} {
		_, err := f.svc.ImportMeasurements(ctx, f.w("officer"), "thurrock-b3", strings.NewReader(h))
		assert.ErrorIs(t, err, outcomes.ErrInvalid, "%q", h)
	}
}

// fingertipsExport is shaped like a Fingertips "export all data" CSV.
const fingertipsExport = `Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note,Recent Trend,Compared to England value or percentiles,Compared to East of England region value or percentiles,Time period Sortable,New data,Compared to goal
92949,Estimated dementia diagnosis rate (aged 65 and older),E12000006,East of England region,E06000034,Thurrock,Counties & UAs,Persons,65+ yrs,,,2017,67.3,63.9,70.8,,,1170,1738,,Cannot be calculated,Similar,Similar,20170000,,
92949,Estimated dementia diagnosis rate (aged 65 and older),,,E92000001,England,England,Persons,65+ yrs,,,2017,67.9,67.6,68.2,,,421536,620838,,Cannot be calculated,,,20170000,,
92949,Estimated dementia diagnosis rate (aged 65 and older),E12000006,East of England region,E06000034,Thurrock,Counties & UAs,Persons,65+ yrs,Deprivation deciles,Most deprived,2017,60.1,55.0,65.0,,,300,499,,,,,20170000,,
90366,Life expectancy at birth,E12000006,East of England region,E06000034,Thurrock,Counties & UAs,Male,All ages,,,2015 - 17,79.1,78.7,79.5,,,,,,,,,20150000,,
92949,Estimated dementia diagnosis rate (aged 65 and older),E12000006,East of England region,E06000034,Thurrock,Counties & UAs,Persons,65+ yrs,,,2018,,,,,,,,*,,,,20180000,,
`

func TestImportFingertips(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	ind, err := f.store.Indicator(ctx, "dementia-diagnosis-rate")
	require.NoError(t, err)
	ed := ind.Edit()
	ed.FingertipsID = 92949
	_, err = f.svc.PutIndicator(ctx, f.w("officer"), ed)
	require.NoError(t, err)

	// "2015 - 17" is a range, which a period cannot be: the file is
	// refused whole, even though that row's indicator is not imported.
	_, err = f.svc.ImportFingertips(ctx, f.w("officer"), "thurrock-b3", strings.NewReader(fingertipsExport))
	var ie *outcomes.ImportError
	require.True(t, errors.As(err, &ie), "%v", err)
	require.Len(t, ie.Rows, 1)
	assert.Equal(t, 5, ie.Rows[0].Line)
	assert.Equal(t, "Time period", ie.Rows[0].Field)

	export := strings.Replace(fingertipsExport, "2015 - 17", "2017", 1)
	res, err := f.svc.ImportFingertips(ctx, f.w("officer"), "thurrock-b3", strings.NewReader(export))
	require.NoError(t, err)
	// Thurrock and England 2017 taken; the breakdown, the unmapped
	// indicator and the suppressed 2018 value skipped.
	assert.Equal(t, outcomes.ImportResult{Framework: "thurrock-b3", Recorded: 2, Skipped: 3}, *res)
	m, err := f.store.Measurement(ctx, outcomes.MeasurementKey{Indicator: "dementia-diagnosis-rate", Area: "E06000034", Period: outcomes.MustPeriod("2017")})
	require.NoError(t, err)
	assert.Equal(t, "67.3", m.Value.String())
	assert.Equal(t, "63.9", m.Lower.String())
	assert.Equal(t, outcomes.MethodSupplied, m.CIMethod)
	assert.Equal(t, "1738", m.Denominator.String())

	// A value over 100 for a percentage rejects the file.
	_, err = f.svc.ImportFingertips(ctx, f.w("officer"), "thurrock-b3", strings.NewReader(strings.Replace(export, ",67.9,", ",167.9,", 1)))
	require.True(t, errors.As(err, &ie), "%v", err)
	assert.Equal(t, 3, ie.Rows[0].Line)

	_, err = f.svc.ImportFingertips(ctx, f.w("officer"), "thurrock-b3", strings.NewReader("Area Code,Value\nE1,3\n"))
	assert.ErrorIs(t, err, outcomes.ErrInvalid)
}

func TestPullFromSource(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.loadB3(t)
	// A source another domain would provide, declared here as a function.
	src := outcomes.SourceFunc(func(ctx context.Context, from, to time.Time) ([]outcomes.NewMeasurement, error) {
		return []outcomes.NewMeasurement{
			{Indicator: "micro-enterprises", Area: "E06000034", Period: outcomes.MustPeriod("2017"), Value: dec("19"), Source: "adult social care"},
		}, nil
	})
	res, err := f.svc.Pull(ctx, f.w("officer"), "thurrock-b3", src, t0.AddDate(-1, 0, 0), t0)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Recorded)
	st, err := f.svc.Status(ctx, "micro-enterprises", "E06000034")
	require.NoError(t, err)
	// 19 against the step to 25 in 2017: 6 short of a gap of 25 is red.
	assert.Equal(t, outcomes.Red, st.RAG)
	assert.Equal(t, outcomes.MethodByar, mustMeasurement(t, f, "micro-enterprises", "2017").CIMethod)
}

func mustMeasurement(t *testing.T, f *fixture, ind, period string) *outcomes.Measurement {
	t.Helper()
	m, err := f.store.Measurement(context.Background(), outcomes.MeasurementKey{Indicator: ind, Area: "E06000034", Period: outcomes.MustPeriod(period)})
	require.NoError(t, err)
	return m
}
