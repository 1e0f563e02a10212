package prescribing_test

import (
	"context"
	"errors"
	"fmt"
	"github.com/strongertogether/community/call"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rx "github.com/strongertogether/community/prescribing"
)

// fakeDirectory is a Directory over a fixed list.
type fakeDirectory struct {
	acts []rx.Activity
	got  rx.ActivityQuery
}

func (d *fakeDirectory) Activities(_ context.Context, q rx.ActivityQuery) ([]rx.Activity, error) {
	d.got = q
	return d.acts, nil
}

var directory = []rx.Activity{
	{ID: "act-walk", Name: "Health walk", Area: "Tilbury", Needs: []rx.Need{rx.NeedPhysicalActivity, rx.NeedLoneliness}, Metres: 400},
	{ID: "act-lunch", Name: "Lunch club", Area: "Tilbury", Needs: []rx.Need{rx.NeedLoneliness, rx.NeedNutrition}, Metres: 900},
	{ID: "act-cab", Name: "Citizens Advice", Area: "Grays", Needs: []rx.Need{rx.NeedDebt, rx.NeedBenefits, rx.NeedHousing}, Metres: 6000},
	{ID: "act-choir", Name: "Community choir", Area: "Grays", Needs: []rx.Need{rx.NeedLoneliness, rx.NeedMentalWellbeing}, Metres: -1},
	{ID: "act-gym", Name: "Gym", Area: "Tilbury", Needs: []rx.Need{rx.NeedPhysicalActivity}, Metres: 100},
}

