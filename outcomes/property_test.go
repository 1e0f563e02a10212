package outcomes_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/outcomes"
)

// propertyCases is how many random cases each property runs.
func propertyCases() int {
	if testing.Short() {
		return 60
	}
	return 400
}

// rng returns the random source of a property: seeded, so a failure is
// reproduced by running the test again.
func rng(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x6f7574636f6d6573)) }

// anchors are a period of each type to build trajectories from.
var anchors = []outcomes.Period{
	outcomes.MustPeriod("2016"),
	outcomes.MustPeriod("2016/17"),
	outcomes.MustPeriod("2016/17 Q1"),
	outcomes.MustPeriod("2016-04"),
	outcomes.MustPeriod("2016-04-30"),
}

// randValue returns a value with the given places: from 0 to 100 for a
// percentage, to 100,000 otherwise.
func randValue(r *rand.Rand, unit outcomes.Unit, places int32) decimal.Decimal {
	top := int64(100_000)
	if unit == outcomes.UnitPercentage {
		top = 100
	}
	scale := int64(math.Pow10(int(places)))
	return decimal.New(r.Int64N(top*scale+1), -places)
}

// randIndicator returns a valid indicator with a random trajectory of the
// given kind: random period type, precision, unit, polarity, baseline,
// target, rate, milestones and end.
func randIndicator(r *rand.Rand, kind outcomes.TrajectoryKind) *outcomes.Indicator {
	base := anchors[r.IntN(len(anchors))].Add(r.Int64N(21) - 10)
	ind := &outcomes.Indicator{ID: "p", Framework: "pf", Title: "Property", PeriodType: base.Type,
		Decimals: int32(r.IntN(5)), Polarity: []outcomes.Polarity{outcomes.HigherIsBetter, outcomes.LowerIsBetter}[r.IntN(2)]}
	if kind != outcomes.Compound && r.IntN(2) == 0 {
		ind.Unit, ind.ValueType = outcomes.UnitPercentage, outcomes.ValueProportion
	} else {
		ind.Unit, ind.ValueType = outcomes.UnitHours, outcomes.ValueTotal
	}
	// The baseline and target are written to the framework's precision,
	// or sometimes to a place more, which the trajectory rounds.
	places := ind.Decimals + int32(r.IntN(4)/3)
	ind.Baseline = &outcomes.Baseline{Value: randValue(r, ind.Unit, places), Period: base}
	target := func() {
		ind.Target = &outcomes.Target{Status: outcomes.TargetSet, Value: randValue(r, ind.Unit, places), Period: base.Add(1 + r.Int64N(20))}
		if r.IntN(4) == 0 { // a target equal to the baseline
			ind.Target.Value = ind.Baseline.Value
		}
	}
	tr := &outcomes.Trajectory{Kind: kind}
	last := base
	switch kind {
	case outcomes.Linear, outcomes.Step:
		target()
		last = ind.Target.Period
	case outcomes.Compound:
		tr.Rate = decimal.New(r.Int64N(61)-30, -2) // −30% to +30% a period
		if r.IntN(2) == 0 {
			target()
			last = ind.Target.Period
		} else {
			tr.End = base.Add(1 + r.Int64N(20))
			last = tr.End
		}
	case outcomes.Milestones:
		p := base
		for range 1 + r.IntN(4) {
			p = p.Add(1 + r.Int64N(6))
			tr.Milestones = append(tr.Milestones, outcomes.Point{Period: p, Value: randValue(r, ind.Unit, places)})
		}
		last = p
		if r.IntN(2) == 0 {
			ind.Target = &outcomes.Target{Status: outcomes.TargetSet, Value: tr.Milestones[len(tr.Milestones)-1].Value, Period: p}
		}
	}
	if r.IntN(3) == 0 && tr.End.IsZero() {
		tr.End = last.Add(1 + r.Int64N(5))
	}
	ind.Trajectory = tr
	return ind
}

