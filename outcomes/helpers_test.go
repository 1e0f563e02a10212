package outcomes_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
)

// b3Path is the seed's B3 framework, shipped as data.
const b3Path = "../examples/frameworks/thurrock-b3.json"

var t0 = time.Date(2017, time.June, 1, 9, 0, 0, 0, time.UTC)

// fixture is a Service over a memory store with a clock the test moves.
type fixture struct {
	svc   *outcomes.Service
	store *memory.OutcomesStore
	now   atomic.Int64
	keys  atomic.Int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: memory.NewOutcomesStore()}
	f.now.Store(t0.UnixMicro())
	var n atomic.Int64
	f.svc = outcomes.NewService(f.store,
		outcomes.WithClock(func() time.Time { return time.UnixMicro(f.now.Load()) }),
		outcomes.WithIDs(func(prefix string, _ time.Time) string { return fmt.Sprintf("%s_%d", prefix, n.Add(1)) }))
	require.NoError(t, f.svc.Bootstrap(context.Background(), call.As("officer")))
	return f
}

// w returns a write by actor under a fresh idempotency key.
func (f *fixture) w(actor string) call.Write { return call.As(actor).Key(f.key()) }

// advance moves the clock on.
func (f *fixture) advance(d time.Duration) { f.now.Add(d.Microseconds()) }

// key returns a fresh idempotency key.
func (f *fixture) key() string { return fmt.Sprintf("k%d", f.keys.Add(1)) }

// loadB3 loads the seed's framework as "officer".
func (f *fixture) loadB3(t *testing.T) *outcomes.Loaded {
	t.Helper()
	file, err := os.Open(b3Path)
	require.NoError(t, err)
	defer file.Close()
	l, err := f.svc.LoadFramework(context.Background(), f.w("officer"), file)
	require.NoError(t, err)
	return l
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decp(s string) *decimal.Decimal { d := dec(s); return &d }

// events counts the audit events of the store.
func (f *fixture) events(t *testing.T) int {
	t.Helper()
	es, err := f.store.Events(context.Background(), outcomes.EventFilter{})
	require.NoError(t, err)
	return len(es)
}

func decFromInt(n int64) decimal.Decimal { return decimal.NewFromInt(n) }

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

func mustOpen(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f
}