func TestReferralLifecycle(t *testing.T) {
	w := newWorld(t)
	r := w.referred(1)
	assert.Equal(t, rx.Referred, r.State)
	assert.Equal(t, rx.SourceGP, r.Source)
	assert.Equal(t, rx.SNOMEDReferral, r.Code)
	step := func(name string, f func(key string) (*rx.Referral, error), want rx.State) {
		t.Helper()
		w.advance(24 * time.Hour)
		got, err := f(w.key())
		require.NoError(t, err, name)
		assert.Equal(t, want, got.State, name)
		r = got
	}
	// Moves that are not allowed yet.
	_, err := w.svc.Contact(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, "")
	fieldIs(t, err, rx.ErrInvalidTransition, "State")
	_, err = w.svc.Accept(w.ctx, call.As(w.gp.ID).Key(w.key()), r.ID)
	fieldIs(t, err, rx.ErrForbidden, "actor")

	step("accept", func(k string) (*rx.Referral, error) { return w.svc.Accept(w.ctx, call.As(w.adv.ID).Key(k), r.ID) }, rx.Accepted)
	assert.Equal(t, w.adv.ID, r.Advisor)
	step("contact", func(k string) (*rx.Referral, error) {
		return w.svc.Contact(w.ctx, call.As(w.adv.ID).Key(k), r.ID, "phoned")
	}, rx.Contacted)
	_, err = w.svc.Assess(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, rx.Assessment{})
	fieldIs(t, err, rx.ErrInvalid, "Needs")
	_, err = w.svc.Assess(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, rx.Assessment{Needs: []rx.Need{"boredom"}})
	fieldIs(t, err, rx.ErrInvalid, "Needs")
	_, err = w.svc.Assess(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, rx.Assessment{Needs: []rx.Need{rx.NeedDebt}, Wellbeing: &rx.Wellbeing{ONS4: &rx.ONS4{Satisfied: 11}}})
	fieldIs(t, err, rx.ErrInvalid, "ONS4.satisfied")
	step("assess", func(k string) (*rx.Referral, error) {
		return w.svc.Assess(w.ctx, call.As(w.adv.ID).Key(k), r.ID, rx.Assessment{
			Needs:     []rx.Need{rx.NeedLoneliness, rx.NeedDebt},
			Wellbeing: &rx.Wellbeing{ONS4: &rx.ONS4{Satisfied: 3, Worthwhile: 4, Happy: 3, Anxious: 7}, SWEMWBS: &rx.SWEMWBS{2, 2, 2, 3, 2, 2, 2}, Wheel: &rx.Wheel{3, 2, 2, 4, 5, 3, 4, 2}},
			Note:      "home visit",
		})
	}, rx.Assessed)
	assert.Equal(t, rx.Baseline, r.Wellbeing[0].Stage)

	dir := &fakeDirectory{acts: directory}
	matches, err := w.svc.Match(w.ctx, call.As(w.adv.ID), r.ID, dir, 0)
	require.NoError(t, err)
	var names []string
	for _, m := range matches {
		names = append(names, m.ID)
	}
	// Loneliness+debt: every activity meets one need; in Tilbury first,
	// nearer first; unknown distance last; the gym meets neither.
	assert.Equal(t, []string{"act-walk", "act-lunch", "act-cab", "act-choir"}, names)
	assert.Equal(t, rx.ActivityQuery{Needs: []rx.Need{rx.NeedLoneliness, rx.NeedDebt}, Area: "Tilbury"}, dir.got)
	_, err = w.svc.Match(w.ctx, call.As(w.nurse.ID), r.ID, dir, 0)
	fieldIs(t, err, rx.ErrForbidden, "actor")

	step("connect", func(k string) (*rx.Referral, error) {
		return w.svc.Connect(w.ctx, call.As(w.adv.ID).Key(k), r.ID, []rx.Activity{matches[1].Activity, matches[2].Activity})
	}, rx.Connected)
	assert.Equal(t, []rx.Need{rx.NeedLoneliness}, r.Offers[0].Needs)
	r, err = w.svc.Uptake(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, "act-lunch", true)
	require.NoError(t, err)
	assert.NotNil(t, r.Offers[0].TakenUp)
	assert.NotNil(t, r.Offers[0].Attended)
	_, err = w.svc.Uptake(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, "act-gym", false)
	fieldIs(t, err, rx.ErrInvalid, "activity")

	step("hold", func(k string) (*rx.Referral, error) {
		return w.svc.Hold(w.ctx, call.As(w.adv.ID).Key(k), r.ID, "in hospital")
	}, rx.OnHold)
	assert.Equal(t, rx.Connected, r.HeldFrom)
	_, err = w.svc.Review(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, rx.ReviewNotes{})
	fieldIs(t, err, rx.ErrInvalidTransition, "State")
	step("resume", func(k string) (*rx.Referral, error) {
		return w.svc.Resume(w.ctx, call.As(w.adv.ID).Key(k), r.ID, "home")
	}, rx.Connected)
	step("review", func(k string) (*rx.Referral, error) {
		return w.svc.Review(w.ctx, call.As(w.adv.ID).Key(k), r.ID, rx.ReviewNotes{Wellbeing: &rx.Wellbeing{SWEMWBS: &rx.SWEMWBS{3, 3, 4, 3, 3, 4, 3}}})
	}, rx.Reviewing)
	step("review again", func(k string) (*rx.Referral, error) {
		return w.svc.Review(w.ctx, call.As(w.adv.ID).Key(k), r.ID, rx.ReviewNotes{Note: "going weekly"})
	}, rx.Reviewing)
	_, err = w.svc.AddStory(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, rx.NewStory{Title: "t", Text: "x"})
	fieldIs(t, err, rx.ErrInvalid, "Consent")
	r, err = w.svc.AddStory(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, rx.NewStory{Title: "Lunch club friends", Text: "…", Consent: rx.Consent{Given: true, On: w.clock()}})
	require.NoError(t, err)
	require.Len(t, r.Stories, 1)
	_, err = w.svc.CloseReferral(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, "bored", "")
	fieldIs(t, err, rx.ErrInvalid, "reason")
	step("close", func(k string) (*rx.Referral, error) {
		return w.svc.CloseReferral(w.ctx, call.As(w.adv.ID).Key(k), r.ID, rx.GoalsMet, "")
	}, rx.Closed)
	assert.Equal(t, rx.GoalsMet, r.CloseReason)
	_, err = w.svc.Resume(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, "")
	fieldIs(t, err, rx.ErrInvalidTransition, "State")
	_, err = w.svc.Hold(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID, "x")
	fieldIs(t, err, rx.ErrInvalidTransition, "State")

	// The full trail: who, when, why, every move.
	var moves []string
	for _, tr := range r.History {
		moves = append(moves, fmt.Sprintf("%s>%s", tr.From, tr.To))
		assert.NotEmpty(t, tr.By)
	}
	assert.Equal(t, []string{">referred", "referred>accepted", "accepted>contacted", "contacted>assessed", "assessed>connected",
		"connected>on-hold", "on-hold>connected", "connected>reviewing", "reviewing>reviewing", "reviewing>closed"}, moves)
	assert.Equal(t, "in hospital", r.History[5].Note)
	assert.Equal(t, start.Add(24*time.Hour), *r.Entered(rx.Accepted))
	ev, err := w.svc.Events(w.ctx, call.As(w.gp.ID), rx.EventFilter{Practice: w.tilbury.ID, Subject: r.ID})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, len(ev), 12, "every write is audited")
	for _, e := range ev {
		assert.NotEmpty(t, e.Actor)
		assert.False(t, e.At.IsZero())
	}
	n, err := w.store.Caseload(w.ctx, w.adv.ID)
	require.NoError(t, err)
	assert.Zero(t, n, "a closed referral leaves the caseload")
}

