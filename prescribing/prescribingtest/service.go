package prescribingtest

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/storetest"
	"github.com/strongertogether/community/prescribing"
)

// The sub-tests in this file run the Service over the store: what they
// check (the first manager, keys scoped to actors, replays re-checking
// authority) depends on the store keeping receipts and its secret.

// testBootstrapRace: 8 callers race to be the first manager of an empty
// store; exactly one wins, the rest get ErrConflict, the winner's retry is
// nil; a later member of staff who is not a manager cannot grant roles,
// the manager can.
func testBootstrapRace(t *testing.T, s prescribing.Store) {
	ctx := t.Context()
	svc := prescribing.NewService(s)
	errs := storetest.Race(8, func(i int) error { return svc.Bootstrap(ctx, call.As(fmt.Sprintf("mgr-%d", i))) })
	winner := ""
	for i, err := range errs {
		if err == nil {
			assert.Empty(t, winner, "two callers won")
			winner = fmt.Sprintf("mgr-%d", i)
			continue
		}
		assert.ErrorIs(t, err, prescribing.ErrConflict)
	}
	require.NotEmpty(t, winner, "nobody won: %v", errs)
	require.NoError(t, svc.Bootstrap(ctx, call.As(winner)), "the winner's retry")
	assert.ErrorIs(t, svc.Bootstrap(ctx, call.As("mgr-late")), prescribing.ErrConflict)
	ms, err := s.StaffList(ctx, prescribing.StaffFilter{Role: prescribing.RoleManager})
	require.NoError(t, err)
	require.Len(t, ms, 1)
	assert.Equal(t, winner, ms[0].ID)

	mgr := call.As(winner)
	p, err := svc.RegisterPractice(ctx, mgr.Key("p"), prescribing.NewPractice{ODS: "F81001", Name: "Practice", Area: "Tilbury"})
	require.NoError(t, err)
	gp, err := svc.AddStaff(ctx, mgr.Key("gp"), prescribing.NewStaff{Name: "Dr A", Role: prescribing.RoleGP, Practices: []string{p.ID}})
	require.NoError(t, err)
	_, err = svc.AddStaff(ctx, call.As(gp.ID).Key("self-promotion"), prescribing.NewStaff{Name: "Dr B", Role: prescribing.RoleManager})
	assert.ErrorIs(t, err, prescribing.ErrForbidden, "a GP grants no roles")
	for i, err := range errs {
		if err != nil {
			_, err := svc.AddStaff(ctx, call.As(fmt.Sprintf("mgr-%d", i)).Key("k"), prescribing.NewStaff{Name: "X", Role: prescribing.RoleManager})
			assert.ErrorIs(t, err, prescribing.ErrForbidden, "a loser of the race grants no roles")
		}
	}
	m2, err := svc.AddStaff(ctx, mgr.Key("mgr-2"), prescribing.NewStaff{Name: "Second manager", Role: prescribing.RoleManager})
	require.NoError(t, err, "a manager adds managers")
	_, err = svc.RegisterPractice(ctx, call.As(m2.ID).Key("p2"), prescribing.NewPractice{ODS: "F81002", Name: "Practice 2", Area: "Aveley"})
	assert.NoError(t, err)
}

// testKeyScoping: the same key from two actors is two requests.
func testKeyScoping(t *testing.T, s prescribing.Store) {
	ctx := t.Context()
	svc := prescribing.NewService(s)
	mgr := call.As("mgr")
	require.NoError(t, svc.Bootstrap(ctx, mgr))
	m2, err := svc.AddStaff(ctx, mgr.Key("k"), prescribing.NewStaff{Name: "Second manager", Role: prescribing.RoleManager})
	require.NoError(t, err)
	a, err := svc.RegisterPractice(ctx, mgr.Key("open-1"), prescribing.NewPractice{ODS: "F81001", Name: "One", Area: "Tilbury"})
	require.NoError(t, err)
	b, err := svc.RegisterPractice(ctx, call.As(m2.ID).Key("open-1"), prescribing.NewPractice{ODS: "F81002", Name: "Two", Area: "Aveley"})
	require.NoError(t, err, "another actor's key of the same name")
	assert.NotEqual(t, a.ID, b.ID)
	again, err := svc.RegisterPractice(ctx, mgr.Key("open-1"), prescribing.NewPractice{ODS: "F81001", Name: "One", Area: "Tilbury"})
	require.NoError(t, err)
	assert.Equal(t, a.ID, again.ID, "a retry returns the first result")
	_, err = svc.RegisterPractice(ctx, mgr.Key("open-1"), prescribing.NewPractice{ODS: "F81003", Name: "Three", Area: "Purfleet"})
	assert.ErrorIs(t, err, prescribing.ErrConflict, "the same actor's key for another request")
	ps, err := s.Practices(ctx, prescribing.PracticeFilter{})
	require.NoError(t, err)
	assert.Len(t, ps, 2)
}

