package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/hubs/locality/localitytest"
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

func BenchmarkLocalityWardMatrix(b *testing.B) {
	localitytest.BenchmarkWardMatrix(b, func(b *testing.B) locality.Store { return newLocalityStore(b) })
}
