package oruk_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http/httptest"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/adapters/oruk"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/hubs"
)

// A council's directory, served as the ORUK API and searched as a
// client would.
func Example() {
	ctx := context.Background()
	svc := hubs.NewService(memory.NewHubsStore())
	admin, editor := call.As("admin"), call.As("editor")
	if err := svc.Bootstrap(ctx, admin); err != nil {
		log.Fatal(err)
	}
	if _, err := svc.Grant(ctx, admin.Key("grant-editor"), editor.ID, hubs.RoleEditor); err != nil {
		log.Fatal(err)
	}
	org, err := svc.AddOrganization(ctx, editor.Key("org"), hubs.NewOrganization{Name: "Citizens Advice Thurrock", Description: "Free, confidential advice."})
	if err != nil {
		log.Fatal(err)
	}
	loc, err := svc.AddLocation(ctx, editor.Key("loc"), hubs.NewLocation{Name: "Tilbury Hub", Address1: "Civic Square", City: "Tilbury",
		Postcode: "RM18 8AD", Lat: 51.4625, Long: 0.3589})
	if err != nil {
		log.Fatal(err)
	}
	for i, name := range []string{"Debt advice surgery", "Knit and natter"} {
		_, err := svc.AddListing(ctx, editor.Key(fmt.Sprint("listing-", i)), hubs.NewListing{OrganizationID: org.ID, Name: name,
			LocationIDs: []string{loc.ID}, Schedules: []hubs.Schedule{{Freq: "WEEKLY", ByDay: "TU", OpensAt: "10:00", ClosesAt: "12:00"}}})
		if err != nil {
			log.Fatal(err)
		}
	}

	srv := httptest.NewServer(oruk.NewHandler(svc, oruk.Options{StateProvince: "Essex"}))
	defer srv.Close()
	res, err := srv.Client().Get(srv.URL + "/services?search=advice&day=tuesday")
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	var page oruk.Page[oruk.Service]
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"), page.TotalItems)
	for _, s := range page.Contents {
		a := s.ServiceAtLocations[0].Location.Addresses[0]
		fmt.Printf("%s, %s at %s, %s\n", s.Name, s.Organization.Name, a.Address1, a.PostalCode)
	}
	// Output:
	// 200 * 1
	// Debt advice surgery, Citizens Advice Thurrock at Civic Square, RM18 8AD
}
