package grants_test

import (
	"errors"
	"testing"

	"github.com/strongertogether/community/grants"
)

func errorsAs(err error, target any) bool { return errors.As(err, target) }

// BenchmarkEligibility evaluates Small Sparks' eight rules for one
// application; an op is one evaluation of all of them, reported as
// evals/s (target ≥ 200,000/s).
func BenchmarkEligibility(b *testing.B) {
	w := newWorld(b)
	f := w.form("Planters")
	a := &grants.Application{Amount: f.Amount, Applicant: f.Applicant, Costs: f.Costs, Purposes: f.Purposes,
		Priorities: f.Priorities, Supporters: f.Supporters, CashMatch: f.CashMatch, InKindMatch: f.InKindMatch}
	env := grants.Env{Fund: w.fund}
	rules := w.fund.Rules
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if e := grants.Evaluate(rules, a, env); !e.Pass {
			b.Fatal(e.Failures())
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "evals/s")
}
