package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/grants/grantstest"
)

func newGrantsStore(tb testing.TB) grants.Store {
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "grants.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, db.Close()) })
	return sqlite.NewGrantsStore(db)
}

func TestGrantsConformance(t *testing.T) {
	grantstest.Run(t, func(t *testing.T) grants.Store { return newGrantsStore(t) })
}

func BenchmarkApprove(b *testing.B) {
	grantstest.BenchmarkApprove(b, func(b *testing.B) grants.Store { return newGrantsStore(b) })
}
