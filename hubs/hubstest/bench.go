package hubstest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strongertogether/community/hubs"
)

// benchQuery is the query BenchmarkDirectorySearch times: two words, a
// taxonomy term and a distance from a postcode.
func benchQuery(term string) hubs.Query {
	return hubs.Query{Text: "riverside advice", TermID: term, Postcode: "RM15 5AA", Within: 8000}
}

// fillDirectory writes n listings across 60 locations and 12 terms
// straight into s, in batches, and returns the terms' ids.
func fillDirectory(tb testing.TB, s hubs.Store, n int) []string {
	tb.Helper()
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC)
	org := &hubs.Organization{ID: hubs.NewUUID(), Name: "Thurrock CVS", Description: "Voluntary services", Version: 1, UpdatedAt: at}
	b := &hubs.Batch{Organizations: []*hubs.Organization{org}, Postcodes: []*hubs.Postcode{{ID: "RM15 5AA", Lat: 51.52, Long: 0.29, Version: 1}}}
	var terms, locs []string
	for i := range 12 {
		t := &hubs.TaxonomyTerm{ID: hubs.NewUUID(), Code: fmt.Sprint("need-", i), Name: fmt.Sprint("Need ", i), Version: 1, UpdatedAt: at}
		b.Terms = append(b.Terms, t)
		terms = append(terms, t.ID)
	}
	for i := range 60 {
		l := &hubs.Location{ID: hubs.NewUUID(), Name: fmt.Sprint("Place ", i), Lat: 51.42 + 0.2*rng.Float64(), Long: 0.2 + 0.3*rng.Float64(),
			Ward: fmt.Sprint("Ward ", i%20), PCN: fmt.Sprint("PCN ", i%4), Version: 1, UpdatedAt: at}
		b.Locations = append(b.Locations, l)
		locs = append(locs, l.ID)
	}
	if err := s.Apply(ctx, b); err != nil {
		tb.Fatal(err)
	}
	words := []string{"advice", "club", "group", "support", "help", "class", "café", "session", "drop-in", "course"}
	places := []string{"riverside", "village", "town", "estate", "library", "church", "school", "park"}
	for start := 0; start < n; start += 1000 {
		b := &hubs.Batch{}
		for i := start; i < min(n, start+1000); i++ {
			place := places[rng.IntN(len(places))]
			if rng.IntN(4) > 0 {
				place = fmt.Sprint("area", rng.IntN(400))
			}
			b.Listings = append(b.Listings, &hubs.Listing{ID: hubs.NewUUID(), OrganizationID: org.ID,
				Name:        fmt.Sprintf("%s %s %d", place, words[rng.IntN(len(words))], i),
				Description: fmt.Sprintf("A %s %s for local people, run by volunteers.", words[rng.IntN(len(words))], words[rng.IntN(len(words))]),
				Status:      "active", TermIDs: []string{terms[rng.IntN(len(terms))]},
				AtLocations: []hubs.ServiceAtLocation{{ID: hubs.NewUUID(), LocationID: locs[rng.IntN(len(locs))]}},
				Schedules:   []hubs.Schedule{{ID: hubs.NewUUID(), Freq: "WEEKLY", ByDay: "MO,WE", OpensAt: "10:00", ClosesAt: "12:00"}},
				Version:     1, UpdatedAt: at})
		}
		if err := s.Apply(ctx, b); err != nil {
			tb.Fatal(err)
		}
	}
	return terms
}

// BenchmarkDirectorySearch times Service.Search over 10,000 listings with
// text, taxonomy term and distance filters, and reports the median (p50-µs)
// and the hits per search. When like is not nil it also times the same
// searches over like(store): the store with its Listings replaced by a
// scan that matches text with LIKE (or its equivalent), as the baseline
// the index is compared with in the same run.
func BenchmarkDirectorySearch(b *testing.B, newStore func(b *testing.B) hubs.Store, like func(hubs.Store) hubs.Store) {
	s := newStore(b)
	terms := fillDirectory(b, s, 10_000)
	run := func(b *testing.B, s hubs.Store) {
		svc := hubs.NewService(s)
		ctx := context.Background()
		took := make([]time.Duration, 0, b.N)
		hits := 0
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			t0 := time.Now()
			hs, err := svc.Search(ctx, benchQuery(terms[i%len(terms)]))
			took = append(took, time.Since(t0))
			if err != nil {
				b.Fatal(err)
			}
			hits += len(hs)
		}
		slices.Sort(took)
		if len(took) > 0 {
			b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
			b.ReportMetric(float64(hits)/float64(len(took)), "hits/op")
		}
	}
	b.Run("index", func(b *testing.B) { run(b, s) })
	if like != nil {
		b.Run("like", func(b *testing.B) { run(b, like(s)) })
	}
}

// BenchmarkConcurrentBooking times bookings made in parallel into the
// same surgery, each a read, a check of the slot's capacity and a write
// that loses to any booking committed meanwhile and is rebuilt. It
// reports the bookings that still lost after every retry (lost/op).
func BenchmarkConcurrentBooking(b *testing.B, newStore func(b *testing.B) hubs.Store) {
	s := newStore(b)
	f := newFixture(b, s)
	ctx := context.Background()
	h := f.hub(b, "Hub", base)
	room, err := f.svc.AddRoom(ctx, f.key(f.coord), h.ID, "Room")
	if err != nil {
		b.Fatal(err)
	}
	// One surgery of 48 half-hour slots of 1,000 places holds 48,000
	// bookings; schedule enough for b.N.
	const places = 48 * 1000
	var surgeries []string
	for i := 0; i <= b.N/places; i++ {
		start := base.AddDate(0, 0, 1+i)
		x, err := f.svc.ScheduleSurgery(ctx, f.key(f.coord), hubs.NewSurgery{Room: room.ID, Title: "Advice", Starts: start, Ends: start.Add(24 * time.Hour), SlotMinutes: 30, Capacity: 1000})
		if err != nil {
			b.Fatal(err)
		}
		surgeries = append(surgeries, x.ID)
	}
	var next, lost atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := next.Add(1) - 1
			_, err := f.svc.Book(ctx, f.coord.Key(fmt.Sprint("bench-", n)), hubs.NewBooking{Surgery: surgeries[n/places], Slot: int(n%places) / 1000, Name: "Person"})
			switch {
			case errors.Is(err, hubs.ErrConflict):
				lost.Add(1)
			case err != nil:
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(lost.Load())/float64(b.N), "lost/op")
}
