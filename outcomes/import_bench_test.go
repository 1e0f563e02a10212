package outcomes_test

import (
	"context"
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
)

// importFile returns a measurement file of about size bytes: monthly
// percentages with counts and denominators for 20 indicators, as many
// areas and months as it takes.
func importFile(size int) string {
	var b strings.Builder
	b.WriteString("indicator,area,period,value,count,denominator,lower,upper,source,note\n")
	for row := 0; b.Len() < size; row++ {
		ind, area, month := row%20, (row/20)%100, row/2000
		count := 1000 + row%37
		fmt.Fprintf(&b, "ind%02d,A%03d,%04d-%02d,%s,%d,2000,,,survey,\n", ind, area, 2000+month/12, month%12+1,
			fmt.Sprintf("%d.%d", count/20, (count%20)*5), count)
	}
	return b.String()
}

// importService returns a Service over a fresh memory store with the 20
// indicators of importFile.
func importService(tb testing.TB) (*outcomes.Service, call.Actor) {
	tb.Helper()
	ctx := context.Background()
	svc := outcomes.NewService(memory.NewOutcomesStore())
	admin := call.As("admin")
	require.NoError(tb, svc.Bootstrap(ctx, admin))
	_, err := svc.CreateFramework(ctx, admin.Key("fw"), outcomes.NewFramework{ID: "fw", Title: "F", Area: "A000"})
	require.NoError(tb, err)
	for i := range 20 {
		_, err := svc.PutIndicator(ctx, admin.Key(fmt.Sprint("ind", i)), outcomes.NewIndicator{ID: fmt.Sprintf("ind%02d", i),
			Framework: "fw", Title: "P", Unit: outcomes.UnitPercentage, ValueType: outcomes.ValueProportion,
			Polarity: outcomes.HigherIsBetter, PeriodType: outcomes.Month, Decimals: 2})
		require.NoError(tb, err)
	}
	return svc, admin
}

// BenchmarkImportMeasurements imports a 1 MiB measurement file (about
// 20,000 rows) into an empty framework on a memory store; an op is one
// whole import. B/op is the heap the import allocates for the 1 MiB of
// input, the store's copies included; "peak-heap-B" is the most live heap
// (objects not yet freed, sampled every 100µs) above what was live before
// the import.
func BenchmarkImportMeasurements(b *testing.B) {
	file := importFile(1 << 20)
	ctx := context.Background()
	b.ReportAllocs()
	b.SetBytes(int64(len(file)))
	var peak uint64
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	heap := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	for b.Loop() {
		b.StopTimer()
		svc, admin := importService(b)
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
		_, err := svc.ImportMeasurements(ctx, admin.Key("import"), "fw", strings.NewReader(file))
		b.StopTimer()
		close(done)
		if err != nil {
			b.Fatal(err)
		}
		if m := most.Load(); m > before && m-before > peak {
			peak = m - before
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(peak), "peak-heap-B")
}
