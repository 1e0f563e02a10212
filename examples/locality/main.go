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

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs/locality"
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

// costsSource gives outcomes/costs the avoided events locality records,
// read by a manager.
type costsSource struct {
	svc     *locality.Service
	manager call.Actor
}

func (c costsSource) AvoidedEvents(ctx context.Context, from, to time.Time) ([]costs.Event, error) {
	av, err := c.svc.AvoidedEvents(ctx, c.manager, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]costs.Event, 0, len(av))
	for _, a := range av {
		out = append(out, costs.Event{Programme: string(locality.LAC), Area: a.Area, On: a.On, Unit: a.Unit, Quantity: a.Quantity,
			Evidence: a.Evidence, Confidence: costs.Confidence(a.Confidence)})
	}
	return out, nil
}

var (
	year  = time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC)
	wards = []string{"Aveley and Uplands", "Chadwell St Mary", "Stifford Clays", "Tilbury Riverside and Thurrock Park",
		"Tilbury St Chads", "West Thurrock and South Stifford"}
	organiserWards = []string{"Tilbury St Chads", "Tilbury Riverside and Thurrock Park", "Chadwell St Mary", "West Thurrock and South Stifford"}
)

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
	now := year
	n := 0
	svc := locality.NewService(sqlite.NewLocalityStore(db), locality.WithClock(func() time.Time { return now }),
		locality.WithIDs(func() string { n++; return fmt.Sprintf("id-%05d", n) }))
	if err := record(ctx, svc); err != nil {
		return err
	}
	from, to := year, year.AddDate(1, 0, 0)
	return report(ctx, w, svc, from, to)
}

