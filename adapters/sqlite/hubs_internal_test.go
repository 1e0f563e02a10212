package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/strongertogether/community/adapters/internal/hubsrec"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/hubs/hubstest"
)

// likeHubs is the baseline of BenchmarkDirectorySearch: listings found
// with LIKE over the stored records instead of the FTS5 index.
type likeHubs struct{ *HubsStore }

func (s likeHubs) Listings(ctx context.Context, f hubs.ListingFilter) ([]*hubs.Listing, error) {
	q := `SELECT body FROM hubs_records WHERE kind = 'listing'`
	var args []any
	for _, w := range strings.Fields(f.Text) {
		q += ` AND body LIKE ?`
		args = append(args, "%"+w+"%")
	}
	if f.TermID != "" {
		q += ` AND body LIKE ?`
		args = append(args, "%"+f.TermID+"%")
	}
	return hubMany(ctx, s.HubsStore, hubsrec.DecodeListing, q+` ORDER BY id`, args...)
}

func benchHubs(b *testing.B) hubs.Store {
	db, err := Open(b.Context(), filepath.Join(b.TempDir(), "hubs.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	return NewHubsStore(db)
}

func BenchmarkHubsDirectorySearch(b *testing.B) {
	hubstest.BenchmarkDirectorySearch(b, benchHubs, func(s hubs.Store) hubs.Store { return likeHubs{s.(*HubsStore)} })
}

func BenchmarkHubsConcurrentBooking(b *testing.B) {
	hubstest.BenchmarkConcurrentBooking(b, benchHubs)
}
