package hubs_test

import (
	"context"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// A hub's year: a coordinator opens the hub and registers a volunteer, a
// recorder imports the door counts and the volunteer's sessions, and the
// report compares the year's footfall with the building's previous use.
func Example_hubYear() {
	ctx := context.Background()
	now := time.Date(2013, 2, 1, 9, 0, 0, 0, time.UTC)
	svc := hubs.NewService(memory.NewHubsStore(), hubs.WithClock(func() time.Time { return now }))
	admin, coord, rec := call.As("admin"), call.As("coord"), call.As("rec")
	if err := svc.Bootstrap(ctx, admin); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Grant(ctx, admin.Key("grant-coord"), coord.ID, hubs.RoleCoordinator); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Grant(ctx, admin.Key("grant-rec"), rec.ID, hubs.RoleRecorder); err != nil {
		log.Fatal(err)
	}
	opened := time.Date(2013, 3, 1, 0, 0, 0, 0, time.UTC)
	hub, err := svc.CreateHub(ctx, coord.Key("hub"), hubs.NewHub{Name: "South Ockendon Centre", Ward: "Ockendon", PCN: "ASOP",
		Status: hubs.StatusOpen, On: opened})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := svc.SetBaseline(ctx, coord.Key("baseline"), hubs.NewBaseline{Hub: hub.ID, Label: "previous occupation (library)",
		From: opened.AddDate(-1, 0, 0), To: opened.AddDate(0, 0, -1), Visits: 200}); err != nil {
		log.Fatal(err)
	}
	v, err := svc.RegisterVolunteer(ctx, coord.Key("volunteer"), hubs.NewVolunteer{Hub: hub.ID, Name: "A. Volunteer",
		Roles: []string{"welcome desk"}, Registered: opened})
	if err != nil {
		log.Fatal(err)
	}
	visits := "hub,date,count,method\n" +
		hub.ID + ",2013-03-01,120,door counter\n" +
		hub.ID + ",2013-06-01,110,door counter\n" +
		hub.ID + ",2014-01-15,100,door counter\n"
	if _, err := svc.ImportVisits(ctx, rec.Key("visits"), strings.NewReader(visits)); err != nil {
		log.Fatal(err)
	}
	sessions := "volunteer,date,minutes,role\n" + v.ID + ",2013-03-01,180,welcome desk\n" + v.ID + ",2013-03-08,150,welcome desk\n"
	if _, err := svc.ImportSessions(ctx, rec.Key("sessions"), strings.NewReader(sessions)); err != nil {
		log.Fatal(err)
	}
	r, err := svc.Report(ctx, hub.ID, opened, opened.AddDate(1, 0, 0))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("volunteer hours:", r.VolunteerHours, "from", r.Volunteers, "volunteer")
	fmt.Println("visits:", r.Visits)
	fmt.Printf("footfall on the previous occupation: %s%%\n", r.ChangeOnBaseline)
	// Output:
	// volunteer hours: 5.5 from 1 volunteer
	// visits: 330
	// footfall on the previous occupation: 65%
}

// A directory search: an editor lists two services at a hub, the app
// loads a postcode centroid, and a resident searches for debt advice on a
// Wednesday morning near their postcode.
func Example_directorySearch() {
	ctx := context.Background()
	n := 0
	svc := hubs.NewService(memory.NewHubsStore(),
		hubs.WithClock(func() time.Time { return time.Date(2022, 4, 1, 9, 0, 0, 0, time.UTC) }),
		hubs.WithIDs(func() string { n++; return fmt.Sprintf("00000000-0000-4000-8000-%012d", n) }))
	admin, editor := call.As("admin"), call.As("editor")
	if err := svc.Bootstrap(ctx, admin); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Grant(ctx, admin.Key("grant"), editor.ID, hubs.RoleEditor); err != nil {
		log.Fatal(err)
	}
	org, err := svc.AddOrganization(ctx, editor.Key("org"), hubs.NewOrganization{Name: "Citizens Advice Thurrock", Description: "Free, independent advice."})
	if err != nil {
		log.Fatal(err)
	}
	debt, err := svc.AddTerm(ctx, editor.Key("term"), hubs.NewTerm{Code: "debt", Name: "Debt", Description: "Help with debt.", Taxonomy: "needs"})
	if err != nil {
		log.Fatal(err)
	}
	loc, err := svc.AddLocation(ctx, editor.Key("loc"), hubs.NewLocation{Name: "South Ockendon Centre", Postcode: "RM15 5LP",
		Lat: 51.5226, Long: 0.2858, Ward: "Ockendon", PCN: "ASOP"})
	if err != nil {
		log.Fatal(err)
	}
	for i, days := range []string{"MO,WE", "FR"} {
		if _, err := svc.AddListing(ctx, editor.Key(fmt.Sprint("listing", i)), hubs.NewListing{OrganizationID: org.ID,
			Name: fmt.Sprintf("Debt advice (%s)", days), Description: "Free, confidential advice on debt.", TermIDs: []string{debt.ID},
			LocationIDs: []string{loc.ID}, Schedules: []hubs.Schedule{{Freq: "WEEKLY", ByDay: days, OpensAt: "09:30", ClosesAt: "12:30"}}}); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := svc.LoadPostcodes(ctx, editor.Key("postcodes"), []hubs.Postcode{{ID: "RM15 5AA", Lat: 51.5200, Long: 0.2900}}); err != nil {
		log.Fatal(err)
	}
	wed := time.Wednesday
	hits, err := svc.Search(ctx, hubs.Query{Text: "debt advice", TermID: debt.ID, Day: &wed, At: "10:00", Postcode: "rm15 5aa", Within: 2000})
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range hits {
		fmt.Printf("%s, %d m away\n", h.Listing.Name, h.Metres)
	}
	// Output:
	// Debt advice (MO,WE), 410 m away
}
