package memory_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/shopspring/decimal"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
)

// A grants Service over the in-memory store, for tests and small demos:
// nothing is kept after the process ends.
func ExampleNewGrantsStore() {
	ctx := context.Background()
	now := time.Date(2014, time.June, 2, 9, 0, 0, 0, time.UTC)
	svc := grants.NewService(memory.NewGrantsStore(), grants.WithClock(func() time.Time { return now }))
	admin := call.As("admin")
	if err := svc.Bootstrap(ctx, admin); err != nil {
		log.Fatal(err)
	}
	pounds := decimal.RequireFromString
	fund, err := svc.CreateFund(ctx, admin.Key("small-sparks"), grants.NewFund{ID: "small-sparks", Name: "Small Sparks",
		FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00thr",
		Budgets:  []grants.Budget{{Year: 2014, Amount: pounds("10000")}},
		MinAward: pounds("50"), MaxAward: pounds("250")})
	if err != nil {
		log.Fatal(err)
	}
	// A retry with the same key returns the same fund and writes nothing.
	again, err := svc.CreateFund(ctx, admin.Key("small-sparks"), grants.NewFund{ID: "small-sparks", Name: "Small Sparks",
		FunderName: "Thurrock Council", FunderID: "GB-LAE-THR", Prefix: "a00thr",
		Budgets:  []grants.Budget{{Year: 2014, Amount: pounds("10000")}},
		MinAward: pounds("50"), MaxAward: pounds("250")})
	if err != nil {
		log.Fatal(err)
	}
	r, err := svc.Report(ctx, fund.ID, 2014)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(fund.ID, again.Version, grants.Pounds(r.Budget), grants.Pounds(r.Remaining))
	// Output:
	// small-sparks 1 £10,000.00 £10,000.00
}