// testReplayAfterDeactivation: a deactivated GP repeating their earlier
// RegisterPatient gets ErrForbidden, and nothing of the patient.
func testReplayAfterDeactivation(t *testing.T, s prescribing.Store) {
	ctx := t.Context()
	svc := prescribing.NewService(s)
	mgr := call.As("mgr")
	require.NoError(t, svc.Bootstrap(ctx, mgr))
	p, err := svc.RegisterPractice(ctx, mgr.Key("p"), prescribing.NewPractice{ODS: "F81001", Name: "One", Area: "Tilbury"})
	require.NoError(t, err)
	st, err := svc.AddStaff(ctx, mgr.Key("gp"), prescribing.NewStaff{Name: "Dr A", Role: prescribing.RoleGP, Practices: []string{p.ID}})
	require.NoError(t, err)
	gp := call.As(st.ID)
	in := prescribing.NewPatient{Practice: p.ID, NHSNumber: string(nhsNumber(1)), Name: "Ada Example"}
	pat, err := svc.RegisterPatient(ctx, gp.Key("reg-1"), in)
	require.NoError(t, err)
	again, err := svc.RegisterPatient(ctx, gp.Key("reg-1"), in)
	require.NoError(t, err)
	assert.Equal(t, pat.ID, again.ID)
	_, err = svc.DeactivateStaff(ctx, mgr.Key("gp-leaves"), st.ID)
	require.NoError(t, err)
	got, err := svc.RegisterPatient(ctx, gp.Key("reg-1"), in)
	assert.ErrorIs(t, err, prescribing.ErrForbidden)
	assert.Nil(t, got, "a replay by a deactivated GP returns nothing")
	_, err = svc.Patient(ctx, gp, pat.ID)
	assert.ErrorIs(t, err, prescribing.ErrForbidden)
	var fe *prescribing.FieldError
	if assert.True(t, errors.As(err, &fe)) {
		assert.NotContains(t, fe.Reason, string(pat.NHSNumber))
	}
}

// testAuthorityFirst: a stranger's write at a referral whose state would
// refuse it, or at none, is ErrForbidden before anything else, so the
// answer never tells them what exists or what state it is in; the same for
// a GP of another practice.
func testAuthorityFirst(t *testing.T, s prescribing.Store) {
	ctx := t.Context()
	svc := prescribing.NewService(s)
	mgr := call.As("mgr")
	require.NoError(t, svc.Bootstrap(ctx, mgr))
	p1, err := svc.RegisterPractice(ctx, mgr.Key("p1"), prescribing.NewPractice{ODS: "F81001", Name: "One", Area: "Tilbury"})
	require.NoError(t, err)
	p2, err := svc.RegisterPractice(ctx, mgr.Key("p2"), prescribing.NewPractice{ODS: "F81002", Name: "Two", Area: "Aveley"})
	require.NoError(t, err)
	st1, err := svc.AddStaff(ctx, mgr.Key("gp1"), prescribing.NewStaff{Name: "Dr A", Role: prescribing.RoleGP, Practices: []string{p1.ID}})
	require.NoError(t, err)
	st2, err := svc.AddStaff(ctx, mgr.Key("gp2"), prescribing.NewStaff{Name: "Dr B", Role: prescribing.RoleGP, Practices: []string{p2.ID}})
	require.NoError(t, err)
	gp1 := call.As(st1.ID)
	pat, err := svc.RegisterPatient(ctx, gp1.Key("reg"), prescribing.NewPatient{Practice: p1.ID, NHSNumber: string(nhsNumber(2)), Name: "Bea Example"})
	require.NoError(t, err)
	ref, err := svc.Refer(ctx, gp1.Key("ref"), p1.ID, prescribing.NewReferral{Patient: pat.ID})
	require.NoError(t, err)
	ref, err = svc.Decline(ctx, gp1.Key("decline"), ref.ID, "not now")
	require.NoError(t, err, "a declined referral refuses every further move")
	for _, who := range []call.Actor{call.As("stranger"), call.As(st2.ID)} {
		for _, id := range []string{ref.ID, "ref-unknown"} {
			_, err = svc.Accept(ctx, who.Key("a-"+id), id)
			assert.ErrorIs(t, err, prescribing.ErrForbidden, "%s accepting %s", who.ID, id)
			_, err = svc.CloseReferral(ctx, who.Key("c-"+id), id, prescribing.CloseReasons()[0], "")
			assert.ErrorIs(t, err, prescribing.ErrForbidden, "%s closing %s", who.ID, id)
			_, err = svc.Referral(ctx, who, id)
			assert.ErrorIs(t, err, prescribing.ErrForbidden, "%s reading %s", who.ID, id)
		}
	}
}
