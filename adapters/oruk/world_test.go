package oruk_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/borough"
)

// newWorld builds Thurrock's hubs and a directory of n services on a
// fresh memory store.
func newWorld(t testing.TB, n int) *borough.HubsWorld {
	t.Helper()
	return newWorldOn(t, memory.NewHubsStore(), n)
}

// stores are the stores the handler's schema test runs on.
var stores = []struct {
	name string
	new  func(t testing.TB) hubs.Store
}{
	{"memory", func(testing.TB) hubs.Store { return memory.NewHubsStore() }},
	{"sqlite", func(t testing.TB) hubs.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "directory.sqlite"))
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		return sqlite.NewHubsStore(db)
	}},
}

// newWorldOn builds Thurrock's hubs and a directory of n services on
// store, which must be empty.
func newWorldOn(t testing.TB, store hubs.Store, n int) *borough.HubsWorld {
	t.Helper()
	ctx := context.Background()
	w, err := borough.NewHubsWorld(ctx, store, 11)
	require.NoError(t, err)
	require.NoError(t, w.Directory(ctx, n))
	return w
}
