package threesixty_test

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/threesixty"
	"github.com/strongertogether/community/grants"
)

// Publishing a fund's awards as 360Giving JSON. The fund and applications
// are what grants.Service.Fund and Applications return (read by an
// officer); here they are written out so the example stands alone. The
// grant to an individual publishes nothing personal about them.
func ExampleExport() {
	pounds := decimal.RequireFromString
	awarded := time.Date(2014, time.July, 1, 10, 0, 0, 0, time.UTC)
	fund := &grants.Fund{ID: "small-sparks", Name: "Small Sparks", FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00thr"}
	apps := []*grants.Application{
		{ID: "app-1", Fund: "small-sparks", Title: "Planters for Elm Close", Description: "Planters and bulbs for the close",
			Applicant: grants.Applicant{Type: grants.UnconstitutedGroup, Name: "Friends of Elm Close", ContactName: "Sam", Email: "sam@example.org"},
			Ward:      "Tilbury St Chads", Amount: pounds("240"), Award: pounds("240"), Paid: pounds("240"), AwardedAt: &awarded,
			Status: grants.Paid, UpdatedAt: awarded},
		{ID: "app-2", Fund: "small-sparks", Title: "Jo Bloggs's street party", Description: "Ring Jo on 01375 000111",
			Applicant: grants.Applicant{Type: grants.Individual, Name: "Jo Bloggs", ContactName: "Jo Bloggs", Phone: "01375 000111", Postcode: "RM16 4AA"},
			Ward:      "Chadwell St Mary", Amount: pounds("100"), Award: pounds("90"), AwardedAt: &awarded,
			Status: grants.Awarded, UpdatedAt: awarded},
	}
	pkg, err := threesixty.Export(fund, apps, threesixty.Options{Now: awarded.AddDate(0, 1, 0),
		Publisher: threesixty.Publisher{Identifier: fund.FunderID, Name: fund.FunderName},
		License:   "https://creativecommons.org/licenses/by/4.0/", Title: "Small Sparks grants 2014/15"})
	if err != nil {
		log.Fatal(err)
	}
	data, err := json.Marshal(pkg)
	if err != nil {
		log.Fatal(err)
	}
	if err := threesixty.ValidatePackage(data); err != nil {
		log.Fatal(err)
	}
	for _, g := range pkg.Grants {
		fmt.Println(g.ID, g.AmountAwarded, g.Title)
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(pkg.Grants[1].RecipientIndividual); err != nil {
		log.Fatal(err)
	}
	// Output:
	// 360G-a00thr-app-1 240.00 Planters for Elm Close
	// 360G-a00thr-app-2 90.00 Grant to an individual
	// {"id":"360G-a00thr-IND-app-2","name":"Individual Recipient"}
}
