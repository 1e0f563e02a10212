package prescribingtest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/prescribing"
)

// erasedName is the name of the patient testErasure erases; its parts are
// what the test searches for.
var erasedName = []string{"Zebedee", "Quuxworth"}

// testErasure: a patient with a referral through its lifecycle, notes,
// a story, an MDT case and a GP's cohort adjustment is erased; then no
// stored text (every record the store returns, and the audit trail)
// holds their name or NHS number, while what reports count stays.
func testErasure(t *testing.T, s prescribing.Store) {
	ctx := t.Context()
	clock := t0
	svc := prescribing.NewService(s, prescribing.WithClock(func() time.Time { clock = clock.Add(time.Minute); return clock }))
	mgr := call.As("mgr")
	require.NoError(t, svc.Bootstrap(ctx, mgr))
	p, err := svc.RegisterPractice(ctx, mgr.Key("p"), prescribing.NewPractice{ODS: "F81001", Name: "One", Area: "Tilbury"})
	require.NoError(t, err)
	gpSt, err := svc.AddStaff(ctx, mgr.Key("gp"), prescribing.NewStaff{Name: "Dr A", Role: prescribing.RoleGP, Practices: []string{p.ID}})
	require.NoError(t, err)
	advSt, err := svc.AddStaff(ctx, mgr.Key("adv"), prescribing.NewStaff{Name: "B", Role: prescribing.RoleAdvisor, Practices: []string{p.ID}, Caseload: 5})
	require.NoError(t, err)
	gp, adv := call.As(gpSt.ID), call.As(advSt.ID)
	name := strings.Join(erasedName, " ")
	nhs := nhsNumber(11)
	pat, err := svc.RegisterPatient(ctx, gp.Key("reg"), prescribing.NewPatient{Practice: p.ID, NHSNumber: nhs.Spaced(), Name: name, Area: "Tilbury"})
	require.NoError(t, err)
	other, err := svc.RegisterPatient(ctx, gp.Key("reg-2"), prescribing.NewPatient{Practice: p.ID, NHSNumber: string(nhsNumber(12)), Name: "Other Person"})
	require.NoError(t, err)

	file := "nhs_number,score\n" + string(nhs) + ",90\n" + string(nhsNumber(12)) + ",10\n"
	set, err := svc.ImportScores(ctx, gp.Key("scores"), prescribing.ScoreImport{Practice: p.ID, Model: "PARR", ScoredOn: t0, File: strings.NewReader(file)})
	require.NoError(t, err)
	st, err := svc.Stratify(ctx, gp.Key("stratify"), set.ID, decimal.NewFromInt(3))
	require.NoError(t, err)
	st, err = svc.Adjust(ctx, gp.Key("adjust"), st.ID, prescribing.AdjustRequest{Patient: pat.ID, Include: false, Reason: name + " is in hospice care"})
	require.NoError(t, err)
	_, err = svc.Adjust(ctx, gp.Key("adjust-2"), st.ID, prescribing.AdjustRequest{Patient: pat.ID, Include: true, Reason: "back home, says " + erasedName[0]})
	require.NoError(t, err)
	_, err = svc.HoldMeeting(ctx, gp.Key("mdt"), prescribing.NewMeeting{Practice: p.ID, Date: t0, Members: []string{gp.ID, adv.ID},
		Cases: []prescribing.NewCase{{Patient: pat.ID, Outcome: prescribing.OutcomeRefer, Notes: name + " lives alone"},
			{Patient: other.ID, Outcome: prescribing.OutcomeNoAction, Notes: "kept"}}})
	require.NoError(t, err)
	refs, err := svc.Referrals(ctx, gp, prescribing.ReferralFilter{Practice: p.ID, Patient: pat.ID})
	require.NoError(t, err)
	require.Len(t, refs, 1)
	ref := refs[0].ID
	_, err = svc.Accept(ctx, adv.Key("accept"), ref)
	require.NoError(t, err)
	_, err = svc.Contact(ctx, adv.Key("contact"), ref, "phoned "+name)
	require.NoError(t, err)
	_, err = svc.Assess(ctx, adv.Key("assess"), ref, prescribing.Assessment{Needs: []prescribing.Need{prescribing.NeedLoneliness},
		Wellbeing: &prescribing.Wellbeing{SWEMWBS: &prescribing.SWEMWBS{2, 2, 2, 2, 2, 2, 2}}, Note: erasedName[1] + "'s daughter visits"})
	require.NoError(t, err)
	_, err = svc.AddStory(ctx, adv.Key("story"), ref, prescribing.NewStory{Title: erasedName[0] + "'s allotment", Text: name + " grows beans",
		Consent: prescribing.Consent{Given: true, Publish: true, On: t0}})
	require.NoError(t, err)
	_, err = svc.Hold(ctx, adv.Key("hold"), ref, name+" is in hospital")
	require.NoError(t, err)

	_, err = svc.ErasePatient(ctx, adv.Key("erase"), pat.ID)
	assert.ErrorIs(t, err, prescribing.ErrForbidden, "an advisor may not erase")
	erased, err := svc.ErasePatient(ctx, gp.Key("erase"), pat.ID)
	require.NoError(t, err)
	assert.Empty(t, erased.NHSNumber)
	assert.Empty(t, erased.Name)

	// Every stored text, as the store returns it.
	var all []any
	for _, q := range []func() (any, error){
		func() (any, error) { return s.Practices(ctx, prescribing.PracticeFilter{}) },
		func() (any, error) { return s.StaffList(ctx, prescribing.StaffFilter{}) },
		func() (any, error) { return s.Patients(ctx, prescribing.PatientFilter{}) },
		func() (any, error) { return s.ScoreSet(ctx, set.ID) },
		func() (any, error) { return s.Stratifications(ctx, p.ID) },
		func() (any, error) { return s.Meetings(ctx, p.ID) },
		func() (any, error) { return s.Referrals(ctx, prescribing.ReferralFilter{}) },
		func() (any, error) { return s.Events(ctx, prescribing.EventFilter{}) },
	} {
		v, err := q()
		require.NoError(t, err)
		all = append(all, v)
	}
	dump, err := json.Marshal(all)
	require.NoError(t, err)
	for _, secret := range append(erasedName, string(nhs), nhs.Spaced()) {
		assert.NotContains(t, string(dump), secret)
	}
	_, err = s.PatientByNHS(ctx, p.ID, nhs)
	assert.ErrorIs(t, err, prescribing.ErrNotFound, "the NHS number leads nowhere")
	assert.Contains(t, string(dump), "kept", "another patient's notes stay")
	assert.Contains(t, string(dump), "Other Person")

	// What reports count stays: the referral, its needs, its wellbeing
	// and its story (without its words).
	got, err := svc.Referral(ctx, gp, ref)
	require.NoError(t, err)
	assert.Equal(t, pat.ID, got.Patient)
	assert.Equal(t, prescribing.OnHold, got.State)
	assert.Len(t, got.History, 5)
	assert.Len(t, got.Stories, 1)
	assert.Len(t, got.Wellbeing, 1)
	rep, err := svc.Report(ctx, mgr, prescribing.ReportFilter{})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Referrals)
	assert.Equal(t, 1, rep.Stories)

	// The number may be registered again, as a new patient.
	again, err := svc.RegisterPatient(ctx, gp.Key("reg-again"), prescribing.NewPatient{Practice: p.ID, NHSNumber: string(nhs)})
	require.NoError(t, err)
	assert.NotEqual(t, pat.ID, again.ID)
}
