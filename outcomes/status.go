package outcomes

import (
	"math"

	"github.com/shopspring/decimal"
)

// Status is how an indicator stands for one area at its latest period:
// the value and its interval, what the trajectory expected, a RAG rating
// against the trajectory, the significance of the difference from the
// target (or the comparator), the direction of travel since the previous
// period, the trend over recent periods, and a forecast of whether the
// target will be met on current trend.
type Status struct {
	Indicator string           `json:"indicator"`
	Area      string           `json:"area"`
	Period    Period           `json:"period"`
	Value     *decimal.Decimal `json:"value,omitempty"`
	Lower     *decimal.Decimal `json:"lower,omitempty"`
	Upper     *decimal.Decimal `json:"upper,omitempty"`
	Expected  *decimal.Decimal `json:"expected,omitempty"`
	Target    TargetStatus     `json:"target,omitempty"` // "" when there is no target
	RAG       RAG              `json:"rag"`
	// Significance compares the interval with the target (or, without
	// one, the comparator's value for the same period).
	Significance Significance `json:"significance"`
	ComparedWith string       `json:"comparedWith,omitempty"` // "target" or the comparator's area code
	Direction    Direction    `json:"direction"`
	Trend        Trend        `json:"trend"`
	Forecast     Forecast     `json:"forecast"`
}

// RAG is a red, amber or green rating; None when an indicator is not rated.
type RAG string

// The ratings.
const (
	Green RAG = "green"
	Amber RAG = "amber"
	Red   RAG = "red"
	// None: no value, no trajectory, a target to be confirmed, or no
	// judgement polarity.
	None RAG = "none"
)

// Significance is how a value compares with a benchmark given its
// confidence interval, in Fingertips' words.
type Significance string

// The significance results. Better and Worse need a polarity; Higher and
// Lower are used for no-judgement indicators.
const (
	Better      Significance = "better"
	Similar     Significance = "similar"
	Worse       Significance = "worse"
	Higher      Significance = "higher"
	Lower       Significance = "lower"
	NotCompared Significance = "not-compared" // no interval or no benchmark
)

// Direction is the change since the previous period.
type Direction string

// The directions of travel.
const (
	Improving  Direction = "improving"
	Worsening  Direction = "worsening"
	Unchanged  Direction = "unchanged"
	Increased  Direction = "increased" // no-judgement indicators
	Decreased  Direction = "decreased"
	NoPrevious Direction = "no-previous"
)

// MinTrendPoints is the fewest points a trend is computed from: with five
// points the Mann–Kendall test can just reach significance at the 5% level
// (a strictly monotone series gives p ≈ 0.027); with fewer it never can.
const MinTrendPoints = 5

// trendWindow is the most recent points the trend test uses.
const trendWindow = 10

// Trend is the result of the Mann–Kendall test for a monotonic trend over
// the last Points values (at most trendWindow, at least MinTrendPoints):
// S is the Mann–Kendall statistic, Z its normal approximation with the
// continuity correction and the variance corrected for ties, P the
// two-sided p-value. Result is significant at the 5% level or
// NoSignificantChange; NotEnoughPoints with fewer than MinTrendPoints.
type Trend struct {
	Test   string      `json:"test"`
	Points int         `json:"points"`
	S      int         `json:"s"`
	Z      float64     `json:"z"`
	P      float64     `json:"p"`
	Result TrendResult `json:"result"`
}

// TrendResult is the outcome of a trend test.
type TrendResult string

// The trend results.
const (
	TrendImproving      TrendResult = "improving"
	TrendWorsening      TrendResult = "worsening"
	TrendIncreasing     TrendResult = "increasing" // no-judgement indicators
	TrendDecreasing     TrendResult = "decreasing"
	NoSignificantChange TrendResult = "no-significant-change"
	NotEnoughPoints     TrendResult = "not-enough-points"
)

// Forecast extrapolates the least-squares line through the trend's points
// to the target period and says whether the target would be met. Value is
// rounded to the indicator's Decimals. Meets is Yes, No, Met (the target
// period has passed and the latest value meets it), Missed, or Unknown
// (no target, fewer than three points, or no judgement polarity).
type Forecast struct {
	Value  *decimal.Decimal `json:"value,omitempty"`
	Period Period           `json:"period,omitempty"`
	Meets  Outlook          `json:"meets"`
}

// Outlook is a forecast's verdict.
type Outlook string

// The outlooks.
const (
	Yes     Outlook = "yes"
	No      Outlook = "no"
	Met     Outlook = "met"
	Missed  Outlook = "missed"
	Unknown Outlook = "unknown"
)

// Assess computes the status of ind for one area from its series (the
// area's measurements, ordered by period) and, when ind has a comparator
// area, that area's series. It needs no store, so other domains and tests
// call it directly. An empty series gives a status with no value.
func Assess(ind *Indicator, policy Policy, series, comparator []*Measurement) Status {
	st := Status{Indicator: ind.ID, RAG: None, Significance: NotCompared, Direction: NoPrevious,
		Trend: Trend{Test: "mann-kendall", Result: NotEnoughPoints}, Forecast: Forecast{Meets: Unknown}}
	if ind.Target != nil {
		st.Target = ind.Target.Status
	}
	if len(series) == 0 {
		return st
	}
	last := series[len(series)-1]
	st.Area, st.Period = last.Area, last.Period
	v := last.Value
	st.Value, st.Lower, st.Upper = &v, cloneDec(last.Lower), cloneDec(last.Upper)
	sign := ind.Polarity.sign()

	// RAG against the trajectory.
	if exp, ok := trajectoryAt(ind, last.Period); ok {
		st.Expected = &exp
		if sign != 0 && (ind.Target == nil || ind.Target.Set()) {
			st.RAG = rag(ind, policy, v, exp)
		}
	}

	// Significance against the target, else the comparator.
	if ind.Target.Set() {
		st.ComparedWith = "target"
		st.Significance = significance(sign, last, ind.Target.Value)
	} else if ind.Comparator != "" {
		for _, c := range comparator {
			if c.Period.Equal(last.Period) {
				st.ComparedWith = ind.Comparator
				st.Significance = significance(sign, last, c.Value)
			}
		}
	}

	// Direction of travel.
	if len(series) > 1 {
		st.Direction = direction(sign, v.Cmp(series[len(series)-2].Value))
	}

	// Trend and forecast over the window.
	window := series[max(0, len(series)-trendWindow):]
	st.Trend = mannKendall(sign, window)
	st.Forecast = forecast(ind, window)
	return st
}