func TestDeclineAndSNOMED(t *testing.T) {
	w := newWorld(t)
	r := w.referred(1)
	r, err := w.svc.Decline(w.ctx, call.As(w.nurse.ID).Key(w.key()), r.ID, "prefers not to")
	require.NoError(t, err)
	assert.Equal(t, rx.Declined, r.State)
	assert.Equal(t, rx.SNOMEDDeclined, r.Code)
	_, err = w.svc.Accept(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID)
	fieldIs(t, err, rx.ErrInvalidTransition, "State")
	// Closing with the declined reason records the declined concept too.
	r2 := w.referred(2)
	_, err = w.svc.Accept(w.ctx, call.As(w.adv.ID).Key(w.key()), r2.ID)
	require.NoError(t, err)
	r2, err = w.svc.CloseReferral(w.ctx, call.As(w.adv.ID).Key(w.key()), r2.ID, rx.ReasonDeclined, "")
	require.NoError(t, err)
	assert.Equal(t, rx.SNOMEDDeclined, r2.Code)
	for _, s := range rx.States() {
		assert.Equal(t, s.Final(), len(s.Next()) == 0, "%s", s)
	}
	assert.Empty(t, rx.Closed.Next())
	assert.NotContains(t, rx.Referred.Next(), rx.Connected)
	// Next returns a copy: changing it changes nothing.
	next := rx.Referred.Next()
	next[0] = rx.Connected
	assert.Equal(t, rx.Accepted, rx.Referred.Next()[0])
}

