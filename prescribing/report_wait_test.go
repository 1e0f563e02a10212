package prescribing_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	rx "github.com/strongertogether/community/prescribing"
)

// contacted makes a referral referred at start and first contacted wait
// later.
func contacted(i int, wait time.Duration) *rx.Referral {
	referred := start.Add(time.Duration(i) * time.Hour)
	return &rx.Referral{ID: fmt.Sprintf("ref-%03d", i), Practice: "prc", Patient: fmt.Sprintf("pat-%03d", i),
		Source: rx.SourceGP, State: rx.Contacted, Advisor: "adv", Code: rx.SNOMEDReferral,
		History: []rx.Transition{
			{To: rx.Referred, At: referred, By: "gp"},
			{From: rx.Referred, To: rx.Accepted, At: referred.Add(wait / 3), By: "adv"},
			{From: rx.Accepted, To: rx.Contacted, At: referred.Add(wait), By: "adv"},
		}, CreatedAt: referred, Version: 3}
}

// roundDays is the reference: micros/n as days, to one decimal place,
// halves away from zero, in exact rational arithmetic.
func roundDays(micros *big.Int, n int64) decimal.Decimal {
	q := new(big.Rat).SetFrac(new(big.Int).Mul(micros, big.NewInt(10)), big.NewInt(n*86_400_000_000))
	// q ≥ 0: floor(q + 1/2) is round half up, which is away from zero here.
	q.Add(q, big.NewRat(1, 2))
	tenths := new(big.Int).Quo(q.Num(), q.Denom())
	return decimal.NewFromBigInt(tenths, -1)
}

// TestWaitsExact: waits are exact to the microsecond and rounded once.
// Each case is a wait whose value in days lies on a rounding boundary
// (0.05 days is 72 minutes), where arithmetic in float64 days comes out a
// hair below and rounds the wrong way.
func TestWaitsExact(t *testing.T) {
	for _, c := range []struct {
		name         string
		waits        []time.Duration
		mean, median string
	}{
		{"72 minutes is 0.05 days", []time.Duration{72 * time.Minute}, "0.1", "0.1"},
		{"0.55 days", []time.Duration{792 * time.Minute}, "0.6", "0.6"},
		{"1.35 days", []time.Duration{1944 * time.Minute}, "1.4", "1.4"},
		{"2.95 days", []time.Duration{4248 * time.Minute}, "3", "3"},
		{"a microsecond short of 0.05 days", []time.Duration{72*time.Minute - time.Microsecond}, "0", "0"},
		{"two: mean 1.1 days exactly", []time.Duration{1440 * time.Minute, 1728 * time.Minute}, "1.1", "1.1"},
		{"three to a mean of 1.35 days", []time.Duration{1475 * time.Minute, 1440 * time.Minute, (2*1440 + 37) * time.Minute}, "1.4", "1"},
		{"four: median of 0.5 and 0.6 is 0.55 days", []time.Duration{720 * time.Minute, 864 * time.Minute, 10 * time.Hour, 20 * 24 * time.Hour}, "5.4", "0.6"},
	} {
		var rs []*rx.Referral
		for i, w := range c.waits {
			rs = append(rs, contacted(i, w))
		}
		rep := rx.Compute(rs)
		require.NotEmpty(t, rep.Waits)
		w := rep.Waits[0]
		assert.Equal(t, rx.Referred, w.From)
		assert.Equal(t, rx.Contacted, w.To)
		assert.Equal(t, len(c.waits), w.N, c.name)
		assert.Equal(t, c.mean, w.Mean.String(), "%s: mean", c.name)
		assert.Equal(t, c.median, w.Median.String(), "%s: median", c.name)
	}
}

// TestWaitsMatchExactArithmetic: over generated referrals with waits to
// the microsecond, every stage's mean and median equal the exact rational
// result rounded once.
func TestWaitsMatchExactArithmetic(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 2016))
	for round := range 50 {
		n := 1 + rng.IntN(40)
		var rs []*rx.Referral
		var micros []int64
		for i := range n {
			// Whole minutes, often on a boundary of 0.05 days, sometimes
			// with a part second.
			w := time.Duration(72*(1+rng.IntN(400))) * time.Minute
			if rng.IntN(4) == 0 {
				w += time.Duration(rng.IntN(1_000_000)) * time.Microsecond
			}
			rs = append(rs, contacted(i, w))
			micros = append(micros, int64(w/time.Microsecond))
		}
		rep := rx.Compute(rs)
		sum := new(big.Int)
		for _, m := range micros {
			sum.Add(sum, big.NewInt(m))
		}
		slices.Sort(micros)
		med := big.NewInt(micros[n/2])
		medN := int64(1)
		if n%2 == 0 {
			med.Add(med, big.NewInt(micros[n/2-1]))
			medN = 2
		}
		w := rep.Waits[0]
		require.Equal(t, n, w.N)
		assert.True(t, roundDays(sum, int64(n)).Equal(w.Mean), "round %d: mean %s, want %s", round, w.Mean, roundDays(sum, int64(n)))
		assert.True(t, roundDays(med, medN).Equal(w.Median), "round %d: median %s, want %s", round, w.Median, roundDays(med, medN))
	}
}
