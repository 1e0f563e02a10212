package outcomes_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

// TestSeedTrajectories loads the B3 framework of seed 001 from its JSON
// file and checks that the trajectories computed from baseline and target
// are exactly the values the seed's Outcome Framework table prints.
func TestSeedTrajectories(t *testing.T) {
	f := newFixture(t)
	l := f.loadB3(t)
	byID := map[string]*outcomes.Indicator{}
	for _, ind := range l.Indicators {
		byID[ind.ID] = ind
	}
	require.Len(t, byID, 5)

	traj := func(id string) []string {
		var out []string
		for _, p := range outcomes.TrajectoryPoints(byID[id]) {
			out = append(out, p.Period.String()+"="+p.Value.StringFixed(byID[id].Decimals))
		}
		return out
	}
	// Diagnosis rate: 66.4% (2016) → 66.52, 66.64, 66.76, 66.88, 67%.
	assert.Equal(t, []string{"2016=66.40", "2017=66.52", "2018=66.64", "2019=66.76", "2020=66.88", "2021=67.00"},
		traj("dementia-diagnosis-rate"))
	// Care plan review: 70.7% → 71.96, 73.22, 74.48, 75.74, 77.0%.
	assert.Equal(t, []string{"2016=70.70", "2017=71.96", "2018=73.22", "2019=74.48", "2020=75.74", "2021=77.00"},
		traj("dementia-care-plan-review"))
	// Micro-enterprises: 0, then 25 by February 2017, held to the 2021
	// horizon as the table's 2021 column shows.
	assert.Equal(t, []string{"2016=0", "2017=25", "2018=25", "2019=25", "2020=25", "2021=25"}, traj("micro-enterprises"))
	// Numerically equal to the seed's figures, not only as text.
	v, ok := outcomes.TrajectoryAt(byID["dementia-care-plan-review"], outcomes.MustPeriod("2021"))
	require.True(t, ok)
	assert.True(t, v.Equal(dec("77.0")))

	// Weekly volunteering hours: a target to be confirmed is a valid state,
	// shown as such, with no trajectory and no RAG.
	vh := byID["volunteering-hours"]
	assert.Equal(t, outcomes.TargetTBC, vh.Target.Status)
	assert.Nil(t, outcomes.TrajectoryPoints(vh))
	assert.True(t, vh.Baseline.Value.Equal(dec("19069")))
	assert.Equal(t, "2014/15", vh.Baseline.Period.String())

	// Consistency: the dementia friends text says "an increase of 1180"
	// but 3750 − 2564 = 1186; and the care plan baseline is from 2014/15,
	// shown in the 2016 column. Both are warnings, nothing more.
	var codes []string
	for _, w := range l.Warnings {
		codes = append(codes, w.Indicator+":"+w.Code)
	}
	assert.ElementsMatch(t, []string{"dementia-friends:" + outcomes.WarnStatedChange, "dementia-care-plan-review:" + outcomes.WarnBaselineAsOf}, codes)
	for _, w := range l.Warnings {
		if w.Code == outcomes.WarnStatedChange {
			assert.Contains(t, w.Message, "+1180")
			assert.Contains(t, w.Message, "+1186")
		}
	}

	// The report shows the TBC target as such.
	r, err := f.svc.Report(context.Background(), "thurrock-b3", outcomes.ReportOptions{})
	require.NoError(t, err)
	for _, row := range r.Rows {
		if row.Indicator.ID == "volunteering-hours" {
			assert.Equal(t, outcomes.TargetTBC, row.Status.Target)
			assert.Equal(t, outcomes.None, row.Status.RAG)
		}
	}
}

// TestStatedChangeComputed builds the dementia friends check from numbers
// rather than the file: any stated change other than target − baseline
// is a warning, and the right one is not.
func TestStatedChangeComputed(t *testing.T) {
	base, target := int64(2564), int64(3750)
	for stated := target - base - 10; stated <= target-base+10; stated++ {
		ind := &outcomes.Indicator{ID: "df", Framework: "fw", Title: "Dementia friends", Unit: outcomes.UnitCount,
			ValueType: outcomes.ValueTotal, Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.CalendarYear,
			Baseline: &outcomes.Baseline{Value: dec("2564"), Period: outcomes.MustPeriod("2016")},
			Target:   &outcomes.Target{Status: outcomes.TargetSet, Value: dec("3750"), Period: outcomes.MustPeriod("2021")}}
		s := dec("0").Add(dec("1").Mul(decFromInt(stated)))
		ind.StatedChange = &s
		require.NoError(t, ind.Validate())
		ws := outcomes.Check(&outcomes.Framework{ID: "fw"}, []*outcomes.Indicator{ind})
		if stated == target-base {
			assert.Empty(t, ws, "stated %d", stated)
		} else {
			require.Len(t, ws, 1, "stated %d", stated)
			assert.Equal(t, outcomes.WarnStatedChange, ws[0].Code)
		}
	}
}
