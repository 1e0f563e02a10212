package crm_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/crm/sdk"
	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// memSink is a plugin's CRM that takes pushed items, in memory: it keeps
// the ids applied (as a real CRM must, across restarts) and counts the
// applies.
type memSink struct {
	mu      sync.Mutex
	applied map[string]sdk.Item
	order   []string
	applies int
}

func (m *memSink) Describe(context.Context) (sdk.Description, error) {
	return sdk.Description{Name: "mem", Version: "1", Capabilities: []sdk.Capability{sdk.CanPush}}, nil
}

func (m *memSink) Pull(context.Context, sdk.PullRequest, func(sdk.Batch) error) error { return nil }

func (m *memSink) Applied(_ context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	_, ok := m.applied[id]
	return ok, nil
}

func (m *memSink) Apply(_ context.Context, it sdk.Item) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.applied == nil {
		m.applied = map[string]sdk.Item{}
	}
	m.applied[it.ID] = it
	m.order = append(m.order, it.ID)
	m.applies++
	return nil
}

// Members joining a time bank are pushed to the CRM by a Feed: it reads
// the bank's audit trail after its mark, pushes each join (with retries)
// and moves the mark past what was delivered. The plugin here is an
// in-memory CRM served through the SDK as a plugin process would be
// (sdk.Impl); in production the Pusher is a *crm.Plugin. Pushed again
// from the start, every item is a duplicate the SDK does not apply twice.
func ExampleFeed() {
	ctx := context.Background()
	n := 0
	svc := timebank.NewService(memory.NewTimebankStore(),
		timebank.WithClock(func() time.Time { return time.Date(2014, 2, 1, 9, 0, 0, 0, time.UTC) }),
		timebank.WithIDs(func(prefix string, _ time.Time) string { n++; return fmt.Sprintf("%s%d", prefix, n) }))
	officer := call.As("officer")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	bank, first, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Thurrock Time Bank",
		Coordinator: timebank.NewMember{Name: "Cath"}})
	if err != nil {
		log.Fatal(err)
	}
	coord := call.As(first.ID)
	for _, name := range []string{"Ann", "Bob"} {
		if _, err := svc.Join(ctx, coord.Key("join-"+name), timebank.NewMember{Bank: bank.ID, Name: name}); err != nil {
			log.Fatal(err)
		}
	}

	dir, err := os.MkdirTemp("", "crm-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	marks := crm.NewFileState(filepath.Join(dir, "state.json"))
	sink := &memSink{}
	feed := crm.NewFeed("members-joined", crm.MembersJoined(svc, coord, bank.ID), sdk.Impl(sink), marks,
		crm.Backoff{Tries: 3, First: 10 * time.Millisecond}, nil)

	rep, err := feed.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("pushed", rep.Pushed, "mark", rep.Mark)
	for _, id := range sink.order {
		f := sink.applied[id].Record.Fields
		fmt.Println(id, f["kind"], f["joined"])
	}

	// The mark is lost: everything again, applied once.
	if err := marks.SetMark(ctx, "members-joined", ""); err != nil {
		log.Fatal(err)
	}
	rep, err = feed.Run(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("pushed", rep.Pushed, "duplicates", rep.Duplicates, "applied", sink.applies)
	// Output:
	// pushed 3 mark 5
	// member_joined:mem2 first coordinator 2014-02-01
	// member_joined:mem3 individual 2014-02-01
	// member_joined:mem4 individual 2014-02-01
	// pushed 3 duplicates 3 applied 3
}
