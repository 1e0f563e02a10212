package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/grants/giving"
	"github.com/strongertogether/community/grants/giving/givingtest"
)

func newGivingStore(tb testing.TB) giving.Store {
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "giving.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, db.Close()) })
	return sqlite.NewGivingStore(db)
}

func TestGivingConformance(t *testing.T) {
	givingtest.Run(t, func(t *testing.T) giving.Store { return newGivingStore(t) })
}

func BenchmarkGivingReport(b *testing.B) {
	givingtest.BenchmarkReport(b, func(b *testing.B) giving.Store { return newGivingStore(b) })
}
