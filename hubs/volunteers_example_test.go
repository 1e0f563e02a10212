package hubs_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// A coordinator imports three volunteers in one call: two are stored,
// one without a name is refused and skipped. Sent again, the batch
// replays: nothing new is written.
func ExampleService_ImportVolunteers() {
	ctx := context.Background()
	now := time.Date(2014, 2, 1, 9, 0, 0, 0, time.UTC)
	svc := hubs.NewService(memory.NewHubsStore(), hubs.WithClock(func() time.Time { return now }))
	admin, coord := call.As("admin"), call.As("coord")
	if err := svc.Bootstrap(ctx, admin); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Grant(ctx, admin.Key("grant-coord"), coord.ID, hubs.RoleCoordinator); err != nil {
		log.Fatal(err)
	}
	hub, err := svc.CreateHub(ctx, coord.Key("hub"), hubs.NewHub{Name: "Tilbury Hub", Ward: "Tilbury", PCN: "TIL",
		Status: hubs.StatusOpen, On: now.AddDate(0, -1, 0)})
	if err != nil {
		log.Fatal(err)
	}
	on := time.Date(2014, 1, 20, 0, 0, 0, 0, time.UTC)
	changes := []hubs.VolunteerChange{
		{Key: "crm-101@1", New: hubs.NewVolunteer{Hub: hub.ID, Name: "A. Volunteer", Roles: []string{"welcome desk"}, Registered: on}},
		{Key: "crm-102@1", New: hubs.NewVolunteer{Hub: hub.ID, Registered: on}},
		{Key: "crm-103@1", New: hubs.NewVolunteer{Hub: hub.ID, Name: "B. Volunteer", Roles: []string{"cafe"}, Registered: on}},
	}
	for range 2 {
		res, err := svc.ImportVolunteers(ctx, coord, changes)
		if err != nil {
			log.Fatal(err)
		}
		for i, r := range res {
			fmt.Println(changes[i].Key, r.ID != "", r.Replay, r.Err)
		}
	}
	all, err := svc.Volunteers(ctx, coord, hubs.Span{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(all), "volunteers")
	// Output:
	// crm-101@1 true false <nil>
	// crm-102@1 false false hubs: invalid: Name: is required
	// crm-103@1 true false <nil>
	// crm-101@1 true true <nil>
	// crm-102@1 false false hubs: invalid: Name: is required
	// crm-103@1 true true <nil>
	// 2 volunteers
}
