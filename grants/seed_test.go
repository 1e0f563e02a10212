package grants_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/grants"
)

// TestSmallSparksYear rebuilds the Small Sparks year that seed 000
// reports — "Established in 2014 with a fund of £10,000; £6,480 awarded
// to date to 26 groups" — from generated applications taken through the
// whole process, and reads those figures back from the report.
func TestSmallSparksYear(t *testing.T) {
	w := newWorld(t)
	wards := []string{"Aveley and Uplands", "Chadwell St Mary", "Grays Riverside", "Tilbury St Chads", "Purfleet"}
	prios := w.fund.Priorities
	// 26 groups: most ask for the £250 maximum; every seventh asks for
	// £5 less (they costed their bunting more tightly).
	for i := range 26 {
		f := w.form(fmt.Sprintf("Project %02d", i+1))
		f.Applicant.Name = fmt.Sprintf("Group %02d", i+1)
		f.Amount = gbp("250")
		if i%7 == 3 {
			f.Amount = gbp("245")
		}
		f.Costs = []grants.Cost{{Item: "materials", Amount: f.Amount}}
		f.Ward = wards[i%len(wards)]
		f.Priorities = []string{prios[i%len(prios)]}
		f.Supporters = []grants.Supporter{{Name: "A", Pledged: 8 * 60}, {Name: "B", Pledged: 7 * 60}, {Name: "C", Pledged: int64(6+i%3) * 60}}
		a := w.awarded(f, f.Amount.String())
		_, err := w.svc.Pay(w.ctx, w.key(), "officer", a.ID, a.Award, "BACS")
		require.NoError(t, err)
	}
	// And four that fail the rules.
	for i, edit := range []func(*grants.NewApplication){
		func(f *grants.NewApplication) { f.Purposes = []string{"faith-promotion"} },
		func(f *grants.NewApplication) { f.Costs[0].Running = true },
		func(f *grants.NewApplication) { f.Supporters = f.Supporters[:1] },
		func(f *grants.NewApplication) { f.Amount, f.Costs, f.CashMatch = gbp("400"), nil, gbp("400") },
	} {
		f := w.form(fmt.Sprintf("Ineligible %d", i))
		edit(&f)
		a := w.submitted(f)
		a, err := w.svc.CheckEligibility(w.ctx, w.key(), "officer", a.ID)
		require.NoError(t, err)
		require.Equal(t, grants.Declined, a.Status)
	}

	r, err := w.svc.Report(w.ctx, w.fund.ID, 2014)
	require.NoError(t, err)
	assert.Equal(t, 30, r.Applications)
	assert.Equal(t, 26, r.Awards)
	assert.Equal(t, 26, r.Groups, "26 groups")
	assert.Equal(t, "£10,000.00", grants.Pounds(r.Budget), "a fund of £10,000")
	assert.Equal(t, "£6,480.00", grants.Pounds(r.Awarded), "£6,480 awarded")
	assert.Equal(t, "£3,520.00", grants.Pounds(r.Remaining))
	assert.Equal(t, "£6,480.00", grants.Pounds(r.Paid))
	assert.Equal(t, "£0.00", grants.Pounds(r.Unpaid))
	assert.Equal(t, "£249.23", grants.Pounds(r.AverageAward))
	assert.Equal(t, "£6,480.00", grants.Pounds(r.Committed))
	assert.EqualValues(t, (26*15+26*6+9*1+8*2)*60, r.PledgedMinutes)
	assert.True(t, r.MatchedValue.Equal(gbp("12").Mul(gbp(fmt.Sprint(r.PledgedMinutes/60)))))
	require.Len(t, r.ByWard, 5)
	n, total := 0, gbp("0")
	for _, s := range r.ByWard {
		n += s.Awards
		total = total.Add(s.Awarded)
	}
	assert.Equal(t, 26, n)
	assert.True(t, total.Equal(r.Awarded))
	require.Len(t, r.ByPriority, 2)
	assert.Equal(t, 13, r.ByPriority[0].Awards)
}
