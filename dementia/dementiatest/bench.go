package dementiatest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/dementia"
)

// fillAlliance writes members and actions straight into s, in batches:
// every member joined in January 2016; a tenth of the actions are done;
// due dates spread over 2016.
func fillAlliance(tb testing.TB, s dementia.Store, members, actions int) {
	tb.Helper()
	ctx := context.Background()
	at := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	b := &dementia.Batch{Staff: []*dementia.Staff{{ID: "coord", Roles: []dementia.Role{dementia.RoleCoordinator}, Active: true, Version: 1, CreatedAt: at, UpdatedAt: at}}}
	flush := func() {
		if err := s.Apply(ctx, b); err != nil {
			tb.Fatal(err)
		}
		b = &dementia.Batch{}
	}
	for i := range members {
		b.Members = append(b.Members, &dementia.Member{ID: fmt.Sprintf("mem-%05d", i), Name: fmt.Sprint("Org ", i), Sector: dementia.Sectors()[i%4],
			Areas: []dementia.Area{dementia.Areas()[i%8]}, Joined: at, Version: 1, CreatedAt: at, UpdatedAt: at})
	}
	flush()
	for i := range actions {
		a := &dementia.Action{ID: fmt.Sprintf("act-%06d", i), Member: fmt.Sprintf("mem-%05d", i%members), Title: "Action", Owner: "Owner",
			Due: at.AddDate(0, 0, i%366), Status: dementia.StatusInProgress, Version: 1, CreatedAt: at, UpdatedAt: at}
		if i%10 == 0 {
			a.Status = dementia.StatusDone
			a.Progress = []dementia.Progress{{On: at.AddDate(0, 0, i%300), Status: dementia.StatusDone, Note: "done", By: "coord"}}
		}
		b.Actions = append(b.Actions, a)
		if len(b.Actions) == 1000 {
			flush()
		}
	}
	if len(b.Actions) > 0 {
		flush()
	}
}

// BenchmarkCoordinator times the coordinator's view (overdue actions,
// silent members, communities due) over 1,000 members and 10,000 actions.
func BenchmarkCoordinator(b *testing.B, newStore func(b *testing.B) dementia.Store) {
	s := newStore(b)
	fillAlliance(b, s, 1000, 10000)
	svc := dementia.NewService(s, dementia.WithClock(func() time.Time { return time.Date(2017, 1, 1, 9, 0, 0, 0, time.UTC) }))
	ctx := context.Background()
	coord := call.As("coord")
	v, err := svc.Coordinator(ctx, coord)
	if err != nil {
		b.Fatal(err)
	}
	if len(v.Overdue) != 9000 {
		b.Fatalf("overdue: got %d, want 9000", len(v.Overdue))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := svc.Coordinator(ctx, coord); err != nil {
			b.Fatal(err)
		}
	}
}
