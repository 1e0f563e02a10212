package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/dementia/dementiatest"
)

func newDementiaStore(tb testing.TB) dementia.Store {
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "dementia.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, db.Close()) })
	return sqlite.NewDementiaStore(db)
}

func TestDementiaConformance(t *testing.T) {
	dementiatest.Run(t, func(t *testing.T) dementia.Store { return newDementiaStore(t) })
}

func BenchmarkDementiaCoordinator(b *testing.B) {
	dementiatest.BenchmarkCoordinator(b, func(b *testing.B) dementia.Store { return newDementiaStore(b) })
}
