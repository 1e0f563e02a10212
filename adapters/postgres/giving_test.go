package postgres_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/grants/giving"
	"github.com/strongertogether/community/grants/giving/givingtest"
)

func newGivingStore(tb testing.TB) giving.Store {
	return postgres.NewGivingStore(pgtest.Open(tb))
}

func TestGivingConformance(t *testing.T) {
	t.Parallel()
	givingtest.Run(t, func(t *testing.T) giving.Store { return newGivingStore(t) })
}

func BenchmarkGivingReport(b *testing.B) {
	givingtest.BenchmarkReport(b, func(b *testing.B) giving.Store { return newGivingStore(b) })
}
