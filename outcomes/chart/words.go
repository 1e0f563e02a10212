package chart

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes"
)

// This file writes a row's status in plain English, for a report or a
// dashboard card, so that both say the same thing in the same words.

// BaselineOnly reports whether the row holds nothing but its published
// baseline: one value, for the baseline's period. Such a row is not yet
// assessed, whatever its RAG.
func BaselineOnly(row *outcomes.Row) bool {
	ind := row.Indicator
	if ind == nil || ind.Baseline == nil || len(row.Series) != 1 || row.Series[0] == nil {
		return false
	}
	m := row.Series[0]
	return m.Period.Equal(ind.Baseline.Period) && m.Value.Equal(ind.Baseline.Value)
}

// Rating is the row's rating in words: "Green", "Amber" or "Red"; "Not
// yet assessed" for a row holding only its baseline or no value; "Not
// rated" for an indicator that is not judged against a trajectory.
func Rating(row *outcomes.Row) string {
	if len(row.Series) == 0 || BaselineOnly(row) {
		return "Not yet assessed"
	}
	switch row.Status.RAG {
	case outcomes.Green:
		return "Green"
	case outcomes.Amber:
		return "Amber"
	case outcomes.Red:
		return "Red"
	}
	return "Not rated"
}

// RatingRule states the RAG rule of policy once, in words.
func RatingRule(policy outcomes.Policy) string {
	share := policy.AmberShare.Mul(decimal.NewFromInt(100)).String()
	return "Green: the latest value is on or better than the value the trajectory expects for its period. " +
		"Amber: short of it by no more than " + share + "% of the gap between the baseline and the target. " +
		"Red: further short. Not yet assessed: only the baseline has been recorded. " +
		"Not rated: no trajectory, a target still to be confirmed, or an indicator with no better direction."
}

// Latest writes the row's latest value with its period, its numerator
// and denominator and its 95% interval where it has them: "50.0% in
// 2017/18 Q2 (1 of 2; 95% CI 9.5% to 90.5%)".
func Latest(row *outcomes.Row) string {
	if len(row.Series) == 0 || row.Series[len(row.Series)-1] == nil {
		return "no value yet"
	}
	ind, m := row.Indicator, row.Series[len(row.Series)-1]
	s := Value(ind, m.Value) + " in " + PeriodLabel(m.Period)
	var extra []string
	if m.Count != nil && m.Denominator != nil {
		extra = append(extra, group(m.Count.String())+" of "+group(m.Denominator.String()))
	}
	if m.Lower != nil && m.Upper != nil {
		extra = append(extra, "95% CI "+interval(ind, m.Lower, m.Upper))
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, "; ") + ")"
	}
	return s
}

// Change says how the latest value compares with the one before, using
// "improving" or "worsening" only when the two 95% intervals do not
// overlap: "only one period so far", "no significant change since
// 2017/18 Q1", "improving since 2017/18 Q1", or, without intervals,
// "higher than in 2015/16 Q3 (no interval to test)".
func Change(row *outcomes.Row) string {
	n := len(row.Series)
	if n < 2 || row.Series[n-1] == nil || row.Series[n-2] == nil {
		return "only one period so far"
	}
	ind, cur, prev := row.Indicator, row.Series[n-1], row.Series[n-2]
	since := PeriodLabel(prev.Period)
	c := cur.Value.Cmp(prev.Value)
	if cur.Lower == nil || cur.Upper == nil || prev.Lower == nil || prev.Upper == nil {
		switch c {
		case 1:
			return "higher than in " + since + " (no interval to test)"
		case -1:
			return "lower than in " + since + " (no interval to test)"
		}
		return "the same as in " + since
	}
	if !cur.Lower.GreaterThan(*prev.Upper) && !cur.Upper.LessThan(*prev.Lower) {
		return "no significant change since " + since
	}
	better := c
	switch ind.Polarity {
	case outcomes.LowerIsBetter:
		better = -c
	case outcomes.HigherIsBetter:
	default:
		if c > 0 {
			return "significantly higher than in " + since
		}
		return "significantly lower than in " + since
	}
	if better > 0 {
		return "improving since " + since
	}
	return "worsening since " + since
}

// TrendText writes the Mann–Kendall trend in words: "only 2 periods so
// far (a trend needs 5)", "no significant change over 5 periods" or
// "improving over 6 periods (p = 0.024)".
func TrendText(row *outcomes.Row) string {
	t := row.Status.Trend
	n := len(row.Series)
	switch t.Result {
	case outcomes.NotEnoughPoints, "":
		if n == 1 {
			return fmt.Sprintf("only one period so far (a trend needs %d)", outcomes.MinTrendPoints)
		}
		return fmt.Sprintf("only %d periods so far (a trend needs %d)", n, outcomes.MinTrendPoints)
	case outcomes.NoSignificantChange:
		return fmt.Sprintf("no significant change over %d periods", t.Points)
	}
	return fmt.Sprintf("%s over %d periods (p = %.3f)", t.Result, t.Points, t.P)
}

// TargetText writes the target with its real date where the framework
// gives one ("25 by February 2017"): "25 (25 by February 2017), judged
// in 2017", "to be confirmed" or "none".
func TargetText(ind *outcomes.Indicator) string {
	switch {
	case ind.Target.Set():
		s := Value(ind, ind.Target.Value) + " by " + PeriodLabel(ind.Target.Period)
		if ind.Target.Note != "" {
			s += " (" + ind.Target.Note + ")"
		}
		return s
	case ind.Target != nil:
		return "to be confirmed"
	}
	return "none"
}

// Outlook writes the forecast against the target in words: "target met
// in 2015/16 Q4", "target missed: 2,204 h in 2015/16 Q4", "on course:
// 2,300 forecast for 2017", "not on course", or why there is none.
func Outlook(row *outcomes.Row) string {
	ind, f := row.Indicator, row.Status.Forecast
	val := func() string {
		if f.Value == nil {
			return ""
		}
		return Value(ind, *f.Value) + " "
	}
	switch f.Meets {
	case outcomes.Met:
		return "target met: " + val() + "in " + PeriodLabel(f.Period)
	case outcomes.Missed:
		return "target missed: " + val() + "in " + PeriodLabel(f.Period)
	case outcomes.Yes:
		return "on course: " + val() + "forecast for " + PeriodLabel(f.Period)
	case outcomes.No:
		return "not on course: " + val() + "forecast for " + PeriodLabel(f.Period)
	}
	switch {
	case !ind.Target.Set():
		return "no forecast: no target set"
	case len(row.Series) < 3:
		return "no forecast: fewer than 3 periods"
	}
	return "no forecast"
}
