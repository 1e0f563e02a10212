package oruk_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/internal/borough"
)

// newWorld builds Thurrock's hubs and a directory of n services on a
// fresh memory store.
func newWorld(t testing.TB, n int) *borough.HubsWorld {
	t.Helper()
	ctx := context.Background()
	w, err := borough.NewHubsWorld(ctx, memory.NewHubsStore(), 11)
	require.NoError(t, err)
	require.NoError(t, w.Directory(ctx, n))
	return w
}
