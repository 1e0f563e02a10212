package oruk_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/adapters/oruk"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/borough"
)

// BenchmarkServicesSearch serves GET /services?search=advice (one page
// of 50 of the 1,666 matches) over 10,000 services through net/http, on
// the memory and the SQLite store, and reports requests/s and the p99
// latency.
func BenchmarkServicesSearch(b *testing.B) {
	ctx := context.Background()
	for _, st := range []struct {
		name  string
		store func(b *testing.B) hubs.Store
	}{
		{"memory", func(*testing.B) hubs.Store { return memory.NewHubsStore() }},
		{"sqlite", func(b *testing.B) hubs.Store {
			db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "dir.sqlite"))
			require.NoError(b, err)
			b.Cleanup(func() { _ = db.Close() })
			return sqlite.NewHubsStore(db)
		}},
	} {
		b.Run(st.name, func(b *testing.B) {
			w, err := borough.NewHubsWorld(ctx, st.store(b), 11)
			require.NoError(b, err)
			require.NoError(b, w.Directory(ctx, 10_000))
			srv := httptest.NewServer(oruk.NewHandler(w.Service, opts))
			defer srv.Close()
			client := srv.Client()
			url := srv.URL + "/services?search=advice"
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				t0 := time.Now()
				res, err := client.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != http.StatusOK {
					b.Fatalf("status %d, %v", res.StatusCode, err)
				}
				lat = append(lat, time.Since(t0))
			}
			elapsed := time.Since(start)
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
			b.ReportMetric(float64(lat[(len(lat)*99)/100].Microseconds())/1000, "p99-ms")
		})
	}
}
