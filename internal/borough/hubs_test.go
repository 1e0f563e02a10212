package borough_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/prescribing"
)

// directory is how an app wires the hubs directory into social
// prescribing: hubs.Service.Activities has the shape of
// prescribing.Directory in hubs' own types, so neither domain imports the
// other and the app converts.
type directory struct{ hubs *hubs.Service }

var _ prescribing.Directory = directory{}

// Activities implements prescribing.Directory.
func (d directory) Activities(ctx context.Context, q prescribing.ActivityQuery) ([]prescribing.Activity, error) {
	needs := make([]string, len(q.Needs))
	for i, n := range q.Needs {
		needs[i] = string(n)
	}
	acts, err := d.hubs.Activities(ctx, hubs.ActivityQuery{Needs: needs, Area: q.Area})
	if err != nil {
		return nil, err
	}
	out := make([]prescribing.Activity, len(acts))
	for i, a := range acts {
		out[i] = prescribing.Activity{ID: a.ID, Name: a.Name, Area: a.Area, Metres: a.Metres}
		for _, n := range a.Needs {
			out[i].Needs = append(out[i].Needs, prescribing.Need(n))
		}
	}
	return out, nil
}

func TestDirectoryServesPrescribing(t *testing.T) {
	ctx := t.Context()
	w, err := borough.NewHubsWorld(ctx, memory.NewHubsStore(), 7)
	require.NoError(t, err)
	require.NoError(t, w.Directory(ctx, 240))
	var dir prescribing.Directory = directory{w.Service}
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
