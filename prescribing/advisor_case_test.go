package prescribing_test

import (
	"github.com/strongertogether/community/call"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rx "github.com/strongertogether/community/prescribing"
)

// TestCaseWorkIsTheAdvisors: once an advisor accepts a referral, only they
// work the case. Another advisor of the same practice is ErrForbidden at
// every step of the case work, with input that the referral's advisor then
// uses successfully, and nothing is written for the refused attempts.
func TestCaseWorkIsTheAdvisors(t *testing.T) {
	w := newWorld(t)
	other := w.staff(rx.RoleAdvisor, 3, w.tilbury.ID)
	r := w.referred(1)
	wb := func() *rx.Wellbeing {
		return &rx.Wellbeing{ONS4: &rx.ONS4{Satisfied: 3, Worthwhile: 4, Happy: 3, Anxious: 7}, SWEMWBS: &rx.SWEMWBS{2, 2, 2, 3, 2, 2, 2}}
	}
	steps := []struct {
		name string
		do   func(actor string) (*rx.Referral, error)
	}{
		{"accept", func(a string) (*rx.Referral, error) { return w.svc.Accept(w.ctx, call.As(a).Key(w.key()), r.ID) }},
		{"contact", func(a string) (*rx.Referral, error) {
			return w.svc.Contact(w.ctx, call.As(a).Key(w.key()), r.ID, "phoned")
		}},
		{"wellbeing", func(a string) (*rx.Referral, error) {
			m := *wb()
			m.Stage = rx.Baseline
			return w.svc.RecordWellbeing(w.ctx, call.As(a).Key(w.key()), r.ID, m)
		}},
		{"assess", func(a string) (*rx.Referral, error) {
			return w.svc.Assess(w.ctx, call.As(a).Key(w.key()), r.ID, rx.Assessment{Needs: []rx.Need{rx.NeedLoneliness}, Wellbeing: wb()})
		}},
		{"connect", func(a string) (*rx.Referral, error) {
			return w.svc.Connect(w.ctx, call.As(a).Key(w.key()), r.ID, []rx.Activity{directory[1]})
		}},
		{"uptake", func(a string) (*rx.Referral, error) {
			return w.svc.Uptake(w.ctx, call.As(a).Key(w.key()), r.ID, "act-lunch", true)
		}},
		{"review", func(a string) (*rx.Referral, error) {
			return w.svc.Review(w.ctx, call.As(a).Key(w.key()), r.ID, rx.ReviewNotes{Wellbeing: wb(), Note: "going weekly"})
		}},
	}
	for i, st := range steps {
		if i > 0 { // before acceptance the referral has no advisor
			before, err := w.store.Referral(w.ctx, r.ID)
			require.NoError(t, err)
			events, err := w.store.Events(w.ctx, rx.EventFilter{Subject: r.ID})
			require.NoError(t, err)
			_, err = st.do(other.ID)
			fieldIs(t, err, rx.ErrForbidden, "actor")
			assert.Contains(t, err.Error(), "not the advisor of referral", st.name)
			after, err := w.store.Referral(w.ctx, r.ID)
			require.NoError(t, err)
			assert.Equal(t, before, after, "%s: nothing written", st.name)
			again, err := w.store.Events(w.ctx, rx.EventFilter{Subject: r.ID})
			require.NoError(t, err)
			assert.Equal(t, events, again, "%s: no event", st.name)
		}
		got, err := st.do(w.adv.ID)
		require.NoError(t, err, st.name)
		assert.Equal(t, w.adv.ID, got.Advisor, st.name)
	}
	// Anyone at the practice who may see patients still holds, resumes and
	// closes it; the other advisor can read it.
	_, err := w.svc.Referral(w.ctx, call.As(other.ID), r.ID)
	require.NoError(t, err)
	_, err = w.svc.Hold(w.ctx, call.As(other.ID).Key(w.key()), r.ID, "in hospital")
	require.NoError(t, err)
	_, err = w.svc.Resume(w.ctx, call.As(w.nurse.ID).Key(w.key()), r.ID, "home")
	require.NoError(t, err)
	got, err := w.svc.CloseReferral(w.ctx, call.As(w.gp.ID).Key(w.key()), r.ID, rx.GoalsMet, "")
	require.NoError(t, err)
	assert.Equal(t, rx.Closed, got.State)
}
