package crm_test

import (
	"context"
	"fmt"
	"strings"
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
	other    string // a second practice the GP works with
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
	p2, err := svc.RegisterPractice(ctx, mgr.Key("practice2"), rx.NewPractice{ODS: "F81002", Name: "Chadwell Surgery",
		PCN: "Tilbury and Chadwell", Area: "Chadwell"})
	require.NoError(t, err)
	gp, err := svc.AddStaff(ctx, mgr.Key("gp"), rx.NewStaff{Name: "Dr A", Role: rx.RoleGP, Practices: []string{p.ID, p2.ID}})
	require.NoError(t, err)
	adv, err := svc.AddStaff(ctx, mgr.Key("adv"), rx.NewStaff{Name: "B", Role: rx.RoleAdvisor, Practices: []string{p.ID}, Caseload: 30})
	require.NoError(t, err)
	return &rxWorld{svc: svc, gp: call.As(gp.ID), adv: call.As(adv.ID), practice: p.ID, other: p2.ID}
}

// declineOpen declines the patient's referrals not declined yet, so the
// patient may be referred again, or erased.
func (w *rxWorld) declineOpen(t *testing.T, patient string) {
	t.Helper()
	for _, r := range w.referrals(t) {
		if r.Patient == patient && r.State != rx.Declined {
			_, err := w.svc.Decline(context.Background(), w.gp.Key("decline-"+r.ID), r.ID, "")
			require.NoError(t, err)
		}
	}
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
		rec(crm.Referral, "R4", 1, "person", "P4", "nhs_number", nhs[1], "name", "Cy Example", "area", "Tilbury",
			"needs", "loneliness;lives with Dan, drinks"),
	)
	rep := s.sync()
	assert.Equal(t, 1, rep.Created)
	errs := errorsOf(rep)
	require.Len(t, errs, 3)
	assert.Contains(t, errs["R2"], "NHS")
	assert.Contains(t, errs["R3"], "person")
	assert.Contains(t, errs["R4"], "needs")
	assert.Contains(t, errs["R4"], "need 2", "the report names the need by its place")
	assert.NotContains(t, errs["R4"], "Dan", "the report never repeats the CRM's text")
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

