package grants_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/internal/borough"
)

// TestSmallSparksYear rebuilds the Small Sparks year that seed 000
// reports — "Established in 2014 with a fund of £10,000; £6,480 awarded
// to date to 26 groups" — from generated applications taken through the
// whole process (borough.GenerateGrants, which examples/thurrock uses too),
// and reads those figures back from the report. Several seeds, so the
// figures do not hang on one draw.
func TestSmallSparksYear(t *testing.T) {
	for _, seed := range []uint64{2014, 1, 77} {
		ctx := context.Background()
		now := time.Time{}
		svc := grants.NewService(memory.NewGrantsStore(), grants.WithClock(func() time.Time { return now }))
		fund, err := borough.GenerateGrants(ctx, svc, func(t time.Time) { now = t }, borough.SmallSparks, seed)
		require.NoError(t, err)

		r, err := svc.Report(ctx, fund.ID, 2014)
		require.NoError(t, err)
		assert.Equal(t, 26, r.Awards)
		assert.Equal(t, 26, r.Groups, "26 groups")
		assert.Equal(t, "£10,000.00", grants.Pounds(r.Budget), "a fund of £10,000")
		assert.Equal(t, "£6,480.00", grants.Pounds(r.Awarded), "£6,480 awarded")
		assert.Equal(t, "£3,520.00", grants.Pounds(r.Remaining))
		assert.Equal(t, "£6,480.00", grants.Pounds(r.Paid))
		assert.Equal(t, "£0.00", grants.Pounds(r.Unpaid))
		assert.Equal(t, "£249.23", grants.Pounds(r.AverageAward))
		assert.Equal(t, "£6,480.00", grants.Pounds(r.Committed))
		assert.Equal(t, 26+borough.GrantsIneligible+borough.GrantsWithdrawn+borough.GrantsRefused, r.Applications)

		// The applications behind the figures, counted independently of
		// the report.
		apps, err := svc.Applications(ctx, call.As(borough.GrantsOfficer), grants.ApplicationFilter{Fund: fund.ID})
		require.NoError(t, err)
		status := map[grants.Status]int{}
		var pledged int64
		groups := map[string]bool{}
		for _, a := range apps {
			status[a.Status]++
			if a.IsAwarded() {
				pledged += a.PledgedMinutes()
				groups[a.Applicant.Name] = true
				assert.True(t, a.Award.GreaterThanOrEqual(fund.MinAward) && a.Award.LessThanOrEqual(fund.MaxAward), "award %s", a.Award)
				assert.True(t, a.Award.Equal(a.Paid))
			}
		}
		assert.Equal(t, map[grants.Status]int{grants.Paid: 26, grants.Declined: borough.GrantsIneligible + borough.GrantsRefused,
			grants.Withdrawn: borough.GrantsWithdrawn}, status)
		assert.Len(t, groups, 26)
		assert.Equal(t, pledged, r.PledgedMinutes)
		assert.True(t, r.MatchedValue.Equal(decimal.NewFromInt(12).Mul(decimal.NewFromInt(pledged)).Div(decimal.NewFromInt(60)).Round(2)))
		assert.True(t, r.MatchedValue.GreaterThanOrEqual(r.Awarded), "every award matched pound for pound by sweat equity")

		n, total := 0, decimal.Zero
		for _, s := range r.ByWard {
			n += s.Awards
			total = total.Add(s.Awarded)
		}
		assert.Equal(t, 26, n)
		assert.True(t, total.Equal(r.Awarded))
		n = 0
		for _, s := range r.ByPriority {
			n += s.Awards
		}
		assert.Equal(t, 26, n)
	}
}
