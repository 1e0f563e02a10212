package postgres_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/timebank"
)

// Open a database, keeping this council's tables in their own schema, and
// use it as a time bank's store. (Not run by go test: it needs a server.)
func ExampleOpen() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:5432/stronger?sslmode=disable&search_path=thurrock")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	store := postgres.NewTimebankStore(db)
	now := time.Now().UTC().Truncate(time.Microsecond)
	err = store.Apply(ctx, &timebank.Batch{
		Accounts: []*timebank.Account{
			{ID: timebank.IssuingAccountID("bank"), Bank: "bank", Kind: timebank.IssuingAccount},
			{ID: "mem_1", Bank: "bank", Kind: timebank.MemberAccount},
		},
		Transfers: []*timebank.Transfer{{
			ID: "tr_1", Bank: "bank", Kind: timebank.KindIssue, At: now, Actor: "coord",
			Postings: []timebank.Posting{
				{Account: timebank.IssuingAccountID("bank"), Amount: -120},
				{Account: "mem_1", Amount: 120},
			},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	a, err := store.Account(ctx, "mem_1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(a.Balance / timebank.MinutesPerCredit) // 2 credits
}