// describe prints an indicator's trajectory inputs for a failure message.
func describe(ind *outcomes.Indicator) string {
	s := fmt.Sprintf("kind=%s unit=%s decimals=%d baseline=%s@%s", ind.Trajectory.Kind, ind.Unit, ind.Decimals,
		ind.Baseline.Value, ind.Baseline.Period)
	if ind.Target.Set() {
		s += fmt.Sprintf(" target=%s@%s", ind.Target.Value, ind.Target.Period)
	}
	if ind.Trajectory.Kind == outcomes.Compound {
		s += " rate=" + ind.Trajectory.Rate.String()
	}
	for _, m := range ind.Trajectory.Milestones {
		s += fmt.Sprintf(" milestone=%s@%s", m.Value, m.Period)
	}
	if !ind.Trajectory.End.IsZero() {
		s += " end=" + ind.Trajectory.End.String()
	}
	return s
}

// roundRat rounds an exact rational half away from zero to places, the
// rounding the framework states, independently of the decimal package.
func roundRat(x *big.Rat, places int32) decimal.Decimal {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	y := new(big.Rat).Mul(x, new(big.Rat).SetInt(scale))
	neg := y.Sign() < 0
	y.Abs(y)
	// floor(y + 1/2)
	y.Add(y, big.NewRat(1, 2))
	q := new(big.Int).Quo(y.Num(), y.Denom())
	if neg {
		q.Neg(q)
	}
	return decimal.NewFromBigInt(q, -places)
}

func rat(d decimal.Decimal) *big.Rat { return d.Rat() }

// exactLerp is a + (b − a)·k/n, exactly.
func exactLerp(a, b decimal.Decimal, k, n int64) *big.Rat {
	x := new(big.Rat).Sub(rat(b), rat(a))
	x.Mul(x, big.NewRat(k, n))
	return x.Add(x, rat(a))
}

// TestPropertyTrajectory checks, for random trajectories of every kind,
// that the points run one per period from the baseline, agree with
// TrajectoryAt, are rounded to the indicator's Decimals, start at the
// baseline, pass through the target (linear, step) or each milestone,
// move monotonically between them, hold their last value afterwards, and
// equal the exact value (computed here with big.Rat) rounded half away
// from zero — never a sum of rounded steps.
func TestPropertyTrajectory(t *testing.T) {
	for _, kind := range []outcomes.TrajectoryKind{outcomes.Linear, outcomes.Step, outcomes.Compound, outcomes.Milestones} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			r := rng(uint64(len(kind)))
			for i := range propertyCases() {
				ind := randIndicator(r, kind)
				if err := ind.Validate(); err != nil {
					t.Fatalf("case %d: generated an invalid indicator (%s): %v", i, describe(ind), err)
				}
				if msg := checkTrajectory(ind); msg != "" {
					t.Fatalf("case %d: %s\n  inputs: %s", i, msg, describe(ind))
				}
			}
		})
	}
}

