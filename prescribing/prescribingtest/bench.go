package prescribingtest

import (
	"context"
	"fmt"
	"github.com/strongertogether/community/call"
	"testing"
	"time"

	"github.com/strongertogether/community/prescribing"
)

// BenchmarkTransition measures the referral transition path through the
// Service on a store: each op is one idempotent state change (put on hold,
// then resumed, alternately) of a referral with a realistic history — read
// the referral and the actor, check the role and the state machine, and
// apply the new version with its audit event and receipt. A referral
// takes 20 moves and is then replaced by a fresh one (made with the timer
// stopped), so histories stay the length real referrals have. A store calls it
// from a one-line Benchmark function:
//
//	func BenchmarkTransition(b *testing.B) { prescribingtest.BenchmarkTransition(b, newStore) }
func BenchmarkTransition(b *testing.B, newStore func(b *testing.B) prescribing.Store) {
	s := newStore(b)
	ctx := context.Background()
	clock := t0
	svc := prescribing.NewService(s, prescribing.WithClock(func() time.Time { clock = clock.Add(time.Millisecond); return clock }))
	b0 := &prescribing.Batch{
		Practices: []*prescribing.Practice{practice("p1", "Tilbury")},
		Staff:     []*prescribing.Staff{staff("adv", prescribing.RoleAdvisor, 50, "p1")},
		Patients:  []*prescribing.Patient{patient("pat", "p1", 1)},
	}
	if err := s.Apply(ctx, b0); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	const moves = 20
	i, ref := 0, ""
	for b.Loop() {
		if i%moves == 0 {
			b.StopTimer()
			// A fresh patient each time: a patient has one open referral.
			ref = fmt.Sprintf("ref-%d", i/moves)
			pat := fmt.Sprintf("pat-%d", i/moves)
			if err := s.Apply(ctx, &prescribing.Batch{Patients: []*prescribing.Patient{patient(pat, "p1", i/moves+2)},
				Referrals: []*prescribing.Referral{referral(ref, "p1", pat, prescribing.Connected, "adv")}}); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		var err error
		key := fmt.Sprintf("t-%d", i)
		if i%2 == 0 {
			_, err = svc.Hold(ctx, call.As("adv").Key(key), ref, "in hospital")
		} else {
			_, err = svc.Resume(ctx, call.As("adv").Key(key), ref, "home again")
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "transitions/s")
}
