package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/examples/thurrock/replay"
	"github.com/strongertogether/community/outcomes/chart"
)

var (
	builtOnce sync.Once
	built     *replay.Summary
	builtErr  error
	builtDir  string
)

// TestMain removes the folder summary replayed into.
func TestMain(m *testing.M) {
	code := m.Run()
	if built != nil {
		built.Live.Close()
	}
	if builtDir != "" {
		os.RemoveAll(builtDir)
	}
	os.Exit(code)
}

// summary replays Thurrock once for the tests and benchmarks of this
// file, into a folder that outlives any one of them.
func summary(tb testing.TB) *replay.Summary {
	tb.Helper()
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "dashboard-test-")
		if err != nil {
			builtErr = err
			return
		}
		builtDir = dir
		built, builtErr = build(context.Background(), "", dir, io.Discard)
	})
	require.NoError(tb, builtErr)
	return built
}

func handler(tb testing.TB) http.Handler {
	tb.Helper()
	h, err := newServer(summary(tb), slog.New(slog.NewTextHandler(io.Discard, nil)), func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) })
	require.NoError(tb, err)
	return h
}

func get(tb testing.TB, h http.Handler, path string) (int, string) {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code, rec.Body.String()
}

// TestPages checks each page's figures come from the summary, and that
// the social prescribing page shows totals only.
func TestPages(t *testing.T) {
	h := handler(t)
	sum := summary(t)

	code, body := get(t, h, "/outcomes")
	require.Equal(t, http.StatusOK, code)
	for _, rep := range sum.Outcomes {
		for i := range rep.Rows {
			row := &rep.Rows[i]
			assert.Contains(t, body, `data-indicator="`+row.Indicator.ID+`">`+chart.Rating(row)+`<`, row.Indicator.ID)
			assert.Contains(t, body, chart.Latest(row), row.Indicator.ID)
		}
	}
	assert.NotContains(t, body, "<?xml", "charts are inlined without their XML declaration")

	code, body = get(t, h, "/prescribing")
	require.Equal(t, http.StatusOK, code)
	assert.Contains(t, body, ">"+group(itoa(sum.Prescribing.Referrals))+"<")
	assert.False(t, regexp.MustCompile(`\b\d{3} ?\d{3} ?\d{4}\b`).MatchString(body), "no NHS number on the page")

	code, body = get(t, h, "/dementia")
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, ">"+group(strconv.FormatInt(sum.Dementia.Friends.Total, 10))+"<")

	for _, p := range nav {
		code, body := get(t, h, p.Href)
		assert.Equal(t, http.StatusOK, code, p.Href+": "+body)
	}

	code, body = get(t, h, "/hubs")
	require.Equal(t, http.StatusOK, code)
	for _, hy := range sum.Hubs {
		assert.Contains(t, body, hy.Hub.Name)
	}

	code, body = get(t, h, "/grants/360giving.json")
	require.Equal(t, http.StatusOK, code)
	assert.True(t, strings.HasPrefix(strings.TrimSpace(body), "{"))

	code, _ = get(t, h, "/api/oruk/services")
	assert.Equal(t, http.StatusOK, code)
	code, _ = get(t, h, "/no-such-page")
	assert.Equal(t, http.StatusNotFound, code)
}

// BenchmarkOutcomesPage renders the outcome framework page (every chart
// and table) and reports the 95th percentile time per request.
func BenchmarkOutcomesPage(b *testing.B) {
	h := handler(b)
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		code, _ := get(b, h, "/outcomes")
		times = append(times, time.Since(start))
		if code != http.StatusOK {
			b.Fatalf("status %d", code)
		}
	}
	b.StopTimer()
	sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
	b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
}

func itoa(i int) string { return strconv.Itoa(i) }
