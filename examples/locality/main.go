package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/outcomes/costs"
)

func main() {
	db := flag.String("db", "", "SQLite file to use (default: a new file in a temporary folder)")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *db); err != nil {
		fmt.Fprintln(os.Stderr, "locality:", err)
		os.Exit(1)
	}
}

// wards are the rows of the ward matrix: the wards the locality
// programmes work in.
var wards = []string{"Aveley and Uplands", "Chadwell St Mary", "Stifford Clays", "Tilbury Riverside and Thurrock Park",
	"Tilbury St Chads", "West Thurrock and South Stifford"}

func run(ctx context.Context, w io.Writer, path string) error {
	if path == "" {
		dir, err := os.MkdirTemp("", "locality-example-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "locality.db")
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	now := borough.LocalityFrom
	n := 0
	svc := locality.NewService(sqlite.NewLocalityStore(db), locality.WithClock(func() time.Time { return now }),
		locality.WithIDs(func() string { n++; return fmt.Sprintf("id-%05d", n) }))
	staff, err := borough.GenerateLocality(ctx, svc)
	if err != nil {
		return err
	}
	// The hubs, with their dated histories, give the matrix its hubs
	// column.
	hw, err := borough.NewHubsWorld(ctx, sqlite.NewHubsStore(db), 1)
	if err != nil {
		return err
	}
	from, to := borough.LocalityFrom, borough.LocalityTo
	hubCounts, err := hw.Service.WardCounts(ctx, from, to)
	if err != nil {
		return err
	}
	return report(ctx, w, svc, staff.Manager, from, to, locality.Column{Programme: "hubs", Counts: hubCounts})
}

// report prints the locality reports, the costs avoided and the ward
// matrix, with the other domains' columns others.
func report(ctx context.Context, w io.Writer, svc *locality.Service, manager call.Actor, from, to time.Time, others ...locality.Column) error {
	lac, err := svc.LACReport(ctx, from, to)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "Local Area Coordination, %s to %s\n", from.Format(time.DateOnly), to.Format(time.DateOnly))
	fmt.Fprintln(tw, "area\tintroduced\tby GP\topen\tclosed\tgoals set\tgoals met\tconnections\tavoided events\t")
	for _, r := range lac {
		conns := 0
		for _, n := range r.Connections {
			conns += n
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", r.Area, r.Introduced, r.ByRoute[locality.RouteGP], r.Open, r.Closed, r.GoalsSet, r.GoalsMet, conns, r.AvoidedEvents)
	}
	tw.Flush()

	org, err := svc.OrganisersReport(ctx, from, to)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nCommunity Organisers: listening by ward")
	fmt.Fprintln(tw, "ward\tconversations\tissues\tactions\tdone\t")
	for _, r := range org {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t\n", r.Ward, r.Conversations, r.Issues, r.Actions, r.ActionsDone)
	}
	tw.Flush()

	bld, err := svc.BuildersReport(ctx, from, to)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nCommunity Builders: the asset map by locality")
	fmt.Fprintln(tw, "locality\tplaces\tassociations\tgifts and skills\tcards\tmatches\tfairs\tpractice events\t")
	for _, r := range bld {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t\n", r.Area, r.Assets[locality.Place], r.Assets[locality.Association],
			r.Assets[locality.GiftAsset]+r.Assets[locality.Skill], r.Offers+r.Requests, r.Matches, r.Fairs, r.Practices)
	}
	tw.Flush()

	v, err := costs.NewValuer(costs.SeedUnitCosts(), costs.DefaultParams())
	if err != nil {
		return err
	}
	cr, err := v.Report(ctx, borough.LocalityCosts{Locality: svc, Manager: manager}, from, to, nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, cr.Text())

	counts, err := svc.WardCounts(ctx, from, to)
	if err != nil {
		return err
	}
	cols := append(others,
		locality.Column{Programme: "lac", Counts: counts[locality.LAC]},
		locality.Column{Programme: "organisers", Counts: counts[locality.Organisers]},
		locality.Column{Programme: "builders", Counts: counts[locality.Builders]})
	m := locality.Compose(from, to, wards, cols...)
	fmt.Fprintln(w, "\nWard matrix (hubs and the locality programmes; the app adds each other domain's column the same way)")
	fmt.Fprint(w, m.Text())
	return nil
}
