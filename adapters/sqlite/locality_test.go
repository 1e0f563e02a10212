package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/hubs/locality/localitytest"
	"github.com/strongertogether/community/internal/borough"
)

func newLocalityStore(tb testing.TB) locality.Store {
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "locality.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, db.Close()) })
	return sqlite.NewLocalityStore(db)
}

func TestLocalityConformance(t *testing.T) {
	localitytest.Run(t, func(t *testing.T) locality.Store { return newLocalityStore(t) })
}

// BenchmarkLocalityWardMatrix composes the ward matrix on one SQLite
// database holding the locality programmes and the synthetic borough's
// hubs, whose column is read from the hubs store each time.
func BenchmarkLocalityWardMatrix(b *testing.B) {
	ctx := b.Context()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "borough.db"))
	require.NoError(b, err)
	b.Cleanup(func() { assert.NoError(b, db.Close()) })
	hw, err := borough.NewHubsWorld(ctx, sqlite.NewHubsStore(db), 1)
	require.NoError(b, err)
	hubsColumn := func(ctx context.Context, from, to time.Time) (locality.Column, error) {
		c, err := hw.Service.WardCounts(ctx, from, to)
		return locality.Column{Programme: "hubs", Counts: c}, err
	}
	localitytest.BenchmarkWardMatrix(b, func(*testing.B) locality.Store { return sqlite.NewLocalityStore(db) }, hubsColumn)
}
