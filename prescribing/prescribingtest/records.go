package prescribingtest

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/prescribing"
)

// utc checks every time in v is in UTC; stores must return UTC.
func utcTimes(t *testing.T, ts ...time.Time) {
	t.Helper()
	for _, x := range ts {
		assert.Equal(t, time.UTC, x.Location(), "time %v is not in UTC", x)
	}
}

func testPracticeRoundTrip(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	p := practice("p1", "East Tilbury")
	h.apply(&prescribing.Batch{Practices: []*prescribing.Practice{p}})
	got, err := s.Practice(h.ctx, "p1")
	require.NoError(t, err)
	assert.True(t, p.TopPercent.Equal(got.TopPercent), "TopPercent %s != %s", got.TopPercent, p.TopPercent)
	got.TopPercent = p.TopPercent
	assert.Equal(t, p, got)
	utcTimes(t, got.CreatedAt, got.UpdatedAt)
	_, err = s.Practice(h.ctx, "nope")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
}

func testStaffRoundTrip(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	a := staff("adv", prescribing.RoleAdvisor, 25, "p1", "p2")
	m := staff("mgr", prescribing.RoleManager, 0)
	m.Active = false
	h.apply(&prescribing.Batch{Staff: []*prescribing.Staff{a, m}})
	got, err := s.Staff(h.ctx, "adv")
	require.NoError(t, err)
	assert.Equal(t, a, got)
	got, err = s.Staff(h.ctx, "mgr")
	require.NoError(t, err)
	assert.Empty(t, got.Practices)
	assert.False(t, got.Active)
	_, err = s.Staff(h.ctx, "nope")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
}

func testPatientRoundTrip(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	p := patient("pat", "p1", 1)
	q := patient("pat2", "p1", 2)
	q.Name, q.Area = "", ""
	h.apply(&prescribing.Batch{Patients: []*prescribing.Patient{p, q}})
	got, err := s.Patient(h.ctx, "pat")
	require.NoError(t, err)
	assert.Equal(t, p, got)
	got, err = s.PatientByNHS(h.ctx, "p1", q.NHSNumber)
	require.NoError(t, err)
	assert.Equal(t, q, got)
	_, err = s.PatientByNHS(h.ctx, "p1", nhsNumber(3))
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
	_, err = s.Patient(h.ctx, "nope")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
}

func testScoreSetRoundTrip(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	set := &prescribing.ScoreSet{ID: "scr", Practice: "p1", Model: "eFI", ScoredOn: at(-60 * 24),
		Scores:    []prescribing.PatientScore{{Patient: "b", Score: prescribing.MustScore("0.194444")}, {Patient: "a", Score: 0}, {Patient: "c", Score: prescribing.MustScore("1")}},
		CreatedAt: at(5), CreatedBy: "gp", Version: 1}
	h.apply(&prescribing.Batch{ScoreSets: []*prescribing.ScoreSet{set}})
	got, err := s.ScoreSet(h.ctx, "scr")
	require.NoError(t, err)
	assert.Equal(t, set, got, "scores come back in the order written")
	_, err = s.ScoreSet(h.ctx, "nope")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
}

func testStratificationRoundTrip(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	st := &prescribing.Stratification{ID: "str", Practice: "p1", ScoreSet: "scr", Model: "PARR", Percent: decimal.RequireFromString("4.5"),
		ListSize: 200, Cutoff: prescribing.MustScore("61.25"),
		Selected:    []prescribing.Ranked{{Patient: "x", Score: prescribing.MustScore("99")}, {Patient: "y", Score: prescribing.MustScore("61.25")}},
		Adjustments: []prescribing.Adjustment{{Patient: "z", Include: true, Reason: "recent falls", By: "gp", At: at(9)}, {Patient: "y", Reason: "in hospice care", By: "gp", At: at(10)}},
		CreatedAt:   at(6), CreatedBy: "gp", UpdatedAt: at(10), UpdatedBy: "gp", Version: 1}
	h.apply(&prescribing.Batch{Stratifications: []*prescribing.Stratification{st}})
	got, err := s.Stratification(h.ctx, "str")
	require.NoError(t, err)
	assert.True(t, st.Percent.Equal(got.Percent))
	got.Percent = st.Percent
	assert.Equal(t, st, got)
	assert.Equal(t, []string{"x", "z"}, got.Cohort())
}

func testMeetingRoundTrip(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	m := &prescribing.Meeting{ID: "mdt", Practice: "p1", Date: at(-30),
		Members: []prescribing.Member{{Staff: "gp", Role: prescribing.RoleGP}, {Staff: "adv", Role: prescribing.RoleAdvisor}},
		Cases: []prescribing.Case{{Patient: "a", Outcome: prescribing.OutcomeRefer, Notes: "lives alone", Referral: "ref"},
			{Patient: "b", Outcome: prescribing.OutcomeMedical}},
		CreatedAt: at(7), CreatedBy: "gp", Version: 1}
	h.apply(&prescribing.Batch{Meetings: []*prescribing.Meeting{m}})
	got, err := s.Meeting(h.ctx, "mdt")
	require.NoError(t, err)
	assert.Equal(t, m, got)
	_, err = s.Meeting(h.ctx, "nope")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
}