func TestReferOtherPracticeAndRoles(t *testing.T) {
	w := newWorld(t)
	other := w.patient(w.aveley, 5, "Aveley")
	_, err := w.svc.Refer(w.ctx, call.As(w.gp.ID).Key(w.key()), w.tilbury.ID, rx.NewReferral{Patient: other.ID})
	fieldIs(t, err, rx.ErrNotFound, "Patient")
	_, err = w.svc.Refer(w.ctx, call.As(w.gp.ID).Key(w.key()), w.aveley.ID, rx.NewReferral{Patient: other.ID})
	fieldIs(t, err, rx.ErrForbidden, "actor")
	_, err = w.svc.Refer(w.ctx, call.As(w.adv.ID).Key(w.key()), w.aveley.ID, rx.NewReferral{Patient: other.ID})
	fieldIs(t, err, rx.ErrForbidden, "actor")
	refs, err := w.store.Referrals(w.ctx, rx.ReferralFilter{})
	require.NoError(t, err)
	assert.Empty(t, refs, "nothing written")
	mine := w.patient(w.tilbury, 6, "")
	r, err := w.svc.Refer(w.ctx, call.As(w.nurse.ID).Key(w.key()), w.tilbury.ID, rx.NewReferral{Patient: mine.ID})
	require.NoError(t, err)
	assert.Equal(t, rx.SourceProfessional, r.Source)
	_, err = w.svc.Refer(w.ctx, call.As(w.gp.ID).Key(w.key()), w.tilbury.ID, rx.NewReferral{Patient: mine.ID})
	fieldIs(t, err, rx.ErrInvalidTransition, "Patient")

	// Patient data: the manager, and staff of other practices, may not read it.
	for _, actor := range []string{w.mgr.ID, w.gpAveley.ID, "stranger"} {
		_, err := w.svc.Referral(w.ctx, call.As(actor), r.ID)
		fieldIs(t, err, rx.ErrForbidden, "actor")
		_, err = w.svc.Patient(w.ctx, call.As(actor), mine.ID)
		fieldIs(t, err, rx.ErrForbidden, "actor")
		_, err = w.svc.Referrals(w.ctx, call.As(actor), rx.ReferralFilter{Practice: w.tilbury.ID})
		fieldIs(t, err, rx.ErrForbidden, "actor")
	}
	for _, actor := range []string{w.gp.ID, w.nurse.ID, w.adv.ID} {
		p, err := w.svc.Patient(w.ctx, call.As(actor), mine.ID)
		require.NoError(t, err)
		assert.True(t, p.NHSNumber.Valid())
	}
	// Only a manager registers practices and staff.
	_, err = w.svc.RegisterPractice(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.NewPractice{ODS: "F81003", Name: "X", Area: "Purfleet"})
	fieldIs(t, err, rx.ErrForbidden, "actor")
	_, err = w.svc.AddStaff(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.NewStaff{Name: "Y", Role: rx.RoleGP, Practices: []string{w.tilbury.ID}})
	fieldIs(t, err, rx.ErrForbidden, "actor")
	_, err = w.svc.RegisterPractice(w.ctx, call.As(w.mgr.ID).Key(w.key()), rx.NewPractice{ODS: "81003", Name: "X", Area: "Purfleet"})
	fieldIs(t, err, rx.ErrInvalid, "ODS")
	_, err = w.svc.RegisterPractice(w.ctx, call.As(w.mgr.ID).Key(w.key()), rx.NewPractice{ODS: "F81003", Name: "X", Area: "Purfleet", TopPercent: dec("6")})
	fieldIs(t, err, rx.ErrInvalid, "TopPercent")
	_, err = w.svc.AddStaff(w.ctx, call.As(w.mgr.ID).Key(w.key()), rx.NewStaff{Name: "Z", Role: rx.RoleAdvisor, Practices: []string{w.tilbury.ID}})
	fieldIs(t, err, rx.ErrInvalid, "Caseload")
	_, err = w.svc.RegisterPatient(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.NewPatient{Practice: w.tilbury.ID, NHSNumber: "999 000 0019"})
	fieldIs(t, err, rx.ErrInvalid, "NHSNumber")
	_, err = w.svc.RegisterPatient(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.NewPatient{Practice: w.tilbury.ID, NHSNumber: nhs(6)})
	fieldIs(t, err, rx.ErrConflict, "NHSNumber")
	_, err = w.svc.RegisterPatient(w.ctx, call.As(w.adv.ID).Key(w.key()), rx.NewPatient{Practice: w.tilbury.ID, NHSNumber: nhs(60)})
	fieldIs(t, err, rx.ErrForbidden, "actor")
}

