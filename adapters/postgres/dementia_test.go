package postgres_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/dementia/dementiatest"
)

func newDementiaStore(tb testing.TB) dementia.Store {
	return postgres.NewDementiaStore(pgtest.Open(tb))
}

func TestDementiaConformance(t *testing.T) {
	t.Parallel()
	dementiatest.Run(t, func(t *testing.T) dementia.Store { return newDementiaStore(t) })
}

func BenchmarkDementiaCoordinator(b *testing.B) {
	dementiatest.BenchmarkCoordinator(b, func(b *testing.B) dementia.Store { return newDementiaStore(b) })
}
