package crm_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/crm/record"
	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// memCRM is a CRM held in memory: its change log is a list of records,
// and a cursor is the number of records read.
type memCRM struct{ log []crm.Record }

// add appends changes to the log.
func (m *memCRM) add(rs ...crm.Record) { m.log = append(m.log, rs...) }

// Pull sends the records of req.Kinds after the cursor.
func (m *memCRM) Pull(ctx context.Context, req crm.PullRequest, send func(crm.Batch) error) error {
	from := 0
	if req.Cursor != "" {
		n, err := strconv.Atoi(req.Cursor)
		if err != nil || n < 0 || n > len(m.log) {
			return fmt.Errorf("cursor %q: %w", req.Cursor, record.ErrBadCursor)
		}
		from = n
	}
	size := req.BatchSize
	if size <= 0 {
		size = 100
	}
	var b crm.Batch
	for i := from; i < len(m.log); i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(req.Kinds) == 0 || slices.Contains(req.Kinds, m.log[i].Kind) {
			b.Records = append(b.Records, m.log[i])
		}
		if len(b.Records) == size || i == len(m.log)-1 {
			b.Cursor = strconv.Itoa(i + 1)
			if err := send(b); err != nil {
				return err
			}
			b = crm.Batch{}
		}
	}
	return nil
}

// rec is a record of the CRM.
func rec(k crm.Kind, id string, v int64, kv ...string) crm.Record {
	f := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return crm.Record{Kind: k, ExternalID: id, Version: v, Fields: f}
}

// A CRM's people join a time bank: the Engine pulls them from the CRM (an
// in-memory one here; a *crm.Plugin in production), stores each through
// the timebank Service as the bank's coordinator, reports the record it
// refuses, and remembers each record's link and the cursor, so the
// second sync finds nothing new.
func ExampleEngine_Sync() {
	ctx := context.Background()
	n := 0
	svc := timebank.NewService(memory.NewTimebankStore(),
		timebank.WithClock(func() time.Time { return time.Date(2014, 2, 1, 9, 0, 0, 0, time.UTC) }),
		timebank.WithIDs(func(prefix string, _ time.Time) string { n++; return fmt.Sprintf("%s%d", prefix, n) }))
	officer := call.As("officer")
	if err := svc.Bootstrap(ctx, officer); err != nil {
		log.Fatal(err)
	}
	bank, coord, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Thurrock Time Bank",
		Coordinator: timebank.NewMember{Name: "Cath"}})
	if err != nil {
		log.Fatal(err)
	}

	src := &memCRM{}
	src.add(
		rec(crm.Person, "CRM-1", 1, "name", "Ann", "email", "ann@example.org", "joined", "2013-05-01"),
		rec(crm.Person, "CRM-2", 1, "name", "Bob", "email", "bob at home"),
		rec(crm.Person, "CRM-1", 2, "name", "Ann", "email", "ann.new@example.org"),
	)
	dir, err := os.MkdirTemp("", "crm-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	state := crm.NewFileState(filepath.Join(dir, "state.json"))
	e := crm.NewEngine(src, state, map[crm.Kind]crm.Applier{
		crm.Person: crm.TimebankMembers(svc, call.As(coord.ID), bank.ID, timebank.Individual),
	}, nil)

	rep, err := e.Sync(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("created %d, updated %d, cursor %s\n", rep.Created, rep.Updated, rep.Cursor)
	for _, re := range rep.Errors {
		fmt.Println("rejected:", re)
	}
	l, _, err := state.Link(ctx, crm.Person, "CRM-1")
	if err != nil {
		log.Fatal(err)
	}
	ann, err := svc.Member(ctx, call.As(coord.ID), l.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ann.ID, ann.Email, ann.JoinedAt.Format(time.DateOnly))

	rep, err = e.Sync(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("again: created", rep.Created, "updated", rep.Updated)
	// Output:
	// created 1, updated 1, cursor 3
	// rejected: person CRM-2 v1: join: timebank: invalid: Email: is not an email address
	// mem3 ann.new@example.org 2013-05-01
	// again: created 0 updated 0
}
