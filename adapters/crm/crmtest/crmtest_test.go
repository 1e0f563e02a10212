package crmtest_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm/crmtest"
	"github.com/strongertogether/community/adapters/crm/sdk"
)

// good is a small correct plugin: n people, cursor = offset.
type good struct{ n int }

func (g good) Describe(context.Context) (sdk.Description, error) {
	return sdk.Description{Name: "good", Version: "1", Kinds: []sdk.Kind{sdk.Person}, Capabilities: []sdk.Capability{sdk.CanPull}}, nil
}

func (g good) Pull(ctx context.Context, req sdk.PullRequest, send func(sdk.Batch) error) error {
	from := 0
	if req.Cursor != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(req.Cursor, "at="))
		if err != nil || !strings.HasPrefix(req.Cursor, "at=") {
			return fmt.Errorf("cursor %.20q: %w", req.Cursor, sdk.ErrBadCursor)
		}
		from = n
	}
	size := max(req.BatchSize, 1)
	for i := from; i < g.n; i += size {
		var b sdk.Batch
		for j := i; j < min(i+size, g.n); j++ {
			b.Records = append(b.Records, sdk.Record{Kind: sdk.Person, ExternalID: fmt.Sprintf("P%d", j), Version: 1,
				Fields: map[string]string{"name": fmt.Sprintf("Person %d", j)}})
		}
		b.Cursor = fmt.Sprintf("at=%d", min(i+size, g.n))
		if err := send(b); err != nil {
			return err
		}
	}
	return nil
}

// broken restarts every pull from the beginning, makes up external ids,
// accepts any cursor and prints to stdout.
type broken struct {
	good
	calls *int
}

func (b broken) Pull(ctx context.Context, req sdk.PullRequest, send func(sdk.Batch) error) error {
	*b.calls++
	fmt.Fprintln(os.Stdout, "pulling") // stdout belongs to the handshake
	call := *b.calls
	return b.good.Pull(ctx, sdk.PullRequest{BatchSize: req.BatchSize}, func(x sdk.Batch) error {
		for i := range x.Records {
			x.Records[i].ExternalID += fmt.Sprintf("-%d", call)
		}
		return send(x)
	})
}

func names(ps []crmtest.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Check)
	}
	return out
}

// A correct plugin passes every check.
func TestGoodPasses(t *testing.T) {
	crmtest.Run(t, good{n: 40})
}

// A broken plugin fails, and each problem names what is wrong.
func TestBrokenFails(t *testing.T) {
	n := 0
	ps := crmtest.Check(t, broken{good: good{n: 40}, calls: &n})
	got := names(ps)
	for _, want := range []string{"paging", "resume", "external ids", "error codes", "stdout"} {
		assert.Contains(t, got, want)
	}
	require.NotEmpty(t, ps)
	for _, p := range ps {
		if p.Check == "stdout" {
			assert.Contains(t, p.Err.Error(), "bytes to stdout")
		}
	}
}

// A plugin with too few records to page through is told so.
func TestTooFewRecords(t *testing.T) {
	ps := crmtest.Check(t, good{n: 3})
	assert.Equal(t, []string{"paging"}, names(ps))
}

// stuck ignores its context: after the first batch it hangs for 5s.
type stuck struct{ good }

func (s stuck) Pull(ctx context.Context, req sdk.PullRequest, send func(sdk.Batch) error) error {
	if req.BatchSize == 1 {
		_ = send(sdk.Batch{Records: []sdk.Record{{Kind: sdk.Person, ExternalID: "P0", Version: 1}}, Cursor: "at=1"})
		time.Sleep(5 * time.Second)
		return nil
	}
	return s.good.Pull(ctx, req, send)
}

// A plugin that ignores its deadline is caught.
func TestStuckFailsDeadlines(t *testing.T) {
	ps := crmtest.Check(t, stuck{good{n: 40}})
	assert.Equal(t, []string{"deadlines"}, names(ps))
}

// sinking is a correct plugin that also takes pushes.
type sinking struct {
	good
	applied map[string]bool
}

func (s sinking) Applied(_ context.Context, id string) (bool, error) { return s.applied[id], nil }

func (s sinking) Apply(_ context.Context, it sdk.Item) error {
	s.applied[it.ID] = true
	return nil
}

// A plugin that is a Sink is told to give the kit items to push, so its
// pushes are never left unchecked; with them, it passes.
func TestSinkNeedsWithPush(t *testing.T) {
	p := sinking{good: good{n: 40}, applied: map[string]bool{}}
	ps := crmtest.Check(t, p)
	require.Equal(t, []string{"push"}, names(ps))
	assert.Contains(t, ps[0].Err.Error(), "crmtest.WithPush")
	crmtest.Run(t, p, crmtest.WithPush(func(id string) sdk.Item {
		return sdk.Item{ID: id, Record: sdk.Record{Kind: sdk.GrantAward, ExternalID: id, Version: 1}}
	}))
}
