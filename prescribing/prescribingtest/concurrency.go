package prescribingtest

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/internal/storetest"
	"github.com/strongertogether/community/prescribing"
)

// testConcurrentCaseload: 40 referrals are accepted at once by one advisor
// whose limit is 7. Exactly 7 succeed, the rest are ErrCaseloadFull, and
// the caseload never exceeds the limit.
func testConcurrentCaseload(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	const writers, limit = 40, 7
	h.base(limit, writers)
	var b prescribing.Batch
	for i := range writers {
		b.Referrals = append(b.Referrals, referral(fmt.Sprintf("ref-%02d", i), "p1", fmt.Sprintf("pat-%03d", i), prescribing.Referred, ""))
	}
	h.apply(&b)
	errs := storetest.Race(writers, func(i int) error {
		r, err := s.Referral(h.ctx, fmt.Sprintf("ref-%02d", i))
		if err != nil {
			return err
		}
		r.State, r.Advisor = prescribing.Accepted, "adv"
		r.Version++
		return s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{r}, Caseloads: map[string]int{"adv": limit},
			Events: []prescribing.Event{{Practice: "p1", At: at(i), Actor: "adv", Action: "referral.accept", Subject: r.ID}},
			Key:    "accept-" + r.ID, Hash: "h", Result: r.ID, At: at(i)})
	})
	ok, full := storetest.Count(t, errs, prescribing.ErrCaseloadFull)
	assert.Equal(t, limit, ok, "acceptances that went through")
	assert.Equal(t, writers-limit, full)
	n, err := s.Caseload(h.ctx, "adv")
	require.NoError(t, err)
	assert.Equal(t, limit, n)
	on, err := s.Referrals(h.ctx, prescribing.ReferralFilter{Advisor: "adv"})
	require.NoError(t, err)
	assert.Len(t, on, limit, "referrals assigned to the advisor")
	ev, err := s.Events(h.ctx, prescribing.EventFilter{Practice: "p1"})
	require.NoError(t, err)
	assert.Len(t, ev, limit, "one event per acceptance written, none for the refused")
}

// testConcurrentUpdates: 30 writers replace version 1 of one referral at
// once; exactly one wins, the others are ErrConflict.
func testConcurrentUpdates(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.apply(&prescribing.Batch{Referrals: []*prescribing.Referral{referral("ref", "p1", "pat", prescribing.Referred, "")}})
	errs := storetest.Race(30, func(i int) error {
		r := referral("ref", "p1", "pat", prescribing.OnHold, "")
		r.Version, r.HeldFrom = 2, prescribing.State(fmt.Sprint(i))
		return s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{r}})
	})
	ok, conflict := storetest.Count(t, errs, prescribing.ErrConflict)
	assert.Equal(t, 1, ok)
	assert.Equal(t, 29, conflict)
	got, err := s.Referral(h.ctx, "ref")
	require.NoError(t, err)
	assert.EqualValues(t, 2, got.Version)
}

// testConcurrentKeys: 20 writers send batches under one key at once;
// exactly one is written.
func testConcurrentKeys(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	errs := storetest.Race(20, func(i int) error {
		return s.Apply(h.ctx, &prescribing.Batch{Practices: []*prescribing.Practice{practice(fmt.Sprintf("p%02d", i), "Aveley")},
			Key: "same", Hash: "h", Result: fmt.Sprintf("p%02d", i), At: at(0)})
	})
	ok, dup := storetest.Count(t, errs, prescribing.ErrDuplicateKey)
	assert.Equal(t, 1, ok)
	assert.Equal(t, 19, dup)
	ps, err := s.Practices(h.ctx, prescribing.PracticeFilter{})
	require.NoError(t, err)
	require.Len(t, ps, 1)
	r, err := s.Receipt(h.ctx, "same")
	require.NoError(t, err)
	assert.Equal(t, ps[0].ID, r.Result)
}

// testConcurrentNHS: 20 writers register different patients with one NHS
// number at once; exactly one is written.
func testConcurrentNHS(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	errs := storetest.Race(20, func(i int) error {
		return s.Apply(h.ctx, &prescribing.Batch{Patients: []*prescribing.Patient{patient(fmt.Sprintf("pat-%02d", i), "p1", 42)}})
	})
	ok, conflict := storetest.Count(t, errs, prescribing.ErrConflict)
	assert.Equal(t, 1, ok)
	assert.Equal(t, 19, conflict)
	ps, err := s.Patients(h.ctx, prescribing.PatientFilter{})
	require.NoError(t, err)
	assert.Len(t, ps, 1)
}

// testConcurrentOpenReferral: 20 writers each open a new referral for one
// patient at once (identified or referred); exactly one is written and the
// others are ErrOpenReferral, writing nothing. Then 20 writers race to
// reopen different closed referrals of another patient beside its one
// open referral; none gets through.
func testConcurrentOpenReferral(t *testing.T, s prescribing.Store) {
	h := newH(t, s)
	h.base(5, 2)
	const writers = 20
	errs := storetest.Race(writers, func(i int) error {
		st := prescribing.Referred
		if i%2 == 1 {
			st = prescribing.Identified
		}
		id := fmt.Sprintf("ref-%02d", i)
		return s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{referral(id, "p1", "pat-000", st, "")},
			Events: []prescribing.Event{{Practice: "p1", At: at(i), Actor: "gp", Action: "referral.refer", Subject: id}},
			Key:    "refer-" + id, Hash: "h", Result: id, At: at(i)})
	})
	ok, refused := storetest.Count(t, errs, prescribing.ErrOpenReferral)
	assert.Equal(t, 1, ok, "referrals opened")
	assert.Equal(t, writers-1, refused)
	all, err := s.Referrals(h.ctx, prescribing.ReferralFilter{Patient: "pat-000"})
	require.NoError(t, err)
	assert.Len(t, all, 1, "referrals written for the patient")
	ev, err := s.Events(h.ctx, prescribing.EventFilter{Practice: "p1"})
	require.NoError(t, err)
	assert.Len(t, ev, 1, "one event, for the referral written")

	b := &prescribing.Batch{Referrals: []*prescribing.Referral{referral("open", "p1", "pat-001", prescribing.Accepted, "adv")}}
	for i := range writers {
		b.Referrals = append(b.Referrals, referral(fmt.Sprintf("old-%02d", i), "p1", "pat-001", prescribing.Closed, ""))
	}
	h.apply(b)
	errs = storetest.Race(writers, func(i int) error {
		r, err := s.Referral(h.ctx, fmt.Sprintf("old-%02d", i))
		if err != nil {
			return err
		}
		r.State = prescribing.Reviewing
		r.Version++
		return s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{r}})
	})
	ok, refused = storetest.Count(t, errs, prescribing.ErrOpenReferral)
	assert.Equal(t, 0, ok)
	assert.Equal(t, writers, refused)
	open, err := s.Referrals(h.ctx, prescribing.ReferralFilter{Patient: "pat-001", Open: ptr(true)})
	require.NoError(t, err)
	require.Len(t, open, 1)
	assert.Equal(t, "open", open[0].ID)
}
