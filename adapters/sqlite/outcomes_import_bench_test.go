package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
)

// BenchmarkOutcomesImport imports a 1 MiB measurement file (about 24,000
// rows of monthly percentages with counts) into an empty framework on a
// fresh SQLite database; an op is one whole import. B/op is the Go heap
// the import allocates for the 1 MiB of input; "peak-heap-B" is the most
// live Go heap above what was live before it (SQLite's own memory is not
// in the Go heap).
func BenchmarkOutcomesImport(b *testing.B) {
	var file strings.Builder
	file.WriteString("indicator,area,period,value,count,denominator,lower,upper,source,note\n")
	for row := 0; file.Len() < 1<<20; row++ {
		ind, area, month := row%20, (row/20)%100, row/2000
		count := 1000 + row%37
		fmt.Fprintf(&file, "ind%02d,A%03d,%04d-%02d,%d.%d,%d,2000,,,survey,\n", ind, area, 2000+month/12, month%12+1, count/20, (count%20)*5, count)
	}
	in := file.String()
	ctx := context.Background()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	b.ReportAllocs()
	b.SetBytes(int64(len(in)))
	var peak uint64
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprint(i, ".db")))
		if err != nil {
			b.Fatal(err)
		}
		svc := outcomes.NewService(sqlite.NewOutcomesStore(db))
		admin := call.As("admin")
		if err := svc.Bootstrap(ctx, admin); err != nil {
			b.Fatal(err)
		}
		if _, err := svc.CreateFramework(ctx, admin.Key("fw"), outcomes.NewFramework{ID: "fw", Title: "F", Area: "A000"}); err != nil {
			b.Fatal(err)
		}
		for j := range 20 {
			if _, err := svc.PutIndicator(ctx, admin.Key(fmt.Sprint("ind", j)), outcomes.NewIndicator{ID: fmt.Sprintf("ind%02d", j),
				Framework: "fw", Title: "P", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion,
				Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.Month, Decimals: 2}); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		before := heap()
		done := make(chan struct{})
		var most atomic.Uint64
		go func() {
			t := time.NewTicker(100 * time.Microsecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					if h := heap(); h > most.Load() {
						most.Store(h)
					}
				}
			}
		}()
		b.StartTimer()
		_, err = svc.ImportMeasurements(ctx, admin.Key("import"), "fw", strings.NewReader(in))
		b.StopTimer()
		close(done)
		if err != nil {
			b.Fatal(err)
		}
		if m := most.Load(); m > before && m-before > peak {
			peak = m - before
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peak), "peak-heap-B")
}