// The patient's key is the practice and a digest of the NHS number: a
// CRM correction of the NHS number registers the corrected patient, the
// same person referred at another practice is registered there, and a
// record of an erased patient is rejected, with no referral hung on the
// erased record.
func TestPrescribingReferralsPatientKey(t *testing.T) {
	ctx := context.Background()
	w := newRxWorld(t)
	nhs := nhsNumbers(2)
	s := newSyncer(t, map[crm.Kind]crm.Applier{crm.Referral: crm.PrescribingReferrals(w.svc, w.gp, w.practice)})
	s.crm.add(rec(crm.Referral, "R1", 1, "person", "P1", "nhs_number", nhs[0], "name", "Ann Example", "area", "Tilbury",
		"needs", "loneliness"))
	rep := s.sync()
	require.Equal(t, 1, rep.Created, "%v", errorsOf(rep))

	// The CRM corrects P1's NHS number on a new referral.
	s.crm.add(rec(crm.Referral, "R2", 1, "person", "P1", "nhs_number", nhs[1], "name", "Ann Example", "area", "Tilbury"))
	rep = s.sync()
	assert.Equal(t, 1, rep.Created, "%v", errorsOf(rep))
	refs := w.referrals(t)
	require.Len(t, refs, 2)
	assert.NotEqual(t, refs[0].Patient, refs[1].Patient)
	for _, r := range refs {
		p, err := w.svc.Patient(ctx, w.gp, r.Patient)
		require.NoError(t, err)
		assert.Contains(t, nhs, string(p.NHSNumber))
	}

	// The same GP syncs the same CRM person into another practice.
	s2 := newSyncer(t, map[crm.Kind]crm.Applier{crm.Referral: crm.PrescribingReferrals(w.svc, w.gp, w.other)})
	s2.crm.add(rec(crm.Referral, "Q1", 1, "person", "P1", "nhs_number", nhs[0], "name", "Ann Example", "area", "Tilbury"))
	rep = s2.sync()
	assert.Equal(t, 1, rep.Created, "%v", errorsOf(rep))
	others, err := w.svc.Referrals(ctx, w.gp, rx.ReferralFilter{Practice: w.other})
	require.NoError(t, err)
	require.Len(t, others, 1)

	// Ann's first referral is closed and she is erased; a new referral
	// of her from the CRM is rejected and nothing is hung on the erased
	// record.
	first := refs[0]
	for _, r := range refs {
		if p, _ := w.svc.Patient(ctx, w.gp, r.Patient); p != nil && string(p.NHSNumber) == nhs[0] {
			first = r
		}
	}
	_, err = w.svc.Decline(ctx, w.gp.Key("decline"), first.ID, "")
	require.NoError(t, err)
	_, err = w.svc.ErasePatient(ctx, w.gp.Key("erase"), first.Patient)
	require.NoError(t, err)
	s.crm.add(rec(crm.Referral, "R3", 1, "person", "P1", "nhs_number", nhs[0], "name", "Ann Example", "area", "Tilbury",
		"note", "moved house"))
	rep = s.sync()
	assert.Zero(t, rep.Created)
	require.Len(t, rep.Errors, 1, "%v", errorsOf(rep))
	assert.ErrorIs(t, rep.Errors[0].Err, crm.ErrErased)
	assert.Contains(t, rep.Errors[0].Err.Error(), "nhs_number")
	assert.NotContains(t, rep.Errors[0].Err.Error(), nhs[0])
	assert.Len(t, w.referrals(t), 2, "no referral of the erased patient")
	erased, err := w.svc.Patient(ctx, w.gp, first.Patient)
	require.NoError(t, err)
	assert.Empty(t, erased.NHSNumber)
	assert.Empty(t, erased.Area)

	// A note the Service would refuse is rejected before the patient is
	// registered: the NHS number is free to register.
	fresh := nhsNumbers(3)[2]
	s.crm.add(rec(crm.Referral, "R4", 1, "person", "P4", "nhs_number", fresh, "name", "Di Example", "area", "Tilbury",
		"note", strings.Repeat("x", 2001)))
	rep = s.sync()
	require.Len(t, rep.Errors, 1)
	assert.Contains(t, rep.Errors[0].Err.Error(), "note")
	_, err = w.svc.RegisterPatient(ctx, w.gp.Key("direct-di"), rx.NewPatient{Practice: w.practice, NHSNumber: fresh,
		Name: "Di Example", Area: "Tilbury"})
	assert.NoError(t, err)
}

