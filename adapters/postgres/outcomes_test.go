package postgres_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/outcomestest"
)

func newOutcomesStore(tb testing.TB) outcomes.Store {
	return postgres.NewOutcomesStore(pgtest.Open(tb))
}

func TestOutcomesConformance(t *testing.T) {
	t.Parallel()
	outcomestest.Run(t, func(t *testing.T) outcomes.Store { return newOutcomesStore(t) })
}

func BenchmarkReport(b *testing.B) {
	outcomestest.BenchmarkReport(b, func(b *testing.B) outcomes.Store { return newOutcomesStore(b) })
}

func BenchmarkTrajectory(b *testing.B) { outcomestest.BenchmarkTrajectory(b) }
