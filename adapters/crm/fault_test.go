package crm

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	plugin "github.com/hashicorp/go-plugin"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/strongertogether/community/adapters/crm/internal/wire"
	"github.com/strongertogether/community/adapters/crm/record"
	"github.com/strongertogether/community/adapters/crm/sdk"
	"github.com/strongertogether/community/internal/idem"
)

// inProcess serves impl over go-plugin's gRPC test connection, with no
// SDK in between (so it may send what the SDK would refuse), and returns
// the host's Plugin for it.
func inProcess(t *testing.T, impl record.Protocol) *Plugin {
	client, _ := plugin.TestPluginGRPCConn(t, false, map[string]plugin.Plugin{wire.PluginName: &wire.GRPCPlugin{Impl: impl}})
	t.Cleanup(func() { client.Close() })
	raw, err := client.Dispense(wire.PluginName)
	require.NoError(t, err)
	return &Plugin{impl: raw.(record.Protocol), cfg: Config{CallTimeout: 300 * time.Millisecond, BatchTimeout: 300 * time.Millisecond}}
}

// scripted sends its batches, then does what then says.
type scripted struct {
	batches []Batch
	then    func(ctx context.Context) error
}

func (s scripted) Describe(context.Context) (Description, error) {
	return Description{Name: "scripted", Version: "1"}, nil
}

func (s scripted) Pull(ctx context.Context, _ PullRequest, send func(Batch) error) error {
	for _, b := range s.batches {
		if err := send(b); err != nil {
			return err
		}
	}
	if s.then != nil {
		return s.then(ctx)
	}
	return nil
}

