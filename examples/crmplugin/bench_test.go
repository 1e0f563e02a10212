package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/strongertogether/community/adapters/crm"
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

// BenchmarkSyncSQLite syncs benchRecords volunteers from a real plugin
// subprocess into SQLite through the hubs Service, end to end.
func BenchmarkSyncSQLite(b *testing.B) {
	dir := b.TempDir()
	writeVolunteers(b, dir, benchRecords)
	p := start(b, dir)
	ctx := context.Background()
	n := 0
	var took time.Duration
	for b.Loop() {
		b.StopTimer()
		w := newWorld(b)
		e := w.engine(p, crm.NewFileState(filepath.Join(b.TempDir(), "state.json")))
		e.SetBatchSize(500)
		b.StartTimer()
		t0 := time.Now()
		rep, err := e.Sync(ctx)
		took += time.Since(t0)
		if err != nil {
			b.Fatal(err)
		}
		n += rep.Created + rep.Updated
	}
	b.ReportMetric(float64(n)/took.Seconds(), "records/s")
}
