package replay

import (
	"context"
	"fmt"
	"io"
	"sort"

	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/borough"
)

// HubYear is one hub's report for the year the app replays.
type HubYear struct {
	Hub    *hubs.Hub
	Report *hubs.Report
}

// directoryServices is how many services the generated directory lists.
const directoryServices = 60

// runHubs builds the six community hubs and South Ockendon's pathfinder
// year (seed 002: March 2013 to February 2014), and prints each hub's
// figures for that year.
func (a *app) runHubs(ctx context.Context, w io.Writer, sum *Summary, _ string) error {
	world, err := borough.NewHubsWorld(ctx, a.hubsStore, 2013)
	if err != nil {
		return fmt.Errorf("hubs: %w", err)
	}
	a.hubs = world.Service
	world.Scale = a.scale
	from, to, err := world.PathfinderYear(ctx)
	if err != nil {
		return fmt.Errorf("hubs pathfinder year: %w", err)
	}
	sum.HubsFrom, sum.HubsTo = from, to
	if err := world.Directory(ctx, directoryServices); err != nil {
		return fmt.Errorf("hubs directory: %w", err)
	}
	all, err := a.hubs.Hubs(ctx)
	if err != nil {
		return err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Name < all[j].Name })
	heading(w, fmt.Sprintf("COMMUNITY HUBS — %s to %s", from.Format("January 2006"), to.AddDate(0, 0, -1).Format("January 2006")))
	tw := table(w)
	fmt.Fprintln(tw, "  Hub\tWard\tStatus now\tVolunteers\tVolunteer hours\tVisits\tGroups\tEvents")
	for _, h := range all {
		r, err := a.hubs.Report(ctx, h.ID, from, to)
		if err != nil {
			return fmt.Errorf("hub %s: %w", h.Name, err)
		}
		sum.Hubs = append(sum.Hubs, HubYear{Hub: h, Report: r})
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%d\t%d\t%d\n", h.Name, h.Ward, h.Status, r.Volunteers, r.VolunteerHours.StringFixed(0), r.Visits, r.Groups, r.Events)
	}
	tw.Flush()
	fmt.Fprintln(w, "  Volunteers: people who gave time in the year. Visits: people counted through the door.")
	return nil
}
