package dementia_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/internal/borough"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestThurrock2016 builds the borough's 2016 position from generated
// records, and the reports compute the seed's figures (seed
// 001_4542023772105e30.txt): 2,564 Dementia Friends in May 2016 towards
// 3,750 by 2021, a diagnosis rate of 66.4% in April 2016, and care-plan
// reviews at 70.7% in 2014/15.
func TestThurrock2016(t *testing.T) {
	ctx := t.Context()
	w, err := borough.NewDementiaWorld(ctx, memory.NewDementiaStore(), 2016)
	require.NoError(t, err)
	require.NoError(t, w.Thurrock2016(ctx))
	svc := w.Service

	friends, err := svc.Friends(ctx, date(2016, 5, 31))
	require.NoError(t, err)
	assert.Equal(t, int64(2564), friends.Total)
	assert.Equal(t, 12, friends.Trained)
	assert.Equal(t, friends.Total, friends.BySource[dementia.SourceOnline]+friends.BySource[dementia.SourceSession])
	tr, err := svc.FriendsTrajectory(ctx, date(2016, 5, 31), date(2021, 5, 31), 3750, date(2016, 5, 31))
	require.NoError(t, err)
	// The seed says "an increase of 1180"; its own figures give 1,186.
	assert.Equal(t, int64(1186), tr.Increase)
	assert.NotEqual(t, int64(1180), tr.Increase)
	assert.Equal(t, "2564.0", tr.Expected.StringFixed(1))

	dx, err := svc.DiagnosisRate(ctx, w.PrevalenceID, date(2016, 4, 30))
	require.NoError(t, err)
	assert.Len(t, dx.Practices, 32)
	assert.Len(t, dx.PCNs, 4)
	assert.Equal(t, "66.4", dx.Borough.Value.Percent.StringFixed(1))
	assert.True(t, dx.Borough.Value.Lower.LessThan(dx.Borough.Value.Percent))
	assert.True(t, dx.Borough.Value.Upper.GreaterThan(dx.Borough.Value.Percent))
	assert.Contains(t, dx.Source, "synthetic")

	cp, err := svc.CarePlanReviews(ctx, "2014/15")
	require.NoError(t, err)
	assert.Equal(t, "70.7", cp.Borough.Achievement.Percent.StringFixed(1))
	assert.True(t, cp.Borough.Coverage.Percent.LessThan(cp.Borough.Achievement.Percent), "coverage counts the adjusted-out patients")

	rep, err := svc.Membership(ctx)
	require.NoError(t, err)
	assert.Equal(t, 9, rep.Total.Members)
	assert.Len(t, rep.BySector, 4)
}

// The trajectories the seed prints step evenly to the 2021 targets: 66.4%
// to 67% by 0.12 a year, 70.7% to 77.0% by 1.26.
func TestSeedTrajectories(t *testing.T) {
	step := func(from, to string, years int64) []string {
		a, b := mustDec(from), mustDec(to)
		d := b.Sub(a).Div(decimalInt(years))
		var out []string
		for i := int64(1); i <= years; i++ {
			out = append(out, a.Add(d.Mul(decimalInt(i))).StringFixed(2))
		}
		return out
	}
	assert.Equal(t, []string{"66.52", "66.64", "66.76", "66.88", "67.00"}, step("66.4", "67", 5))
	assert.Equal(t, []string{"71.96", "73.22", "74.48", "75.74", "77.00"}, step("70.7", "77.0", 5))
}