// checkTrajectory returns what is wrong with ind's trajectory, or "".
func checkTrajectory(ind *outcomes.Indicator) string {
	pts := outcomes.TrajectoryPoints(ind)
	b := ind.Baseline
	d := ind.Decimals
	bi := b.Period.Index()
	if len(pts) == 0 {
		return "no points"
	}
	lastIdx := pts[len(pts)-1].Period.Index()
	for k, p := range pts {
		if p.Period.Index() != bi+int64(k) || p.Period.Type != b.Period.Type {
			return fmt.Sprintf("point %d is at %s, not %d periods after the baseline", k, p.Period, k)
		}
		if !p.Value.Equal(p.Value.Round(d)) {
			return fmt.Sprintf("point %s = %s is not rounded to %d places", p.Period, p.Value, d)
		}
		at, ok := outcomes.TrajectoryAt(ind, p.Period)
		if !ok || !at.Equal(p.Value) {
			return fmt.Sprintf("TrajectoryAt(%s) = %s, %v; TrajectoryPoints has %s", p.Period, at, ok, p.Value)
		}
	}
	// Before the baseline there is nothing; after the end, the last value.
	if _, ok := outcomes.TrajectoryAt(ind, b.Period.Add(-1)); ok {
		return "TrajectoryAt gives a value before the baseline"
	}
	if after, ok := outcomes.TrajectoryAt(ind, b.Period.Add(int64(len(pts))+3)); !ok || !after.Equal(pts[len(pts)-1].Value) {
		return fmt.Sprintf("after the end TrajectoryAt = %s, %v, not the last value %s", after, ok, pts[len(pts)-1].Value)
	}
	if !pts[0].Value.Equal(b.Value.Round(d)) {
		return fmt.Sprintf("starts at %s, not the baseline %s", pts[0].Value, b.Value.Round(d))
	}
	value := func(p outcomes.Period) decimal.Decimal { return pts[p.Index()-bi].Value }

	// anchors are the points the trajectory must pass through, in order;
	// between two it must be the exact straight line (or, for step and
	// compound, their own formula), rounded.
	type anchor struct {
		p outcomes.Period
		v decimal.Decimal
	}
	var through []anchor
	exact := func(k int64) *big.Rat { return nil }
	tr := ind.Trajectory
	switch tr.Kind {
	case outcomes.Linear:
		n := ind.Target.Period.Index() - bi
		through = []anchor{{b.Period, b.Value}, {ind.Target.Period, ind.Target.Value}}
		exact = func(k int64) *big.Rat { return exactLerp(b.Value, ind.Target.Value, min(k, n), n) }
	case outcomes.Step:
		through = []anchor{{b.Period, b.Value}, {ind.Target.Period.Add(-1), b.Value}, {ind.Target.Period, ind.Target.Value}}
		n := ind.Target.Period.Index() - bi
		exact = func(k int64) *big.Rat {
			if k < n {
				return rat(b.Value)
			}
			return rat(ind.Target.Value)
		}
	case outcomes.Compound:
		through = []anchor{{b.Period, b.Value}}
		growth := new(big.Rat).Add(big.NewRat(1, 1), rat(tr.Rate))
		exact = func(k int64) *big.Rat {
			x := rat(b.Value)
			for range min(k, lastIdx-bi) {
				x.Mul(x, growth)
			}
			return x
		}
	case outcomes.Milestones:
		through = []anchor{{b.Period, b.Value}}
		for _, m := range tr.Milestones {
			through = append(through, anchor{m.Period, m.Value})
		}
		exact = func(k int64) *big.Rat {
			for j := 1; j < len(through); j++ {
				fk, mk := through[j-1].p.Index()-bi, through[j].p.Index()-bi
				if k <= mk {
					return exactLerp(through[j-1].v, through[j].v, k-fk, mk-fk)
				}
			}
			return rat(through[len(through)-1].v)
		}
	}
	for k, p := range pts {
		if want := roundRat(exact(int64(k)), d); !p.Value.Equal(want) {
			return fmt.Sprintf("point %s = %s, but the exact value rounded to %d places is %s", p.Period, p.Value, d, want)
		}
	}
	for _, a := range through {
		if got := value(a.p); !got.Equal(a.v.Round(d)) {
			return fmt.Sprintf("at %s the trajectory is %s, not %s", a.p, got, a.v.Round(d))
		}
	}
	// Monotone between consecutive anchors, in the direction from one to
	// the next; flat between equal ones.
	for j := 1; j < len(through); j++ {
		from, to := through[j-1], through[j]
		dir := to.v.Cmp(from.v)
		for q := from.p; q.Before(to.p); q = q.Add(1) {
			if step := value(q.Add(1)).Cmp(value(q)); step != 0 && step != dir {
				return fmt.Sprintf("from %s to %s the trajectory goes %s → %s, against the direction %s → %s",
					q, q.Add(1), value(q), value(q.Add(1)), from.v, to.v)
			}
		}
	}
	if tr.Kind == outcomes.Compound {
		dir := tr.Rate.Sign()
		if b.Value.IsZero() {
			dir = 0
		}
		for k := 1; k < len(pts); k++ {
			if step := pts[k].Value.Cmp(pts[k-1].Value); step != 0 && step != dir {
				return fmt.Sprintf("a compound trajectory at rate %s goes %s → %s at %s", tr.Rate, pts[k-1].Value, pts[k].Value, pts[k].Period)
			}
		}
	}
	// After the last anchor (linear: the target) the value holds.
	if tr.Kind != outcomes.Compound {
		end := through[len(through)-1]
		for q := end.p; q.Index() <= lastIdx; q = q.Add(1) {
			if !value(q).Equal(end.v.Round(d)) {
				return fmt.Sprintf("after %s the trajectory moves to %s at %s", end.p, value(q), q)
			}
		}
	}
	return ""
}

