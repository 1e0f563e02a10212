package crmtest_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/strongertogether/community/adapters/crm/crmtest"
	"github.com/strongertogether/community/adapters/crm/sdk"
)

// ourCRM is a plugin author's CRM: a list of volunteers whose cursor is
// "v1:" and the number of records sent.
type ourCRM struct{ n int }

func (c ourCRM) Describe(context.Context) (sdk.Description, error) {
	return sdk.Description{Name: "our-crm", Version: "1.0.0", Kinds: []sdk.Kind{sdk.Volunteer},
		Capabilities: []sdk.Capability{sdk.CanPull}}, nil
}

func (c ourCRM) Pull(ctx context.Context, req sdk.PullRequest, send func(sdk.Batch) error) error {
	from := 0
	if req.Cursor != "" {
		n, err := strconv.Atoi(req.Cursor[min(3, len(req.Cursor)):])
		if len(req.Cursor) < 3 || req.Cursor[:3] != "v1:" || err != nil || n < 0 || n > c.n {
			return fmt.Errorf("cursor %.20q: %w", req.Cursor, sdk.ErrBadCursor)
		}
		from = n
	}
	size := req.BatchSize
	if size <= 0 {
		size = 100
	}
	for i := from; i < c.n; i += size {
		if err := ctx.Err(); err != nil {
			return err
		}
		var b sdk.Batch
		for j := i; j < min(i+size, c.n); j++ {
			b.Records = append(b.Records, sdk.Record{Kind: sdk.Volunteer, ExternalID: "V" + strconv.Itoa(j), Version: 1,
				Fields: map[string]string{"name": "Volunteer " + strconv.Itoa(j), "registered": "2014-01-02"}})
		}
		b.Cursor = "v1:" + strconv.Itoa(min(i+size, c.n))
		if err := send(b); err != nil {
			return err
		}
	}
	return nil
}

// A plugin author's conformance test is one line in the plugin's own
// tests:
//
//	func TestConformance(t *testing.T) { crmtest.Run(t, ourCRM{n: 60}) }
//
// Check runs the same checks and returns the problems instead of failing
// the test. It needs a testing.TB; outside a test function,
// testing.Benchmark provides one, as here.
func ExampleCheck() {
	testing.Benchmark(func(b *testing.B) {
		if b.N > 1 {
			return // the kit runs once; the benchmark's later rounds do nothing
		}
		probs := crmtest.Check(b, ourCRM{n: 60})
		fmt.Println("problems:", len(probs))
		// A CRM with too few records cannot show that it pages stably.
		for _, p := range crmtest.Check(b, ourCRM{n: 0}) {
			fmt.Println(p)
		}
	})
	// Output:
	// problems: 0
	// paging: the kit needs at least 15 records to page through; the plugin sent 0
}

// TestConformanceOfExample is the one-line test of the example's plugin.
func TestConformanceOfExample(t *testing.T) { crmtest.Run(t, ourCRM{n: 60}) }
