package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/timebank"
)

// BenchmarkTimebankImport imports a file of about 4 MiB of exchanges into
// a fresh SQLite database per iteration. With -benchmem, B/op is the heap
// the import allocates; "alloc/file" is that divided by the file's size,
// and "peakheap/file" the most live heap the import added at any time
// (sampled every 100µs, garbage not yet collected included), divided by
// the file's size, and "liveheap/file" the most heap a garbage collection
// during the import found live, divided by the file's size: the memory an
// import needs, whose target is at most 3.
//
// It runs on two files: rows of about 80 bytes, and rows whose description
// is about 500 bytes.
func BenchmarkTimebankImport(b *testing.B) {
	b.Run("rows=80B", func(b *testing.B) { benchmarkImport(b, "weeded the front garden and cut the hedge") })
	b.Run("rows=560B", func(b *testing.B) { benchmarkImport(b, strings.Repeat("weeded the garden, ", 25)) })
}

func benchmarkImport(b *testing.B, description string) {
	ctx := context.Background()
	const members = 40
	var file strings.Builder
	file.WriteString("date,giver,receiver,minutes,category,description\n")
	var ids []string
	for i := range members {
		ids = append(ids, fmt.Sprintf("P%02dQ", i))
	}
	day := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; file.Len() < 4<<20; i++ {
		fmt.Fprintf(&file, "%s,%s,%s,%d,gardening,%s %d\n",
			day.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), ids[i%members], ids[(i+1+(i/members)%(members-1))%members], 15*(1+i%8), description, i)
	}
	body := file.String()
	size := float64(len(body))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	var total, peak, peakLive uint64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, err := Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("import-%d.db", i)))
		require.NoError(b, err)
		n := 0
		svc := timebank.NewService(NewTimebankStore(db),
			timebank.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }),
			timebank.WithIDs(func(prefix string, _ time.Time) string { n++; return fmt.Sprintf("%s-%d", prefix, n) }))
		officer := call.As("officer")
		require.NoError(b, svc.Bootstrap(ctx, officer))
		bank, coord, err := svc.OpenBank(ctx, officer.Key("open"), timebank.NewBank{Name: "Bench", MinBalance: -6_000_000, Rounding: 15, Coordinator: timebank.NewMember{Name: "C"}})
		require.NoError(b, err)
		c := call.As(coord.ID)
		idOf := map[string]string{}
		for j := range members {
			m, err := svc.Join(ctx, c.Key(fmt.Sprintf("j%d", j)), timebank.NewMember{Bank: bank.ID, Name: fmt.Sprintf("M %d", j),
				Email: fmt.Sprintf("m%d@example.org", j), JoinedAt: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
			require.NoError(b, err)
			idOf[ids[j]] = m.ID
		}
		in := body
		for k, v := range idOf {
			in = strings.ReplaceAll(in, k, v)
		}
		r := strings.NewReader(in)
		runtime.GC()
		base, baseLive := liveHeap(), markedLive()
		stop, peakOf, peakLiveOf := watchHeap()
		b.StartTimer()
		before := allocated()
		res, err := svc.ImportExchanges(ctx, c.Key("import"), bank.ID, r)
		total += allocated() - before
		b.StopTimer()
		stop()
		peak += peakOf() - min(base, peakOf())
		peakLive += peakLiveOf() - min(baseLive, peakLiveOf())
		require.NoError(b, err)
		require.Positive(b, res.Exchanges)
		require.NoError(b, db.Close())
		b.StartTimer()
	}
	b.ReportMetric(float64(total)/float64(b.N)/size, "alloc/file")
	b.ReportMetric(float64(peak)/float64(b.N)/size, "peakheap/file")
	b.ReportMetric(float64(peakLive)/float64(b.N)/size, "liveheap/file")
}

// allocated returns the bytes allocated on the heap so far.
func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// markedLive returns the heap the last garbage collection found live.
func markedLive() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// liveHeap returns the bytes of live and not yet swept heap objects.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// watchHeap samples liveHeap and markedLive until stop is called; peak and
// peakLive return the most they saw.
func watchHeap() (stop func(), peak, peakLive func() uint64) {
	done := make(chan struct{})
	var max, maxLive atomic.Uint64
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			if h := liveHeap(); h > max.Load() {
				max.Store(h)
			}
			if h := markedLive(); h > maxLive.Load() {
				maxLive.Store(h)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	})
	return func() { close(done); wg.Wait() }, max.Load, maxLive.Load
}
