package crm_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/crm/sdk"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// BenchmarkFeed pushes the joining of 500 time bank members, read from
// SQLite through the timebank Service, to an in-process plugin (the SDK's
// Impl over an in-memory CRM), from the start each time: in rounds of 200
// items, and one item a round (each round a read of the audit trail, a
// push and a durable mark), the path the limit replaces.
func BenchmarkFeed(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "community.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	now := time.Date(2014, 2, 1, 9, 0, 0, 0, time.UTC)
	svc := timebank.NewService(sqlite.NewTimebankStore(db), timebank.WithClock(func() time.Time { return now }))
	officer := call.As("officer")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		b.Fatal(err)
	}
	bank, first, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Bank", Coordinator: timebank.NewMember{Name: "Cath"}})
	if err != nil {
		b.Fatal(err)
	}
	coord := call.As(first.ID)
	const members = 500
	for i := range members - 1 {
		if _, err := svc.Join(ctx, coord.Key(fmt.Sprint("join-", i)), timebank.NewMember{Bank: bank.ID, Name: fmt.Sprint("Member ", i)}); err != nil {
			b.Fatal(err)
		}
	}
	for _, limit := range []int{200, 1} {
		b.Run(fmt.Sprintf("limit=%d", limit), func(b *testing.B) {
			marks := crm.NewFileState(filepath.Join(b.TempDir(), "state.json"))
			b.ReportAllocs()
			items := 0
			for b.Loop() {
				if err := marks.SetMark(ctx, "members", ""); err != nil {
					b.Fatal(err)
				}
				feed := crm.NewFeed("members", crm.MembersJoined(svc, coord, bank.ID), sdk.Impl(&memSink{}), marks, crm.Backoff{Tries: 1}, nil)
				feed.SetLimit(limit)
				rep, err := feed.Run(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if rep.Pushed != members || rep.Duplicates != 0 {
					b.Fatalf("pushed %d (%d duplicates), want %d new", rep.Pushed, rep.Duplicates, members)
				}
				items += rep.Pushed
			}
			b.ReportMetric(float64(items)/b.Elapsed().Seconds(), "items/s")
		})
	}
}