// fullReferral has every field set.
func fullReferral() *prescribing.Referral {
	r := referral("ref", "p1", "pat", prescribing.OnHold, "adv")
	r.Source, r.Meeting, r.HeldFrom, r.Code = prescribing.SourceMDT, "mdt", prescribing.Connected, prescribing.SNOMEDDeclined
	r.Needs = []prescribing.Need{prescribing.NeedLoneliness, prescribing.NeedDebt}
	r.Offers = []prescribing.Offer{
		{Activity: "act-1", Name: "Lunch club", Needs: []prescribing.Need{prescribing.NeedLoneliness}, At: at(20), By: "adv", TakenUp: ptr(at(21)), Attended: ptr(at(30))},
		{Activity: "act-2", Name: "Debt advice", At: at(20), By: "adv"},
	}
	r.Wellbeing = []prescribing.Wellbeing{
		{Stage: prescribing.Baseline, At: at(15), ONS4: &prescribing.ONS4{Satisfied: 3, Worthwhile: 4, Happy: 2, Anxious: 8}, SWEMWBS: &prescribing.SWEMWBS{2, 2, 3, 2, 3, 2, 2}},
		{Stage: prescribing.FollowUp, At: at(90), Wheel: &prescribing.Wheel{5, 6, 7, 4, 6, 5, 7, 3}},
	}
	r.Usage = &prescribing.SecondaryCare{Before: &prescribing.Usage{AE: 4, Admissions: 2, GPContacts: 19}, After: &prescribing.Usage{AE: 1, GPContacts: 9}}
	r.Stories = []prescribing.Story{{ID: "sty", Title: "Back at the allotment", Text: "…", Consent: prescribing.Consent{Given: true, Publish: true, On: at(80)}, At: at(81), By: "adv"}}
	r.CloseReason = prescribing.ReasonDeclined
	r.History = append(r.History,
		prescribing.Transition{From: prescribing.Referred, To: prescribing.Accepted, At: at(4), By: "adv"},
		prescribing.Transition{From: prescribing.Connected, To: prescribing.OnHold, At: at(40), By: "adv", Note: "in hospital"})
	r.UpdatedAt, r.UpdatedBy = at(40), "adv"
	return r
}

func testReferralRoundTrip(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	r := fullReferral()
	bare := referral("bare", "p1", "pat2", prescribing.Identified, "")
	bare.Referrer = ""
	// One window so far, of all-zero counts: recorded, not the same as
	// nil; the window not yet recorded stays nil.
	half := referral("half", "p1", "pat3", prescribing.Referred, "")
	half.Usage = &prescribing.SecondaryCare{Before: &prescribing.Usage{}}
	later := referral("later", "p1", "pat4", prescribing.Referred, "")
	later.Usage = &prescribing.SecondaryCare{After: &prescribing.Usage{AE: 2, GPContacts: 5}}
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{r, bare, half, later}})
	got, err := s.Referral(h.ctx, "ref")
	require.NoError(t, err)
	assert.Equal(t, r, got)
	utcTimes(t, got.CreatedAt, *got.Offers[0].TakenUp, got.History[1].At, got.Stories[0].Consent.On)
	got, err = s.Referral(h.ctx, "bare")
	require.NoError(t, err)
	assert.Equal(t, bare, got)
	assert.Nil(t, got.Usage, "a nil pointer stays nil")
	assert.Empty(t, got.Offers)
	got, err = s.Referral(h.ctx, "half")
	require.NoError(t, err)
	assert.Equal(t, half, got)
	require.NotNil(t, got.Usage)
	require.NotNil(t, got.Usage.Before, "a window of zero counts stays recorded")
	assert.Equal(t, prescribing.Usage{}, *got.Usage.Before)
	assert.Nil(t, got.Usage.After, "a window not yet recorded stays nil")
	got, err = s.Referral(h.ctx, "later")
	require.NoError(t, err)
	assert.Equal(t, later, got)
	require.NotNil(t, got.Usage)
	assert.Nil(t, got.Usage.Before, "a window not yet recorded stays nil")
	assert.Equal(t, &prescribing.Usage{AE: 2, GPContacts: 5}, got.Usage.After)
	_, err = s.Referral(h.ctx, "nope")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
}

func testReceiptRoundTrip(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.apply(&prescribing.Batch{Practices: []*prescribing.Practice{practice("p1", "Aveley")}, Key: "k1", Hash: "h1", Result: "p1", At: at(3)})
	r, err := s.Receipt(h.ctx, "k1")
	require.NoError(t, err)
	assert.Equal(t, &prescribing.Receipt{Key: "k1", Hash: "h1", Result: "p1", At: at(3)}, r)
	_, err = s.Receipt(h.ctx, "k2")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
}

