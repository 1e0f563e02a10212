package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
	"github.com/strongertogether/community/timebank/timebanktest"
)

// newStore opens a fresh database file in tb's temporary directory and
// returns a TimebankStore on it, closed when tb ends.
func newStore(tb testing.TB) *TimebankStore {
	tb.Helper()
	db, err := Open(tb.Context(), filepath.Join(tb.TempDir(), "timebank.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, db.Close()) })
	return NewTimebankStore(db)
}

func TestTimebankConformance(t *testing.T) {
	timebanktest.Run(t, func(t *testing.T) timebank.Store { return newStore(t) })
}

func BenchmarkTransfer(b *testing.B) {
	timebanktest.BenchmarkTransfer(b, func(b *testing.B) timebank.Store { return newStore(b) })
}

func BenchmarkBalanceAt(b *testing.B) {
	timebanktest.BenchmarkBalanceAt(b, func(b *testing.B) timebank.Store { return newStore(b) })
}