// TestPropertyWilson checks the Wilson score interval for random k of n:
// it lies within [0, 1], contains k/n, and narrows as n grows for a fixed
// proportion; and Measurement.Interval, which writes it as a percentage,
// keeps it within [0, 100] around the value.
func TestPropertyWilson(t *testing.T) {
	r := rng(1)
	for i := range propertyCases() {
		n := 1 + r.Int64N([]int64{10, 1000, 10_000_000}[r.IntN(3)])
		k := r.Int64N(n + 1)
		p := float64(k) / float64(n)
		lo, hi := outcomes.Wilson(float64(k), float64(n))
		if !(0 <= lo && lo <= p && p <= hi && hi <= 1) {
			t.Fatalf("case %d: Wilson(%d, %d) = [%v, %v] does not hold %v within [0, 1]", i, k, n, lo, hi, p)
		}
		// The same proportion of m times the trials is no wider.
		m := 2 + r.Int64N(50)
		lo2, hi2 := outcomes.Wilson(float64(k*m), float64(n*m))
		if hi2-lo2 > (hi-lo)*(1+1e-12) {
			t.Fatalf("case %d: Wilson(%d, %d) is %v wide, wider than Wilson(%d, %d) at %v", i, k*m, n*m, hi2-lo2, k, n, hi-lo)
		}
		if !(lo2 <= p && p <= hi2) {
			t.Fatalf("case %d: Wilson(%d, %d) = [%v, %v] does not hold %v", i, k*m, n*m, lo2, hi2, p)
		}

		// As Measurement.Interval computes it for a percentage indicator.
		ind := &outcomes.Indicator{Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion, Decimals: int32(r.IntN(4))}
		cnt, den := decimal.NewFromInt(k), decimal.NewFromInt(n)
		value := cnt.Mul(hundred).Div(den).Round(ind.Decimals + 1)
		ms := &outcomes.Measurement{Value: value, Count: &cnt, Denominator: &den}
		ms.Interval(ind)
		if ms.Lower == nil || ms.Upper == nil || ms.CIMethod != outcomes.MethodWilson {
			t.Fatalf("case %d: no Wilson interval for %d of %d", i, k, n)
		}
		if ms.Lower.IsNegative() || ms.Upper.GreaterThan(hundred) || ms.Lower.GreaterThan(value) || ms.Upper.LessThan(value) {
			t.Fatalf("case %d: %d of %d (%s%%) got the interval [%s, %s]", i, k, n, value, ms.Lower, ms.Upper)
		}
	}
}

var hundred = decimal.NewFromInt(100)