// testIsolation: changing what was written or read never changes the store.
func testIsolation(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	r := fullReferral()
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{r}})
	r.Needs[0] = prescribing.NeedHousing
	r.Wellbeing[0].ONS4.Happy = 10
	got, err := s.Referral(h.ctx, "ref")
	require.NoError(t, err)
	assert.Equal(t, prescribing.NeedLoneliness, got.Needs[0])
	assert.Equal(t, 2, got.Wellbeing[0].ONS4.Happy)
	got.Offers[0].Name = "changed"
	again, err := s.Referral(h.ctx, "ref")
	require.NoError(t, err)
	assert.Equal(t, "Lunch club", again.Offers[0].Name)
}

func testUpdateVersions(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.base(5, 1)
	r := referral("ref", "p1", "pat-000", prescribing.Referred, "")
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{r}})
	err := s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{referral("ref", "p1", "pat-000", prescribing.Referred, "")}})
	assert.ErrorIs(t, err, prescribing.ErrConflict, "creating an existing id")

	r2 := referral("ref", "p1", "pat-000", prescribing.Accepted, "adv")
	r2.Version = 2
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{r2}})
	got, err := s.Referral(h.ctx, "ref")
	require.NoError(t, err)
	assert.Equal(t, prescribing.Accepted, got.State)
	assert.EqualValues(t, 2, got.Version)

	stale := referral("ref", "p1", "pat-000", prescribing.Declined, "")
	stale.Version = 2
	assert.ErrorIs(t, s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{stale}}), prescribing.ErrConflict, "replacing version 2 again")
	stale.Version = 4
	assert.ErrorIs(t, s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{stale}}), prescribing.ErrConflict, "skipping a version")
	missing := referral("nope", "p1", "pat-000", prescribing.Declined, "")
	missing.Version = 2
	assert.ErrorIs(t, s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{missing}}), prescribing.ErrNotFound)

	p := practice("p1", "Purfleet")
	p.Version = 2
	h.apply(&prescribing.Batch{Practices: []*prescribing.Practice{p}})
	gp, err := s.Practice(h.ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, "Purfleet", gp.Area)

	st := staff("adv", prescribing.RoleAdvisor, 9, "p2")
	st.Version = 2
	h.apply(&prescribing.Batch{Staff: []*prescribing.Staff{st}})
	gs, err := s.Staff(h.ctx, "adv")
	require.NoError(t, err)
	assert.Equal(t, []string{"p2"}, gs.Practices)
	assert.Equal(t, 9, gs.Caseload)

	pa := patient("pat-000", "p2", 0)
	pa.Version = 2
	h.apply(&prescribing.Batch{Patients: []*prescribing.Patient{pa}})
	gpa, err := s.PatientByNHS(h.ctx, "p2", pa.NHSNumber)
	require.NoError(t, err)
	assert.Equal(t, "p2", gpa.Practice, "a patient who moved practice keeps their NHS number")
	_, err = s.PatientByNHS(h.ctx, "p1", pa.NHSNumber)
	assert.ErrorIs(t, err, prescribing.ErrNotFound, "and is found at their new practice only")

	str := &prescribing.Stratification{ID: "str", Practice: "p1", Percent: decimal.NewFromInt(3), CreatedAt: at(0), UpdatedAt: at(0), Version: 1}
	h.apply(&prescribing.Batch{Stratifications: []*prescribing.Stratification{str}})
	str2 := *str
	str2.Version = 2
	str2.Adjustments = []prescribing.Adjustment{{Patient: "x", Include: true, Reason: "r", By: "gp", At: at(1)}}
	h.apply(&prescribing.Batch{Stratifications: []*prescribing.Stratification{&str2}})
	gst, err := s.Stratification(h.ctx, "str")
	require.NoError(t, err)
	assert.Len(t, gst.Adjustments, 1)
}

// testCreateOnly: score sets are only created; a meeting is created once
// and replaced by version, as an erasure does.
func testCreateOnly(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	set := &prescribing.ScoreSet{ID: "scr", Practice: "p1", Model: "PARR", ScoredOn: at(0), CreatedAt: at(0), Version: 1}
	h.apply(&prescribing.Batch{ScoreSets: []*prescribing.ScoreSet{set}})
	again := *set
	assert.ErrorIs(t, s.Apply(h.ctx, &prescribing.Batch{ScoreSets: []*prescribing.ScoreSet{&again}}), prescribing.ErrConflict)
	again.Version = 2
	assert.Error(t, s.Apply(h.ctx, &prescribing.Batch{ScoreSets: []*prescribing.ScoreSet{&again}}), "a score set is never replaced")
	m := &prescribing.Meeting{ID: "mdt", Practice: "p1", Date: at(0), CreatedAt: at(0), Version: 1}
	h.apply(&prescribing.Batch{Meetings: []*prescribing.Meeting{m}})
	m2 := *m
	assert.ErrorIs(t, s.Apply(h.ctx, &prescribing.Batch{Meetings: []*prescribing.Meeting{&m2}}), prescribing.ErrConflict)
	m2.Version = 2
	m2.Cases = []prescribing.Case{{Patient: "a", Outcome: prescribing.OutcomeRefer}}
	h.apply(&prescribing.Batch{Meetings: []*prescribing.Meeting{&m2}})
	got, err := s.Meeting(h.ctx, "mdt")
	require.NoError(t, err)
	assert.Equal(t, &m2, got)
	assert.ErrorIs(t, s.Apply(h.ctx, &prescribing.Batch{Meetings: []*prescribing.Meeting{&m2}}), prescribing.ErrConflict, "a stale version")
}

