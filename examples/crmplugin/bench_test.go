package main

import (
	"context"
	"testing"
	"time"

	"github.com/strongertogether/community/adapters/crm"
	"github.com/strongertogether/community/adapters/crm/record"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/hubs"
)

// BenchmarkUnaryRoundTrip is one Describe through a real plugin
// subprocess (mutual TLS over a unix socket).
func BenchmarkUnaryRoundTrip(b *testing.B) {
	p := start(b, b.TempDir())
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Describe(ctx); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/call")
}

const benchRecords = 20000

// BenchmarkPullStream pulls benchRecords volunteers from a real plugin
// subprocess in batches of 500, storing nothing: the transport's ceiling.
func BenchmarkPullStream(b *testing.B) {
	dir := b.TempDir()
	writeVolunteers(b, dir, benchRecords)
	p := start(b, dir)
	ctx := context.Background()
	n := 0
	start := time.Now()
	for b.Loop() {
		err := p.Pull(ctx, crm.PullRequest{Kinds: []crm.Kind{crm.Volunteer}, BatchSize: 500}, func(bt crm.Batch) error {
			n += len(bt.Records)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "records/s")
}

// BenchmarkPullOnePerCall pulls the same volunteers one record per call
// (batch size 1, a call per record), the path batching replaces.
func BenchmarkPullOnePerCall(b *testing.B) {
	dir := b.TempDir()
	writeVolunteers(b, dir, 2000)
	p := start(b, dir)
	ctx := context.Background()
	n := 0
	start := time.Now()
	for b.Loop() {
		cur := ""
		for {
			got := 0
			err := p.Pull(ctx, crm.PullRequest{Cursor: cur, Kinds: []crm.Kind{crm.Volunteer}, BatchSize: 1}, func(bt crm.Batch) error {
				got += len(bt.Records)
				cur = bt.Cursor
				return errStop
			})
			if err != nil && err != errStop {
				b.Fatal(err)
			}
			if got == 0 {
				break
			}
			n += got
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "records/s")
}

type stopErr struct{}

func (stopErr) Error() string { return "stop" }

var errStop error = stopErr{}

// syncRecords is how many volunteers BenchmarkSyncSQLite syncs on the
// batched path (with a second version of every tenth: 110,000 records
// stored, and four bad ones reported), and slowRecords how many on the
// one-record-per-call path, which is too slow for as many.
const (
	syncRecords = 100_000
	slowRecords = 2_000
)

// BenchmarkSyncSQLite syncs volunteers from a real plugin subprocess into
// SQLite through the hubs Service, end to end, with the sync state in the
// same database (sqlite.CRMState), two ways in one run:
//
//   - batched: one Pull stream of 1,000-record batches, stored with one
//     ImportVolunteers call (one store transaction) per batch, or per
//     group of batches that waited meanwhile (SetGroup, up to
//     hubs.MaxVolunteerChanges records), and their links and cursor
//     committed in one more;
//   - one per call: a Pull call per record, each record stored with its
//     own RegisterVolunteer or UpdateVolunteer call and committed alone.
//
// It reports records/s of each (records stored over the time the syncs
// took) and their ratio.
func BenchmarkSyncSQLite(b *testing.B) {
	ctx := context.Background()
	fast, slow := b.TempDir(), b.TempDir()
	writeVolunteers(b, fast, syncRecords)
	writeVolunteers(b, slow, slowRecords)
	pf, ps := start(b, fast), start(b, slow)
	var nFast, nSlow int
	var tFast, tSlow time.Duration
	run := func(src crm.Source, batch int, one bool) (int, time.Duration) {
		b.StopTimer()
		w := newWorld(b)
		st, err := sqlite.NewCRMState(w.db, "csv-folder")
		if err != nil {
			b.Fatal(err)
		}
		var a crm.Applier = crm.HubsVolunteers(w.svc, w.coord, w.hub)
		if one {
			a = single{a} // Create and Update only: a call per record
		}
		e := crm.NewEngine(src, st, map[crm.Kind]crm.Applier{crm.Volunteer: a}, nil)
		e.SetBatchSize(batch)
		if !one {
			e.SetGroup(hubs.MaxVolunteerChanges)
		}
		b.StartTimer()
		t0 := time.Now()
		rep, err := e.Sync(ctx)
		took := time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		if len(rep.Errors) != 4 {
			b.Fatalf("%d records rejected, want the 4 bad ones", len(rep.Errors))
		}
		return rep.Created + rep.Updated, took
	}
	for b.Loop() {
		n, d := run(pf, record.MaxBatch, false)
		nFast, tFast = nFast+n, tFast+d
		n, d = run(onePerCall{ps}, 1, true)
		nSlow, tSlow = nSlow+n, tSlow+d
	}
	fastRate, slowRate := float64(nFast)/tFast.Seconds(), float64(nSlow)/tSlow.Seconds()
	b.ReportMetric(fastRate, "records/s")
	b.ReportMetric(slowRate, "one-per-call-records/s")
	b.ReportMetric(fastRate/slowRate, "batched/one-per-call")
}

// single hides an Applier's ApplyBatch, so the engine stores each record
// with its own Service call.
type single struct{ a crm.Applier }

func (s single) Create(ctx context.Context, key string, r crm.Record) (string, error) {
	return s.a.Create(ctx, key, r)
}

func (s single) Update(ctx context.Context, key, id string, r crm.Record) error {
	return s.a.Update(ctx, key, id, r)
}

// onePerCall is a Source that makes one Pull call per record: batch size
// 1, ending each call after its first batch.
type onePerCall struct{ p *crm.Plugin }

func (o onePerCall) Pull(ctx context.Context, req crm.PullRequest, send func(crm.Batch) error) error {
	cur := req.Cursor
	for {
		var got *crm.Batch
		err := o.p.Pull(ctx, crm.PullRequest{Cursor: cur, Kinds: req.Kinds, BatchSize: 1}, func(bt crm.Batch) error {
			got = &bt
			return errStop
		})
		if err != nil && err != errStop {
			return err
		}
		if got == nil {
			return nil
		}
		if err := send(*got); err != nil {
			return err
		}
		cur = got.Cursor
	}
}
