package outcomes

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// Warning is an inconsistency in a framework that is not an error: the
// framework still loads, but a person should look at it. Code says what
// kind it is.
type Warning struct {
	Indicator string `json:"indicator"`
	Field     string `json:"field"`
	Code      string `json:"code"`
	Message   string `json:"message"`
}

// String describes the warning.
func (w Warning) String() string { return fmt.Sprintf("%s: %s: %s", w.Indicator, w.Field, w.Message) }

// The warning codes.
const (
	// WarnStatedChange: the change the framework's text states does not
	// equal target − baseline (B3's dementia friends: 3750 − 2564 = 1186,
	// but the text says "an increase of 1180").
	WarnStatedChange = "stated-change"
	// WarnPolarity: the target is worse than the baseline for the
	// indicator's polarity.
	WarnPolarity = "polarity"
	// WarnTrajectory: the trajectory does not reach the target at the
	// target period (a compound rate or milestones that miss it).
	WarnTrajectory = "trajectory"
	// WarnBaselineAsOf: the baseline was measured at another time than its
	// period says (B3's care plan reviews: 70.7% from 2014/15 in the 2016
	// column).
	WarnBaselineAsOf = "baseline-as-of"
)

// check looks for inconsistencies in a framework's indicators and returns
// them ordered by indicator. It never changes anything.
func check(f *Framework, inds []*Indicator) []Warning {
	var out []Warning
	add := func(ind *Indicator, field, code, format string, args ...any) {
		out = append(out, Warning{Indicator: ind.ID, Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	for _, ind := range inds {
		b, t := ind.Baseline, ind.Target
		if b != nil && t.Set() {
			change := t.Value.Sub(b.Value)
			if ind.StatedChange != nil && !ind.StatedChange.Equal(change) {
				add(ind, "StatedChange", WarnStatedChange,
					"the framework states a change of %s (%q) but target %s − baseline %s = %s",
					signed(*ind.StatedChange), ind.StatedText, t.Value, b.Value, signed(change))
			}
			if s := ind.Polarity.sign(); s != 0 && change.Sign()*s < 0 {
				add(ind, "Target.Value", WarnPolarity,
					"the target %s is worse than the baseline %s for an indicator where %s", t.Value, b.Value, ind.Polarity)
			}
			if ind.Trajectory != nil {
				if v, ok := trajectoryAt(ind, t.Period); ok && !v.Equal(t.Value.Round(ind.Decimals)) {
					add(ind, "Trajectory", WarnTrajectory,
						"the %s trajectory reaches %s at %s, not the target %s", ind.Trajectory.Kind, v, t.Period, t.Value)
				}
			}
		}
		if b != nil && b.AsOf != "" {
			if p, err := ParsePeriod(b.AsOf); err == nil && (p.Start.Before(b.Period.Start) || !p.Start.Before(b.Period.End())) {
				add(ind, "Baseline.AsOf", WarnBaselineAsOf,
					"the baseline %s is shown for %s but was measured in %s", b.Value, b.Period, b.AsOf)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Indicator < out[j].Indicator })
	return out
}

// signed formats a change with its sign.
func signed(d decimal.Decimal) string {
	if d.IsNegative() {
		return d.String()
	}
	return "+" + d.String()
}