// testNHSUnique: an NHS number is unique within a practice; another
// practice keeps its own record of the same person.
func testNHSUnique(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.apply(&prescribing.Batch{Patients: []*prescribing.Patient{patient("a", "p1", 1)}})
	b := patient("b", "p1", 1)
	err := s.Apply(h.ctx, &prescribing.Batch{Patients: []*prescribing.Patient{b}, Events: []prescribing.Event{{Practice: "p1", Action: "x", Subject: "b", At: at(0)}}})
	assert.ErrorIs(t, err, prescribing.ErrConflict, "a second patient of the practice with the same NHS number")
	_, err = s.Patient(h.ctx, "b")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
	ev, err := s.Events(h.ctx, prescribing.EventFilter{})
	require.NoError(t, err)
	assert.Empty(t, ev)
	// Two in one batch with the same number.
	err = s.Apply(h.ctx, &prescribing.Batch{Patients: []*prescribing.Patient{patient("c", "p1", 5), patient("d", "p1", 5)}})
	assert.ErrorIs(t, err, prescribing.ErrConflict)
	_, err = s.Patient(h.ctx, "c")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
	// Another practice's record of the same person.
	h.apply(&prescribing.Batch{Patients: []*prescribing.Patient{patient("e", "p2", 1)}})
	for practice, id := range map[string]string{"p1": "a", "p2": "e"} {
		got, err := s.PatientByNHS(h.ctx, practice, nhsNumber(1))
		require.NoError(t, err)
		assert.Equal(t, id, got.ID)
	}
}

// testAtomicity: a batch with one bad part writes nothing at all.
func testAtomicity(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.base(5, 2)
	bad := referral("r-bad", "p1", "pat-001", prescribing.Accepted, "")
	bad.Version = 3 // no such record
	b := &prescribing.Batch{
		Practices: []*prescribing.Practice{practice("p3", "Aveley")},
		Staff:     []*prescribing.Staff{staff("n1", prescribing.RolePracticeNurse, 0, "p1")},
		Patients:  []*prescribing.Patient{patient("pat-new", "p1", 50)},
		ScoreSets: []*prescribing.ScoreSet{{ID: "scr", Practice: "p1", Model: "PARR", ScoredOn: at(0), CreatedAt: at(0), Version: 1}},
		Meetings:  []*prescribing.Meeting{{ID: "mdt", Practice: "p1", Date: at(0), CreatedAt: at(0), Version: 1}},
		Referrals: []*prescribing.Referral{referral("r-ok", "p1", "pat-000", prescribing.Referred, ""), bad},
		Events:    []prescribing.Event{{Practice: "p1", At: at(0), Actor: "gp", Action: "x", Subject: "r-ok"}},
		Key:       "atomic", Hash: "h", Result: "r-ok", At: at(0),
	}
	err := s.Apply(h.ctx, b)
	require.Error(t, err)
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
	for _, check := range []struct {
		what string
		err  error
	}{
		{"practice", func() error { _, err := s.Practice(h.ctx, "p3"); return err }()},
		{"staff", func() error { _, err := s.Staff(h.ctx, "n1"); return err }()},
		{"patient", func() error { _, err := s.Patient(h.ctx, "pat-new"); return err }()},
		{"patient by NHS", func() error { _, err := s.PatientByNHS(h.ctx, "p1", nhsNumber(50)); return err }()},
		{"score set", func() error { _, err := s.ScoreSet(h.ctx, "scr"); return err }()},
		{"meeting", func() error { _, err := s.Meeting(h.ctx, "mdt"); return err }()},
		{"referral", func() error { _, err := s.Referral(h.ctx, "r-ok"); return err }()},
		{"receipt", func() error { _, err := s.Receipt(h.ctx, "atomic"); return err }()},
	} {
		assert.ErrorIs(t, check.err, prescribing.ErrNotFound, "%s written by a failed batch", check.what)
	}
	ev, err := s.Events(h.ctx, prescribing.EventFilter{})
	require.NoError(t, err)
	assert.Empty(t, ev, "events written by a failed batch")
	// The same batch without the bad part goes through whole.
	b.Referrals = b.Referrals[:1]
	h.apply(b)
	_, err = s.Referral(h.ctx, "r-ok")
	assert.NoError(t, err)
}

