package sdk_test

import (
	"context"
	"fmt"
	"log"
	"sync"

	"github.com/strongertogether/community/adapters/crm/sdk"
)

// awardsCRM is a CRM that takes grant awards back: it pulls nothing and
// keeps the ids it applied (a real CRM keeps them across restarts, in
// its own records).
type awardsCRM struct {
	mu      sync.Mutex
	applied map[string]bool
	awards  []string
}

func (c *awardsCRM) Describe(context.Context) (sdk.Description, error) {
	return sdk.Description{Name: "awards-crm", Version: "1.0.0", Kinds: []sdk.Kind{sdk.GrantAward},
		Capabilities: []sdk.Capability{sdk.CanPush}}, nil
}

func (c *awardsCRM) Pull(context.Context, sdk.PullRequest, func(sdk.Batch) error) error { return nil }

func (c *awardsCRM) Applied(_ context.Context, id string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.applied[id], nil
}

func (c *awardsCRM) Apply(_ context.Context, it sdk.Item) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.applied == nil {
		c.applied = map[string]bool{}
	}
	c.applied[it.ID] = true
	c.awards = append(c.awards, it.Record.ExternalID+" £"+it.Record.Fields["amount"])
	return nil
}

// A plugin's main is one call: Serve speaks protocol v1 to the host that
// started it and returns when the host closes it. (This example is
// compiled, not run: outside a host, Serve has no handshake to make.)
func ExampleServe() {
	sdk.Serve(&awardsCRM{}, sdk.WithLogger(sdk.Logger("awards-crm")))
}

// The SDK applies each pushed id once: the host pushes at least once,
// retrying what it is not sure arrived, and a redelivered item is
// reported as a duplicate, not applied again. Impl is the plugin as Serve
// serves it, for tests.
func ExampleImpl() {
	crm := &awardsCRM{}
	p := sdk.Impl(crm)
	award := sdk.Item{ID: "grant_award:app-1", Record: sdk.Record{Kind: sdk.GrantAward, ExternalID: "app-1", Version: 7,
		Fields: map[string]string{"amount": "240.00"}}}
	for range 2 {
		res, err := p.Push(context.Background(), []sdk.Item{award})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s ok=%v duplicate=%v\n", res[0].ID, res[0].OK, res[0].Duplicate)
	}
	fmt.Println(crm.awards)
	// Output:
	// grant_award:app-1 ok=true duplicate=false
	// grant_award:app-1 ok=true duplicate=true
	// [app-1 £240.00]
}
