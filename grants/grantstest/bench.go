package grantstest

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// BenchmarkApprove measures the approve path: many officers approving
// different applications of one fund at once through grants.Service,
// each approval a budget check and commitment in the store. The store
// holds a fund with a budget large enough for every approval and b.N
// applications under panel review, made with the timer stopped; an op is
// one approval, run from b.RunParallel with 8 approvers per CPU, and the
// "approvals/s" metric is b.N over the measured time. A store calls it
// from a one-line Benchmark function:
//
//	func BenchmarkApprove(b *testing.B) { grantstest.BenchmarkApprove(b, newStore) }
func BenchmarkApprove(b *testing.B, newStore func(b *testing.B) grants.Store) {
	benchApprove(b, newStore(b), 0)
}

// BenchmarkApproveIncome measures what a fund's income costs the approve
// path: BenchmarkApprove's approvals against a fund whose money is its
// budget ("budget"), and against one with no budget that lives on
// IncomeLines lines of income recorded before ("income"), in one run so
// their ratio can be read. The budget check reads the year's ledger row,
// which carries the income's total, so it should cost the same. A store
// calls it from a one-line Benchmark function:
//
//	func BenchmarkApproveIncome(b *testing.B) { grantstest.BenchmarkApproveIncome(b, newStore) }
func BenchmarkApproveIncome(b *testing.B, newStore func(b *testing.B) grants.Store) {
	b.Run("budget", func(b *testing.B) { benchApprove(b, newStore(b), 0) })
	b.Run("income", func(b *testing.B) { benchApprove(b, newStore(b), IncomeLines) })
}

// IncomeLines is how many lines of income BenchmarkApproveIncome's
// "income" fund holds.
const IncomeLines = 10_000

// benchApprove runs the approve benchmark on s. With lines > 0 the fund's
// budget is zero and its money is that many lines of income.
func benchApprove(b *testing.B, s grants.Store, lines int) {
	ctx := b.Context()
	f := fund("bench")
	f.Budgets = []grants.Budget{{Year: 2014, Amount: decimal.NewFromInt(grants.MaxPounds)}}
	if lines > 0 {
		f.Budgets[0].Amount = decimal.Zero
	}
	f.Criteria, f.MaxScore, f.Quorum = nil, 0, 0
	setup := &grants.Batch{Funds: []*grants.Fund{f}, Rounds: []*grants.Round{round("bench-r", "bench", 2014)}, Budgets: budgetsOf(f)}
	for i := range 64 {
		setup.Staff = append(setup.Staff, staff(fmt.Sprintf("officer-%d", i), grants.RoleOfficer))
	}
	if err := s.Apply(ctx, setup); err != nil {
		b.Fatal(err)
	}
	each := decimal.NewFromInt(grants.MaxPounds / int64(max(lines, 1)))
	for lo := 0; lo < lines; lo += 500 {
		var batch grants.Batch
		for i := lo; i < min(lo+500, lines); i++ {
			batch.Income = append(batch.Income, &grants.Income{ID: fmt.Sprintf("inc-%06d", i), Fund: "bench", Year: 2014,
				Source: "Local Giving: gifts", Ref: fmt.Sprintf("giving/bench/%06d", i), Amount: each, Received: at(i % 1000),
				RecordedAt: at(i % 1000), RecordedBy: "manager"})
		}
		if err := s.Apply(ctx, &batch); err != nil {
			b.Fatal(err)
		}
	}
	apps := make([]string, b.N)
	for lo := 0; lo < b.N; lo += 500 {
		var batch grants.Batch
		for i := lo; i < min(lo+500, b.N); i++ {
			a := application(fmt.Sprintf("app-%07d", i), "bench", "bench-r", 2014, at(0))
			a.Status, a.Award, a.Paid, a.Payments, a.Decision = grants.UnderReview, decimal.Zero, decimal.Zero, nil, nil
			a.Scores, a.Conflicts, a.AwardedAt, a.Outcome = nil, nil, nil, nil
			a.Amount = pounds("250")
			apps[i] = a.ID
			batch.Applications = append(batch.Applications, a)
		}
		if err := s.Apply(ctx, &batch); err != nil {
			b.Fatal(err)
		}
	}
	svc := grants.NewService(s, grants.WithClock(func() time.Time { return at(90) }))
	var next, officer atomic.Int64
	b.SetParallelism(8)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		me := fmt.Sprintf("officer-%d", officer.Add(1)%64)
		for pb.Next() {
			i := next.Add(1) - 1
			if _, err := svc.Approve(ctx, call.As(me).Key("approve-"+apps[i]), apps[i], pounds("200"), "fits the fund"); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "approvals/s")
	tot, err := s.Totals(ctx, "bench", 2014)
	if err != nil {
		b.Fatal(err)
	}
	if want := pounds("200").Mul(pounds(fmt.Sprint(b.N))); !tot.Committed.Equal(want) {
		b.Fatalf("committed %s, want %s", tot.Committed, want)
	}
}