// TestPropertyPoisson checks the intervals for counts: Byar's and the
// exact Poisson interval contain the count, with the lower limit at least
// zero, and the exact interval widens as the count grows; and
// Measurement.Interval, for a count indicator of any value it accepts,
// gives either no interval or one around the value with lower ≥ 0.
func TestPropertyPoisson(t *testing.T) {
	r := rng(2)
	for i := range propertyCases() {
		o := 1 + r.Int64N([]int64{20, 1000, 1_000_000}[r.IntN(3)])
		lo, hi := outcomes.Byar(float64(o))
		if !(0 <= lo && lo < float64(o) && float64(o) < hi) {
			t.Fatalf("case %d: Byar(%d) = [%v, %v]", i, o, lo, hi)
		}
		e := r.Int64N(60)
		lo, hi = outcomes.ExactPoisson(e)
		if !(0 <= lo && lo <= float64(e) && float64(e) < hi) || (e == 0) != (lo == 0) {
			t.Fatalf("case %d: ExactPoisson(%d) = [%v, %v]", i, e, lo, hi)
		}
		lo1, hi1 := outcomes.ExactPoisson(e + 1)
		if lo1 <= lo || hi1 <= hi {
			t.Fatalf("case %d: ExactPoisson(%d) = [%v, %v] does not move up from ExactPoisson(%d) = [%v, %v]", i, e+1, lo1, hi1, e, lo, hi)
		}
		x := float64(r.Int64N(2000)) / 10
		lo, hi, method := outcomes.PoissonInterval(x)
		if !(0 <= lo && lo <= x && x <= hi) || (method == outcomes.MethodByar) != (x >= 10) {
			t.Fatalf("case %d: PoissonInterval(%v) = [%v, %v] by %s", i, x, lo, hi, method)
		}

		// As Measurement.Interval computes it, for any value a count
		// indicator accepts: no-judgement counts may be negative.
		ind := &outcomes.Indicator{ID: "c", Unit: outcomes.UnitCount, ValueType: outcomes.ValueCount, PeriodType: outcomes.CalendarYear,
			Polarity: []outcomes.Polarity{outcomes.HigherIsBetter, outcomes.NoJudgement}[r.IntN(2)], Decimals: int32(r.IntN(3))}
		v := decimal.New(r.Int64N(200_000)-50_000, -ind.Decimals)
		ms := &outcomes.Measurement{Indicator: "c", Area: "A", Period: outcomes.MustPeriod("2020"), Value: v}
		if ms.Validate(ind) != nil {
			continue
		}
		ms.Interval(ind)
		if ms.Lower == nil {
			continue
		}
		if ms.Lower.IsNegative() || ms.Lower.GreaterThan(v) || ms.Upper.LessThan(v) {
			t.Fatalf("case %d: a %s count of %s got the interval [%s, %s] by %s", i, ind.Polarity, v, ms.Lower, ms.Upper, ms.CIMethod)
		}
	}
}

// ragRank orders the ratings from worst to best.
var ragRank = map[outcomes.RAG]int{outcomes.Red: 0, outcomes.Amber: 1, outcomes.Green: 2}