func (s scripted) Push(ctx context.Context, items []Item) ([]Result, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func people(from, n int, cursor string) Batch {
	b := Batch{Cursor: cursor}
	for i := from; i < from+n; i++ {
		b.Records = append(b.Records, Record{Kind: Person, ExternalID: fmt.Sprintf("P%d", i), Version: 1, Fields: map[string]string{"name": "x"}})
	}
	return b
}

// memApplier stores people in a map by key, as a Service would.
type memApplier struct {
	byKey map[string]string
	fail  func(Record) error
}

func (m *memApplier) Create(_ context.Context, key string, r Record) (string, error) {
	if m.fail != nil {
		if err := m.fail(r); err != nil {
			return "", err
		}
	}
	if id, ok := m.byKey[key]; ok {
		return id, nil
	}
	id := fmt.Sprintf("id-%d", len(m.byKey))
	m.byKey[key] = id
	return id, nil
}

func (m *memApplier) Update(ctx context.Context, key, _ string, r Record) error {
	_, err := m.Create(ctx, key, r)
	return err
}

func newEngine(t *testing.T, p *Plugin, a *memApplier) (*Engine, *FileState) {
	st := NewFileState(filepath.Join(t.TempDir(), "state.json"))
	e := NewEngine(p, st, map[Kind]Applier{Person: a}, nil)
	return e, st
}

// A plugin that hangs past its deadline gives ErrDeadline; what came
// before is stored and the cursor stands after it.
func TestFaultHang(t *testing.T) {
	p := inProcess(t, scripted{batches: []Batch{people(0, 5, "c1")}, then: func(ctx context.Context) error {
		time.Sleep(3 * time.Second) // ignores its context
		return nil
	}})
	a := &memApplier{byKey: map[string]string{}}
	e, st := newEngine(t, p, a)
	start := time.Now()
	_, err := e.Sync(context.Background())
	require.ErrorIs(t, err, ErrDeadline)
	assert.Less(t, time.Since(start), 2*time.Second)
	cur, _ := st.Cursor(context.Background())
	assert.Equal(t, "c1", cur)
	assert.Len(t, a.byKey, 5)

	_, err = p.Push(context.Background(), nil)
	require.ErrorIs(t, err, ErrDeadline, "a push past CallTimeout")
}

// A plugin that sends garbage gives ErrPlugin naming the fault; nothing of
// the bad batch is stored.
func TestFaultGarbage(t *testing.T) {
	for name, bad := range map[string]Batch{
		"version 0":   {Cursor: "c2", Records: []Record{{Kind: Person, ExternalID: "P9", Version: 0}}},
		"no id":       {Cursor: "c2", Records: []Record{{Kind: Person, Version: 1}}},
		"huge batch":  people(100, record.MaxBatch+1, "c2"),
		"long cursor": {Cursor: string(make([]byte, record.MaxCursor+1)), Records: people(5, 1, "").Records},
	} {
		t.Run(name, func(t *testing.T) {
			p := inProcess(t, scripted{batches: []Batch{people(0, 5, "c1"), bad}})
			a := &memApplier{byKey: map[string]string{}}
			e, st := newEngine(t, p, a)
			_, err := e.Sync(context.Background())
			require.ErrorIs(t, err, ErrPlugin)
			cur, _ := st.Cursor(context.Background())
			assert.Equal(t, "c1", cur)
			assert.Len(t, a.byKey, 5, "nothing of the bad batch is stored")
		})
	}
}

// A plugin that fails mid-pull (a crash looks the same to the host) gives
// ErrPlugin; the cursor stands after the last stored batch.
func TestFaultPluginError(t *testing.T) {
	p := inProcess(t, scripted{batches: []Batch{people(0, 5, "c1")}, then: func(context.Context) error { return errors.New("boom") }})
	a := &memApplier{byKey: map[string]string{}}
	e, st := newEngine(t, p, a)
	_, err := e.Sync(context.Background())
	require.ErrorIs(t, err, ErrPlugin)
	assert.ErrorContains(t, err, "boom")
	cur, _ := st.Cursor(context.Background())
	assert.Equal(t, "c1", cur)
}

// A record a Service rejects is reported and skipped; a store failure
// stops the sync without moving the cursor past its batch; a re-run after
// the failure stores each record once.
func TestEngineRejectAndStop(t *testing.T) {
	p := inProcess(t, scripted{batches: []Batch{people(0, 5, "c1"), people(5, 5, "c2")}})
	down := true
	a := &memApplier{byKey: map[string]string{}, fail: func(r Record) error {
		switch {
		case r.ExternalID == "P2":
			return Reject(errors.New("name: is required"))
		case r.ExternalID == "P7" && down:
			return errors.New("database is down")
		}
		return nil
	}}
	e, st := newEngine(t, p, a)
	rep, err := e.Sync(context.Background())
	require.ErrorContains(t, err, "database is down")
	require.Len(t, rep.Errors, 1)
	assert.Equal(t, "P2", rep.Errors[0].ExternalID)
	cur, _ := st.Cursor(context.Background())
	assert.Equal(t, "c1", cur)

	down = false
	p2 := inProcess(t, scripted{batches: []Batch{people(5, 5, "c2")}})
	e2 := NewEngine(p2, st, map[Kind]Applier{Person: a}, nil)
	rep, err = e2.Sync(context.Background())
	require.NoError(t, err)
	// P5 and P6, stored before the failure, were linked (under the old
	// cursor): the re-run finds them stored.
	assert.Equal(t, 3, rep.Created)
	assert.Equal(t, 2, rep.Unchanged)
	assert.Len(t, a.byKey, 9, "P0..P9 less the rejected P2, each once")
}

// Keys differ whenever kind, id or version differ, even with separators
// inside ids.
func TestKeyUnambiguous(t *testing.T) {
	a := Key(Record{Kind: Person, ExternalID: "a@1", Version: 2})
	b := Key(Record{Kind: Person, ExternalID: "a", Version: 12})
	assert.NotEqual(t, a, b)
	assert.NotEqual(t, Key(Record{Kind: Person, ExternalID: "x", Version: 1}), Key(Record{Kind: Volunteer, ExternalID: "x", Version: 1}))
}

// Every key fits the Services' keys, with an applier's further steps, and
// stays distinct; a key that fits is written plain, as earlier syncs
// wrote it, and only one that would not is hashed.
func TestKeyFitsServices(t *testing.T) {
	seen := map[string]bool{}
	for _, k := range record.Kinds() {
		for n := 1; n <= record.MaxIDBytes; n++ {
			for _, id := range []string{strings.Repeat("x", n), strings.Repeat("x", n-1) + "y"} {
				r := Record{Kind: k, ExternalID: id, Version: 12}
				key := Key(r)
				plain := "crm:" + string(k) + ":" + strconv.Itoa(n) + ":" + id + "@12"
				if len(plain) <= idem.MaxKey {
					require.Equal(t, plain, key, "a key that fits is written plain")
				} else {
					require.NotContains(t, key, id)
				}
				require.LessOrEqual(t, len(key), idem.MaxKey, key)
				for _, step := range []string{"submit", "withdraw"} {
					require.LessOrEqual(t, len(stepKey(key, step)), idem.MaxKey, key)
					require.NotEqual(t, key, stepKey(key, step))
				}
				require.False(t, seen[key], "two records share the key %s", key)
				seen[key] = true
			}
		}
	}
	assert.Equal(t, "crm:volunteer:5:short@3", Key(Record{Kind: Volunteer, ExternalID: "short", Version: 3}))
	assert.Equal(t, "crm:volunteer:5:short@3/submit", stepKey("crm:volunteer:5:short@3", "submit"), "a step key that fits is written plain")
}

// noPush is a plugin that takes no pushes, as the SDK answers without a
// Sink.
type noPush struct{ scripted }

func (noPush) Push(context.Context, []Item) ([]Result, error) {
	return nil, status.Error(codes.Unimplemented, "this plugin takes no pushes")
}

// A push to a plugin that takes no pushes fails at once with
// ErrUnsupported, not after every retry.
func TestPushUnsupportedNotRetried(t *testing.T) {
	p := inProcess(t, noPush{})
	calls := 0
	counting := pusherFunc(func(ctx context.Context, items []Item) ([]Result, error) {
		calls++
		return p.Push(ctx, items)
	})
	items := []Item{{ID: "a", Record: Record{Kind: GrantAward, ExternalID: "A1", Version: 1}},
		{ID: "b", Record: Record{Kind: GrantAward, ExternalID: "A2", Version: 1}}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // a retry would wait an hour
	defer cancel()
	res, err := PushWithRetry(ctx, counting, items, Backoff{Tries: 5, First: time.Hour})
	require.ErrorIs(t, err, ErrUnsupported)
	assert.ErrorIs(t, err, ErrPlugin)
	assert.Equal(t, 1, calls, "not tried again")
	require.Len(t, res, 2)
	assert.False(t, res[0].OK)
}

type pusherFunc func(ctx context.Context, items []Item) ([]Result, error)

func (f pusherFunc) Push(ctx context.Context, items []Item) ([]Result, error) { return f(ctx, items) }

// A record the plugin makes outside the protocol's limits stops the sync
// through the SDK with an error that names the record, its place in the
// batch and the limit, under codes.Internal; nothing of the batch is
// stored and the cursor stays.
func TestSDKBadRecordNamed(t *testing.T) {
	b := people(0, 3, "c1")
	b.Records[1].Version = 0
	p := inProcess(t, sdk.Impl(scripted{batches: []Batch{b}}))
	a := &memApplier{byKey: map[string]string{}}
	state := NewFileState(filepath.Join(t.TempDir(), "state.json"))
	_, err := NewEngine(p, state, map[Kind]Applier{Person: a}, nil).Sync(context.Background())
	require.ErrorIs(t, err, ErrPlugin)
	assert.Equal(t, codes.Internal, status.Code(err))
	assert.Contains(t, err.Error(), `record 2 of a batch of 3: record person "P1": version 0; versions start at 1`)
	assert.Empty(t, a.byKey)
	cur, err := state.Cursor(context.Background())
	require.NoError(t, err)
	assert.Empty(t, cur)
}
