package crm

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gated sends its first batch, waits until the engine is storing it, then
// sends the rest, which wait for the engine together, and closes sent.
type gated struct {
	batches []Batch
	storing chan struct{}
	sent    chan struct{}
}

func (g *gated) Pull(_ context.Context, _ PullRequest, send func(Batch) error) error {
	defer close(g.sent)
	for i, b := range g.batches {
		if i == 1 {
			<-g.storing
		}
		if err := send(b); err != nil {
			return err
		}
	}
	return nil
}

// batchPeople is a BatchApplier of people whose first ApplyBatch waits
// until the source has sent everything.
type batchPeople struct {
	memApplier
	src   *gated
	once  sync.Once
	sizes []int
}

func (b *batchPeople) ApplyBatch(ctx context.Context, cs []Change) ([]Applied, error) {
	b.once.Do(func() {
		close(b.src.storing)
		<-b.src.sent
	})
	b.sizes = append(b.sizes, len(cs))
	out := make([]Applied, len(cs))
	for i, c := range cs {
		if c.ID != "" {
			out[i].ID, out[i].Err = c.ID, b.Update(ctx, c.Key, c.ID, c.Record)
			continue
		}
		out[i].ID, out[i].Err = b.Create(ctx, c.Key, c.Record)
	}
	return out, nil
}

// countCommits counts a FileState's commits.
type countCommits struct {
	*FileState
	n int
}

func (c *countCommits) Commit(ctx context.Context, cursor string, links map[LinkKey]Link) error {
	c.n++
	return c.FileState.Commit(ctx, cursor, links)
}

// Batches waiting while the engine stores are stored together, up to the
// group's size, with one commit per group; without SetGroup each batch
// is stored alone. A second version of a record within a group splits
// its run. The records stored are the same.
func TestEngineGroupsWaitingBatches(t *testing.T) {
	for _, c := range []struct {
		group   int
		sizes   []int
		commits int
	}{
		{0, []int{10, 10, 10, 10, 10}, 5},
		{100, []int{10, 10, 30}, 2},
		{30, []int{10, 10, 20, 10}, 3},
	} {
		t.Run(fmt.Sprint("group ", c.group), func(t *testing.T) {
			var bs []Batch
			for i := range 5 {
				bs = append(bs, people(10*i, 10, fmt.Sprint("c", i+1)))
			}
			// P15 (batch 2) again, at version 2, first in batch 3.
			bs[2].Records[0] = Record{Kind: Person, ExternalID: "P15", Version: 2, Fields: map[string]string{"name": "y"}}
			src := &gated{batches: bs, storing: make(chan struct{}), sent: make(chan struct{})}
			a := &batchPeople{memApplier: memApplier{byKey: map[string]string{}}, src: src}
			if c.group == 0 {
				// One batch at a time: the engine holds one waiting batch
				// at most, so nothing waits for the source.
				close(src.storing)
				a.once.Do(func() {})
			}
			st := &countCommits{FileState: NewFileState(filepath.Join(t.TempDir(), "state.json"))}
			e := NewEngine(src, st, map[Kind]Applier{Person: a}, nil)
			e.SetBatchSize(10)
			e.SetGroup(c.group)
			rep, err := e.Sync(t.Context())
			require.NoError(t, err)
			assert.Equal(t, c.sizes, a.sizes, "records per ApplyBatch call")
			assert.Equal(t, 50, sum(a.sizes))
			assert.Equal(t, c.commits, st.n, "one commit per group")
			assert.Equal(t, 5, rep.Batches)
			assert.Equal(t, "c5", rep.Cursor)
			assert.Equal(t, 49, rep.Created)
			assert.Equal(t, 1, rep.Updated)
			assert.Len(t, a.byKey, 50, "49 people and P15's second version")
			l, ok, err := st.Link(t.Context(), Person, "P15")
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, int64(2), l.Version)
		})
	}
}

func sum(ns []int) int {
	t := 0
	for _, n := range ns {
		t += n
	}
	return t
}

// asked records the kinds a Pull asks for, and sends nothing.
type asked struct{ kinds [][]Kind }

func (a *asked) Pull(_ context.Context, req PullRequest, _ func(Batch) error) error {
	a.kinds = append(a.kinds, req.Kinds)
	return nil
}

// The engine asks for kinds in the protocol's order, whatever the order
// of the appliers' map, so a volunteer is asked for before its sessions.
func TestEngineAsksKindsInWireOrder(t *testing.T) {
	src := &asked{}
	var a Applier = &batchPeople{}
	e := NewEngine(src, NewFileState(filepath.Join(t.TempDir(), "state.json")),
		map[Kind]Applier{VolunteerSession: a, Referral: a, Volunteer: a, Person: a}, nil)
	for range 20 {
		_, err := e.Sync(context.Background())
		require.NoError(t, err)
	}
	for _, ks := range src.kinds {
		require.Equal(t, []Kind{Person, Volunteer, VolunteerSession, Referral}, ks)
	}
}
