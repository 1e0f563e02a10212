package postgres_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/hubs/locality/localitytest"
)

func newLocalityStore(tb testing.TB) locality.Store {
	return postgres.NewLocalityStore(pgtest.Open(tb))
}

func TestLocalityConformance(t *testing.T) {
	t.Parallel()
	localitytest.Run(t, func(t *testing.T) locality.Store { return newLocalityStore(t) })
}
