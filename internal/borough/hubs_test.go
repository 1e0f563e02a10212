package borough_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/prescribing"
)

func TestDirectoryServesPrescribing(t *testing.T) {
	ctx := t.Context()
	w, err := borough.NewHubsWorld(ctx, memory.NewHubsStore(), 7)
	require.NoError(t, err)
	require.NoError(t, w.Directory(ctx, 240))
	var dir prescribing.Directory = borough.HubsDirectory{Hubs: w.Service}
	acts, err := dir.Activities(ctx, prescribing.ActivityQuery{Needs: []prescribing.Need{prescribing.NeedLoneliness, prescribing.NeedDebt}, Area: "ASOP"})
	require.NoError(t, err)
	require.Len(t, acts, 40, "20 listings for each of the two needs")
	ranked := prescribing.Rank([]prescribing.Need{prescribing.NeedLoneliness, prescribing.NeedDebt}, "ASOP", acts)
	require.Len(t, ranked, 40)
	assert.True(t, ranked[0].SameArea, "listings in the person's area first")
	for _, m := range ranked {
		assert.Equal(t, 1, m.Fit)
		l, err := w.Service.Listing(ctx, m.ID)
		require.NoError(t, err, "a match is a real directory entry")
		assert.Equal(t, m.Name, l.Name)
	}
}
