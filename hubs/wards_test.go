package hubs_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/internal/borough"
)

// TestWardCounts checks the hubs' column of the ward matrix against the
// seed's opening dates: South Ockendon from March 2013, Chadwell St Mary
// from February 2014, so in 2013/14 both, and in 2012/13 only Ockendon.
func TestWardCounts(t *testing.T) {
	ctx := t.Context()
	w, err := borough.NewHubsWorld(ctx, memory.NewHubsStore(), 1)
	require.NoError(t, err)
	hs, err := w.Service.Hubs(ctx)
	require.NoError(t, err)
	y := func(n int) time.Time { return time.Date(n, 4, 1, 0, 0, 0, 0, time.UTC) }
	c, err := w.Service.WardCounts(ctx, y(2013), y(2014))
	require.NoError(t, err)
	var want int64
	wards := map[string]int64{}
	for _, h := range hs {
		if !h.Opened.IsZero() && h.Opened.Before(y(2014)) {
			want++
			wards[h.Ward]++
		}
	}
	var got int64
	for _, n := range c {
		got += n
	}
	assert.Equal(t, want, got)
	assert.Equal(t, wards, c)
	assert.GreaterOrEqual(t, got, int64(2), "South Ockendon and Chadwell St Mary were open in 2013/14")
	early, err := w.Service.WardCounts(ctx, y(2012), y(2013))
	require.NoError(t, err)
	var n int64
	for _, v := range early {
		n += v
	}
	assert.Equal(t, int64(1), n, "only South Ockendon opened before April 2013")
}
