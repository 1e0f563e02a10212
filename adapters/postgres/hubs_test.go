package postgres_test

import (
	"testing"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/hubs/hubstest"
)

func newHubsStore(tb testing.TB) hubs.Store {
	return postgres.NewHubsStore(pgtest.Open(tb))
}

func TestHubsConformance(t *testing.T) {
	t.Parallel()
	hubstest.Run(t, func(t *testing.T) hubs.Store { return newHubsStore(t) })
}

func BenchmarkHubsConcurrentBooking(b *testing.B) {
	hubstest.BenchmarkConcurrentBooking(b, func(b *testing.B) hubs.Store { return newHubsStore(b) })
}

func BenchmarkHubsDirectorySearch(b *testing.B) {
	hubstest.BenchmarkDirectorySearch(b, func(b *testing.B) hubs.Store { return newHubsStore(b) }, nil)
}