func testIdempotency(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.apply(&prescribing.Batch{Practices: []*prescribing.Practice{practice("p1", "Aveley")}, Key: "k", Hash: "h", Result: "p1", At: at(0)})
	err := s.Apply(h.ctx, &prescribing.Batch{Practices: []*prescribing.Practice{practice("p2", "Aveley")}, Key: "k", Hash: "h2", Result: "p2", At: at(1)})
	assert.ErrorIs(t, err, prescribing.ErrDuplicateKey)
	_, err = s.Practice(h.ctx, "p2")
	assert.ErrorIs(t, err, prescribing.ErrNotFound, "a batch refused for its key writes nothing")
	r, err := s.Receipt(h.ctx, "k")
	require.NoError(t, err)
	assert.Equal(t, "h", r.Hash, "the first receipt stays")
	// An empty key records nothing.
	h.apply(&prescribing.Batch{Practices: []*prescribing.Practice{practice("p3", "Aveley")}})
	_, err = s.Receipt(h.ctx, "")
	assert.ErrorIs(t, err, prescribing.ErrNotFound)
}

// testCaseload: Caseloads limits are checked after the batch's referrals.
func testCaseload(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.base(2, 5)
	limit := map[string]int{"adv": 2}
	accept := func(i int) error {
		r := referral(fmt.Sprintf("ref-%d", i), "p1", fmt.Sprintf("pat-%03d", i), prescribing.Accepted, "adv")
		return s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{r}, Caseloads: limit,
			Events: []prescribing.Event{{Practice: "p1", At: at(0), Action: "referral.accept", Subject: r.ID}}})
	}
	require.NoError(t, accept(0))
	require.NoError(t, accept(1))
	n, err := s.Caseload(h.ctx, "adv")
	require.NoError(t, err)
	assert.Equal(t, 2, n)
	err = accept(2)
	assert.ErrorIs(t, err, prescribing.ErrCaseloadFull)
	_, err = s.Referral(h.ctx, "ref-2")
	assert.ErrorIs(t, err, prescribing.ErrNotFound, "a refused acceptance writes nothing")
	ev, err := s.Events(h.ctx, prescribing.EventFilter{Subject: "ref-2"})
	require.NoError(t, err)
	assert.Empty(t, ev)

	// Without a limit in the batch, nothing is checked.
	r := referral("ref-x", "p1", "pat-004", prescribing.Accepted, "adv")
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{r}})
	n, _ = s.Caseload(h.ctx, "adv")
	assert.Equal(t, 3, n)

	// Closing referrals frees the caseload; on-hold still counts.
	for _, id := range []string{"ref-0", "ref-x"} {
		got, err := s.Referral(h.ctx, id)
		require.NoError(t, err)
		got.State = prescribing.Closed
		got.Version++
		h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{got}})
	}
	got, err := s.Referral(h.ctx, "ref-1")
	require.NoError(t, err)
	got.State = prescribing.OnHold
	got.Version++
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{got}})
	n, _ = s.Caseload(h.ctx, "adv")
	assert.Equal(t, 1, n)
	require.NoError(t, accept(2))
	assert.ErrorIs(t, accept(3), prescribing.ErrCaseloadFull)
	// A batch that moves a referral from one advisor to another is checked
	// on the new advisor's count.
	got, err = s.Referral(h.ctx, "ref-2")
	require.NoError(t, err)
	got.Advisor = "other"
	got.Version++
	err = s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{got}, Caseloads: map[string]int{"other": 0}})
	assert.ErrorIs(t, err, prescribing.ErrCaseloadFull)
	n, _ = s.Caseload(h.ctx, "nobody")
	assert.Equal(t, 0, n)
}

func testEvents(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	for i := range 5 {
		practice := []string{"p1", "p2"}[i%2]
		h.apply(&prescribing.Batch{Events: []prescribing.Event{
			{Practice: practice, At: at(i), Actor: "gp", Action: "a", Subject: fmt.Sprintf("s%d", i%3), Note: "n"},
			{Practice: practice, At: at(i), Actor: "gp", Action: "b", Subject: "z"},
		}})
	}
	all, err := s.Events(h.ctx, prescribing.EventFilter{})
	require.NoError(t, err)
	require.Len(t, all, 10)
	for i := 1; i < len(all); i++ {
		assert.Greater(t, all[i].Seq, all[i-1].Seq, "Seq increases in apply order")
	}
	assert.Equal(t, "a", all[0].Action)
	assert.Equal(t, "b", all[1].Action, "events of a batch keep their order")
	assert.Equal(t, prescribing.Event{Seq: all[0].Seq, Practice: "p1", At: at(0), Actor: "gp", Action: "a", Subject: "s0", Note: "n"}, all[0])
	p2, err := s.Events(h.ctx, prescribing.EventFilter{Practice: "p2"})
	require.NoError(t, err)
	assert.Len(t, p2, 4)
	sub, err := s.Events(h.ctx, prescribing.EventFilter{Subject: "s0"})
	require.NoError(t, err)
	assert.Len(t, sub, 2)
	pg, err := s.Events(h.ctx, prescribing.EventFilter{Offset: 8, Limit: 5})
	require.NoError(t, err)
	require.Len(t, pg, 2)
	assert.Equal(t, all[8], pg[0])
}

func ids[T any](rs []*T, id func(*T) string) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, id(r))
	}
	return out
}