// record writes the synthetic year. Keys are made from a counter, as a
// form's submission ids would be.
func record(ctx context.Context, svc *locality.Service) error {
	k := 0
	key := func(a call.Actor) call.Write { k++; return a.Key(fmt.Sprint("form-", k)) }
	admin, manager := call.As("admin"), call.As("manager")
	lac, org, bld := call.As("lac-1"), call.As("organiser-1"), call.As("builder-1")
	if err := svc.Bootstrap(ctx, admin); err != nil {
		return err
	}
	for a, r := range map[call.Actor]locality.Role{manager: locality.RoleManager, lac: locality.RoleCoordinator, org: locality.RoleOrganiser, bld: locality.RoleBuilder} {
		if _, err := svc.Grant(ctx, key(admin), a.ID, r); err != nil {
			return err
		}
	}
	since := time.Date(2013, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, a := range []locality.NewArea{
		{ID: "lac-purfleet", Name: "Purfleet", Programme: locality.LAC, Wards: []string{"West Thurrock and South Stifford"}, Since: since},
		{ID: "lac-tilbury", Name: "Tilbury", Programme: locality.LAC, Wards: []string{"Tilbury St Chads", "Tilbury Riverside and Thurrock Park"}, Since: since},
		{ID: "co-ngage", Name: "ngage Community Organisers", Programme: locality.Organisers, Wards: organiserWards, Panel: "Community First", Since: since.AddDate(0, 7, 0)},
		{ID: "abcd-chadwell", Name: "Chadwell St Mary", Programme: locality.Builders, Wards: []string{"Chadwell St Mary"}, Since: year},
		{ID: "abcd-aveley", Name: "Aveley", Programme: locality.Builders, Wards: []string{"Aveley and Uplands", "Stifford Clays"}, Since: year},
	} {
		if _, err := svc.AddArea(ctx, key(admin), a); err != nil {
			return err
		}
	}
	units := []struct {
		unit string
		q    int64
		conf locality.Confidence
	}{{"day-care-session", 24, locality.High}, {"bed-week", 2, locality.Medium}, {"direct-payment-month", 6, locality.Low}}
	for i := range 18 {
		area := []string{"lac-purfleet", "lac-tilbury"}[i%2]
		on := year.AddDate(0, 0, 14*i)
		c, err := svc.Introduce(ctx, key(lac), locality.NewCase{Area: area, Route: locality.Routes()[i%6], AgeBand: locality.AgeBands()[1+i%7],
			Name: fmt.Sprint("Resident ", i), Introduced: on})
		if err != nil {
			return err
		}
		if c, err = svc.GoodLife(ctx, key(lac), c.ID, locality.NewConversation{On: on.AddDate(0, 0, 7), Goals: []string{"meet people", "manage at home"}}); err != nil {
			return err
		}
		if _, err = svc.Connect(ctx, key(lac), c.ID, locality.Connection{On: on.AddDate(0, 0, 14), Kind: locality.ToGroup, To: "lunch club"}); err != nil {
			return err
		}
		if _, err = svc.MeetGoal(ctx, key(lac), c.ID, c.Goals[0].ID, on.AddDate(0, 1, 0)); err != nil {
			return err
		}
		if i%3 == 0 {
			u := units[(i/3)%3]
			if _, err = svc.RecordAvoided(ctx, key(lac), c.ID, locality.NewAvoided{On: on.AddDate(0, 2, 0), Unit: u.unit,
				Quantity: decimal.NewFromInt(u.q), Evidence: "case record", Confidence: u.conf}); err != nil {
				return err
			}
		}
		if i%3 == 1 {
			if _, err = svc.Close(ctx, key(lac), c.ID, locality.Closure{On: on.AddDate(0, 3, 0), Outcome: "connected locally"}); err != nil {
				return err
			}
		}
	}
	for m := range 12 {
		for i, wd := range organiserWards {
			from := year.AddDate(0, m, 0)
			if _, err := svc.RecordListening(ctx, key(org), locality.NewListening{Area: "co-ngage", Ward: wd, From: from, To: from.AddDate(0, 1, 0),
				Conversations: int64(10 + 3*i + m%4), Themes: []string{[]string{"parking", "youth", "litter", "safety"}[(i+m)%4]}}); err != nil {
				return err
			}
		}
	}
	is, err := svc.RaiseIssue(ctx, key(org), locality.NewIssue{Area: "co-ngage", Ward: "Tilbury St Chads", Raised: year.AddDate(0, 2, 0), Title: "Parking on the green"})
	if err != nil {
		return err
	}
	if is, err = svc.AddAction(ctx, key(org), is.ID, year.AddDate(0, 3, 0), "residents' petition"); err != nil {
		return err
	}
	if _, err = svc.ActionOutcome(ctx, key(org), is.ID, is.Actions[0].ID, year.AddDate(0, 5, 0), "bollards agreed"); err != nil {
		return err
	}
	for _, a := range []locality.NewAsset{
		{Area: "abcd-chadwell", Kind: locality.Place, Name: "School allotment"},
		{Area: "abcd-chadwell", Kind: locality.Association, Name: "Residents' association"},
		{Area: "abcd-chadwell", Kind: locality.Skill, Name: "gardening", PersonName: "A Neighbour", Consent: true},
		{Area: "abcd-aveley", Ward: "Aveley and Uplands", Kind: locality.Place, Name: "Community forum"},
		{Area: "abcd-aveley", Ward: "Stifford Clays", Kind: locality.Association, Name: "Walking group"},
	} {
		if _, err := svc.AddAsset(ctx, key(bld), a); err != nil {
			return err
		}
	}
	o, err := svc.PostGift(ctx, key(bld), locality.NewGift{Area: "abcd-chadwell", Kind: locality.Offer, Text: "the school's allotment project clears gardens", Posted: year.AddDate(0, 2, 0)})
	if err != nil {
		return err
	}
	r, err := svc.PostGift(ctx, key(bld), locality.NewGift{Area: "abcd-chadwell", Kind: locality.Request, Text: "an overgrown garden", Posted: year.AddDate(0, 2, 3)})
	if err != nil {
		return err
	}
	if _, err = svc.MatchGifts(ctx, key(bld), o.ID, r.ID, year.AddDate(0, 2, 10)); err != nil {
		return err
	}
	if _, err = svc.HoldFair(ctx, key(bld), locality.NewFair{Area: "abcd-chadwell", On: year.AddDate(0, 3, 0), Place: "Chadwell St Mary Centre", Attendance: 80, Ideas: 25, Connections: 12}); err != nil {
		return err
	}
	for _, p := range []struct{ area, ward, place string }{{"abcd-aveley", "Stifford Clays", "Stifford Clays"}, {"abcd-chadwell", "", "Chadwell St Mary"}, {"abcd-aveley", "Aveley and Uplands", "Aveley"}} {
		if _, err = svc.HoldPractice(ctx, key(bld), locality.NewPractice{Area: p.area, Ward: p.ward, On: year.AddDate(0, 4, 0), Place: p.place, Attendance: 20}); err != nil {
			return err
		}
	}
	return nil
}

func report(ctx context.Context, w io.Writer, svc *locality.Service, from, to time.Time) error {
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
	cr, err := v.Report(ctx, costsSource{svc: svc, manager: call.As("manager")}, from, to, nil)
	if err != nil {
		return err
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, cr.Text())

	counts, err := svc.WardCounts(ctx, from, to)
	if err != nil {
		return err
	}
	m := locality.Compose(from, to, wards,
		locality.Column{Programme: "lac", Counts: counts[locality.LAC]},
		locality.Column{Programme: "organisers", Counts: counts[locality.Organisers]},
		locality.Column{Programme: "builders", Counts: counts[locality.Builders]})
	fmt.Fprintln(w, "\nWard matrix (the locality programmes' columns; the app adds each other domain's)")
	fmt.Fprint(w, m.Text())
	return nil
}
