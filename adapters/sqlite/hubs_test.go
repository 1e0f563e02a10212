package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/hubs/hubstest"
)

func newHubsStore(tb testing.TB) hubs.Store {
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "hubs.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, db.Close()) })
	return sqlite.NewHubsStore(db)
}

func TestHubsConformance(t *testing.T) {
	hubstest.Run(t, func(t *testing.T) hubs.Store { return newHubsStore(t) })
}
