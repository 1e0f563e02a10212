package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/prescribing/prescribingtest"
)

func newPrescribingStore(tb testing.TB) prescribing.Store {
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "rx.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { _ = db.Close() })
	return sqlite.NewPrescribingStore(db)
}

func TestPrescribingConformance(t *testing.T) {
	t.Parallel()
	prescribingtest.Run(t, func(t *testing.T) prescribing.Store { return newPrescribingStore(t) })
}

func BenchmarkPrescribingTransition(b *testing.B) {
	prescribingtest.BenchmarkTransition(b, func(b *testing.B) prescribing.Store { return newPrescribingStore(b) })
}
