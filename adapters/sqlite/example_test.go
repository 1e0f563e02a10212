package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// Opening a database file and running a time bank on it. Open creates the
// file (readable by its owner only) and brings the schema up to date; the
// time bank's store is one of several that can share the DB.
func ExampleOpen() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "sqlite-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	db, err := sqlite.Open(ctx, filepath.Join(dir, "community.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			log.Fatal(err)
		}
	}()
	tb := timebank.NewService(sqlite.NewTimebankStore(db))

	officer := call.As("officer-1")
	if err := tb.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	bank, coord, err := tb.OpenBank(ctx, officer.Key("open-grays"), timebank.NewBank{
		Name: "Grays Time Bank", Coordinator: timebank.NewMember{Name: "Cath"},
	})
	if err != nil {
		log.Fatal(err)
	}
	ann, err := tb.Join(ctx, call.As(coord.ID).Key("join-1"), timebank.NewMember{Bank: bank.ID, Name: "Ann"})
	if err != nil {
		log.Fatal(err)
	}
	// A stranger may not read Ann's details.
	_, err = tb.Member(ctx, call.As("someone"), ann.ID)
	fmt.Println(errors.Is(err, timebank.ErrForbidden))
	m, err := tb.Member(ctx, call.As(ann.ID), ann.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(bank.Name, "-", m.Name, m.Status)
	// Output:
	// true
	// Grays Time Bank - Ann active
}
