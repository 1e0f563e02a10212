package postgres_test

import (
	"context"
	"fmt"
	"log"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// Open a database, keeping this council's tables in their own schema, and
// run a time bank on it. (Not run by go test: it needs a server.)
func ExampleOpen() {
	ctx := context.Background()
	db, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:5432/stronger?sslmode=disable&search_path=thurrock")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	tb := timebank.NewService(postgres.NewTimebankStore(db))
	officer := call.As("officer-1")
	if err := tb.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err) // ErrConflict if the schema has its first administrator already
	}
	bank, coord, err := tb.OpenBank(ctx, officer.Key("open-grays"), timebank.NewBank{
		Name: "Grays Time Bank", Coordinator: timebank.NewMember{Name: "Cath"},
	})
	if err != nil {
		log.Fatal(err)
	}
	cath := call.As(coord.ID)
	hub, err := tb.Join(ctx, cath.Key("join-hub"), timebank.NewMember{Bank: bank.ID, Name: "Grays Hub", Kind: timebank.Organisation})
	if err != nil {
		log.Fatal(err)
	}
	ann, err := tb.Join(ctx, cath.Key("join-ann"), timebank.NewMember{Bank: bank.ID, Name: "Ann"})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := tb.Issue(ctx, call.As(hub.ID).Key("issue-1"), timebank.Issue{Member: ann.ID, Minutes: 120, Certifier: hub.ID}); err != nil {
		log.Fatal(err)
	}
	minutes, err := tb.Balance(ctx, call.As(ann.ID), ann.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(timebank.Hours(minutes), "credits") // 2 credits
}
