package replay

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/outcomes/costs"
)

// Locality is what the locality step printed: the three locality
// programmes' reports for the year [From, To) (seed 002).
type Locality struct {
	From, To time.Time
	// Areas are the programmes' areas, by id.
	Areas []*locality.Area
	// LAC is Local Area Coordination by area: people introduced in the
	// year (by route and age band), cases open at its end (the area's
	// caseload), cases closed, goals set and met, connections made and
	// avoided service-use events recorded in the year.
	LAC []locality.AreaReport
	// Caseloads counts the cases open at the year's end by coordinator
	// (a staff id).
	Caseloads map[string]int
	// Organisers is the Community Organisers' listening conversations,
	// issues and actions in the year, by ward.
	Organisers []locality.WardReport
	// Builders is the Community Builders' asset map and gift board by
	// locality, counting assets mapped by the year's end and cards, fairs
	// and Community of Practice events in the year.
	Builders []locality.LocalityReport
}

// MatrixColumn says what one column of the ward matrix counts.
type MatrixColumn struct {
	// Programme is the column's name in Matrix.Programmes ("timebank").
	Programme string
	// Title is how the column is headed ("Time bank").
	Title string
	// Counts says, in plain English, what one count is and over which
	// period.
	Counts string
}

// WardMatrix is the partnership's matrix of which programmes are active
// in each of Thurrock's wards over [Matrix.From, Matrix.To), composed by
// locality.Compose from each domain's per-ward counts.
type WardMatrix struct {
	Matrix locality.Matrix
	// Columns say what each column counts, in Matrix.Programmes' order.
	Columns []MatrixColumn
}

// The ward matrix's period: the financial years 2014/15 to 2017/18, which
// hold every programme the app replays (the time bank from November
// 2014, Small Sparks in 2014/15, the social prescribing pilot from
// October 2016 to September 2017).
var (
	matrixFrom = time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	matrixTo   = time.Date(2018, 4, 1, 0, 0, 0, 0, time.UTC)
)

// runLocality builds the locality programmes' year (Local Area
// Coordination, Community Organisers, Community Builders), prints their
// reports and the costs LAC avoided, and then the ward matrix across
// every programme the app has built.
func (a *app) runLocality(ctx context.Context, w io.Writer, sum *Summary, _ string) error {
	a.clock.Set(borough.LocalityFrom)
	svc := locality.NewService(a.localityStore, locality.WithClock(a.clock.Now), locality.WithLogger(a.log),
		locality.WithIDs(func() string { return a.ids.next("loc", time.Time{}) }))
	a.locality = svc
	staff, err := borough.GenerateLocality(ctx, svc)
	if err != nil {
		return err
	}
	from, to := borough.LocalityFrom, borough.LocalityTo
	l := &Locality{From: from, To: to}
	if l.Areas, err = svc.Areas(ctx); err != nil {
		return err
	}
	if l.LAC, err = svc.LACReport(ctx, from, to); err != nil {
		return err
	}
	if l.Caseloads, err = svc.Caseloads(ctx, to); err != nil {
		return err
	}
	if l.Organisers, err = svc.OrganisersReport(ctx, from, to); err != nil {
		return err
	}
	if l.Builders, err = svc.BuildersReport(ctx, from, to); err != nil {
		return err
	}
	sum.Locality = l
	printLocality(w, l)

	v, err := costs.NewValuer(costs.SeedUnitCosts(), costs.DefaultParams())
	if err != nil {
		return err
	}
	if sum.Costs, err = v.Report(ctx, borough.LocalityCosts{Locality: svc, Manager: staff.Manager}, from, to, nil); err != nil {
		return fmt.Errorf("costs avoided: %w", err)
	}
	printCosts(w, sum.Costs, l)

	if sum.Matrix, err = a.wardMatrix(ctx, sum); err != nil {
		return fmt.Errorf("ward matrix: %w", err)
	}
	printMatrix(w, sum.Matrix)
	return nil
}

// areaName names an area by its id.
func (l *Locality) areaName(id string) string {
	for _, a := range l.Areas {
		if a.ID == id {
			return a.Name
		}
	}
	return id
}

// period prints [from, to) as "April 2014 to March 2015".
func period(from, to time.Time) string {
	return from.Format("January 2006") + " to " + to.AddDate(0, 0, -1).Format("January 2006")
}

// routeTitles are the LAC routes as the report heads them.
var routeTitles = map[locality.Route]string{
	locality.RouteGP: "GP", locality.RouteCouncillor: "Councillor", locality.RouteProfessional: "Professional",
	locality.RouteHub: "Community hub", locality.RouteHousing: "Housing association", locality.RouteResident: "Resident",
}

