package outcomes_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/strongertogether/community/outcomes"
)

// linearIndicator is 50 in 2016 rising to 60 in 2021: 2 a year.
func linearIndicator(p outcomes.Polarity) *outcomes.Indicator {
	ind := &outcomes.Indicator{ID: "i", Framework: "fw", Title: "I", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion,
		Polarity: p, PeriodType: outcomes.CalendarYear, Decimals: 1,
		Baseline:   &outcomes.Baseline{Value: dec("50"), Period: outcomes.MustPeriod("2016")},
		Target:     &outcomes.Target{Status: outcomes.TargetSet, Value: dec("60"), Period: outcomes.MustPeriod("2021")},
		Trajectory: &outcomes.Trajectory{Kind: outcomes.Linear}}
	if p == outcomes.LowerIsBetter {
		ind.Baseline.Value, ind.Target.Value = dec("60"), dec("50")
	}
	return ind
}

func series(year int, values ...string) []*outcomes.Measurement {
	var out []*outcomes.Measurement
	for i, v := range values {
		out = append(out, &outcomes.Measurement{Indicator: "i", Area: "a", Period: outcomes.PeriodAt(outcomes.CalendarYear, int64(year+i)), Value: dec(v)})
	}
	return out
}

func TestRAGPolicy(t *testing.T) {
	ind := linearIndicator(outcomes.HigherIsBetter)
	// 2018 expects 54; the gap is 10, so amber is 53 to 54 with 10%.
	for _, c := range []struct {
		value string
		share string
		want  outcomes.RAG
	}{
		{"54", "0.10", outcomes.Green},
		{"55", "0.10", outcomes.Green},
		{"53.5", "0.10", outcomes.Amber},
		{"53", "0.10", outcomes.Amber},
		{"52.9", "0.10", outcomes.Red},
		{"52.9", "0.20", outcomes.Amber}, // another council's policy
		{"52", "0.20", outcomes.Amber},
		{"51.9", "0.20", outcomes.Red},
		{"53.9", "0", outcomes.Red},
	} {
		p := outcomes.Policy{AmberShare: dec(c.share), Confidence: dec("0.95")}
		st := outcomes.Assess(ind, p, series(2018, c.value), nil)
		assert.Equal(t, c.want, st.RAG, "value %s share %s", c.value, c.share)
		assert.Equal(t, "54", st.Expected.String())
	}
	// Lower is better: 60 → 50, 2018 expects 56.
	low := linearIndicator(outcomes.LowerIsBetter)
	assert.Equal(t, outcomes.Green, outcomes.Assess(low, outcomes.DefaultPolicy(), series(2018, "55"), nil).RAG)
	assert.Equal(t, outcomes.Amber, outcomes.Assess(low, outcomes.DefaultPolicy(), series(2018, "56.5"), nil).RAG)
	assert.Equal(t, outcomes.Red, outcomes.Assess(low, outcomes.DefaultPolicy(), series(2018, "57.5"), nil).RAG)
	// No judgement and TBC targets are not rated.
	nj := linearIndicator(outcomes.NoJudgement)
	assert.Equal(t, outcomes.None, outcomes.Assess(nj, outcomes.DefaultPolicy(), series(2018, "40"), nil).RAG)
	tbc := linearIndicator(outcomes.HigherIsBetter)
	tbc.Target, tbc.Trajectory = &outcomes.Target{Status: outcomes.TargetTBC}, nil
	st := outcomes.Assess(tbc, outcomes.DefaultPolicy(), series(2018, "40"), nil)
	assert.Equal(t, outcomes.None, st.RAG)
	assert.Equal(t, outcomes.TargetTBC, st.Target)
}

