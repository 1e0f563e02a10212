package borough_test

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/strongertogether/community/call"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/prescribing"
)

// needDirectory offers one activity per need in every pilot area.
type needDirectory struct{}

func (needDirectory) Activities(_ context.Context, q prescribing.ActivityQuery) ([]prescribing.Activity, error) {
	var out []prescribing.Activity
	for _, n := range q.Needs {
		out = append(out, prescribing.Activity{ID: string(n) + "-" + q.Area, Name: string(n) + " group", Area: q.Area, Needs: []prescribing.Need{n}})
	}
	return out, nil
}

func generate(t *testing.T, seed uint64) (*prescribing.Service, *borough.PilotRun, *prescribing.Report) {
	t.Helper()
	ctx := context.Background()
	now := time.Time{}
	n := 0
	svc := prescribing.NewService(memory.NewPrescribingStore(), prescribing.WithClock(func() time.Time { return now }),
		prescribing.WithIDs(func(p string, _ time.Time) string { n++; return fmt.Sprintf("%s-%05d", p, n) }))
	want := borough.ThurrockPilot()
	want.ListSize = 400
	run, err := borough.GeneratePilot(ctx, svc, func(t time.Time) { now = t }, needDirectory{}, want, seed)
	require.NoError(t, err)
	r, err := svc.Report(ctx, call.As(run.Manager), prescribing.ReportFilter{From: want.Start, To: want.End()})
	require.NoError(t, err)
	return svc, run, r
}

// TestGeneratePilot checks the pilot generator's fixed totals and that
// its history is the same for the same seed.
func TestGeneratePilot(t *testing.T) {
	want := borough.ThurrockPilot()
	svc, run, r := generate(t, 7)
	require.Len(t, run.Practices, len(want.Areas))
	mdt := 0
	for i, p := range run.Practices {
		assert.Equal(t, want.Areas[i], p.Area)
		st := run.Strata[i]
		assert.Equal(t, 400, st.ListSize)
		assert.Len(t, st.Selected, prescribing.CohortSize(400, want.Percent))
		assert.Len(t, st.Adjustments, 2, "one added and one removed by clinical judgement")
		assert.Len(t, st.Cohort(), len(st.Selected))
		ms, err := svc.Meetings(context.Background(), call.As(run.GPs[p.ID]), p.ID)
		require.NoError(t, err)
		assert.Len(t, ms, 3)
		cases := 0
		for _, m := range ms {
			cases += len(m.Cases)
		}
		assert.Equal(t, len(st.Cohort()), cases, "the MDT reviews the whole cohort")
	}
	all := map[string]*prescribing.Referral{}
	for _, p := range run.Practices {
		rs, err := svc.Referrals(context.Background(), call.As(run.GPs[p.ID]), prescribing.ReferralFilter{Practice: p.ID})
		require.NoError(t, err)
		for _, r := range rs {
			all[r.ID] = r
		}
	}
	mdt = r.BySource[prescribing.SourceMDT]
	assert.Positive(t, mdt)
	assert.Positive(t, r.BySource[prescribing.SourceGP]+r.BySource[prescribing.SourceProfessional])
	assert.Equal(t, len(run.Referrals), r.Referrals)
	assert.Positive(t, r.Accepted)
	assert.Positive(t, r.Closed[prescribing.GoalsMet])
	for _, id := range run.Referrals {
		ref := all[id]
		require.NotNil(t, ref)
		for _, h := range ref.History {
			assert.True(t, h.At.Before(want.End()), "nothing happens after the pilot")
		}
	}
	// Secondary care arrives in two parts: the before window at
	// assessment, the after window at closure. Only closed referrals are
	// compared; those assessed but still open have the before window only.
	sc := r.SecondaryCare
	assert.Equal(t, r.Closed[prescribing.GoalsMet], sc.People)
	assert.Positive(t, sc.Incomplete, "referrals open at the pilot's end wait for their after window")
	assert.LessOrEqual(t, sc.Incomplete, r.Open)
	incomplete := 0
	for _, id := range run.Referrals {
		ref := all[id]
		require.NotNil(t, ref)
		if ref.Usage == nil {
			continue
		}
		require.NotNil(t, ref.Usage.Before, "the before window comes first")
		if ref.Usage.After == nil {
			incomplete++
			assert.NotEqual(t, prescribing.Closed, ref.State)
		}
	}
	assert.Equal(t, incomplete, sc.Incomplete)

	_, _, again := generate(t, 7)
	a, _ := json.Marshal(r)
	b, _ := json.Marshal(again)
	assert.JSONEq(t, string(a), string(b), "same seed, same pilot")
	_, _, other := generate(t, 8)
	c, _ := json.Marshal(other)
	assert.NotEqual(t, string(a), string(c), "another seed, another pilot")

	// Every generated NHS number is in the 999 range kept for test data.
	for _, p := range run.Practices {
		rs, err := svc.Referrals(context.Background(), call.As(run.GPs[p.ID]), prescribing.ReferralFilter{Practice: p.ID, Limit: 20})
		require.NoError(t, err)
		for _, ref := range rs {
			pat, err := svc.Patient(context.Background(), call.As(run.GPs[p.ID]), ref.Patient)
			require.NoError(t, err)
			assert.True(t, strings.HasPrefix(string(pat.NHSNumber), "999"), "a real NHS number was generated")
			assert.True(t, pat.NHSNumber.Valid())
		}
	}
}
