package prescribingtest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/prescribing"
)

// race runs n functions at once, as nearly as goroutines allow, and
// returns their errors in order.
func race(n int, f func(i int) error) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			errs[i] = f(i)
		})
	}
	close(start)
	wg.Wait()
	return errs
}

// count counts the nil errors and those matching want; it reports any
// other error.
func count(t *testing.T, errs []error, want error) (ok, matched int) {
	t.Helper()
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, want):
			matched++
		default:
			assert.Fail(t, "unexpected error", "writer %d: want nil or %v, got %v", i, want, err)
		}
	}
	return ok, matched
}

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
	errs := race(writers, func(i int) error {
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
	ok, full := count(t, errs, prescribing.ErrCaseloadFull)
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
	errs := race(30, func(i int) error {
		r := referral("ref", "p1", "pat", prescribing.OnHold, "")
		r.Version, r.HeldFrom = 2, prescribing.State(fmt.Sprint(i))
		return s.Apply(h.ctx, &prescribing.Batch{Referrals: []*prescribing.Referral{r}})
	})
	ok, conflict := count(t, errs, prescribing.ErrConflict)
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
	errs := race(20, func(i int) error {
		return s.Apply(h.ctx, &prescribing.Batch{Practices: []*prescribing.Practice{practice(fmt.Sprintf("p%02d", i), "Aveley")},
			Key: "same", Hash: "h", Result: fmt.Sprintf("p%02d", i), At: at(0)})
	})
	ok, dup := count(t, errs, prescribing.ErrDuplicateKey)
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
	errs := race(20, func(i int) error {
		return s.Apply(h.ctx, &prescribing.Batch{Patients: []*prescribing.Patient{patient(fmt.Sprintf("pat-%02d", i), "p1", 42)}})
	})
	ok, conflict := count(t, errs, prescribing.ErrConflict)
	assert.Equal(t, 1, ok)
	assert.Equal(t, 19, conflict)
	ps, err := s.Patients(h.ctx, prescribing.PatientFilter{})
	require.NoError(t, err)
	assert.Len(t, ps, 1)
}