// rag rates value v against the expected value exp.
func rag(ind *Indicator, policy Policy, v, exp decimal.Decimal) RAG {
	shortfall := exp.Sub(v) // how far below the trajectory
	if ind.Polarity == LowerIsBetter {
		shortfall = shortfall.Neg()
	}
	if !shortfall.IsPositive() {
		return Green
	}
	gap := exp.Abs()
	if ind.Baseline != nil && ind.Target.Set() && !ind.Target.Value.Equal(ind.Baseline.Value) {
		gap = ind.Target.Value.Sub(ind.Baseline.Value).Abs()
	}
	if shortfall.LessThanOrEqual(gap.Mul(policy.AmberShare)) {
		return Amber
	}
	return Red
}

// significance compares m's interval with a benchmark value.
func significance(sign int, m *Measurement, bench decimal.Decimal) Significance {
	if m.Lower == nil || m.Upper == nil {
		return NotCompared
	}
	var c int
	switch {
	case m.Lower.GreaterThan(bench):
		c = 1
	case m.Upper.LessThan(bench):
		c = -1
	default:
		return Similar
	}
	switch {
	case sign == 0 && c > 0:
		return Higher
	case sign == 0:
		return Lower
	case c*sign > 0:
		return Better
	}
	return Worse
}

// direction names a change c (−1, 0, +1) for a polarity.
func direction(sign, c int) Direction {
	switch {
	case c == 0:
		return Unchanged
	case sign == 0 && c > 0:
		return Increased
	case sign == 0:
		return Decreased
	case c*sign > 0:
		return Improving
	}
	return Worsening
}

// mannKendall runs the Mann–Kendall trend test over the series.
func mannKendall(sign int, series []*Measurement) Trend {
	t := Trend{Test: "mann-kendall", Points: len(series), Result: NotEnoughPoints}
	n := len(series)
	if n < MinTrendPoints {
		return t
	}
	x := make([]float64, n)
	for i, m := range series {
		x[i] = m.Value.InexactFloat64()
	}
	s := 0
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			switch {
			case x[j] > x[i]:
				s++
			case x[j] < x[i]:
				s--
			}
		}
	}
	// Variance with the correction for tied groups.
	fn := float64(n)
	variance := fn * (fn - 1) * (2*fn + 5)
	counts := map[float64]int{}
	for _, v := range x {
		counts[v]++
	}
	for _, c := range counts {
		if c > 1 {
			fc := float64(c)
			variance -= fc * (fc - 1) * (2*fc + 5)
		}
	}
	variance /= 18
	t.S = s
	switch {
	case variance <= 0 || s == 0:
		t.Z = 0
	case s > 0:
		t.Z = (float64(s) - 1) / math.Sqrt(variance)
	default:
		t.Z = (float64(s) + 1) / math.Sqrt(variance)
	}
	t.P = normalP(t.Z)
	t.Result = NoSignificantChange
	if t.P < 0.05 && s != 0 {
		up := s > 0
		switch {
		case sign == 0 && up:
			t.Result = TrendIncreasing
		case sign == 0:
			t.Result = TrendDecreasing
		case up == (sign > 0):
			t.Result = TrendImproving
		default:
			t.Result = TrendWorsening
		}
	}
	return t
}

// forecast extrapolates the series to the target period.
func forecast(ind *Indicator, series []*Measurement) Forecast {
	f := Forecast{Meets: Unknown}
	sign := ind.Polarity.sign()
	if !ind.Target.Set() || sign == 0 || len(series) == 0 {
		return f
	}
	tgt := ind.Target
	last := series[len(series)-1]
	meets := func(v decimal.Decimal) bool { return v.Cmp(tgt.Value)*sign >= 0 }
	if !last.Period.Before(tgt.Period) {
		f.Period = last.Period
		f.Value = &last.Value
		if meets(last.Value) {
			f.Meets = Met
		} else {
			f.Meets = Missed
		}
		return f
	}
	if len(series) < 3 {
		return f
	}
	// Least squares of value on period index.
	var sx, sy, sxx, sxy float64
	n := float64(len(series))
	x0 := float64(series[0].Period.Index())
	for _, m := range series {
		x := float64(m.Period.Index()) - x0
		y := m.Value.InexactFloat64()
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	den := n*sxx - sx*sx
	if den == 0 {
		return f
	}
	slope := (n*sxy - sx*sy) / den
	icept := (sy - slope*sx) / n
	at := icept + slope*(float64(tgt.Period.Index())-x0)
	if math.IsNaN(at) || math.IsInf(at, 0) || math.Abs(at) > 1e15 {
		return f
	}
	v := decimal.NewFromFloat(at).Round(ind.Decimals)
	f.Value, f.Period = &v, tgt.Period
	if meets(v) {
		f.Meets = Yes
	} else {
		f.Meets = No
	}
	return f
}
