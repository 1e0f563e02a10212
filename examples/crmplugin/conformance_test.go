package main

import (
	"testing"

	"github.com/strongertogether/community/adapters/crm/crmtest"
	"github.com/strongertogether/community/adapters/crm/sdk"
)

// The example plugin passes the conformance kit.
func TestConformance(t *testing.T) {
	dir := t.TempDir()
	writeVolunteers(t, dir, 60)
	crmtest.Run(t, newFolder(dir, sdk.Logger("crmplugin-test")), crmtest.WithPush(func(id string) sdk.Item {
		return sdk.Item{ID: id, Record: sdk.Record{Kind: sdk.GrantAward, ExternalID: "APP-" + id, Version: 1,
			Fields: map[string]string{"application": "APP-" + id, "amount": "100.00"}}}
	}))
}