func TestSignificance(t *testing.T) {
	ind := linearIndicator(outcomes.HigherIsBetter)
	withCI := func(v, lo, hi string) []*outcomes.Measurement {
		s := series(2018, v)
		s[0].Lower, s[0].Upper = decp(lo), decp(hi)
		return s
	}
	p := outcomes.DefaultPolicy()
	assert.Equal(t, outcomes.Better, outcomes.Assess(ind, p, withCI("63", "60.5", "65"), nil).Significance)
	assert.Equal(t, outcomes.Similar, outcomes.Assess(ind, p, withCI("59", "57", "61"), nil).Significance)
	assert.Equal(t, outcomes.Worse, outcomes.Assess(ind, p, withCI("55", "53", "59.9"), nil).Significance)
	assert.Equal(t, outcomes.NotCompared, outcomes.Assess(ind, p, series(2018, "55"), nil).Significance)
	low := linearIndicator(outcomes.LowerIsBetter) // target 50
	assert.Equal(t, outcomes.Worse, outcomes.Assess(low, p, withCI("53", "51", "55"), nil).Significance)

	// Against a comparator when there is no target.
	cmp := linearIndicator(outcomes.NoJudgement)
	cmp.Target, cmp.Trajectory, cmp.Comparator = nil, nil, "E92000001"
	eng := series(2018, "50")
	st := outcomes.Assess(cmp, p, withCI("55", "52", "58"), eng)
	assert.Equal(t, outcomes.Higher, st.Significance)
	assert.Equal(t, "E92000001", st.ComparedWith)
}

func TestDirectionTrendForecast(t *testing.T) {
	ind := linearIndicator(outcomes.HigherIsBetter)
	p := outcomes.DefaultPolicy()

	st := outcomes.Assess(ind, p, series(2016, "50", "51"), nil)
	assert.Equal(t, outcomes.Improving, st.Direction)
	assert.Equal(t, outcomes.NotEnoughPoints, st.Trend.Result)
	assert.Equal(t, outcomes.Worsening, outcomes.Assess(ind, p, series(2016, "50", "49"), nil).Direction)
	assert.Equal(t, outcomes.Unchanged, outcomes.Assess(ind, p, series(2016, "50", "50"), nil).Direction)

	// Four points are never enough, whatever they show.
	st = outcomes.Assess(ind, p, series(2016, "50", "52", "54", "56"), nil)
	assert.Equal(t, outcomes.NotEnoughPoints, st.Trend.Result)
	assert.Equal(t, 4, st.Trend.Points)

	// Five strictly rising points: S = 10, Var = 5·4·15/18 = 300/18,
	// Z = (10 − 1)/√(300/18) = 2.2045, p = 0.0275: significant.
	st = outcomes.Assess(ind, p, series(2016, "50", "51", "52", "53", "54"), nil)
	assert.Equal(t, outcomes.TrendImproving, st.Trend.Result)
	assert.Equal(t, 10, st.Trend.S)
	assert.InDelta(t, 2.2045, st.Trend.Z, 0.0001)
	assert.InDelta(t, 0.0275, st.Trend.P, 0.0001)
	// Rising by 1 a year from 50 reaches 55 in 2021, short of 60.
	assert.Equal(t, outcomes.No, st.Forecast.Meets)
	assert.Equal(t, "55", st.Forecast.Value.String())

	// Five with one step back: S = 8, p ≈ 0.086: no significant change.
	st = outcomes.Assess(ind, p, series(2016, "50", "52", "51", "53", "54"), nil)
	assert.Equal(t, outcomes.NoSignificantChange, st.Trend.Result)

	// Falling for a higher-is-better indicator is worsening.
	st = outcomes.Assess(ind, p, series(2016, "60", "58", "57", "55", "54", "53"), nil)
	assert.Equal(t, outcomes.TrendWorsening, st.Trend.Result)

	// Rising 3 a year from 50 in 2016: 65 by 2021, meets 60.
	st = outcomes.Assess(ind, p, series(2016, "50", "53", "56"), nil)
	assert.Equal(t, outcomes.Yes, st.Forecast.Meets)
	// Past the target period: met or missed on the latest value.
	st = outcomes.Assess(ind, p, series(2020, "59", "61"), nil)
	assert.Equal(t, outcomes.Met, st.Forecast.Meets)
	st = outcomes.Assess(ind, p, series(2021, "59"), nil)
	assert.Equal(t, outcomes.Missed, st.Forecast.Meets)
}
