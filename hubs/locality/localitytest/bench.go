package localitytest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/hubs/locality"
)

// Borough sizes of BenchmarkWardMatrix.
const (
	benchWards = 20
	benchYears = 5
)

// fillBorough writes five years of the three programmes over 20 wards
// straight into s: six LAC areas of three or four wards with 120 cases a
// year each (and an avoided event per case), organisers listening monthly
// in four wards, and two builders' localities with assets, cards, fairs
// and Community of Practice events, over the first 20 of names (or
// "Ward 00" to "Ward 19" when names has fewer). It returns the wards.
func fillBorough(tb testing.TB, s locality.Store, names []string) []string {
	tb.Helper()
	ctx := context.Background()
	start := time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	var wards []string
	if len(names) >= benchWards {
		wards = append(wards, names[:benchWards]...)
	} else {
		for i := range benchWards {
			wards = append(wards, fmt.Sprintf("Ward %02d", i))
		}
	}
	b := &locality.Batch{}
	for i := range 6 {
		b.Areas = append(b.Areas, &locality.Area{ID: fmt.Sprint("lac-", i), Name: fmt.Sprint("LAC ", i), Programme: locality.LAC,
			Wards: wards[i*3 : i*3+3+i%2], Since: start, Version: 1, CreatedAt: start})
	}
	b.Areas = append(b.Areas, &locality.Area{ID: "co", Name: "Organisers", Programme: locality.Organisers, Wards: wards[16:20], Since: start, Version: 1, CreatedAt: start},
		&locality.Area{ID: "abcd-0", Name: "Builders 0", Programme: locality.Builders, Wards: wards[0:1], Since: start, Version: 1, CreatedAt: start},
		&locality.Area{ID: "abcd-1", Name: "Builders 1", Programme: locality.Builders, Wards: wards[10:11], Since: start, Version: 1, CreatedAt: start})
	if err := s.Apply(ctx, b); err != nil {
		tb.Fatal(err)
	}
	n := 0
	id := func(p string) string { n++; return fmt.Sprintf("%s-%06d", p, n) }
	for y := range benchYears {
		b := &locality.Batch{}
		for a := range 6 {
			area := fmt.Sprint("lac-", a)
			for c := range 120 {
				on := start.AddDate(y, 0, c*3)
				closed := on.AddDate(0, 4, 0)
				cs := &locality.Case{ID: id("case"), Area: area, Person: id("per"), Route: locality.Routes()[c%6], AgeBand: locality.AgeBands()[c%8],
					Name: "Generated", Introduced: on, Goals: []locality.Goal{{ID: id("g"), Text: "goal", Set: on, Met: &closed}},
					Connections: []locality.Connection{{On: on.AddDate(0, 1, 0), Kind: locality.ToGroup, To: "group"}},
					Closed:      &closed, Outcome: "done", Version: 1, CreatedAt: on}
				b.Cases = append(b.Cases, cs)
				b.Avoided = append(b.Avoided, &locality.Avoided{ID: id("av"), Case: cs.ID, Area: area, Person: cs.Person, On: closed, Unit: "day-care-session",
					Quantity: decimal.NewFromInt(4), Evidence: "case record", Confidence: locality.Medium, Version: 1, CreatedAt: on})
			}
		}
		for m := range 12 {
			from := start.AddDate(y, m, 0)
			for _, w := range wards[16:20] {
				b.Listening = append(b.Listening, &locality.Listening{ID: id("li"), Area: "co", Ward: w, From: from, To: from.AddDate(0, 1, 0),
					Conversations: int64(20 + m), Themes: []string{"parking"}, Version: 1, CreatedAt: from})
			}
			for i, a := range []string{"abcd-0", "abcd-1"} {
				w := wards[i*10]
				b.Assets = append(b.Assets, &locality.Asset{ID: id("as"), Area: a, Ward: w, Kind: locality.Place, Name: "place", Version: 1, CreatedAt: from})
				b.Gifts = append(b.Gifts, &locality.Gift{ID: id("gf"), Area: a, Ward: w, Kind: locality.Offer, Text: "offer", Posted: from, Version: 1, CreatedAt: from})
				b.Fairs = append(b.Fairs, &locality.Fair{ID: id("fr"), Area: a, Ward: w, On: from, Place: "hall", Attendance: 40, Version: 1, CreatedAt: from})
				b.Practices = append(b.Practices, &locality.Practice{ID: id("pr"), Area: a, Ward: w, On: from, Place: "hall", Attendance: 15, Version: 1, CreatedAt: from})
			}
		}
		if err := s.Apply(ctx, b); err != nil {
			tb.Fatal(err)
		}
	}
	return wards
}

// ColumnFunc reads one domain's per-ward counts over [from, to) for the
// ward matrix.
type ColumnFunc func(ctx context.Context, from, to time.Time) (locality.Column, error)

// BenchmarkWardMatrix times the ward matrix of a borough of 20 wards over
// five years: the locality programmes' WardCounts for each year and the
// columns read by read (other domains' per-ward counts, read from their
// stores), composed by Compose with fixed columns standing for the
// domains read does not give (of time bank, hubs, grants, prescribing
// and dementia, by the Programme of the column each read returns), as
// the app composes them. The wards are named "Ward 00" to "Ward 19"; see
// BenchmarkWardMatrixOver to name them.
func BenchmarkWardMatrix(b *testing.B, newStore func(b *testing.B) locality.Store, read ...ColumnFunc) {
	BenchmarkWardMatrixOver(b, newStore, nil, read...)
}

// BenchmarkWardMatrixOver is BenchmarkWardMatrix over the borough's own
// wards, so the columns read from other domains' stores count the same
// wards as the locality programmes: the first 20 of wards (nil, or fewer
// than 20, for "Ward 00" to "Ward 19").
func BenchmarkWardMatrixOver(b *testing.B, newStore func(b *testing.B) locality.Store, names []string, read ...ColumnFunc) {
	s := newStore(b)
	wards := fillBorough(b, s, names)
	svc := locality.NewService(s)
	ctx := context.Background()
	start := time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	given := map[string]bool{}
	for _, r := range read {
		c, err := r(ctx, start, start.AddDate(benchYears, 0, 0))
		if err != nil {
			b.Fatal(err)
		}
		given[c.Programme] = true
	}
	others := make([]locality.Column, 0, 5)
	for i, p := range []string{"timebank", "hubs", "grants", "prescribing", "dementia"} {
		if given[p] {
			continue
		}
		c := locality.Column{Programme: p, Counts: map[string]int64{}}
		for j, w := range wards {
			if (i+j)%3 != 0 {
				c.Counts[w] = int64(i + j)
			}
		}
		others = append(others, c)
	}
	b.ReportAllocs()
	for b.Loop() {
		for y := range benchYears {
			from, to := start.AddDate(y, 0, 0), start.AddDate(y+1, 0, 0)
			counts, err := svc.WardCounts(ctx, from, to)
			if err != nil {
				b.Fatal(err)
			}
			cols := others[:len(others):len(others)]
			for _, r := range read {
				c, err := r(ctx, from, to)
				if err != nil {
					b.Fatal(err)
				}
				cols = append(cols, c)
			}
			cols = append(cols,
				locality.Column{Programme: "lac", Counts: counts[locality.LAC]},
				locality.Column{Programme: "organisers", Counts: counts[locality.Organisers]},
				locality.Column{Programme: "builders", Counts: counts[locality.Builders]})
			m := locality.Compose(from, to, wards, cols...)
			if len(m.Wards) < benchWards || m.Active(16) == 0 {
				b.Fatalf("matrix of %d wards", len(m.Wards))
			}
		}
	}
}