// A CRM correction of the name or area of a patient it registered, on a
// new referral, corrects the practice's record of the same patient, once:
// a replay undoes none of the practice's own corrections, and an empty
// field blanks nothing; a patient the practice registered itself is
// referred as it keeps them; a record of an erased patient under another
// name is still rejected, and the erased record stays blank.
func TestPrescribingReferralsCorrectPatient(t *testing.T) {
	ctx := context.Background()
	w := newRxWorld(t)
	nhs := nhsNumbers(2)
	s := newSyncer(t, map[crm.Kind]crm.Applier{crm.Referral: crm.PrescribingReferrals(w.svc, w.gp, w.practice)})
	s.crm.add(rec(crm.Referral, "R1", 1, "person", "P1", "nhs_number", nhs[0], "name", "Ann Example", "area", "Tilbury",
		"needs", "loneliness"))
	rep := s.sync()
	require.Equal(t, 1, rep.Created, "%v", errorsOf(rep))
	first := w.referrals(t)[0]
	_, err := w.svc.Decline(ctx, w.gp.Key("decline-1"), first.ID, "")
	require.NoError(t, err)

	s.crm.add(rec(crm.Referral, "R2", 1, "person", "P1", "nhs_number", nhs[0], "name", "Ann Example-Smith", "area", "Grays"))
	rep = s.sync()
	require.Equal(t, 1, rep.Created, "%v", errorsOf(rep))
	refs := w.referrals(t)
	require.Len(t, refs, 2)
	assert.Equal(t, first.Patient, refs[0].Patient)
	assert.Equal(t, first.Patient, refs[1].Patient, "the same patient, corrected")
	p, err := w.svc.Patient(ctx, w.gp, first.Patient)
	require.NoError(t, err)
	assert.Equal(t, "Ann Example-Smith", p.Name)
	assert.Equal(t, "Grays", p.Area)

	// The practice registered Bob itself; the CRM's referral of him is
	// made on that record.
	bob, err := w.svc.RegisterPatient(ctx, w.gp.Key("bob"), rx.NewPatient{Practice: w.practice, NHSNumber: nhs[1], Name: "Bob Example", Area: "Tilbury"})
	require.NoError(t, err)
	s.crm.add(rec(crm.Referral, "R3", 1, "person", "P2", "nhs_number", nhs[1], "name", "Bob Example", "area", "Tilbury"))
	rep = s.sync()
	require.Equal(t, 1, rep.Created, "%v", errorsOf(rep))
	assert.Len(t, w.referrals(t), 3)
	bobs, err := w.svc.Referrals(ctx, w.gp, rx.ReferralFilter{Practice: w.practice, Patient: bob.ID})
	require.NoError(t, err)
	assert.Len(t, bobs, 1)

	// The practice corrects both itself; a CRM record with an empty
	// name and area blanks nothing.
	for id, name := range map[string]string{first.Patient: "Ann Smith", bob.ID: "Robert Example"} {
		_, err = w.svc.CorrectPatient(ctx, w.gp.Key("practice-fix-"+id), id, rx.PatientCorrection{Name: &name})
		require.NoError(t, err)
	}
	w.declineOpen(t, first.Patient)
	s.crm.add(rec(crm.Referral, "R5", 1, "person", "P1", "nhs_number", nhs[0], "name", "", "area", ""))
	rep = s.sync()
	require.Equal(t, 1, rep.Created, "%v", errorsOf(rep))

	// From nothing, every write replays: no second patient or referral,
	// and the practice's own corrections stand.
	rep = s.fresh()
	assert.Empty(t, rep.Errors)
	assert.Len(t, w.referrals(t), 4)
	p, err = w.svc.Patient(ctx, w.gp, first.Patient)
	require.NoError(t, err)
	assert.Equal(t, "Ann Smith", p.Name)
	assert.Equal(t, "Grays", p.Area)
	p, err = w.svc.Patient(ctx, w.gp, bob.ID)
	require.NoError(t, err)
	assert.Equal(t, "Robert Example", p.Name)

	// Ann is erased; the CRM's next referral of her, under yet another
	// name, is rejected and writes nothing.
	w.declineOpen(t, first.Patient)
	_, err = w.svc.ErasePatient(ctx, w.gp.Key("erase"), first.Patient)
	require.NoError(t, err)
	s.crm.add(rec(crm.Referral, "R4", 1, "person", "P1", "nhs_number", nhs[0], "name", "Ann Other", "area", "Grays"))
	rep = s.sync()
	assert.Zero(t, rep.Created)
	require.Len(t, rep.Errors, 1, "%v", errorsOf(rep))
	assert.ErrorIs(t, rep.Errors[0].Err, crm.ErrErased)
	assert.Len(t, w.referrals(t), 4)
	erased, err := w.svc.Patient(ctx, w.gp, first.Patient)
	require.NoError(t, err)
	assert.Empty(t, erased.Name)
	assert.Empty(t, erased.NHSNumber)
}
