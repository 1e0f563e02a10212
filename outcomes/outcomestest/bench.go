package outcomestest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/outcomes"
)

// The size of BenchmarkReport's framework: 200 indicators × 20 areas × 60
// monthly periods = 240,000 measurements.
const (
	BenchIndicators = 200
	BenchAreas      = 20
	BenchPeriods    = 60
)

// BenchmarkReport measures a full framework report — every indicator for
// every area: series read from the store, trajectory, RAG, significance,
// direction, Mann–Kendall trend and forecast — over 200 indicators × 20
// areas × 60 monthly periods (240,000 measurements, each with a count, a
// denominator and a Wilson interval). The framework is written with the
// timer stopped; an op is one whole report, and "measurements/s" counts
// the measurements reported on. A store calls it from a one-line
// Benchmark function:
//
//	func BenchmarkReport(b *testing.B) { outcomestest.BenchmarkReport(b, newStore) }
func BenchmarkReport(b *testing.B, newStore func(b *testing.B) outcomes.Store) {
	ctx := context.Background()
	s := newStore(b)
	areas := fillBench(b, s)
	svc := outcomes.NewService(s, outcomes.WithClock(func() time.Time { return benchNow }))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, err := svc.Report(ctx, "bench", outcomes.ReportOptions{Areas: areas})
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Rows) != BenchIndicators*BenchAreas || len(r.Rows[0].Series) != BenchPeriods {
			b.Fatalf("report has %d rows, the first with %d points", len(r.Rows), len(r.Rows[0].Series))
		}
	}
	b.ReportMetric(float64(b.N)*BenchIndicators*BenchAreas*BenchPeriods/b.Elapsed().Seconds(), "measurements/s")
}

var benchNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// fillBench writes BenchmarkReport's framework into s and returns its
// areas. Values follow each indicator's trajectory with a deterministic
// wobble, so ratings, trends and forecasts vary.
func fillBench(tb testing.TB, s outcomes.Store) []string {
	tb.Helper()
	ctx := context.Background()
	f := &outcomes.Framework{ID: "bench", Title: "Benchmark", Area: "A00", Policy: outcomes.DefaultPolicy(),
		Roles: map[string]outcomes.Role{"o": outcomes.RoleOwner}, Version: 1, CreatedAt: benchNow, CreatedBy: "o", UpdatedAt: benchNow, UpdatedBy: "o"}
	first := outcomes.MustPeriod("2020-01")
	var inds []*outcomes.Indicator
	for i := range BenchIndicators {
		inds = append(inds, &outcomes.Indicator{ID: fmt.Sprintf("ind%03d", i), Framework: "bench", Title: fmt.Sprintf("Indicator %d", i),
			Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion, Polarity: outcomes.HigherIsBetter,
			PeriodType: outcomes.Month, Decimals: 1,
			Baseline:   &outcomes.Baseline{Value: decimal.NewFromInt(50), Period: first},
			Target:     &outcomes.Target{Status: outcomes.TargetSet, Value: decimal.NewFromInt(60), Period: first.Add(BenchPeriods)},
			Trajectory: &outcomes.Trajectory{Kind: outcomes.Linear},
			Version:    1, CreatedAt: benchNow, CreatedBy: "o", UpdatedAt: benchNow, UpdatedBy: "o"})
	}
	if err := s.Apply(ctx, &outcomes.Batch{Frameworks: []*outcomes.Framework{f}, Indicators: inds}); err != nil {
		tb.Fatal(err)
	}
	areas := make([]string, BenchAreas)
	for a := range areas {
		areas[a] = fmt.Sprintf("A%02d", a)
	}
	const per = 10_000
	batch := make([]*outcomes.Measurement, 0, per)
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if err := s.Apply(ctx, &outcomes.Batch{Measurements: batch}); err != nil {
			tb.Fatal(err)
		}
		batch = batch[:0:0]
		batch = make([]*outcomes.Measurement, 0, per)
	}
	denom := decimal.NewFromInt(2000)
	for i, ind := range inds {
		for a, area := range areas {
			for p := range BenchPeriods {
				count := int64(1000 + p*3 + (i*7+a*13+p*p)%40)
				c := decimal.NewFromInt(count)
				m := &outcomes.Measurement{Indicator: ind.ID, Area: area, Period: first.Add(int64(p)),
					Value: c.Mul(decimal.NewFromInt(100)).Div(denom).Round(1), Count: &c, Denominator: &denom,
					Revision: 1, RecordedAt: benchNow, RecordedBy: "o"}
				m.Interval(ind)
				batch = append(batch, m)
				if len(batch) == per {
					flush()
				}
			}
		}
	}
	flush()
	return areas
}

// BenchmarkTrajectory measures computing trajectories: a linear monthly
// trajectory over 60 periods, a compound one and one of milestones, each
// a whole TrajectoryPoints call (61 decimal values) per op.
func BenchmarkTrajectory(b *testing.B) {
	first := outcomes.MustPeriod("2020-01")
	base := outcomes.Indicator{ID: "t", Framework: "f", Title: "T", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion,
		Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.Month, Decimals: 2,
		Baseline: &outcomes.Baseline{Value: decimal.RequireFromString("66.4"), Period: first},
		Target:   &outcomes.Target{Status: outcomes.TargetSet, Value: decimal.RequireFromString("67"), Period: first.Add(60)}}
	for _, c := range []struct {
		name string
		tr   outcomes.Trajectory
	}{
		{"linear", outcomes.Trajectory{Kind: outcomes.Linear}},
		{"compound", outcomes.Trajectory{Kind: outcomes.Compound, Rate: decimal.RequireFromString("0.001")}},
		{"milestones", outcomes.Trajectory{Kind: outcomes.Milestones, Milestones: []outcomes.Point{
			{Period: first.Add(12), Value: decimal.RequireFromString("66.5")},
			{Period: first.Add(36), Value: decimal.RequireFromString("66.8")},
			{Period: first.Add(60), Value: decimal.RequireFromString("67")}}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			ind := base
			tr := c.tr
			ind.Trajectory = &tr
			b.ReportAllocs()
			for b.Loop() {
				if pts := outcomes.TrajectoryPoints(&ind); len(pts) != 61 {
					b.Fatalf("%d points", len(pts))
				}
			}
		})
	}
}
