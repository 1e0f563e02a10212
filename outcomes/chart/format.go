package chart

import (
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes"
)

// PeriodLabel writes a period as the documents write it: "2016",
// "2016/17", "2016/17 Q3", "Apr 2016" or "30 Apr 2016". Years and quarters
// are outcomes.Period's own text form; months and days are written in
// words rather than as "2016-04".
func PeriodLabel(p outcomes.Period) string {
	switch p.Type {
	case outcomes.Month:
		return p.Start.Format("Jan 2006")
	case outcomes.PointInTime:
		return p.Start.Format("2 Jan 2006")
	}
	return p.String()
}

// Value writes a value of ind with its unit and thousands separators
// ("66.40%", "2,564", "£1,250.00"), to the indicator's Decimals as
// outcomes.Format does.
func Value(ind *outcomes.Indicator, v decimal.Decimal) string {
	return group(outcomes.Format(ind, v))
}

// group puts thousands separators into the first run of digits of s.
func group(s string) string {
	start := strings.IndexAny(s, "0123456789")
	if start < 0 {
		return s
	}
	end := start
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	digits := s[start:end]
	if len(digits) < 4 {
		return s
	}
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return s[:start] + b.String() + s[end:]
}

// interval writes a 95% interval as "64.30% to 68.41%", to the
// indicator's Decimals.
func interval(ind *outcomes.Indicator, lo, hi *decimal.Decimal) string {
	if lo == nil || hi == nil {
		return ""
	}
	return Value(ind, *lo) + " to " + Value(ind, *hi)
}

// axisUnit is the y axis's unit, written above it.
func axisUnit(ind *outcomes.Indicator) string {
	switch ind.Unit {
	case outcomes.UnitPercentage:
		return "%"
	case outcomes.UnitMoney:
		return "£"
	case outcomes.UnitHours:
		return "Hours"
	case outcomes.UnitRate:
		return "Rate per " + group(strconv.FormatInt(ind.Per, 10))
	}
	return "Count"
}

// tick writes an axis value to the places the step needs, with the unit's
// sign and thousands separators: "66%", "3,750", "£1.5".
func tick(ind *outcomes.Indicator, v float64, places int) string {
	if math.Abs(v) < 1e-9 {
		v = 0
	}
	s := group(strconv.FormatFloat(v, 'f', places, 64))
	switch ind.Unit {
	case outcomes.UnitPercentage:
		return s + "%"
	case outcomes.UnitMoney:
		if strings.HasPrefix(s, "-") {
			return "−£" + s[1:]
		}
		return "£" + s
	}
	return s
}

// niceStep returns a step of 1, 2, 2.5 or 5 × 10ⁿ near span/n, and the
// decimal places it needs.
func niceStep(span float64, n int) (float64, int) {
	raw := span / float64(n)
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1, 0
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	var step float64
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * mag
		if step >= raw {
			break
		}
	}
	places := 0
	for p := 0; p < 8; p++ {
		if math.Abs(step*math.Pow(10, float64(p))-math.Round(step*math.Pow(10, float64(p)))) < 1e-6 {
			places = p
			break
		}
	}
	return step, places
}

// The comparison colours, as Fingertips publishes them.
const (
	ColourBetter  = "#00703C"
	ColourSimilar = "#FFDD00"
	ColourWorse   = "#D4351C"
	ColourLower   = "#5694CA"
	ColourHigher  = "#003078"
	// ColourNotCompared is the border of a point that was not compared;
	// it has no fill.
	ColourNotCompared = "#0B0C0C"
)

// Colour is the fill of a point with comparison s: Fingertips' colour, or
// "none" for NotCompared (drawn with a black border only).
func Colour(s outcomes.Significance) string {
	switch s {
	case outcomes.Better:
		return ColourBetter
	case outcomes.Similar:
		return ColourSimilar
	case outcomes.Worse:
		return ColourWorse
	case outcomes.Lower:
		return ColourLower
	case outcomes.Higher:
		return ColourHigher
	}
	return "none"
}

// compare compares a value's interval with a benchmark, as Fingertips
// does (and outcomes.Assess for the latest value): the benchmark outside
// the interval is a significant difference, which polarity calls better
// or worse, or, with no polarity, higher or lower.
func compare(pol outcomes.Polarity, lo, hi *decimal.Decimal, bench *decimal.Decimal) outcomes.Significance {
	if lo == nil || hi == nil || bench == nil {
		return outcomes.NotCompared
	}
	var c int
	switch {
	case lo.GreaterThan(*bench):
		c = 1
	case hi.LessThan(*bench):
		c = -1
	default:
		return outcomes.Similar
	}
	switch pol {
	case outcomes.HigherIsBetter:
		if c > 0 {
			return outcomes.Better
		}
		return outcomes.Worse
	case outcomes.LowerIsBetter:
		if c < 0 {
			return outcomes.Better
		}
		return outcomes.Worse
	}
	if c > 0 {
		return outcomes.Higher
	}
	return outcomes.Lower
}

// ComparisonText names a comparison in plain words: "better than the
// target", "similar to England", "not compared (no interval)".
func ComparisonText(s outcomes.Significance, with string) string {
	switch s {
	case outcomes.Better:
		return "better than " + with
	case outcomes.Worse:
		return "worse than " + with
	case outcomes.Similar:
		return "similar to " + with
	case outcomes.Higher:
		return "higher than " + with
	case outcomes.Lower:
		return "lower than " + with
	}
	return "not compared"
}

// comparisonName is a comparison's legend name.
func comparisonName(s outcomes.Significance) string {
	switch s {
	case outcomes.Better:
		return "Better"
	case outcomes.Worse:
		return "Worse"
	case outcomes.Similar:
		return "Similar"
	case outcomes.Higher:
		return "Higher"
	case outcomes.Lower:
		return "Lower"
	}
	return "Not compared"
}