func testListPractices(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.apply(&prescribing.Batch{Practices: []*prescribing.Practice{practice("c", "Tilbury"), practice("a", "Aveley"), practice("b", "Tilbury")}})
	id := func(p *prescribing.Practice) string { return p.ID }
	all, err := s.Practices(h.ctx, prescribing.PracticeFilter{})
	require.NoError(t, err)
	assert.Equal(t, []string{"a", "b", "c"}, ids(all, id))
	til, err := s.Practices(h.ctx, prescribing.PracticeFilter{Area: "Tilbury"})
	require.NoError(t, err)
	assert.Equal(t, []string{"b", "c"}, ids(til, id))
	pg, err := s.Practices(h.ctx, prescribing.PracticeFilter{Offset: 1, Limit: 1})
	require.NoError(t, err)
	assert.Equal(t, []string{"b"}, ids(pg, id))
}

func testListStaff(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.apply(&prescribing.Batch{Staff: []*prescribing.Staff{
		staff("s3", prescribing.RoleAdvisor, 10, "p1", "p2"), staff("s1", prescribing.RoleGP, 0, "p1"),
		staff("s2", prescribing.RoleGP, 0, "p2"), staff("s4", prescribing.RoleManager, 0), staff("s5", prescribing.RoleAdvisor, 3, "p10"),
	}})
	id := func(p *prescribing.Staff) string { return p.ID }
	for _, c := range []struct {
		f    prescribing.StaffFilter
		want []string
	}{
		{prescribing.StaffFilter{}, []string{"s1", "s2", "s3", "s4", "s5"}},
		{prescribing.StaffFilter{Practice: "p1"}, []string{"s1", "s3"}},
		{prescribing.StaffFilter{Practice: "p1", Role: prescribing.RoleAdvisor}, []string{"s3"}},
		{prescribing.StaffFilter{Role: prescribing.RoleGP}, []string{"s1", "s2"}},
		{prescribing.StaffFilter{Limit: 2, Offset: 3}, []string{"s4", "s5"}},
	} {
		got, err := s.StaffList(h.ctx, c.f)
		require.NoError(t, err)
		assert.Equal(t, c.want, ids(got, id), "filter %+v", c.f)
	}
}

func testListPatients(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	var ps []*prescribing.Patient
	for i := range 12 {
		ps = append(ps, patient(fmt.Sprintf("pat-%02d", i), []string{"p1", "p2"}[i%2], i))
	}
	h.apply(&prescribing.Batch{Patients: ps})
	id := func(p *prescribing.Patient) string { return p.ID }
	got, err := s.Patients(h.ctx, prescribing.PatientFilter{Practice: "p2", Limit: 3})
	require.NoError(t, err)
	assert.Equal(t, []string{"pat-01", "pat-03", "pat-05"}, ids(got, id))
	got, err = s.Patients(h.ctx, prescribing.PatientFilter{NHSNumbers: []prescribing.NHSNumber{nhsNumber(7), nhsNumber(2), nhsNumber(99)}})
	require.NoError(t, err)
	assert.Equal(t, []string{"pat-02", "pat-07"}, ids(got, id))
	got, err = s.Patients(h.ctx, prescribing.PatientFilter{Practice: "p1", NHSNumbers: []prescribing.NHSNumber{nhsNumber(7), nhsNumber(2)}})
	require.NoError(t, err)
	assert.Equal(t, []string{"pat-02"}, ids(got, id))
	// Many numbers at once (an import's worth).
	many := make([]prescribing.NHSNumber, 0, 3000)
	for i := range 3000 {
		many = append(many, nhsNumber(i))
	}
	got, err = s.Patients(h.ctx, prescribing.PatientFilter{NHSNumbers: many})
	require.NoError(t, err)
	assert.Len(t, got, 12)
}

func testListReferrals(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	mk := func(id, practice, patient string, st prescribing.State, adv string, created int) *prescribing.Referral {
		r := referral(id, practice, patient, st, adv)
		r.CreatedAt = at(created)
		return r
	}
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{
		mk("r1", "p1", "a", prescribing.Referred, "", 0),
		mk("r2", "p1", "b", prescribing.Accepted, "adv", 10),
		mk("r3", "p2", "a", prescribing.Closed, "adv", 20),
		mk("r4", "p1", "c", prescribing.Declined, "", 30),
		mk("r5", "p1", "d", prescribing.Identified, "", 40),
		mk("r6", "p1", "a", prescribing.Closed, "", 50),
	}})
	id := func(r *prescribing.Referral) string { return r.ID }
	for _, c := range []struct {
		f    prescribing.ReferralFilter
		want []string
	}{
		{prescribing.ReferralFilter{}, []string{"r1", "r2", "r3", "r4", "r5", "r6"}},
		{prescribing.ReferralFilter{Practice: "p1"}, []string{"r1", "r2", "r4", "r5", "r6"}},
		{prescribing.ReferralFilter{Patient: "a"}, []string{"r1", "r3", "r6"}},
		{prescribing.ReferralFilter{Advisor: "adv"}, []string{"r2", "r3"}},
		{prescribing.ReferralFilter{State: prescribing.Identified}, []string{"r5"}},
		{prescribing.ReferralFilter{Open: ptr(true)}, []string{"r1", "r2", "r5"}},
		{prescribing.ReferralFilter{Open: ptr(false)}, []string{"r3", "r4", "r6"}},
		{prescribing.ReferralFilter{From: ptr(at(10)), To: ptr(at(30))}, []string{"r2", "r3"}},
		{prescribing.ReferralFilter{Patient: "a", Open: ptr(true), Practice: "p1"}, []string{"r1"}},
		{prescribing.ReferralFilter{Offset: 1, Limit: 2}, []string{"r2", "r3"}},
	} {
		got, err := s.Referrals(h.ctx, c.f)
		require.NoError(t, err)
		assert.Equal(t, c.want, ids(got, id), "filter %+v", c.f)
	}
}

