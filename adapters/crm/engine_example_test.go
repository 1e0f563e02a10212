package crm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/strongertogether/community/adapters/crm"
)

// batches is a Source of fixed batches, resuming after the cursor given.
type batches []crm.Batch

func (bs batches) Pull(_ context.Context, req crm.PullRequest, send func(crm.Batch) error) error {
	started := req.Cursor == ""
	for _, b := range bs {
		if started {
			if err := send(b); err != nil {
				return err
			}
		}
		started = started || b.Cursor == req.Cursor
	}
	return nil
}

// people stores person records in a map, a whole batch at a call.
type people struct {
	byKey map[string]string // idempotency key → id
	calls int
}

func (p *people) Create(ctx context.Context, key string, r crm.Record) (string, error) {
	res, err := p.ApplyBatch(ctx, []crm.Change{{Key: key, Record: r}})
	if err != nil {
		return "", err
	}
	return res[0].ID, res[0].Err
}

func (p *people) Update(ctx context.Context, key, id string, r crm.Record) error {
	_, err := p.ApplyBatch(ctx, []crm.Change{{Key: key, ID: id, Record: r}})
	return err
}

func (p *people) ApplyBatch(_ context.Context, cs []crm.Change) ([]crm.Applied, error) {
	p.calls++
	out := make([]crm.Applied, len(cs))
	for i, c := range cs {
		switch id, seen := p.byKey[c.Key]; {
		case c.Record.Fields["name"] == "":
			out[i].Err = crm.Reject(errors.New("name: is required"))
		case seen:
			out[i].ID = id // a replay: the first result
		case c.ID != "":
			p.byKey[c.Key], out[i].ID = c.ID, c.ID
		default:
			id := fmt.Sprint("person-", len(p.byKey)+1)
			p.byKey[c.Key], out[i].ID = id, id
		}
	}
	return out, nil
}

// An applier with ApplyBatch gets each pulled batch whole; a bad record
// is reported and skipped, and a second sync finds nothing new past the
// durable cursor.
func ExampleBatchApplier() {
	dir, err := os.MkdirTemp("", "crm-example-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	rec := func(id string, v int64, name string) crm.Record {
		return crm.Record{Kind: crm.Person, ExternalID: id, Version: v, Fields: map[string]string{"name": name}}
	}
	src := batches{
		{Cursor: "c1", Records: []crm.Record{rec("P1", 1, "Ann"), rec("P2", 1, ""), rec("P3", 1, "Cy")}},
		{Cursor: "c2", Records: []crm.Record{rec("P1", 2, "Ann B"), rec("P4", 1, "Di")}},
	}
	p := &people{byKey: map[string]string{}}
	state := crm.NewFileState(filepath.Join(dir, "state.json"))
	e := crm.NewEngine(src, state, map[crm.Kind]crm.Applier{crm.Person: p}, nil)
	for range 2 {
		rep, err := e.Sync(context.Background())
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(rep.Batches, rep.Created, rep.Updated, len(rep.Errors), rep.Cursor)
	}
	fmt.Println(p.calls, "calls")
	// Output:
	// 2 3 1 1 c2
	// 0 0 0 0 c2
	// 2 calls
}