func TestCaseloadLimit(t *testing.T) {
	w := newWorld(t) // the advisor's limit is 3
	var refs []*rx.Referral
	for i := range 12 {
		refs = append(refs, w.referred(i))
	}
	var wg sync.WaitGroup
	errs := make([]error, len(refs))
	for i, r := range refs {
		wg.Go(func() { _, errs[i] = w.svc.Accept(w.ctx, call.As(w.adv.ID).Key(fmt.Sprintf("acc-%d", i)), r.ID) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		} else {
			assert.ErrorIs(t, err, rx.ErrCaseloadFull)
		}
	}
	assert.Equal(t, 3, ok)
	n, err := w.store.Caseload(w.ctx, w.adv.ID)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	// Closing one makes room for one more.
	on, err := w.store.Referrals(w.ctx, rx.ReferralFilter{Advisor: w.adv.ID})
	require.NoError(t, err)
	_, err = w.svc.CloseReferral(w.ctx, call.As(w.adv.ID).Key(w.key()), on[0].ID, rx.MovedAway, "")
	require.NoError(t, err)
	var accepted int
	for _, r := range refs {
		if _, err := w.svc.Accept(w.ctx, call.As(w.adv.ID).Key(w.key()), r.ID); err == nil {
			accepted++
		}
	}
	assert.Equal(t, 1, accepted)
}

func TestMDTMeeting(t *testing.T) {
	w := newWorld(t)
	var rows []string
	for i := range 100 {
		rows = append(rows, fmt.Sprintf("%s,%d", nhs(i), i))
	}
	set, err := w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "CPM", ScoredOn: start, File: csvOf(rows...)})
	require.NoError(t, err)
	st, err := w.svc.Stratify(w.ctx, call.As(w.gp.ID).Key(w.key()), set.ID, dec("4"))
	require.NoError(t, err)
	ident, err := w.svc.Identify(w.ctx, call.As(w.gp.ID).Key(w.key()), st.ID)
	require.NoError(t, err)
	require.Len(t, ident, 4)
	for _, r := range ident {
		assert.Equal(t, rx.Identified, r.State)
	}
	matron := w.staff(rx.RoleCommunityMatron, 0, w.tilbury.ID)
	social := w.staff(rx.RoleSocialWorker, 0, w.tilbury.ID)
	w.advance(7 * 24 * time.Hour)
	newcomer := w.patient(w.tilbury, 500, "Tilbury")
	in := rx.NewMeeting{Practice: w.tilbury.ID, Date: w.clock().Add(-time.Hour),
		Members: []string{w.gp.ID, w.nurse.ID, matron.ID, social.ID, w.adv.ID},
		Cases: []rx.NewCase{
			{Patient: ident[0].Patient, Outcome: rx.OutcomeRefer, Notes: "isolated"},
			{Patient: ident[1].Patient, Outcome: rx.OutcomeMedical},
			{Patient: ident[2].Patient, Outcome: rx.OutcomeNoAction},
			{Patient: newcomer.ID, Outcome: rx.OutcomeRefer},
		}}
	m, err := w.svc.HoldMeeting(w.ctx, call.As(w.gp.ID).Key(w.key()), in)
	require.NoError(t, err)
	assert.Len(t, m.Members, 5)
	assert.Equal(t, rx.RoleCommunityMatron, m.Members[2].Role)
	assert.Equal(t, ident[0].ID, m.Cases[0].Referral, "the identified referral moves on")
	r0, err := w.store.Referral(w.ctx, ident[0].ID)
	require.NoError(t, err)
	assert.Equal(t, rx.Referred, r0.State)
	assert.Equal(t, rx.SourceMDT, r0.Source)
	assert.Equal(t, m.ID, r0.Meeting)
	r1, err := w.store.Referral(w.ctx, ident[1].ID)
	require.NoError(t, err)
	assert.Equal(t, rx.Closed, r1.State)
	assert.Equal(t, rx.NotReferred, r1.CloseReason)
	rn, err := w.store.Referral(w.ctx, m.Cases[3].Referral)
	require.NoError(t, err)
	assert.Equal(t, rx.Referred, rn.State)
	assert.Equal(t, newcomer.ID, rn.Patient)

	bad := in
	bad.Members = []string{w.nurse.ID, w.adv.ID}
	_, err = w.svc.HoldMeeting(w.ctx, call.As(w.gp.ID).Key(w.key()), bad)
	fieldIs(t, err, rx.ErrInvalid, "Members")
	bad = in
	bad.Members = append([]string{w.mgr.ID}, in.Members...)
	_, err = w.svc.HoldMeeting(w.ctx, call.As(w.gp.ID).Key(w.key()), bad)
	fieldIs(t, err, rx.ErrInvalid, "Members")
	bad = in
	bad.Cases = []rx.NewCase{{Patient: w.patient(w.aveley, 600, "").ID, Outcome: rx.OutcomeRefer}}
	_, err = w.svc.HoldMeeting(w.ctx, call.As(w.gp.ID).Key(w.key()), bad)
	fieldIs(t, err, rx.ErrNotFound, "Cases[0].Patient")
	bad = in
	bad.Cases = []rx.NewCase{{Patient: ident[3].Patient, Outcome: "maybe"}}
	_, err = w.svc.HoldMeeting(w.ctx, call.As(w.gp.ID).Key(w.key()), bad)
	fieldIs(t, err, rx.ErrInvalid, "Cases[0].Outcome")
	_, err = w.svc.HoldMeeting(w.ctx, call.As(w.nurse.ID).Key(w.key()), in)
	fieldIs(t, err, rx.ErrForbidden, "actor")
}

func TestIdempotentWrites(t *testing.T) {
	w := newWorld(t)
	p := w.patient(w.tilbury, 1, "")
	a, err := w.svc.Refer(w.ctx, call.As(w.gp.ID).Key("same"), w.tilbury.ID, rx.NewReferral{Patient: p.ID, Note: "a"})
	require.NoError(t, err)
	w.advance(time.Minute)
	b, err := w.svc.Refer(w.ctx, call.As(w.gp.ID).Key("same"), w.tilbury.ID, rx.NewReferral{Patient: p.ID, Note: "a"})
	require.NoError(t, err)
	assert.Equal(t, a, b, "a retry returns the first result")
	_, err = w.svc.Refer(w.ctx, call.As(w.gp.ID).Key("same"), w.tilbury.ID, rx.NewReferral{Patient: p.ID, Note: "b"})
	fieldIs(t, err, rx.ErrConflict, "key")
	_, err = w.svc.Refer(w.ctx, call.As(w.gp.ID).Key(""), w.tilbury.ID, rx.NewReferral{Patient: p.ID})
	fieldIs(t, err, rx.ErrInvalid, "key")
}

