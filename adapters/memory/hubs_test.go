package memory_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/hubs/hubstest"
)

func TestHubsConformance(t *testing.T) {
	hubstest.Run(t, func(*testing.T) hubs.Store { return memory.NewHubsStore() })
}

// likeStore is the baseline of BenchmarkDirectorySearch: listings found by
// decoding every one and matching the text as substrings.
type likeStore struct{ *memory.HubsStore }

func (s likeStore) Listings(ctx context.Context, f hubs.ListingFilter) ([]*hubs.Listing, error) {
	all, err := s.HubsStore.Listings(ctx, hubs.ListingFilter{})
	if err != nil {
		return nil, err
	}
	var out []*hubs.Listing
	for _, l := range all {
		text := strings.ToLower(l.Name + " " + l.Description)
		ok := f.TermID == "" || slices.Contains(l.TermIDs, f.TermID)
		for _, w := range strings.Fields(strings.ToLower(f.Text)) {
			ok = ok && strings.Contains(text, w)
		}
		if ok {
			out = append(out, l)
		}
	}
	return out, nil
}

func BenchmarkHubsDirectorySearch(b *testing.B) {
	hubstest.BenchmarkDirectorySearch(b, func(*testing.B) hubs.Store { return memory.NewHubsStore() },
		func(s hubs.Store) hubs.Store { return likeStore{s.(*memory.HubsStore)} })
}

func BenchmarkHubsConcurrentBooking(b *testing.B) {
	hubstest.BenchmarkConcurrentBooking(b, func(*testing.B) hubs.Store { return memory.NewHubsStore() })
}
