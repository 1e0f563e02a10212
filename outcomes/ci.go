package outcomes

import "math"

// z95 is the 97.5th percentile of the standard normal distribution.
const z95 = 1.959963984540054

// wilson returns the 95% Wilson score interval for a proportion of k
// successes in n trials, as proportions from 0 to 1. It is the method
// PHE's Fingertips uses for proportions (Newcombe and Altman, "Proportions
// and their differences", in Statistics with Confidence, 2nd ed., 2000).
// n must be positive and 0 ≤ k ≤ n.
func wilson(k, n float64) (lower, upper float64) {
	z := z95
	p := k / n
	q := 1 - p
	a := 2*k + z*z
	b := z * math.Sqrt(z*z+4*k*q)
	c := 2 * (n + z*z)
	lower, upper = (a-b)/c, (a+b)/c
	if k == 0 {
		lower = 0
	}
	if k == n {
		upper = 1
	}
	return max(lower, 0), min(upper, 1)
}

// byar returns the 95% confidence interval for an observed count o ≥ 1
// of events by Byar's approximation to the Poisson (Breslow and Day,
// Statistical Methods in Cancer Research vol. II, 1987, p. 69):
//
//	lower = o·(1 − 1/(9o) − z/(3√o))³
//	upper = (o+1)·(1 − 1/(9(o+1)) + z/(3√(o+1)))³
func byar(o float64) (lower, upper float64) {
	z := z95
	lower = o * math.Pow(1-1/(9*o)-z/(3*math.Sqrt(o)), 3)
	u := o + 1
	upper = u * math.Pow(1-1/(9*u)+z/(3*math.Sqrt(u)), 3)
	return lower, upper
}

// exactPoisson returns the exact 95% confidence interval for an observed
// count o of events: the means whose Poisson distribution puts 2.5% at or
// beyond o on either side (equivalently χ²(0.025; 2o)/2 and
// χ²(0.975; 2o+2)/2). It is what Fingertips uses below 10 events.
func exactPoisson(o int64) (lower, upper float64) {
	if o > 0 {
		// P(X ≥ o | λ) = 0.025, which rises with λ.
		lower = bisect(func(l float64) bool { return 1-poissonCDF(o-1, l) < 0.025 }, 0, float64(o))
	}
	// P(X ≤ o | λ) = 0.025, which falls with λ.
	upper = bisect(func(u float64) bool { return poissonCDF(o, u) > 0.025 }, float64(o), float64(o)*3+10)
	return lower, upper
}

// poissonInterval is the interval Fingertips uses for counts and rates:
// exact below 10 events, Byar's method from 10 on. The method is named
// "exact-poisson" or "byar".
func poissonInterval(o float64) (lower, upper float64, method string) {
	if o < 10 {
		l, u := exactPoisson(int64(math.Round(o)))
		return l, u, MethodExact
	}
	l, u := byar(o)
	return l, u, MethodByar
}

// poissonCDF returns P(X ≤ k) for X Poisson with mean l, summing terms in
// logs so large means do not overflow.
func poissonCDF(k int64, l float64) float64 {
	if k < 0 {
		return 0
	}
	if l == 0 {
		return 1
	}
	sum := 0.0
	logTerm := -l // log of P(X = 0)
	for i := int64(0); i <= k; i++ {
		if i > 0 {
			logTerm += math.Log(l) - math.Log(float64(i))
		}
		sum += math.Exp(logTerm)
	}
	return min(sum, 1)
}

// bisect returns the boundary in [lo, hi] where below turns from true to
// false.
func bisect(below func(float64) bool, lo, hi float64) float64 {
	for range 200 {
		mid := (lo + hi) / 2
		if below(mid) {
			lo = mid
		} else {
			hi = mid
		}
		if hi-lo < 1e-12*max(1, hi) {
			break
		}
	}
	return (lo + hi) / 2
}

// normalP returns the two-sided p-value of a standard normal statistic.
func normalP(z float64) float64 { return math.Erfc(math.Abs(z) / math.Sqrt2) }