func printLocality(w io.Writer, l *Locality) {
	end := l.To.AddDate(0, 0, -1).Format("2 January 2006")
	heading(w, "LOCALITY — "+period(l.From, l.To))
	fmt.Fprintln(w, "  Local Area Coordination, by area: people counted in the year unless marked")
	tw := table(w)
	fmt.Fprintln(tw, "  Area\tPeople introduced\tCaseload on "+end+"\tCases closed\tGoals set\tGoals met\tConnections made\tAvoided-use events")
	for _, r := range l.LAC {
		conns := 0
		for _, n := range r.Connections {
			conns += n
		}
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", l.areaName(r.Area), r.Introduced, r.Open, r.Closed, r.GoalsSet, r.GoalsMet, conns, r.AvoidedEvents)
	}
	tw.Flush()
	fmt.Fprintln(w, "\n  How people came to a coordinator (people introduced in the year, by route)")
	tw = table(w)
	fmt.Fprint(tw, "  Route")
	for _, r := range l.LAC {
		fmt.Fprintf(tw, "\t%s", l.areaName(r.Area))
	}
	fmt.Fprintln(tw)
	for _, rt := range locality.Routes() {
		fmt.Fprintf(tw, "  %s", routeTitles[rt])
		for _, r := range l.LAC {
			fmt.Fprintf(tw, "\t%d", r.ByRoute[rt])
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	fmt.Fprintf(w, "\n  Caseload by coordinator on %s (open cases):", end)
	for _, id := range slices.Sorted(maps.Keys(l.Caseloads)) {
		fmt.Fprintf(w, " %s %d", id, l.Caseloads[id])
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "\n  Community Organisers, by ward: listening conversations (residents listened to), issues raised and actions taken in the year")
	tw = table(w)
	fmt.Fprintln(tw, "  Ward\tConversations\tIssues raised\tActions\tActions with an outcome")
	for _, r := range l.Organisers {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\n", r.Ward, r.Conversations, r.Issues, r.Actions, r.ActionsDone)
	}
	tw.Flush()

	fmt.Fprintf(w, "\n  Community Builders, the asset map by locality: assets mapped by %s; cards, matches, fairs and events in the year\n", end)
	tw = table(w)
	fmt.Fprintln(tw, "  Locality\tPlaces\tAssociations\tGifts and skills\tGift-board cards\tMatches\tIdeas fairs\tCommunity of Practice events")
	for _, r := range l.Builders {
		fmt.Fprintf(tw, "  %s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", l.areaName(r.Area), r.Assets[locality.Place], r.Assets[locality.Association],
			r.Assets[locality.GiftAsset]+r.Assets[locality.Skill], r.Offers+r.Requests, r.Matches, r.Fairs, r.Practices)
	}
	tw.Flush()
}

func printCosts(w io.Writer, r *costs.Report, l *Locality) {
	heading(w, "COSTS AVOIDED — "+period(r.From, r.To))
	fmt.Fprintln(w, "  Service use Local Area Coordination recorded as no longer needed, valued at unit costs, in pounds as a low–high range.")
	fmt.Fprintf(w, "  Prices: %s, without uplift.\n", strings.Join(r.PriceBases, ", "))
	fmt.Fprintln(w, "  Assumptions (stated parameters, after the Green Book and the GMCA cost–benefit model):")
	fmt.Fprintf(w, "    deadweight %s%%: the share that would have been avoided anyway\n", r.Params.Deadweight)
	fmt.Fprintf(w, "    attribution %s%%: the share of the rest due to the programme rather than other help\n", r.Params.Attribution)
	fmt.Fprintf(w, "    optimism bias %s%% for high, %s%% for medium, %s%% for low confidence of evidence\n",
		r.Params.OptimismBias[costs.High], r.Params.OptimismBias[costs.Medium], r.Params.OptimismBias[costs.Low])
	for _, p := range r.Programmes {
		fmt.Fprintf(w, "\n  %s\n", programmeTitle(p.Programme))
		tw := table(w)
		fmt.Fprintln(tw, "  Service no longer used\tUnits\tEvents\tUnit cost\tGross")
		for _, ln := range p.Lines {
			fmt.Fprintf(tw, "  %s\t%s %ss\t%d\t%s\t%s\n", ln.Unit.Name, ln.Quantity, ln.Unit.Unit, ln.Events, ln.Unit, ln.Gross)
		}
		tw.Flush()
		tw = table(w)
		fmt.Fprintf(tw, "  Gross\t%s\n", p.Gross)
		fmt.Fprintf(tw, "  less deadweight\t%s\n", p.Deadweight)
		fmt.Fprintf(tw, "  less attribution\t%s\n", p.Attribution)
		fmt.Fprintf(tw, "  less optimism bias\t%s\n", p.OptimismBias)
		fmt.Fprintf(tw, "  Net costs avoided\t%s\n", p.Net)
		tw.Flush()
		for _, a := range p.Areas {
			fmt.Fprintf(w, "    in %s: %d events, gross %s, net %s\n", l.areaName(a.Area), a.Events, a.Gross, a.Net)
		}
		if p.Cost != nil {
			fmt.Fprintf(w, "    programme cost in the year: %s\n", costs.Pounds(p.Cost.Round(0)))
		}
	}
	if len(r.Programmes) == 0 {
		fmt.Fprintln(w, "  No avoided service use was recorded in the period.")
	}
	for _, u := range costs.SeedUnitCosts() {
		fmt.Fprintf(w, "  Unit cost %s: %s, %s (%s prices)\n", u.Name, u, u.Source, u.PriceBase)
	}
}

// programmeTitle names a programme as the reports head it.
func programmeTitle(p string) string {
	if p == string(locality.LAC) {
		return "Local Area Coordination"
	}
	return p
}

// wardMatrix composes the ward matrix from each domain's per-ward counts
// over the matrix's period.
func (a *app) wardMatrix(ctx context.Context, sum *Summary) (*WardMatrix, error) {
	from, to := matrixFrom, matrixTo
	p := period(from, to)
	m := &WardMatrix{}
	var cols []locality.Column
	add := func(c MatrixColumn, counts map[string]int64) {
		m.Columns = append(m.Columns, c)
		cols = append(cols, locality.Column{Programme: c.Programme, Counts: counts})
	}
	tc, err := a.timebank.WardCounts(ctx, sum.Bank, from, to)
	if err != nil {
		return nil, err
	}
	add(MatrixColumn{"timebank", "Time bank", "time bank members (people and organisations) who were members at some time " + p + ", by the ward they live or work in"}, tc)
	hc, err := a.hubs.WardCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	add(MatrixColumn{"hubs", "Hubs", "community hubs open at some time " + p}, hc)
	gc, err := a.grants.WardCounts(ctx, sum.Fund, from, to)
	if err != nil {
		return nil, err
	}
	add(MatrixColumn{"grants", "Small Sparks", "Small Sparks grants awarded " + p + ", by the ward of the project"}, gc)
	if sum.Pilot == nil {
		return nil, fmt.Errorf("ward matrix: the social prescribing pilot has not run")
	}
	// The referral counts are the scheme manager's to read, as the KPIs are.
	pc, err := a.prescribing.WardCounts(ctx, call.As(sum.Pilot.Manager), from, to)
	if err != nil {
		return nil, err
	}
	add(MatrixColumn{"prescribing", "Social prescribing", "social prescribing referrals made " + p + ", by the ward of the referring GP practice"}, pc)
	dc, err := a.dementia.WardCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	add(MatrixColumn{"dementia", "Dementia alliance", "Dementia Action Alliance members that had joined by " + to.AddDate(0, 0, -1).Format("2 January 2006") + ", in each ward they work in"}, dc)
	lc, err := a.locality.WardCounts(ctx, from, to)
	if err != nil {
		return nil, err
	}
	add(MatrixColumn{"lac", "LAC", "Local Area Coordination cases open at some time " + p + ", counted in each ward of the case's area"}, lc[locality.LAC])
	add(MatrixColumn{"organisers", "Organisers", "Community Organisers' listening conversations " + p}, lc[locality.Organisers])
	add(MatrixColumn{"builders", "Builders", "Community Builders' assets mapped, gift-board cards, ideas fairs and Community of Practice events " + p}, lc[locality.Builders])
	m.Matrix = locality.Compose(from, to, borough.Wards(), cols...)
	return m, nil
}

func printMatrix(w io.Writer, m *WardMatrix) {
	heading(w, "WARD MATRIX — "+period(m.Matrix.From, m.Matrix.To))
	fmt.Fprintln(w, "  Which programmes are active in each ward: a count above zero (\"-\" for none). Each column counts:")
	for _, c := range m.Columns {
		fmt.Fprintf(w, "    %s: %s\n", c.Title, c.Counts)
	}
	fmt.Fprintln(w)
	tw := table(w)
	fmt.Fprint(tw, "  Ward")
	for _, c := range m.Columns {
		fmt.Fprintf(tw, "\t%s", c.Title)
	}
	fmt.Fprintln(tw, "\tProgrammes active")
	for i, ward := range m.Matrix.Wards {
		fmt.Fprintf(tw, "  %s", ward)
		for _, n := range m.Matrix.Counts[i] {
			if n == 0 {
				fmt.Fprint(tw, "\t-")
			} else {
				fmt.Fprintf(tw, "\t%d", n)
			}
		}
		fmt.Fprintf(tw, "\t%d\n", m.Matrix.Active(i))
	}
	tw.Flush()
}
