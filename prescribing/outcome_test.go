package prescribing_test

import (
	"fmt"
	"github.com/strongertogether/community/call"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rx "github.com/strongertogether/community/prescribing"
)

func TestSWEMWBSMetric(t *testing.T) {
	// Known conversions from the published table.
	for raw, want := range map[int]string{7: "7", 8: "9.51", 14: "15.32", 20: "18.59", 23: "20.73", 28: "25.03", 29: "26.02", 33: "30.7", 35: "35"} {
		got, err := rx.SWEMWBSMetric(raw)
		require.NoError(t, err)
		assert.True(t, got.Equal(dec(want)), "raw %d: got %s want %s", raw, got, want)
	}
	prev, _ := rx.SWEMWBSMetric(7)
	for raw := 8; raw <= 35; raw++ {
		m, _ := rx.SWEMWBSMetric(raw)
		assert.True(t, m.GreaterThan(prev), "the table rises at %d", raw)
		prev = m
	}
	for _, bad := range []int{6, 36, 0} {
		_, err := rx.SWEMWBSMetric(bad)
		fieldIs(t, err, rx.ErrInvalid, "SWEMWBS")
	}
	m, err := rx.SWEMWBS{3, 3, 3, 3, 3, 3, 3}.Metric()
	require.NoError(t, err)
	assert.True(t, m.Equal(dec("19.25")))
}

func TestWellbeingValidate(t *testing.T) {
	for field, w := range map[string]rx.Wellbeing{
		"Stage":        {Stage: "later", ONS4: &rx.ONS4{}},
		"Wellbeing":    {Stage: rx.Baseline},
		"ONS4.anxious": {Stage: rx.Baseline, ONS4: &rx.ONS4{Anxious: -1}},
		"SWEMWBS":      {Stage: rx.Baseline, SWEMWBS: &rx.SWEMWBS{1, 2, 3, 4, 5, 6, 1}},
		"Wheel":        {Stage: rx.FollowUp, Wheel: &rx.Wheel{0, 1, 1, 1, 1, 1, 1, 1}},
	} {
		fieldIs(t, w.Validate(), rx.ErrInvalid, field)
	}
}

func TestTQuantile(t *testing.T) {
	for df, want := range map[int]float64{1: 12.7062047, 2: 4.3026527, 9: 2.2621572, 30: 2.0422725, 1000: 1.9623391} {
		assert.InDelta(t, want, rx.TQuantile(0.975, df), 1e-6, "df %d", df)
	}
	assert.InDelta(t, -2.2621572, rx.TQuantile(0.025, 9), 1e-6)
	assert.True(t, math.IsNaN(rx.TQuantile(0.975, 0)))
}