// TestNothingPersonalInLogs runs the whole lifecycle with a logger that
// captures everything and shows no NHS number, in any form, and no name
// appears in it.
func TestNothingPersonalInLogs(t *testing.T) {
	w := newWorld(t)
	var rows []string
	for i := range 40 {
		rows = append(rows, fmt.Sprintf("%s,%d", nhs(i), i))
	}
	set, err := w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "PARR", ScoredOn: start, File: csvOf(rows...)})
	require.NoError(t, err)
	_, err = w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "PARR", ScoredOn: start, File: csvOf(nhs(77) + ",101")})
	require.Error(t, err)
	// A file uploaded without its header line: its first NHS number is
	// where the column names should be. The error says so without quoting
	// it, in either form, and a caller that logs the error logs none.
	caller := slog.New(slog.NewJSONHandler(lockedWriter{w}, nil))
	for _, first := range []string{nhs(78), strings.ReplaceAll(nhs(78), " ", ""), "nhs_number," + strings.ReplaceAll(nhs(79), " ", "")} {
		file := strings.NewReader(first + ",12.5\n" + nhs(80) + ",3\n")
		_, err = w.svc.ImportScores(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.ScoreImport{Practice: w.tilbury.ID, Model: "PARR", ScoredOn: start, File: file})
		require.ErrorIs(t, err, rx.ErrInvalid)
		assert.Contains(t, err.Error(), "header line", "the error says what is wrong")
		for _, n := range []int{78, 79, 80} {
			assert.NotContains(t, err.Error(), strings.ReplaceAll(nhs(n), " ", ""), "NHS number in the error")
			assert.NotContains(t, err.Error(), nhs(n), "NHS number in the error")
		}
		assert.NotRegexp(t, `\d{3} ?\d{3} ?\d{4}`, err.Error(), "an NHS number in the error")
		caller.Error("score import failed", "err", err)
	}
	st, err := w.svc.Stratify(w.ctx, call.As(w.gp.ID).Key(w.key()), set.ID, dec("5"))
	require.NoError(t, err)
	ident, err := w.svc.Identify(w.ctx, call.As(w.gp.ID).Key(w.key()), st.ID)
	require.NoError(t, err)
	named := w.patient(w.tilbury, 300, "Tilbury")
	_, err = w.svc.RegisterPatient(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.NewPatient{Practice: w.tilbury.ID, NHSNumber: nhs(300), Name: "Patient Name300"})
	require.Error(t, err)
	m, err := w.svc.HoldMeeting(w.ctx, call.As(w.gp.ID).Key(w.key()), rx.NewMeeting{Practice: w.tilbury.ID, Date: start, Members: []string{w.gp.ID, w.adv.ID},
		Cases: []rx.NewCase{{Patient: ident[0].Patient, Outcome: rx.OutcomeRefer, Notes: "Patient Name0 lives alone"}, {Patient: named.ID, Outcome: rx.OutcomeRefer}}})
	require.NoError(t, err)
	id := m.Cases[1].Referral
	steps := []func(k string) error{
		func(k string) error { _, err := w.svc.Accept(w.ctx, call.As(w.adv.ID).Key(k), id); return err },
		func(k string) error {
			_, err := w.svc.Contact(w.ctx, call.As(w.adv.ID).Key(k), id, "spoke to Patient Name300")
			return err
		},
		func(k string) error {
			_, err := w.svc.Assess(w.ctx, call.As(w.adv.ID).Key(k), id, rx.Assessment{Needs: []rx.Need{rx.NeedLoneliness}, Wellbeing: &rx.Wellbeing{SWEMWBS: &rx.SWEMWBS{1, 1, 1, 1, 1, 1, 1}}})
			return err
		},
		func(k string) error {
			_, err := w.svc.Connect(w.ctx, call.As(w.adv.ID).Key(k), id, directory[:2])
			return err
		},
		func(k string) error {
			_, err := w.svc.Uptake(w.ctx, call.As(w.adv.ID).Key(k), id, "act-walk", true)
			return err
		},
		func(k string) error {
			_, err := w.svc.Review(w.ctx, call.As(w.adv.ID).Key(k), id, rx.ReviewNotes{Wellbeing: &rx.Wellbeing{SWEMWBS: &rx.SWEMWBS{3, 3, 3, 3, 3, 3, 3}}})
			return err
		},
		func(k string) error {
			_, err := w.svc.RecordUsage(w.ctx, call.As(w.gp.ID).Key(k), id, rx.SecondaryCare{Before: &rx.Usage{AE: 3}, After: &rx.Usage{AE: 1}})
			return err
		},
		func(k string) error {
			file := "nhs_number,period,ae_attendances,non_elective_admissions,gp_contacts\n" +
				nhs(300) + ",before,3,1,12\n" + strings.ReplaceAll(nhs(300), " ", "") + ",after,1,0,7\n"
			_, err := w.svc.ImportUsage(w.ctx, call.As(w.nurse.ID).Key(k), rx.UsageImport{Practice: w.tilbury.ID, File: strings.NewReader(file)})
			return err
		},
		func(k string) error {
			// A usage file with an NHS number in every column that can
			// hold one, and one without its header line: the errors,
			// logged by the caller, name lines and columns only.
			for i, file := range []string{
				"nhs_number,period,ae_attendances,non_elective_admissions,gp_contacts\n" +
					nhs(81) + "," + nhs(82) + "," + nhs(83) + "," + strings.ReplaceAll(nhs(84), " ", "") + ",-1\n" +
					nhs(85) + ",before,1,1,1\n" + nhs(85) + ",after,1,1,1\n",
				nhs(86) + ",before,1,1,1\n",
			} {
				_, err := w.svc.ImportUsage(w.ctx, call.As(w.nurse.ID).Key(fmt.Sprint(k, "-", i)), rx.UsageImport{Practice: w.tilbury.ID, File: strings.NewReader(file)})
				var ie *rx.ImportError
				if !errors.As(err, &ie) {
					return fmt.Errorf("want an *ImportError, got %v", err)
				}
				caller.Error("usage import failed", "err", err)
			}
			return nil
		},
		func(k string) error {
			_, err := w.svc.AddStory(w.ctx, call.As(w.adv.ID).Key(k), id, rx.NewStory{Title: "Patient Name300's story", Text: "…", Consent: rx.Consent{Given: true, On: start}})
			return err
		},
		func(k string) error {
			_, err := w.svc.CloseReferral(w.ctx, call.As(w.adv.ID).Key(k), id, rx.GoalsMet, "Patient Name300 is doing well")
			return err
		},
	}
	for i, f := range steps {
		require.NoError(t, f(w.key()), "step %d", i)
	}
	_, err = w.svc.Report(w.ctx, call.As(w.mgr.ID), rx.ReportFilter{})
	require.NoError(t, err)
	// Log an NHS number by mistake: it is redacted.
	n, _ := rx.ParseNHSNumber(nhs(300))
	logs := w.logs.String()
	require.NotEmpty(t, logs)
	assert.Greater(t, strings.Count(logs, "\n"), 15, "the lifecycle was logged")
	assert.Contains(t, logs, "score import failed", "the caller's log of the header-less imports")
	assert.Contains(t, logs, "usage import failed", "the caller's log of the bad usage files")
	assert.Contains(t, logs, "usage.import", "the usage import was logged")
	for _, i := range append(seq(40), 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 300) {
		spaced := nhs(i)
		assert.NotContains(t, logs, strings.ReplaceAll(spaced, " ", ""), "NHS number logged")
		assert.NotContains(t, logs, spaced, "NHS number logged")
	}
	assert.NotContains(t, logs, string(n))
	assert.NotContains(t, logs, "Patient Name", "a name was logged")
	assert.NotContains(t, logs, "lives alone", "a clinical note was logged")
	var buf strings.Builder
	lg := newJSONLogger(&buf)
	lg.Info("oops", "nhs", n)
	assert.NotContains(t, buf.String(), string(n))
	assert.Contains(t, buf.String(), "[nhs number]")
}

// seq returns 0, 1, …, n-1.
func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}