func testListMeetings(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.apply(&prescribing.Batch{Meetings: []*prescribing.Meeting{
		{ID: "m1", Practice: "p1", Date: at(30), CreatedAt: at(0), Version: 1},
		{ID: "m2", Practice: "p1", Date: at(10), CreatedAt: at(0), Version: 1},
		{ID: "m0", Practice: "p1", Date: at(30), CreatedAt: at(0), Version: 1},
		{ID: "m3", Practice: "p2", Date: at(0), CreatedAt: at(0), Version: 1},
	}})
	got, err := s.Meetings(h.ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, []string{"m2", "m0", "m1"}, ids(got, func(m *prescribing.Meeting) string { return m.ID }), "by date, then id")
}

func testListStratifications(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	mk := func(id, p string) *prescribing.Stratification {
		return &prescribing.Stratification{ID: id, Practice: p, Percent: decimal.NewFromInt(3), CreatedAt: at(0), UpdatedAt: at(0), Version: 1}
	}
	h.apply(&prescribing.Batch{Stratifications: []*prescribing.Stratification{mk("s2", "p1"), mk("s1", "p1"), mk("s3", "p2")}})
	got, err := s.Stratifications(h.ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, []string{"s1", "s2"}, ids(got, func(m *prescribing.Stratification) string { return m.ID }))
}

// testLargeScoreSet: a whole practice list in one score set, with its
// patients, in one batch.
func testLargeScoreSet(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	const n = 20000
	set := &prescribing.ScoreSet{ID: "big", Practice: "p1", Model: "PARR", ScoredOn: at(0), CreatedAt: at(0), Version: 1}
	b := &prescribing.Batch{ScoreSets: []*prescribing.ScoreSet{set}}
	for i := range n {
		id := fmt.Sprintf("pat-%05d", i)
		b.Patients = append(b.Patients, patient(id, "p1", i))
		set.Scores = append(set.Scores, prescribing.PatientScore{Patient: id, Score: prescribing.Score(i * 4999 % 100_000_001)})
	}
	h.apply(b)
	got, err := s.ScoreSet(h.ctx, "big")
	require.NoError(t, err)
	assert.Equal(t, set.Scores, got.Scores)
	ps, err := s.Patients(h.ctx, prescribing.PatientFilter{Practice: "p1"})
	require.NoError(t, err)
	assert.Len(t, ps, n)
}

