package wire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	crmv1 "github.com/strongertogether/community/adapters/crm/proto/v1"
)

var ioEOF = io.EOF

// Client is the host's side of protocol v1: an Impl over gRPC that checks
// everything the plugin sends against the protocol's limits.
type Client struct {
	c crmv1.CRMClient
}

// NewClient returns a Client over a protocol v1 client.
func NewClient(c crmv1.CRMClient) *Client { return &Client{c: c} }

// Describe calls Describe.
func (c *Client) Describe(ctx context.Context) (Description, error) {
	w, err := c.c.Describe(ctx, &crmv1.DescribeRequest{})
	if err != nil {
		return Description{}, fmt.Errorf("describe: %w", err)
	}
	d := Description{Name: w.GetName(), Version: w.GetVersion()}
	if d.Name == "" || len(d.Name) > MaxIDBytes || !utf8.ValidString(d.Name) {
		return Description{}, errors.New("describe: the plugin's name is empty, too long or not UTF-8")
	}
	for _, k := range w.GetKinds() {
		kk, err := kindFromWire(k)
		if err != nil {
			return Description{}, fmt.Errorf("describe: %w", err)
		}
		d.Kinds = append(d.Kinds, kk)
	}
	for _, cp := range w.GetCapabilities() {
		switch cp {
		case crmv1.Capability_CAPABILITY_PULL:
			d.Capabilities = append(d.Capabilities, CanPull)
		case crmv1.Capability_CAPABILITY_PUSH:
			d.Capabilities = append(d.Capabilities, CanPush)
		}
	}
	return d, nil
}

// Pull calls Pull and hands send each batch, checked. A batch over
// MaxBatch records, a record out of the limits or a cursor over MaxCursor
// ends the pull with an error naming what was wrong.
func (c *Client) Pull(ctx context.Context, req PullRequest, send func(Batch) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w := &crmv1.PullRequest{Cursor: req.Cursor, BatchSize: int32(min(req.BatchSize, MaxBatch))}
	for _, k := range req.Kinds {
		kk, err := kindToWire(k)
		if err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		w.Kinds = append(w.Kinds, kk)
	}
	stream, err := c.c.Pull(ctx, w)
	if err != nil {
		return fmt.Errorf("pull: %w", err)
	}
	for {
		b, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("pull: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("pull: %w", statusOf(err))
		}
		if len(b.GetRecords()) > MaxBatch {
			return fmt.Errorf("pull: the plugin sent a batch of %d records, over %d", len(b.GetRecords()), MaxBatch)
		}
		if len(b.GetCursor()) > MaxCursor {
			return fmt.Errorf("pull: the plugin sent a cursor of %d bytes, over %d", len(b.GetCursor()), MaxCursor)
		}
		out := Batch{Cursor: b.GetCursor(), Records: make([]Record, 0, len(b.GetRecords()))}
		for i, r := range b.GetRecords() {
			rr, err := recordFromWire(r)
			if err != nil {
				return fmt.Errorf("pull: the plugin sent a bad record (batch position %d): %w", i, err)
			}
			out.Records = append(out.Records, rr)
		}
		if err := send(out); err != nil {
			return err
		}
	}
}

// Push streams items to the plugin and returns one result per item.
func (c *Client) Push(ctx context.Context, items []Item) ([]Result, error) {
	stream, err := c.c.Push(ctx)
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	for _, it := range items {
		r, err := recordToWire(it.Record)
		if err != nil {
			return nil, fmt.Errorf("push %s: %w", it.ID, err)
		}
		if err := stream.Send(&crmv1.PushItem{Id: it.ID, Record: r}); err != nil {
			if errors.Is(err, io.EOF) {
				break // the server ended the stream: CloseAndRecv says why
			}
			return nil, fmt.Errorf("push: %w", err)
		}
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	if len(resp.GetResults()) != len(items) {
		return nil, fmt.Errorf("push: the plugin returned %d results for %d items", len(resp.GetResults()), len(items))
	}
	out := make([]Result, len(items))
	for i, r := range resp.GetResults() {
		if r.GetId() != items[i].ID {
			return nil, fmt.Errorf("push: result %d is for another item", i)
		}
		out[i] = Result{ID: r.GetId(), OK: r.GetOk(), Duplicate: r.GetDuplicate(), Error: r.GetError()}
	}
	return out, nil
}
