package postgres_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/grants/grantstest"
)

func newGrantsStore(tb testing.TB) grants.Store {
	return postgres.NewGrantsStore(pgtest.Open(tb))
}

func TestGrantsConformance(t *testing.T) {
	t.Parallel()
	grantstest.Run(t, func(t *testing.T) grants.Store { return newGrantsStore(t) })
}

func BenchmarkApprove(b *testing.B) {
	grantstest.BenchmarkApprove(b, func(b *testing.B) grants.Store { return newGrantsStore(b) })
}

func BenchmarkApproveIncome(b *testing.B) {
	grantstest.BenchmarkApproveIncome(b, func(b *testing.B) grants.Store { return newGrantsStore(b) })
}