// testOneOpenReferral: a patient has at most one open referral (identified
// counts as open). A batch that would leave two is ErrOpenReferral and
// writes nothing; closed referrals do not count; a batch may close one
// referral and open another for the patient, in either order; a closed
// referral cannot be reopened beside an open one.
func testOneOpenReferral(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.base(5, 3)
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{referral("r1", "p1", "pat-000", prescribing.Identified, "")}})

	second := func(id string, st prescribing.State) *prescribing.Batch {
		return &prescribing.Batch{
			Practices: []*prescribing.Practice{practice("p-"+id, "Aveley")},
			Referrals: []*prescribing.Referral{referral(id, "p1", "pat-000", st, "")},
			Events:    []prescribing.Event{{Practice: "p1", At: at(5), Actor: "gp", Action: "referral.refer", Subject: id}},
			Key:       "open-" + id, Hash: "h", Result: id, At: at(5),
		}
	}
	for _, st := range []prescribing.State{prescribing.Identified, prescribing.Referred, prescribing.Accepted, prescribing.OnHold} {
		id := "r2-" + string(st)
		err := s.Apply(h.ctx, second(id, st))
		require.ErrorIs(t, err, prescribing.ErrOpenReferral, "a second %s referral", st)
		assert.ErrorIs(t, err, prescribing.ErrInvalidTransition, "ErrOpenReferral is a kind of ErrInvalidTransition")
		_, err = s.Referral(h.ctx, id)
		assert.ErrorIs(t, err, prescribing.ErrNotFound, "the refused referral is not written")
		_, err = s.Practice(h.ctx, "p-"+id)
		assert.ErrorIs(t, err, prescribing.ErrNotFound, "nothing of the refused batch is written")
		_, err = s.Receipt(h.ctx, "open-"+id)
		assert.ErrorIs(t, err, prescribing.ErrNotFound, "the refused batch's key is not recorded")
	}
	// Two open referrals for one patient in one batch.
	err := s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{
		referral("ra", "p1", "pat-001", prescribing.Referred, ""), referral("rb", "p1", "pat-001", prescribing.Identified, "")}})
	require.ErrorIs(t, err, prescribing.ErrOpenReferral)
	got, err := s.Referrals(h.ctx, prescribing.ReferralFilter{Patient: "pat-001"})
	require.NoError(t, err)
	assert.Empty(t, got)
	// Closed and declined referrals do not count; other patients do not.
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{
		referral("c1", "p1", "pat-000", prescribing.Closed, ""), referral("c2", "p1", "pat-000", prescribing.Declined, ""),
		referral("o1", "p1", "pat-001", prescribing.Referred, "")}})
	// Updating the open referral is not a second one.
	r1, err := s.Referral(h.ctx, "r1")
	require.NoError(t, err)
	r1.State, r1.Version = prescribing.Referred, 2
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{r1}})
	// Closing it and opening another in one batch, either order.
	r1.State, r1.Version = prescribing.Closed, 3
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{referral("r3", "p1", "pat-000", prescribing.Referred, ""), r1}})
	o1, err := s.Referral(h.ctx, "o1")
	require.NoError(t, err)
	o1.State, o1.Version = prescribing.Declined, 2
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{o1, referral("o2", "p1", "pat-001", prescribing.Identified, "")}})
	// A closed referral is not reopened beside the open one.
	c1, err := s.Referral(h.ctx, "c1")
	require.NoError(t, err)
	c1.State, c1.Version = prescribing.Reviewing, 2
	err = s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{c1}})
	require.ErrorIs(t, err, prescribing.ErrOpenReferral)
	c1, err = s.Referral(h.ctx, "c1")
	require.NoError(t, err)
	assert.Equal(t, prescribing.Closed, c1.State)
	for _, pat := range []string{"pat-000", "pat-001"} {
		open, err := s.Referrals(h.ctx, prescribing.ReferralFilter{Patient: pat, Open: ptr(true)})
		require.NoError(t, err)
		assert.Len(t, open, 1, "open referrals of %s", pat)
	}
	open, err := s.Referrals(h.ctx, prescribing.ReferralFilter{Patient: "pat-000", Open: ptr(true)})
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, "r3", open[0].ID)
}

// testWardCounts checks the practice's ward survives the store and
// Service.WardCounts counts referrals made in the period by it, leaving
// out a practice with no ward.
func testWardCounts(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	noWard := practice("p3", "Grays")
	noWard.Ward = ""
	h.apply(&prescribing.Batch{Practices: []*prescribing.Practice{practice("p1", "Tilbury"), practice("p2", "Aveley"), noWard}})
	var b prescribing.Batch
	for i, r := range []struct {
		practice string
		min      int
	}{{"p1", 0}, {"p1", 10}, {"p2", 20}, {"p3", 30}, {"p1", 24 * 60}} {
		pat := patient(fmt.Sprintf("pat-%d", i), r.practice, i)
		ref := referral(fmt.Sprintf("ref-%d", i), r.practice, pat.ID, prescribing.Referred, "")
		ref.CreatedAt = at(r.min)
		b.Patients, b.Referrals = append(b.Patients, pat), append(b.Referrals, ref)
	}
	b.Staff = []*prescribing.Staff{staff("wc-mgr", prescribing.RoleManager, 0), staff("wc-adv", prescribing.RoleAdvisor, 5, "p1", "p2"),
		staff("wc-gp", prescribing.RoleGP, 0, "p1")}
	h.apply(&b)
	p, err := s.Practice(h.ctx, "p1")
	require.NoError(t, err)
	assert.Equal(t, "Tilbury ward", p.Ward)

	svc := prescribing.NewService(s)
	mgr := call.As("wc-mgr")
	c, err := svc.WardCounts(h.ctx, mgr, at(0), at(60))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"Tilbury ward": 2, "Aveley ward": 1}, c, "the first hour's referrals, without p3's")
	c, err = svc.WardCounts(h.ctx, mgr, at(60), at(2*24*60))
	require.NoError(t, err)
	assert.Equal(t, map[string]int64{"Tilbury ward": 1}, c)
	_, err = svc.WardCounts(h.ctx, mgr, at(60), at(60))
	assert.ErrorIs(t, err, prescribing.ErrInvalid)

	// A small ward's count can come close to a patient: only the manager,
	// or staff who work with every practice counted, may read them.
	c, err = svc.WardCounts(h.ctx, call.As("wc-adv"), at(0), at(60))
	require.NoError(t, err, "the advisor works with p1 and p2, the practices naming a ward")
	assert.Equal(t, map[string]int64{"Tilbury ward": 2, "Aveley ward": 1}, c)
	for _, who := range []string{"wc-gp", "nobody", ""} {
		c, err = svc.WardCounts(h.ctx, call.As(who), at(0), at(60))
		assert.Error(t, err, who)
		assert.Nil(t, c, who)
	}
	_, err = svc.WardCounts(h.ctx, call.As("wc-gp"), at(0), at(60))
	assert.ErrorIs(t, err, prescribing.ErrForbidden, "a GP of p1 alone")
}
