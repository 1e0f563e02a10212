// Package crmtest is the conformance kit for CRM plugin authors: run
// crmtest.Run(t, impl) in the plugin's own tests. It serves impl
// in-process over go-plugin's gRPC test connection, exactly as the host
// sees it, and checks what the host relies on: cursors resume where they
// left off, paging is stable, a record keeps its external id, errors
// carry gRPC codes, deadlines are honoured, nothing is written to stdout,
// and (for a Sink) a pushed id is applied once.
package crmtest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"testing"
	"time"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/strongertogether/community/adapters/crm/internal/wire"
	"github.com/strongertogether/community/adapters/crm/record"
	"github.com/strongertogether/community/adapters/crm/sdk"
)

// Option configures the kit.
type Option func(*config)

type config struct {
	push func(id string) record.Item
}

// WithPush gives the kit items to push (ones the plugin accepts) made by
// item, to check the push of a plugin that is a Sink: each item applied
// once, and asked about again. A Sink checked without it is a problem.
func WithPush(item func(id string) record.Item) Option { return func(c *config) { c.push = item } }

// Problem is one thing the plugin got wrong: the check's name and what
// was seen.
type Problem struct {
	Check string
	Err   error
}

func (p Problem) String() string { return p.Check + ": " + p.Err.Error() }

// Run runs every check against impl and fails t with each problem found.
// The plugin must hold at least 15 records, to page through. Run swaps os.Stdout
// while it runs: do not run it in parallel with other tests.
func Run(t *testing.T, impl sdk.Source, opts ...Option) {
	t.Helper()
	for _, p := range Check(t, impl, opts...) {
		t.Errorf("crmtest: %s", p)
	}
}

// Check runs every check and returns the problems found, for tests of
// the kit itself; t serves the test connection.
func Check(t testing.TB, impl sdk.Source, opts ...Option) []Problem {
	t.Helper()
	c := &config{}
	for _, o := range opts {
		o(c)
	}
	pr := &probe{Protocol: sdk.Impl(impl), returned: make(chan time.Time, 16)}
	client, _ := plugin.TestPluginGRPCConn(t, false, map[string]plugin.Plugin{
		wire.PluginName: &wire.GRPCPlugin{Impl: pr},
	})
	t.Cleanup(func() { client.Close() })
	raw, err := client.Dispense(wire.PluginName)
	if err != nil {
		return []Problem{{"dispense", err}}
	}
	host := raw.(record.Protocol)

	var probs []Problem
	add := func(check string, err error) {
		if err != nil {
			probs = append(probs, Problem{check, err})
		}
	}
	stdout, restore, err := captureStdout()
	if err != nil {
		return []Problem{{"stdout", err}}
	}
	add("describe", checkDescribe(host))
	batches, err := pullAll(host, "", 7)
	if err != nil {
		add("pull", err)
	} else {
		add("paging", checkPaging(host, batches))
		add("resume", checkResume(host, batches))
		add("external ids", checkIDs(host, batches))
	}
	add("error codes", checkCodes(host))
	add("deadlines", checkDeadlines(host, pr))
	if _, ok := impl.(sdk.Sink); ok {
		if c.push == nil {
			add("push", errors.New("the plugin is a Sink, but the kit was given no item to push: pass crmtest.WithPush"))
		} else {
			add("push", checkPush(host, c.push))
		}
	}
	if n := restore(); n > 0 {
		add("stdout", fmt.Errorf("the plugin wrote %d bytes to stdout, which belongs to go-plugin's handshake: log to stderr through sdk.Logger", n))
	}
	_ = stdout
	return probs
}

func ctx5() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 5*time.Second)
}

func checkDescribe(h record.Protocol) error {
	ctx, cancel := ctx5()
	defer cancel()
	d, err := h.Describe(ctx)
	if err != nil {
		return err
	}
	if len(d.Kinds) == 0 {
		return errors.New("Describe names no kinds")
	}
	if !slices.Contains(d.Capabilities, record.CanPull) {
		return errors.New("Describe does not claim CanPull")
	}
	return nil
}

func pullAll(h record.Protocol, cursor string, size int) ([]record.Batch, error) {
	ctx, cancel := ctx5()
	defer cancel()
	var out []record.Batch
	err := h.Pull(ctx, record.PullRequest{Cursor: cursor, BatchSize: size}, func(b record.Batch) error {
		if len(b.Records) > size {
			return fmt.Errorf("a batch of %d records, asked for at most %d", len(b.Records), size)
		}
		if b.Cursor == "" {
			return errors.New("a batch without a cursor")
		}
		out = append(out, b)
		return nil
	})
	return out, err
}

type rkey struct {
	kind    record.Kind
	id      string
	version int64
}

func keys(bs []record.Batch) []rkey {
	var out []rkey
	for _, b := range bs {
		for _, r := range b.Records {
			out = append(out, rkey{r.Kind, r.ExternalID, r.Version})
		}
	}
	return out
}

