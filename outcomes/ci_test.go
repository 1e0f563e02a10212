package outcomes_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

// TestWilsonPublished checks the Wilson score interval against the worked
// examples of R. G. Newcombe, "Two-sided confidence intervals for the
// single proportion: comparison of seven methods", Statistics in Medicine
// 17 (1998) 857–872, Table II, method 3 (score interval without
// continuity correction) — the method and examples PHE's Technical Guide
// "Confidence Intervals" (Appendix 3, Wilson score method) and
// PHEindicatormethods cite via Newcombe and Altman, Statistics with
// Confidence (2000), pp. 46–48 (81/263 → 0.255 to 0.366).
func TestWilsonPublished(t *testing.T) {
	for _, c := range []struct {
		k, n         float64
		lower, upper float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0.0000, 0.1611},
		{1, 29, 0.0061, 0.1718},
	} {
		l, u := outcomes.Wilson(c.k, c.n)
		assert.InDelta(t, c.lower, l, 0.00005, "%v/%v lower", c.k, c.n)
		assert.InDelta(t, c.upper, u, 0.00005, "%v/%v upper", c.k, c.n)
	}
}

// TestExactPoissonPublished checks the exact Poisson interval, which
// Fingertips uses below 10 events, against the classical table of 95%
// limits for a Poisson count (Garwood, Biometrika 28 (1936) 437–442;
// reproduced in Breslow and Day, Statistical Methods in Cancer Research
// vol. II (IARC, 1987), Appendix II, and in Documenta Geigy).
func TestExactPoissonPublished(t *testing.T) {
	for _, c := range []struct {
		o            int64
		lower, upper float64
	}{
		{0, 0, 3.689},
		{1, 0.0253, 5.572},
		{2, 0.242, 7.225},
		{3, 0.619, 8.767},
		{5, 1.623, 11.668},
		{9, 4.115, 17.085},
		{10, 4.795, 18.390},
	} {
		l, u := outcomes.ExactPoisson(c.o)
		assert.InDelta(t, c.lower, l, 0.0006, "O=%d lower", c.o)
		assert.InDelta(t, c.upper, u, 0.0006, "O=%d upper", c.o)
	}
}

// TestByar checks Byar's method: the formula of Breslow and Day (1987,
// p. 69) as PHE's Technical Guide "Confidence Intervals" (Public Health
// Data Science, May 2018), Appendix 1, states it, worked by hand for
// O = 65, and the Guide's statement that for 95% intervals Byar's method
// is within 0.2% of the exact value for numerators of 10 or more.
func TestByar(t *testing.T) {
	z := 1.959963984540054
	o := 65.0
	wantL := o * math.Pow(1-1/(9*o)-z/(3*math.Sqrt(o)), 3)
	wantU := (o + 1) * math.Pow(1-1/(9*(o+1))+z/(3*math.Sqrt(o+1)), 3)
	l, u := outcomes.Byar(o)
	assert.InDelta(t, wantL, l, 1e-9)
	assert.InDelta(t, wantU, u, 1e-9)
	assert.InDelta(t, 50.163, l, 0.001)
	assert.InDelta(t, 82.849, u, 0.001)

	for n := int64(10); n <= 2000; n += 23 {
		bl, bu := outcomes.Byar(float64(n))
		el, eu := outcomes.ExactPoisson(n)
		assert.InDelta(t, 0, (bl-el)/el, 0.002, "O=%d lower", n)
		assert.InDelta(t, 0, (bu-eu)/eu, 0.002, "O=%d upper", n)
	}
}

// TestIntervalMethodByValueType checks that a measurement gets the method
// its value type calls for: Wilson for a proportion, exact Poisson below
// 10 events and Byar's from 10 for counts and rates, and a supplied
// interval kept.
func TestIntervalMethodByValueType(t *testing.T) {
	prop := &outcomes.Indicator{ID: "p", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion, Decimals: 1}
	m := outcomes.Measurement{Indicator: "p", Value: dec("30.8"), Count: decp("81"), Denominator: decp("263")}
	m.Interval(prop)
	require.NotNil(t, m.Lower)
	assert.Equal(t, outcomes.MethodWilson, m.CIMethod)
	assert.Equal(t, "25.53", m.Lower.StringFixed(2))
	assert.Equal(t, "36.62", m.Upper.StringFixed(2))

	rate := &outcomes.Indicator{ID: "r", Unit: outcomes.UnitRate, Per: 100000, ValueType: outcomes.ValueCrudeRate, Decimals: 1}
	m = outcomes.Measurement{Indicator: "r", Value: dec("5"), Count: decp("5"), Denominator: decp("100000")}
	m.Interval(rate)
	assert.Equal(t, outcomes.MethodExact, m.CIMethod)
	assert.Equal(t, "1.62", m.Lower.StringFixed(2))
	assert.Equal(t, "11.67", m.Upper.StringFixed(2))
	m = outcomes.Measurement{Indicator: "r", Value: dec("65"), Count: decp("65"), Denominator: decp("100000")}
	m.Interval(rate)
	assert.Equal(t, outcomes.MethodByar, m.CIMethod)
	assert.Equal(t, "50.16", m.Lower.StringFixed(2))

	count := &outcomes.Indicator{ID: "c", Unit: outcomes.UnitCount, ValueType: outcomes.ValueCount}
	m = outcomes.Measurement{Indicator: "c", Value: dec("2")}
	m.Interval(count)
	assert.Equal(t, outcomes.MethodExact, m.CIMethod)
	assert.Equal(t, "0.2", m.Lower.String())
	assert.Equal(t, "7.2", m.Upper.String())

	m = outcomes.Measurement{Indicator: "p", Value: dec("30"), Count: decp("3"), Denominator: decp("10"), Lower: decp("1"), Upper: decp("2")}
	m.Interval(prop)
	assert.Equal(t, outcomes.MethodSupplied, m.CIMethod)
	assert.Equal(t, "1", m.Lower.String())

	total := &outcomes.Indicator{ID: "t", Unit: outcomes.UnitHours, ValueType: outcomes.ValueTotal}
	m = outcomes.Measurement{Indicator: "t", Value: dec("19069")}
	m.Interval(total)
	assert.Nil(t, m.Lower)
	assert.Empty(t, m.CIMethod)
}