// TestPropertyRAGMonotone checks that a better value never gets a worse
// rating: for a higher-is-better indicator raising the value never worsens
// the RAG, for a lower-is-better one lowering it never does, whatever the
// trajectory, the period and the amber share; a value on the trajectory is
// green; and a no-judgement indicator is never rated.
func TestPropertyRAGMonotone(t *testing.T) {
	r := rng(3)
	kinds := []outcomes.TrajectoryKind{outcomes.Linear, outcomes.Step, outcomes.Compound, outcomes.Milestones}
	for i := range propertyCases() {
		ind := randIndicator(r, kinds[r.IntN(len(kinds))])
		policy := outcomes.Policy{AmberShare: decimal.New(r.Int64N(51), -2), Confidence: decimal.RequireFromString("0.95")}
		pts := outcomes.TrajectoryPoints(ind)
		at := pts[r.IntN(len(pts))]
		assess := func(v decimal.Decimal) outcomes.Status {
			m := &outcomes.Measurement{Indicator: ind.ID, Area: "A", Period: at.Period, Value: v}
			return outcomes.Assess(ind, policy, []*outcomes.Measurement{m}, nil)
		}
		v1, v2 := randValue(r, ind.Unit, ind.Decimals), randValue(r, ind.Unit, ind.Decimals)
		if v2.LessThan(v1) {
			v1, v2 = v2, v1
		}
		s1, s2, on := assess(v1), assess(v2), assess(at.Value)
		in := fmt.Sprintf("%s polarity=%s amber=%s at %s (expected %s): %s → %s, %s → %s",
			describe(ind), ind.Polarity, policy.AmberShare, at.Period, at.Value, v1, s1.RAG, v2, s2.RAG)
		r1, ok1 := ragRank[s1.RAG]
		r2, ok2 := ragRank[s2.RAG]
		if !ok1 || !ok2 {
			t.Fatalf("case %d: a rated indicator was not rated: %s", i, in)
		}
		if (ind.Polarity == outcomes.HigherIsBetter && r2 < r1) || (ind.Polarity == outcomes.LowerIsBetter && r1 < r2) {
			t.Fatalf("case %d: a better value got a worse rating: %s", i, in)
		}
		if on.RAG != outcomes.Green {
			t.Fatalf("case %d: the value on the trajectory is %s: %s", i, on.RAG, in)
		}
		if s1.Expected == nil || !s1.Expected.Equal(at.Value) {
			t.Fatalf("case %d: expected %v, not the trajectory's %s", i, s1.Expected, at.Value)
		}
		ind.Polarity = outcomes.NoJudgement
		if s := assess(v1); s.RAG != outcomes.None {
			t.Fatalf("case %d: a no-judgement indicator was rated %s", i, s.RAG)
		}
	}
}

// TestPropertyReportAsOf records random measurements and revisions over
// time in a memory store, keeping the report after each write; then,
// for random instants between writes, checks that the report rebuilt
// AsOf that instant equals the one kept — the revision history gives back
// what was reported when.
func TestPropertyReportAsOf(t *testing.T) {
	seeds := 6
	if testing.Short() {
		seeds = 2
	}
	for seed := 1; seed <= seeds; seed++ {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			t.Parallel()
			reportAsOf(t, uint64(seed), propertyCases()/4)
		})
	}
}

