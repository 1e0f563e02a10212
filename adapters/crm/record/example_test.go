package record_test

import (
	"fmt"
	"strings"

	"github.com/strongertogether/community/adapters/crm/record"
)

// Check holds a record to the protocol's limits before it crosses the
// wire: a known kind, an external id, a version from 1, and at most
// MaxFields fields of at most MaxFieldBytes each.
func ExampleCheck() {
	good := record.Record{Kind: record.Volunteer, ExternalID: "CRM-V1", Version: 1,
		Fields: map[string]string{"name": "Ann", "registered": "2014-01-02"}}
	fmt.Println(record.Check(good))

	for _, r := range []record.Record{
		{Kind: "customer", ExternalID: "C1", Version: 1},
		{Kind: record.Volunteer, ExternalID: "CRM-V2", Version: 0},
		{Kind: record.Volunteer, ExternalID: "CRM-V3", Version: 1, Fields: map[string]string{"notes": strings.Repeat("x", record.MaxFieldBytes+1)}},
		{Kind: record.Person, Version: 1},
	} {
		fmt.Println(record.Check(r))
	}
	// Output:
	// <nil>
	// record "C1": kind "customer" is unknown
	// record volunteer "CRM-V2": version 0; versions start at 1
	// record volunteer "CRM-V3": field "notes" has 4097 bytes, over 4096
	// record person: the external id is empty
}

// Kinds lists what protocol v1 carries, in wire order: records pulled
// from a CRM, then events pushed to it.
func ExampleKinds() {
	fmt.Println(record.Kinds())
	// Output: [person organisation volunteer volunteer_session hub_visit hub_event grant_application referral grant_award referral_status member_joined]
}
