package prescribing

import (
	"math"

	"github.com/shopspring/decimal"
)

// Change is the mean paired change in a measure over a cohort, with its 95%
// confidence interval from Student's t-distribution with N-1 degrees of
// freedom. Before and After are the cohort's mean scores. With fewer than
// two pairs there is no interval: Lower and Upper equal Mean.
type Change struct {
	Measure Measure
	N       int
	Before  decimal.Decimal
	After   decimal.Decimal
	Mean    decimal.Decimal
	Lower   decimal.Decimal
	Upper   decimal.Decimal
}

// pairedChange computes a Change from paired scores, rounded to two
// decimal places.
func pairedChange(m Measure, before, after []decimal.Decimal) Change {
	c := Change{Measure: m, N: len(before)}
	if c.N == 0 {
		return c
	}
	n := decimal.NewFromInt(int64(c.N))
	var sb, sa decimal.Decimal
	diffs := make([]float64, c.N)
	for i := range before {
		sb, sa = sb.Add(before[i]), sa.Add(after[i])
		diffs[i] = after[i].Sub(before[i]).InexactFloat64()
	}
	c.Before = sb.DivRound(n, 2)
	c.After = sa.DivRound(n, 2)
	mean := sa.Sub(sb).Div(n)
	c.Mean = mean.Round(2)
	c.Lower, c.Upper = c.Mean, c.Mean
	if c.N < 2 {
		return c
	}
	mf := mean.InexactFloat64()
	ss := 0.0
	for _, d := range diffs {
		ss += (d - mf) * (d - mf)
	}
	se := math.Sqrt(ss/float64(c.N-1)) / math.Sqrt(float64(c.N))
	half := tQuantile(0.975, c.N-1) * se
	c.Lower = decimal.NewFromFloat(mf - half).Round(2)
	c.Upper = decimal.NewFromFloat(mf + half).Round(2)
	return c
}

// tQuantile returns the p quantile of Student's t-distribution with df
// degrees of freedom (0 < p < 1, df ≥ 1), to about 1e-10: for example
// tQuantile(0.975, 9) ≈ 2.2622. It inverts the distribution function by
// bisection.
func tQuantile(p float64, df int) float64 {
	if df < 1 || p <= 0 || p >= 1 {
		return math.NaN()
	}
	if p == 0.5 {
		return 0
	}
	if p < 0.5 {
		return -tQuantile(1-p, df)
	}
	lo, hi := 0.0, 1.0
	for tCDF(hi, df) < p {
		hi *= 2
		if hi > 1e12 {
			return math.Inf(1)
		}
	}
	for range 200 {
		mid := (lo + hi) / 2
		if tCDF(mid, df) < p {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-12*math.Max(1, hi) {
			break
		}
	}
	return (lo + hi) / 2
}

// tCDF is the distribution function of Student's t with df degrees of
// freedom at t ≥ 0: 1 - I_x(df/2, 1/2)/2 with x = df/(df+t²).
func tCDF(t float64, df int) float64 {
	v := float64(df)
	x := v / (v + t*t)
	return 1 - 0.5*betaInc(v/2, 0.5, x)
}

// betaInc is the regularised incomplete beta function I_x(a, b), by its
// continued fraction (modified Lentz's method).
func betaInc(a, b, x float64) float64 {
	if x <= 0 {
		return 0
	}
	if x >= 1 {
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log1p(-x))
	if x > (a+1)/(a+b+2) {
		return 1 - front*betaCF(b, a, 1-x)/b
	}
	return front * betaCF(a, b, x) / a
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	c, d := 1.0, 1-(a+b)*x/(a+1)
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 300; m++ {
		fm := float64(m)
		num := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		num = -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		d = 1 + num*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + num/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-15 {
			break
		}
	}
	return h
}