func reportAsOf(t *testing.T, seed uint64, writes int) {
	ctx := context.Background()
	r := rng(100 + seed)
	f := newFixture(t)
	_, err := f.svc.CreateFramework(ctx, f.w("officer"), outcomes.NewFramework{ID: "pf", Title: "Property", Area: "A1"})
	require.NoError(t, err)
	pct := outcomes.NewIndicator{ID: "pct", Framework: "pf", Title: "A proportion", Unit: outcomes.UnitPercentage,
		ValueType: outcomes.ValueProportion, Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.CalendarYear, Decimals: 1,
		Baseline:   &outcomes.Baseline{Value: dec("40"), Period: outcomes.MustPeriod("2015")},
		Target:     &outcomes.Target{Status: outcomes.TargetSet, Value: dec("60"), Period: outcomes.MustPeriod("2022")},
		Trajectory: &outcomes.Trajectory{Kind: outcomes.Linear}}
	cnt := outcomes.NewIndicator{ID: "cnt", Framework: "pf", Title: "A count", Unit: outcomes.UnitCount,
		ValueType: outcomes.ValueCount, Polarity: outcomes.LowerIsBetter, PeriodType: outcomes.Quarter, Comparator: "E"}
	for _, ind := range []outcomes.NewIndicator{pct, cnt} {
		_, err := f.svc.PutIndicator(ctx, f.w("officer"), ind)
		require.NoError(t, err)
	}
	areas := []string{"A1", "A2", "E"}
	snapshot := func(asOf *time.Time) string {
		rep, err := f.svc.Report(ctx, "pf", outcomes.ReportOptions{Areas: areas, AsOf: asOf})
		require.NoError(t, err)
		rep.Generated, rep.AsOf = time.Time{}, nil
		var buf bytes.Buffer
		require.NoError(t, rep.WriteJSON(&buf))
		return buf.String()
	}
	type kept struct {
		from, to time.Time // the report held from the write until the next
		report   string
		write    string
	}
	now := func() time.Time { return time.UnixMicro(f.now.Load()).UTC() }
	history := []kept{{from: now(), report: snapshot(nil), write: "before any measurement"}}
	for w := range writes {
		f.advance(time.Duration(1+r.Int64N(3_600_000_000)) * time.Microsecond)
		history[len(history)-1].to = now()
		var m outcomes.NewMeasurement
		if r.IntN(2) == 0 {
			n := 1 + r.Int64N(500)
			k := r.Int64N(n + 1)
			m = outcomes.NewMeasurement{Indicator: "pct", Area: areas[r.IntN(2)], Period: outcomes.MustPeriod("2015").Add(r.Int64N(8)),
				Value: decFromInt(k).Mul(hundred).Div(decFromInt(n)).Round(1), Count: decp(fmt.Sprint(k)), Denominator: decp(fmt.Sprint(n))}
		} else {
			m = outcomes.NewMeasurement{Indicator: "cnt", Area: areas[r.IntN(3)], Period: outcomes.MustPeriod("2019/20 Q1").Add(r.Int64N(12)),
				Value: decFromInt(r.Int64N(40))}
		}
		got, err := f.svc.Record(ctx, f.w("officer"), m)
		require.NoError(t, err)
		history = append(history, kept{from: now(), report: snapshot(nil),
			write: fmt.Sprintf("write %d: %s revision %d = %s", w, got.Key(), got.Revision, got.Value)})
	}
	history[len(history)-1].to = now().Add(time.Hour)
	for _, h := range history {
		for _, at := range []time.Time{h.from, h.to.Add(-time.Microsecond), h.from.Add(time.Duration(r.Int64N(int64(h.to.Sub(h.from)))))} {
			if got := snapshot(&at); got != h.report {
				require.Equal(t, h.report, got, "the report AsOf %s, after %s, is not the report of that time", at, h.write)
			}
		}
	}
}

// TestPropertySuppliedInterval checks that Measurement.Validate, as its
// documentation says, accepts a supplied interval exactly when it contains
// the value, and otherwise refuses it naming the field Lower.
func TestPropertySuppliedInterval(t *testing.T) {
	r := rng(4)
	ind := &outcomes.Indicator{ID: "pct", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion,
		Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.CalendarYear, Decimals: 1}
	for i := range propertyCases() {
		v, lo, hi := randValue(r, ind.Unit, 1), randValue(r, ind.Unit, 1), randValue(r, ind.Unit, 1)
		if hi.LessThan(lo) {
			lo, hi = hi, lo
		}
		if r.IntN(3) == 0 { // often on a limit
			v = []decimal.Decimal{lo, hi}[r.IntN(2)]
		}
		m := &outcomes.Measurement{Indicator: "pct", Area: "A", Period: outcomes.MustPeriod("2020"), Value: v, Lower: &lo, Upper: &hi}
		err := m.Validate(ind)
		inside := !v.LessThan(lo) && !v.GreaterThan(hi)
		var fe *outcomes.FieldError
		switch {
		case inside && err != nil:
			t.Fatalf("case %d: %s in [%s, %s] refused: %v", i, v, lo, hi, err)
		case !inside && (!errors.As(err, &fe) || fe.Field != "Lower" || !errors.Is(err, outcomes.ErrInvalid)):
			t.Fatalf("case %d: %s outside [%s, %s] gave %v, not an ErrInvalid FieldError on Lower", i, v, lo, hi, err)
		}
	}
}
