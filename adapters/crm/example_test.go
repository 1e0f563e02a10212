package crm_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/strongertogether/community/adapters/crm"
)

// A record's idempotency key names its kind, CRM id and version.
func ExampleKey() {
	fmt.Println(crm.Key(crm.Record{Kind: crm.Volunteer, ExternalID: "CRM-V000001", Version: 2}))
	// Output: crm:volunteer:11:CRM-V000001@2
}

// flaky fails its first push.
type flaky struct{ calls int }

func (f *flaky) Push(_ context.Context, items []crm.Item) ([]crm.Result, error) {
	f.calls++
	if f.calls == 1 {
		return nil, errors.New("connection reset")
	}
	out := make([]crm.Result, len(items))
	for i, it := range items {
		out[i] = crm.Result{ID: it.ID, OK: true}
	}
	return out, nil
}

// A grant award pushed to a CRM that fails once is delivered on the retry.
func ExamplePushWithRetry() {
	p := &flaky{}
	award := crm.Item{ID: "award-1", Record: crm.Record{Kind: crm.GrantAward, ExternalID: "360G-EX-1", Version: 1,
		Fields: map[string]string{"amount": "2500.00"}}}
	res, err := crm.PushWithRetry(context.Background(), p, []crm.Item{award}, crm.Backoff{Tries: 3, First: time.Millisecond})
	fmt.Println(res[0].OK, err, p.calls)
	// Output: true <nil> 2
}
