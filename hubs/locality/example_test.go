package locality_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs/locality"
)

// A Local Area Coordinator's case from introduction to close: the route
// and age band, the good-life conversation and its goals, a connection, a
// service coordinated, a goal met, avoided day care, and a close with a
// story told with consent.
func Example() {
	ctx := context.Background()
	n := 0
	svc := locality.NewService(memory.NewLocalityStore(),
		locality.WithClock(func() time.Time { return time.Date(2014, 7, 1, 9, 0, 0, 0, time.UTC) }),
		locality.WithIDs(func() string { n++; return fmt.Sprint("id-", n) }))
	admin, lac, manager := call.As("admin"), call.As("lac-1"), call.As("manager-1")
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	must(svc.Bootstrap(ctx, admin))
	_, err := svc.Grant(ctx, admin.Key("grant-lac"), lac.ID, locality.RoleCoordinator)
	must(err)
	_, err = svc.Grant(ctx, admin.Key("grant-manager"), manager.ID, locality.RoleManager)
	must(err)
	_, err = svc.AddArea(ctx, admin.Key("area"), locality.NewArea{ID: "purfleet", Name: "Purfleet", Programme: locality.LAC,
		Wards: []string{"West Thurrock and South Stifford"}, Worker: lac.ID, Since: time.Date(2013, 7, 1, 0, 0, 0, 0, time.UTC)})
	must(err)

	day := func(m time.Month, d int) time.Time { return time.Date(2014, m, d, 0, 0, 0, 0, time.UTC) }
	c, err := svc.Introduce(ctx, lac.Key("intro-1"), locality.NewCase{Area: "purfleet", Route: locality.RouteGP, AgeBand: "75-84",
		Name: "A Resident", Introduced: day(3, 3)})
	must(err)
	c, err = svc.GoodLife(ctx, lac.Key("talk-1"), c.ID, locality.NewConversation{On: day(3, 10),
		Goals: []string{"get out weekly", "give up day care"}})
	must(err)
	_, err = svc.Connect(ctx, lac.Key("connect-1"), c.ID, locality.Connection{On: day(3, 17), Kind: locality.ToGroup, To: "allotment society"})
	must(err)
	_, err = svc.Coordinate(ctx, lac.Key("coord-1"), c.ID, locality.Coordination{On: day(3, 20), Service: "home safety check", Agencies: []string{"Fire Service"}})
	must(err)
	_, err = svc.MeetGoal(ctx, lac.Key("goal-1"), c.ID, c.Goals[0].ID, day(4, 14))
	must(err)
	_, err = svc.RecordAvoided(ctx, lac.Key("avoided-1"), c.ID, locality.NewAvoided{On: day(4, 28), Unit: "day-care-session",
		Quantity: decimal.NewFromInt(8), Evidence: "day centre place released", Confidence: locality.High})
	must(err)
	_, err = svc.Close(ctx, lac.Key("close-1"), c.ID, locality.Closure{On: day(5, 30), Outcome: "gardening weekly", Story: "I have my Tuesdays back.", StoryConsent: true})
	must(err)

	r, err := svc.LACReport(ctx, day(3, 1), day(7, 1))
	must(err)
	fmt.Printf("%s: introduced %d (gp %d), goals set %d, met %d, connections %d, coordinated %d, closed %d, avoided events %d\n",
		r[0].Area, r[0].Introduced, r[0].ByRoute[locality.RouteGP], r[0].GoalsSet, r[0].GoalsMet,
		r[0].Connections[locality.ToGroup], r[0].Coordinated, r[0].Closed, r[0].AvoidedEvents)
	av, err := svc.AvoidedEvents(ctx, manager, day(1, 1), day(12, 31))
	must(err)
	fmt.Println(av[0].Quantity, av[0].Unit, av[0].Confidence)

	_, err = svc.Close(ctx, lac.Key("close-2"), c.ID, locality.Closure{On: day(6, 1), Outcome: "x"})
	fmt.Println(err)
	// Output:
	// purfleet: introduced 1 (gp 1), goals set 2, met 1, connections 1, coordinated 1, closed 1, avoided events 1
	// 8 day-care-session high
	// locality.close: case id-1: locality: case closed
}

// The ward matrix composed from per-ward counts that the app gathers from
// each domain.
func ExampleCompose() {
	from, to := time.Date(2014, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2015, 4, 1, 0, 0, 0, 0, time.UTC)
	m := locality.Compose(from, to, []string{"Aveley and Uplands", "Chadwell St Mary", "Tilbury St Chads"},
		locality.Column{Programme: "timebank", Counts: map[string]int64{"Chadwell St Mary": 31}},
		locality.Column{Programme: "hubs", Counts: map[string]int64{"Chadwell St Mary": 1, "Aveley and Uplands": 1}},
		locality.Column{Programme: "organisers", Counts: map[string]int64{"Tilbury St Chads": 72, "Chadwell St Mary": 17}},
		locality.Column{Programme: "builders", Counts: map[string]int64{"Chadwell St Mary": 7}})
	fmt.Print(m.Text())
	for i, w := range m.Wards {
		fmt.Printf("%s: %d programmes\n", w, m.Active(i))
	}
	// Output:
	// ward                  timebank        hubs  organisers    builders
	// Aveley and Uplands           -           1           -           -
	// Chadwell St Mary            31           1          17           7
	// Tilbury St Chads             -           -          72           -
	// Aveley and Uplands: 1 programmes
	// Chadwell St Mary: 4 programmes
	// Tilbury St Chads: 1 programmes
}
