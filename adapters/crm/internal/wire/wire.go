// Package wire is the plumbing the CRM plugin host and SDK share: the
// go-plugin handshake, the plain Go records the host and plugin authors
// see, their conversion to and from protocol v1, and the gRPC client and
// server of protocol v1 behind one Go interface.
package wire

import (
	"context"
	"errors"
	"fmt"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	crmv1 "github.com/strongertogether/community/adapters/crm/proto/v1"
	"github.com/strongertogether/community/adapters/crm/record"
)

// Aliases of the record package's values, for brevity here.
type (
	Kind        = record.Kind
	Capability  = record.Capability
	Description = record.Description
	Record      = record.Record
	Batch       = record.Batch
	PullRequest = record.PullRequest
	Item        = record.Item
	Result      = record.Result
	// Impl is record.Protocol.
	Impl = record.Protocol
)

// The record package's constants used here.
const (
	MaxBatch   = record.MaxBatch
	MaxCursor  = record.MaxCursor
	MaxIDBytes = record.MaxIDBytes
	MaxMessage = record.MaxMessage
	CanPull    = record.CanPull
	CanPush    = record.CanPush
)

// CheckRecord is record.Check.
var CheckRecord = record.Check

var kinds = func() map[Kind]crmv1.Kind {
	m := map[Kind]crmv1.Kind{}
	for i, k := range record.Kinds() {
		m[k] = crmv1.Kind(i + 1)
	}
	return m
}()

func kindToWire(k Kind) (crmv1.Kind, error) {
	if w, ok := kinds[k]; ok {
		return w, nil
	}
	return 0, fmt.Errorf("unknown record kind %q", k)
}

func kindFromWire(w crmv1.Kind) (Kind, error) {
	for k, v := range kinds {
		if v == w {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown record kind %d", w)
}

// ProtocolVersion is the version of the plugin protocol in proto/v1.
const ProtocolVersion = 1

// PluginName is the name the CRM plugin is dispensed under.
const PluginName = "crm"

// Handshake is the go-plugin handshake of Stronger Together CRM plugins.
// The cookie keeps a plugin binary from being run by hand or by another
// host.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "STRONGER_TOGETHER_CRM_PLUGIN",
	MagicCookieValue: "3f0c2b5e-6d1a-4a8e-9c2f-stronger-together-crm",
}

func recordToWire(r Record) (*crmv1.Record, error) {
	k, err := kindToWire(r.Kind)
	if err != nil {
		return nil, err
	}
	return &crmv1.Record{Kind: k, ExternalId: r.ExternalID, Version: r.Version, Fields: r.Fields}, nil
}

func recordFromWire(w *crmv1.Record) (Record, error) {
	if w == nil {
		return Record{}, errors.New("nil record")
	}
	k, err := kindFromWire(w.GetKind())
	if err != nil {
		return Record{}, err
	}
	r := Record{Kind: k, ExternalID: w.GetExternalId(), Version: w.GetVersion(), Fields: w.GetFields()}
	return r, CheckRecord(r)
}

// GRPCPlugin is the go-plugin plugin of protocol v1. On the plugin side
// Impl is set; on the host side it is nil and Client returns an Impl
// speaking gRPC.
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl Impl
}

// GRPCServer registers the CRM service.
func (p *GRPCPlugin) GRPCServer(_ *plugin.GRPCBroker, s *grpc.Server) error {
	crmv1.RegisterCRMServer(s, &server{impl: p.Impl})
	return nil
}

// GRPCClient returns the host's Impl over c.
func (p *GRPCPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &Client{c: crmv1.NewCRMClient(c)}, nil
}

// server serves Impl as protocol v1.
type server struct {
	crmv1.UnimplementedCRMServer
	impl Impl
}

func (s *server) Describe(ctx context.Context, _ *crmv1.DescribeRequest) (*crmv1.DescribeResponse, error) {
	d, err := s.impl.Describe(ctx)
	if err != nil {
		return nil, statusOf(err)
	}
	out := &crmv1.DescribeResponse{Name: d.Name, Version: d.Version}
	for _, k := range d.Kinds {
		w, err := kindToWire(k)
		if err != nil {
			return nil, status.Error(codes.Internal, err.Error())
		}
		out.Kinds = append(out.Kinds, w)
	}
	for _, c := range d.Capabilities {
		switch c {
		case CanPull:
			out.Capabilities = append(out.Capabilities, crmv1.Capability_CAPABILITY_PULL)
		case CanPush:
			out.Capabilities = append(out.Capabilities, crmv1.Capability_CAPABILITY_PUSH)
		}
	}
	return out, nil
}

func (s *server) Pull(req *crmv1.PullRequest, stream grpc.ServerStreamingServer[crmv1.PullBatch]) error {
	in := PullRequest{Cursor: req.GetCursor(), BatchSize: int(req.GetBatchSize())}
	for _, w := range req.GetKinds() {
		k, err := kindFromWire(w)
		if err != nil {
			return status.Error(codes.InvalidArgument, err.Error())
		}
		in.Kinds = append(in.Kinds, k)
	}
	err := s.impl.Pull(stream.Context(), in, func(b Batch) error {
		out := &crmv1.PullBatch{Cursor: b.Cursor, Records: make([]*crmv1.Record, 0, len(b.Records))}
		for _, r := range b.Records {
			w, err := recordToWire(r)
			if err != nil {
				return status.Error(codes.Internal, err.Error())
			}
			out.Records = append(out.Records, w)
		}
		return stream.Send(out)
	})
	return statusOf(err)
}

func (s *server) Push(stream grpc.ClientStreamingServer[crmv1.PushItem, crmv1.PushResponse]) error {
	var items []Item
	for {
		w, err := stream.Recv()
		if err != nil {
			if errors.Is(err, ioEOF) {
				break
			}
			return err
		}
		r, err := recordFromWire(w.GetRecord())
		if err != nil {
			return status.Errorf(codes.InvalidArgument, "push item %.40q: %v", w.GetId(), err)
		}
		items = append(items, Item{ID: w.GetId(), Record: r})
	}
	res, err := s.impl.Push(stream.Context(), items)
	if err != nil {
		return statusOf(err)
	}
	out := &crmv1.PushResponse{}
	for _, r := range res {
		out.Results = append(out.Results, &crmv1.PushResult{Id: r.ID, Ok: r.OK, Duplicate: r.Duplicate, Error: r.Error})
	}
	return stream.SendAndClose(out)
}

// statusOf gives err a gRPC code: one it has, a context's, or Unknown.
func statusOf(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	switch {
	case errors.Is(err, record.ErrBadCursor):
		return status.Error(codes.InvalidArgument, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	}
	return status.Error(codes.Unknown, err.Error())
}