func checkPaging(h record.Protocol, first []record.Batch) error {
	if len(keys(first)) < 15 {
		return fmt.Errorf("the kit needs at least 15 records to page through; the plugin sent %d", len(keys(first)))
	}
	again, err := pullAll(h, "", 7)
	if err != nil {
		return err
	}
	if len(again) != len(first) {
		return fmt.Errorf("a second pull from the start sent %d batches, the first %d", len(again), len(first))
	}
	for i := range first {
		if first[i].Cursor != again[i].Cursor || !slices.Equal(keys(first[i:i+1]), keys(again[i:i+1])) {
			return fmt.Errorf("batch %d differs between two pulls from the start", i)
		}
	}
	return nil
}

func checkResume(h record.Protocol, first []record.Batch) error {
	all := keys(first)
	seen := 0
	for i, b := range first {
		seen += len(b.Records)
		if i%3 != 0 && i != len(first)-1 {
			continue
		}
		rest, err := pullAll(h, b.Cursor, 7)
		if err != nil {
			return fmt.Errorf("resuming after batch %d: %w", i, err)
		}
		if got := keys(rest); !slices.Equal(got, all[seen:]) {
			return fmt.Errorf("resuming after batch %d sent %d records; %d follow it in the first pull", i, len(got), len(all)-seen)
		}
	}
	return nil
}

func checkIDs(h record.Protocol, first []record.Batch) error {
	other, err := pullAll(h, "", 50)
	if err != nil {
		return err
	}
	if a, b := keys(first), keys(other); !slices.Equal(a, b) {
		return errors.New("the same records pulled in batches of 7 and of 50 come back with different external ids or versions")
	}
	fields := map[rkey]map[string]string{}
	for _, b := range first {
		for _, r := range b.Records {
			fields[rkey{r.Kind, r.ExternalID, r.Version}] = r.Fields
		}
	}
	for _, b := range other {
		for _, r := range b.Records {
			if f := fields[rkey{r.Kind, r.ExternalID, r.Version}]; !mapsEqual(f, r.Fields) {
				return fmt.Errorf("record %s %s v%d has other fields in a second pull", r.Kind, r.ExternalID, r.Version)
			}
		}
	}
	return nil
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func checkCodes(h record.Protocol) error {
	ctx, cancel := ctx5()
	defer cancel()
	err := h.Pull(ctx, record.PullRequest{Cursor: "crmtest: not a cursor this plugin made", BatchSize: 7}, func(record.Batch) error { return nil })
	if err == nil {
		return errors.New("a cursor the plugin never made was accepted: return an error wrapping sdk.ErrBadCursor")
	}
	if st, _ := status.FromError(errors.Unwrap(err)); st.Code() != codes.InvalidArgument {
		return fmt.Errorf("a bad cursor gave code %s, not InvalidArgument: wrap sdk.ErrBadCursor", st.Code())
	}
	return nil
}

// probe is the plugin side as served, noting when each Pull returned.
type probe struct {
	record.Protocol
	returned chan time.Time
}

func (p *probe) Pull(ctx context.Context, req record.PullRequest, send func(record.Batch) error) error {
	err := p.Protocol.Pull(ctx, req, send)
	select {
	case p.returned <- time.Now():
	default:
	}
	return err
}

func checkDeadlines(h record.Protocol, pr *probe) error {
	for len(pr.returned) > 0 {
		<-pr.returned
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()
	err := h.Pull(ctx, record.PullRequest{BatchSize: 1}, func(record.Batch) error {
		time.Sleep(50 * time.Millisecond) // a slow host: the deadline passes mid-pull
		return nil
	})
	var back time.Time
	select {
	case back = <-pr.returned:
	case <-time.After(2 * time.Second):
		return errors.New("the plugin's Pull had not returned 2s after its 200ms deadline: return when send fails or ctx is done")
	}
	if err == nil && back.After(deadline) {
		return errors.New("a pull past its deadline succeeded")
	}
	if err != nil {
		if st, _ := status.FromError(errors.Unwrap(err)); st.Code() != codes.DeadlineExceeded && st.Code() != codes.Canceled {
			return fmt.Errorf("a pull past its deadline failed with code %s, not DeadlineExceeded", st.Code())
		}
	}
	return nil
}

func checkPush(h record.Protocol, item func(string) record.Item) error {
	ctx, cancel := ctx5()
	defer cancel()
	it := item("crmtest-push-1")
	res, err := h.Push(ctx, []record.Item{it, it})
	if err != nil {
		return err
	}
	if !res[0].OK || res[0].Duplicate {
		return fmt.Errorf("the first push of an id was not applied: %q", res[0].Error)
	}
	if !res[1].OK || !res[1].Duplicate {
		return errors.New("the second push of the same id was not reported as a duplicate")
	}
	return nil
}

// captureStdout points os.Stdout at a pipe; restore puts it back and
// returns how many bytes were written.
func captureStdout() (*os.File, func() int, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	old := os.Stdout
	os.Stdout = w
	n := make(chan int, 1)
	go func() {
		c, _ := io.Copy(io.Discard, r)
		n <- int(c)
	}()
	return old, func() int {
		os.Stdout = old
		w.Close()
		got := <-n
		r.Close()
		return got
	}, nil
}