// TestReportFigures builds a cohort with code and checks the KPIs: the
// paired change and its t-interval, acceptance, waits, uptake and the
// secondary care comparison.
func TestReportFigures(t *testing.T) {
	w := newWorld(t)
	adv2 := w.staff(rx.RoleAdvisor, 50, w.tilbury.ID)
	// 10 referrals: 8 accepted (1 declines first), 1 declined, 1 left referred.
	// Person i's SWEMWBS goes from all 2s (raw 14 → 15.32) to raw 14+i.
	var want []float64
	for i := range 10 {
		r := w.referred(i)
		switch i {
		case 8:
			_, err := w.svc.Decline(w.ctx, call.As(w.gp.ID).Key(w.key()), r.ID, "")
			require.NoError(t, err)
			continue
		case 9:
			continue
		}
		w.advance(time.Duration(i+1) * 24 * time.Hour)
		_, err := w.svc.Accept(w.ctx, call.As(adv2.ID).Key(w.key()), r.ID)
		require.NoError(t, err)
		w.advance(24 * time.Hour)
		_, err = w.svc.Contact(w.ctx, call.As(adv2.ID).Key(w.key()), r.ID, "")
		require.NoError(t, err)
		_, err = w.svc.Assess(w.ctx, call.As(adv2.ID).Key(w.key()), r.ID, rx.Assessment{Needs: []rx.Need{rx.NeedLoneliness},
			Wellbeing: &rx.Wellbeing{SWEMWBS: &rx.SWEMWBS{2, 2, 2, 2, 2, 2, 2}, ONS4: &rx.ONS4{Satisfied: 4, Worthwhile: 4, Happy: 4, Anxious: 6}}})
		require.NoError(t, err)
		_, err = w.svc.Connect(w.ctx, call.As(adv2.ID).Key(w.key()), r.ID, directory[:2])
		require.NoError(t, err)
		if i%2 == 0 {
			_, err = w.svc.Uptake(w.ctx, call.As(adv2.ID).Key(w.key()), r.ID, "act-lunch", i%4 == 0)
			require.NoError(t, err)
		}
		if i == 7 {
			continue // no follow-up: not paired
		}
		after := rx.SWEMWBS{2, 2, 2, 2, 2, 2, 2}
		for j := range i {
			after[j%7]++
		}
		_, err = w.svc.Review(w.ctx, call.As(adv2.ID).Key(w.key()), r.ID, rx.ReviewNotes{Wellbeing: &rx.Wellbeing{SWEMWBS: &after}})
		require.NoError(t, err)
		m, _ := after.Metric()
		want = append(want, m.InexactFloat64()-15.32)
		_, err = w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(w.key()), r.ID, rx.SecondaryCare{Before: &rx.Usage{AE: 2, Admissions: 1, GPContacts: 10}, After: &rx.Usage{AE: 1, Admissions: 1, GPContacts: 6}})
		require.NoError(t, err)
	}
	rep, err := w.svc.Report(w.ctx, call.As(w.mgr.ID), rx.ReportFilter{Practices: []string{w.tilbury.ID}})
	require.NoError(t, err)
	assert.Equal(t, 10, rep.Referrals)
	assert.Equal(t, map[rx.Source]int{rx.SourceGP: 10}, rep.BySource)
	assert.Equal(t, 8, rep.Accepted)
	assert.Equal(t, 1, rep.Declined)
	assert.True(t, rep.AcceptanceRate.Equal(dec("80")), "%s", rep.AcceptanceRate)
	assert.Equal(t, 16, rep.Offered)
	assert.Equal(t, 4, rep.TakenUp)
	assert.Equal(t, 2, rep.Attended)
	assert.Equal(t, 4, rep.PeopleTakingUp)
	// Referral to first contact: person i waits i+2 days (i < 8).
	assert.Equal(t, rx.Referred, rep.Waits[0].From)
	assert.Equal(t, rx.Contacted, rep.Waits[0].To)
	assert.Equal(t, 8, rep.Waits[0].N)
	assert.True(t, rep.Waits[0].Mean.Equal(dec("5.5")), "%s", rep.Waits[0].Mean)
	assert.True(t, rep.Waits[0].Median.Equal(dec("5.5")))

	// The paired SWEMWBS change, computed here independently.
	n := float64(len(want))
	mean := 0.0
	for _, d := range want {
		mean += d / n
	}
	ss := 0.0
	for _, d := range want {
		ss += (d - mean) * (d - mean)
	}
	half := rx.TQuantile(0.975, len(want)-1) * math.Sqrt(ss/(n-1)) / math.Sqrt(n)
	sw := rep.Wellbeing[0]
	assert.Equal(t, rx.MeasureSWEMWBS, sw.Measure)
	assert.Equal(t, 7, sw.N, "person 7 has no follow-up and person 8, 9 no baseline")
	assert.True(t, sw.Before.Equal(dec("15.32")))
	assert.Equal(t, fmt.Sprintf("%.2f", mean), sw.Mean.StringFixed(2))
	assert.Equal(t, fmt.Sprintf("%.2f", mean-half), sw.Lower.StringFixed(2))
	assert.Equal(t, fmt.Sprintf("%.2f", mean+half), sw.Upper.StringFixed(2))
	assert.Zero(t, rep.Wellbeing[1].N, "ONS4 was not measured at follow-up: no pairs")

	c := rep.SecondaryCare
	assert.Equal(t, 7, c.People)
	assert.Equal(t, rx.Usage{AE: 14, Admissions: 7, GPContacts: 70}, c.Before)
	assert.Equal(t, rx.Usage{AE: 7, Admissions: 7, GPContacts: 42}, c.After)
	assert.True(t, c.Change.AE.Equal(dec("-50")))
	assert.True(t, c.Change.Admissions.IsZero())
	assert.True(t, c.Change.GPContacts.Equal(dec("-40")))

	_, err = w.svc.Report(w.ctx, call.As(w.gpAveley.ID), rx.ReportFilter{Practices: []string{w.tilbury.ID}})
	fieldIs(t, err, rx.ErrForbidden, "actor")
}
