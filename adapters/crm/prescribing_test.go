package crm_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	rx "github.com/strongertogether/community/prescribing"
)

// nhsNumbers returns n valid NHS numbers from the 999 range kept for
// test data.
func nhsNumbers(n int) []string {
	var out []string
	for stem := 999000000; len(out) < n; stem++ {
		sum := 0
		for j, c := range fmt.Sprint(stem) {
			sum += int(c-'0') * (10 - j)
		}
		if check := (11 - sum%11) % 11; check != 10 {
			out = append(out, fmt.Sprintf("%d%d", stem, check))
		}
	}
	return out
}

type rxWorld struct {
	svc      *rx.Service
	gp, adv  call.Actor
	practice string
}

func newRxWorld(t *testing.T) *rxWorld {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2016, 10, 3, 9, 0, 0, 0, time.UTC)
	svc := rx.NewService(sqlite.NewPrescribingStore(openDB(t)), rx.WithClock(func() time.Time { return now }))
	mgr := call.As("stf-manager")
	require.NoError(t, svc.Bootstrap(ctx, mgr))
	p, err := svc.RegisterPractice(ctx, mgr.Key("practice"), rx.NewPractice{ODS: "F81001", Name: "Tilbury Health Centre",
		PCN: "Tilbury and Chadwell", Area: "Tilbury"})
	require.NoError(t, err)
	gp, err := svc.AddStaff(ctx, mgr.Key("gp"), rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID}})
	require.NoError(t, err)
	adv, err := svc.AddStaff(ctx, mgr.Key("adv"), rx.NewStaff{Name: "B", Role: rx.RoleAdvisor, Practices: []string{p.ID}, Caseload: 30})
	require.NoError(t, err)
	return &rxWorld{svc: svc, gp: call.As(gp.ID), adv: call.As(adv.ID), practice: p.ID}
}

func (w *rxWorld) referrals(t *testing.T) []*rx.Referral {
	t.Helper()
	rs, err := w.svc.Referrals(context.Background(), w.gp, rx.ReferralFilter{Practice: w.practice})
	require.NoError(t, err)
	return rs
}

// Referrals from the CRM register their patient once and are referred
// through the prescribing Service; a later version carries a change of
// status through the referral's lifecycle; a bad record is rejected
// naming its field; a replay changes nothing.
func TestPrescribingReferrals(t *testing.T) {
	ctx := context.Background()
	w := newRxWorld(t)
	nhs := nhsNumbers(2)
	s := newSyncer(t, map[crm.Kind]crm.Applier{crm.Referral: crm.PrescribingReferrals(w.svc, w.gp, w.practice)})
	s.crm.add(
		rec(crm.Referral, "R1", 1, "person", "P1", "nhs_number", nhs[0], "name", "Ann Example", "area", "Tilbury",
			"needs", "loneliness", "note", "lives alone"),
		rec(crm.Referral, "R2", 1, "person", "P2", "nhs_number", "1234567890", "name", "Bob Example", "area", "Tilbury"),
		rec(crm.Referral, "R3", 1, "nhs_number", nhs[1], "name", "Cy Example"),
		rec(crm.Referral, "R4", 1, "person", "P4", "nhs_number", nhs[1], "name", "Cy Example", "area", "Tilbury", "needs", "boredom"),
	)
	rep := s.sync()
	assert.Equal(t, 1, rep.Created)
	errs := errorsOf(rep)
	require.Len(t, errs, 3)
	assert.Contains(t, errs["R2"], "NHS")
	assert.Contains(t, errs["R3"], "person")
	assert.Contains(t, errs["R4"], "boredom")
	for _, e := range rep.Errors {
		assert.ErrorIs(t, e.Err, rx.ErrInvalid, e.ExternalID)
	}
	refs := w.referrals(t)
	require.Len(t, refs, 1, "nothing of a bad record is stored")
	// R4's bad need was refused before its patient was registered: the
	// NHS number is free to register.
	_, err := w.svc.RegisterPatient(ctx, w.gp.Key("direct"), rx.NewPatient{Practice: w.practice, NHSNumber: nhs[1],
		Name: "Cy Example", Area: "Tilbury"})
	require.NoError(t, err)
	r1 := refs[0]
	assert.Equal(t, rx.Referred, r1.State)
	assert.Equal(t, []rx.Need{rx.NeedLoneliness}, r1.Needs)

	// The CRM records that Ann declined; an unknown status is refused.
	s.crm.add(rec(crm.Referral, "R1", 2, "status", "declined", "note", "prefers not to"),
		rec(crm.Referral, "R1", 3, "status", "finished"))
	rep = s.sync()
	assert.Equal(t, 1, rep.Updated)
	require.Len(t, rep.Errors, 1)
	assert.Contains(t, rep.Errors[0].Err.Error(), "status")
	got, err := w.svc.Referral(ctx, w.gp, r1.ID)
	require.NoError(t, err)
	require.NotNil(t, got)
	assert.Equal(t, rx.Declined, got.State)
	assert.Equal(t, rx.SNOMEDDeclined, got.Code)

	// Nothing new: nothing happens. From nothing: every write replays.
	rep = s.sync()
	assert.Zero(t, rep.Created+rep.Updated+len(rep.Errors))
	rep = s.fresh()
	assert.Equal(t, 1, rep.Created)
	assert.Equal(t, 1, rep.Updated)
	assert.Len(t, w.referrals(t), 1)
	again, err := w.svc.Referral(ctx, w.gp, r1.ID)
	require.NoError(t, err)
	assert.Equal(t, got.Version, again.Version, "the replay wrote nothing")

	// A second referral of the same person finds the same patient.
	s.crm.add(rec(crm.Referral, "R5", 1, "person", "P1", "nhs_number", nhs[0], "name", "Ann Example", "area", "Tilbury"))
	rep = s.sync()
	assert.Equal(t, 1, rep.Created, "%v", errorsOf(rep))
	refs = w.referrals(t)
	require.Len(t, refs, 2)
	assert.Equal(t, refs[0].Patient, refs[1].Patient)
}
