package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/outcomestest"
)

func newOutcomesStore(tb testing.TB) outcomes.Store {
	tb.Helper()
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "outcomes.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, db.Close()) })
	return sqlite.NewOutcomesStore(db)
}

func TestOutcomesConformance(t *testing.T) {
	outcomestest.Run(t, func(t *testing.T) outcomes.Store { return newOutcomesStore(t) })
}

func BenchmarkReport(b *testing.B) {
	outcomestest.BenchmarkReport(b, func(b *testing.B) outcomes.Store { return newOutcomesStore(b) })
}

func BenchmarkTrajectory(b *testing.B) { outcomestest.BenchmarkTrajectory(b) }
