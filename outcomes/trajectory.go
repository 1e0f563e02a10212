package outcomes

import (
	"github.com/shopspring/decimal"
)

// Trajectory is the path an indicator is expected to take from its
// baseline to its target, one value per period:
//
//   - Linear: equal steps from baseline to target (66.4% in 2016 to 67% in
//     2021 is 66.52, 66.64, 66.76, 66.88, 67.00);
//   - Step: the baseline until the target period, then the target ("25 by
//     February 2017");
//   - Compound: the baseline grown by Rate each period ("+10% a year"),
//     until End or the target period;
//   - Milestones: explicit values at given periods, straight lines between
//     them, starting from the baseline.
//
// Every value is computed in decimal from the baseline (never by adding up
// rounded steps) and rounded half away from zero to the indicator's
// Decimals. After the last period the trajectory holds its last value; End,
// when later than the target, carries it on to the framework's horizon.
type Trajectory struct {
	Kind       TrajectoryKind  `json:"kind"`
	Rate       decimal.Decimal `json:"rate,omitempty"` // Compound: growth per period, 0.10 for +10%
	Milestones []Point         `json:"milestones,omitempty"`
	End        Period          `json:"end,omitempty"`
}

// TrajectoryKind is the shape of a trajectory.
type TrajectoryKind string

// The trajectory kinds.
const (
	Linear     TrajectoryKind = "linear"
	Step       TrajectoryKind = "step"
	Compound   TrajectoryKind = "compound"
	Milestones TrajectoryKind = "milestones"
)

// Point is a value at a period.
type Point struct {
	Period Period          `json:"period"`
	Value  decimal.Decimal `json:"value"`
}

// maxTrajectory bounds the periods of one trajectory.
const maxTrajectory = 5000

func (tr *Trajectory) validate(ind *Indicator) error {
	if ind.Baseline == nil {
		return invalid("Kind", "a trajectory needs a baseline")
	}
	b := ind.Baseline.Period
	switch tr.Kind {
	case Linear, Step:
		if !ind.Target.Set() {
			return invalid("Kind", "a %s trajectory needs a target that is set", tr.Kind)
		}
	case Compound:
		if tr.Rate.LessThanOrEqual(decimal.NewFromInt(-1)) || tr.Rate.GreaterThan(decimal.NewFromInt(10)) {
			return invalid("Rate", "%s is not a growth rate above -1 and up to 10", tr.Rate)
		}
		if tr.End.IsZero() && !ind.Target.Set() {
			return invalid("End", "a compound trajectory needs an end or a target")
		}
	case Milestones:
		if len(tr.Milestones) == 0 {
			return invalid("Milestones", "are required")
		}
		prev := b
		for i, m := range tr.Milestones {
			if err := ind.checkPeriod("Milestones.Period", m.Period); err != nil {
				return err
			}
			if !prev.Before(m.Period) {
				return invalid("Milestones.Period", "milestone %d (%s) is not after %s", i+1, m.Period, prev)
			}
			if err := ind.checkValue("Milestones.Value", m.Value); err != nil {
				return err
			}
			prev = m.Period
		}
	default:
		return invalid("Kind", "%q is not linear, step, compound or milestones", tr.Kind)
	}
	if !tr.End.IsZero() {
		if err := ind.checkPeriod("End", tr.End); err != nil {
			return err
		}
		if !b.Before(tr.End) {
			return invalid("End", "%s is not after the baseline %s", tr.End, b)
		}
	}
	if last := trajectoryLast(ind); last.Index()-b.Index() > maxTrajectory {
		return invalid("End", "the trajectory is longer than %d periods", maxTrajectory)
	}
	return nil
}

// trajectoryLast returns the last period of ind's trajectory.
func trajectoryLast(ind *Indicator) Period {
	tr := ind.Trajectory
	last := ind.Baseline.Period
	later := func(p Period) {
		if !p.IsZero() && last.Before(p) {
			last = p
		}
	}
	if ind.Target.Set() {
		later(ind.Target.Period)
	}
	for _, m := range tr.Milestones {
		later(m.Period)
	}
	later(tr.End)
	return last
}

// TrajectoryPoints returns ind's trajectory, one point per period from the
// baseline period to the last period (the target, the last milestone or
// End, whichever is latest). It returns nil when ind has no trajectory.
// ind must be valid.
func TrajectoryPoints(ind *Indicator) []Point {
	if ind.Trajectory == nil || ind.Baseline == nil {
		return nil
	}
	b := ind.Baseline.Period
	n := trajectoryLast(ind).Index() - b.Index()
	out := make([]Point, 0, n+1)
	for k := int64(0); k <= n; k++ {
		p := b.Add(k)
		v, _ := trajectoryAt(ind, p)
		out = append(out, Point{Period: p, Value: v})
	}
	return out
}

// trajectoryAt returns the value ind's trajectory expects at period p, and
// false when there is none (no trajectory, p of another type, or p before
// the baseline). After the trajectory's last period it holds its last
// value.
func trajectoryAt(ind *Indicator, p Period) (decimal.Decimal, bool) {
	tr := ind.Trajectory
	if tr == nil || ind.Baseline == nil || p.Type != ind.Baseline.Period.Type {
		return decimal.Decimal{}, false
	}
	b := ind.Baseline
	k := p.Index() - b.Period.Index()
	if k < 0 {
		return decimal.Decimal{}, false
	}
	last := trajectoryLast(ind).Index() - b.Period.Index()
	k = min(k, last)
	round := func(v decimal.Decimal) (decimal.Decimal, bool) { return v.Round(ind.Decimals), true }
	switch tr.Kind {
	case Linear:
		n := ind.Target.Period.Index() - b.Period.Index()
		if k >= n {
			return round(ind.Target.Value)
		}
		return round(lerp(b.Value, ind.Target.Value, k, n))
	case Step:
		if p.Before(ind.Target.Period) {
			return round(b.Value)
		}
		return round(ind.Target.Value)
	case Compound:
		growth := decimal.NewFromInt(1).Add(tr.Rate).Pow(decimal.NewFromInt(k))
		return round(b.Value.Mul(growth))
	case Milestones:
		from := Point{Period: b.Period, Value: b.Value}
		for _, m := range tr.Milestones {
			mk := m.Period.Index() - b.Period.Index()
			if k <= mk {
				fk := from.Period.Index() - b.Period.Index()
				return round(lerp(from.Value, m.Value, k-fk, mk-fk))
			}
			from = m
		}
		return round(from.Value)
	}
	return decimal.Decimal{}, false
}

// lerp returns a + (b − a)·k/n, dividing last so nothing is lost to
// rounding before the end.
func lerp(a, b decimal.Decimal, k, n int64) decimal.Decimal {
	if n <= 0 {
		return b
	}
	return a.Add(b.Sub(a).Mul(decimal.NewFromInt(k)).Div(decimal.NewFromInt(n)))
}
