package memory

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIDIndex checks idIndex against a map through batches of puts, some
// of them rolled back in reverse order as Apply does.
func TestIDIndex(t *testing.T) {
	x := newIDIndex()
	var ids []string // place -> id
	idOf := func(p uint32) string { return ids[p] }
	want := map[string]uint32{}
	rng := rand.New(rand.NewPCG(7, 8))
	for batch := range 300 {
		n := 1 + rng.IntN(200)
		x.reserve(n)
		base := len(ids)
		var put []uint32
		for j := range n {
			// Some ids repeat earlier ones: they must be found.
			id := "t" + strconv.Itoa(rng.IntN(40_000))
			h := x.hash(id)
			slot, found := x.find(id, h, idOf)
			_, exists := want[id]
			require.Equal(t, exists, found, "batch %d: find %s", batch, id)
			if found {
				continue
			}
			place := uint32(base + j)
			for len(ids) <= int(place) {
				ids = append(ids, "")
			}
			ids[place] = id
			x.put(slot, h, place)
			want[id] = place
			put = append(put, place)
		}
		if rng.IntN(3) == 0 { // roll the batch back
			for j := len(put) - 1; j >= 0; j-- {
				id := ids[put[j]]
				x.remove(x.hash(id), put[j])
				delete(want, id)
			}
		}
		for len(ids) < base+n { // places are used in order, batch or not
			ids = append(ids, "")
		}
	}
	assert.Equal(t, len(want), x.used)
	for id, place := range want {
		got, ok := x.get(id, idOf)
		if assert.True(t, ok, "get %s", id) {
			assert.Equal(t, place, got, "place of %s", id)
		}
	}
	_, ok := x.get("absent", idOf)
	assert.False(t, ok)
	assert.LessOrEqual(t, 2*x.used, len(x.slots), "the table is at most half full")
}
