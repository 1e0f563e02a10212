package prescribing_test

import (
	"context"
	"fmt"
	"github.com/strongertogether/community/call"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rx "github.com/strongertogether/community/prescribing"
)

// gatedStore holds the first n calls to Apply until all n have arrived
// (or a second has passed), so n writers have all read the store before
// any of them writes: the race the store must settle, made certain.
type gatedStore struct {
	rx.Store
	mu      sync.Mutex
	waiting int
	open    chan struct{}
}

func gate(s rx.Store, n int) *gatedStore {
	return &gatedStore{Store: s, waiting: n, open: make(chan struct{})}
}

func (g *gatedStore) Apply(ctx context.Context, b *rx.Batch) error {
	g.mu.Lock()
	if g.waiting > 0 {
		g.waiting--
		if g.waiting == 0 {
			close(g.open)
		}
		g.mu.Unlock()
		select {
		case <-g.open:
		case <-time.After(time.Second):
		}
	} else {
		g.mu.Unlock()
	}
	return g.Store.Apply(ctx, b)
}

// TestConcurrentReferralsOnePerPatient: GPs and a nurse refer one patient
// at once, and an MDT meeting refers them too, all having read that the
// patient has no open referral. Exactly one referral is made; the others
// are told clearly that the patient has an open referral.
func TestConcurrentReferralsOnePerPatient(t *testing.T) {
	w := newWorld(t)
	p := w.patient(w.tilbury, 1, "Tilbury")
	const writers = 7
	svc := rx.NewService(gate(w.store, writers), rx.WithClock(w.clock))
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			key := fmt.Sprintf("race-%d", i)
			switch i % 4 {
			case 0:
				_, errs[i] = svc.HoldMeeting(w.ctx, call.As(w.gp.ID).Key(key), rx.NewMeeting{Practice: w.tilbury.ID, Date: start,
					Members: []string{w.gp.ID, w.nurse.ID}, Cases: []rx.NewCase{{Patient: p.ID, Outcome: rx.OutcomeRefer}}})
			case 1:
				_, errs[i] = svc.Refer(w.ctx, call.As(w.gp.ID).Key(key), w.tilbury.ID, rx.NewReferral{Patient: p.ID})
			case 2:
				_, errs[i] = svc.Refer(w.ctx, call.As(w.gp2.ID).Key(key), w.tilbury.ID, rx.NewReferral{Patient: p.ID})
			default:
				_, errs[i] = svc.Refer(w.ctx, call.As(w.nurse.ID).Key(key), w.tilbury.ID, rx.NewReferral{Patient: p.ID})
			}
		})
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		if err == nil {
			ok++
			continue
		}
		fieldIs(t, err, rx.ErrOpenReferral, "Patient")
		assert.ErrorIs(t, err, rx.ErrInvalidTransition, "writer %d", i)
		assert.Contains(t, err.Error(), "has an open referral", "writer %d", i)
	}
	assert.Equal(t, 1, ok, "writers that referred the patient")
	rs, err := w.store.Referrals(w.ctx, rx.ReferralFilter{Patient: p.ID})
	require.NoError(t, err)
	assert.Len(t, rs, 1, "referrals of the patient")
}
