// Package wire is the plumbing the CRM plugin host and SDK share: the
// go-plugin handshake, the plain Go records the host and plugin authors
// see, their conversion to and from protocol v1, and the gRPC client and
// server of protocol v1 behind one Go interface.
package wire

import (
	"context"
	"errors"
	"fmt"
	"unicode/utf8"

	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	crmv1 "github.com/strongertogether/community/adapters/crm/proto/v1"
)

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

// Size limits on what a plugin may send; a message or batch over them is
// refused as garbage.
const (
	MaxBatch      = 1000    // records per batch
	MaxFields     = 64      // fields per record
	MaxFieldBytes = 4096    // bytes per field value
	MaxIDBytes    = 256     // bytes of an external id or push id
	MaxCursor     = 4096    // bytes of a cursor
	MaxMessage    = 8 << 20 // bytes of one gRPC message
)

// Kind is the kind of a record.
type Kind string

// The kinds of record protocol v1 carries.
const (
	Person           Kind = "person"
	Organisation     Kind = "organisation"
	Volunteer        Kind = "volunteer"
	VolunteerSession Kind = "volunteer_session"
	HubVisit         Kind = "hub_visit"
	HubEvent         Kind = "hub_event"
	GrantApplication Kind = "grant_application"
	Referral         Kind = "referral"
	GrantAward       Kind = "grant_award"
	ReferralStatus   Kind = "referral_status"
	MemberJoined     Kind = "member_joined"
)

var kinds = map[Kind]crmv1.Kind{
	Person: crmv1.Kind_KIND_PERSON, Organisation: crmv1.Kind_KIND_ORGANISATION, Volunteer: crmv1.Kind_KIND_VOLUNTEER,
	VolunteerSession: crmv1.Kind_KIND_VOLUNTEER_SESSION, HubVisit: crmv1.Kind_KIND_HUB_VISIT, HubEvent: crmv1.Kind_KIND_HUB_EVENT,
	GrantApplication: crmv1.Kind_KIND_GRANT_APPLICATION, Referral: crmv1.Kind_KIND_REFERRAL, GrantAward: crmv1.Kind_KIND_GRANT_AWARD,
	ReferralStatus: crmv1.Kind_KIND_REFERRAL_STATUS, MemberJoined: crmv1.Kind_KIND_MEMBER_JOINED,
}

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

// Capability is something a plugin can do.
type Capability string

// The capabilities of protocol v1.
const (
	CanPull Capability = "pull"
	CanPush Capability = "push"
)

// Description is what Describe returns.
type Description struct {
	Name         string
	Version      string
	Kinds        []Kind
	Capabilities []Capability
}

// Record is one CRM record. ExternalID is the CRM's id; Version increases
// when the CRM changes the record. Fields are named per kind.
type Record struct {
	Kind       Kind
	ExternalID string
	Version    int64
	Fields     map[string]string
}

// Batch is one batch of a pull, with the cursor that resumes after it.
type Batch struct {
	Records []Record
	Cursor  string
}

// PullRequest asks for the records of Kinds changed since Cursor.
type PullRequest struct {
	Cursor    string
	Kinds     []Kind
	BatchSize int
}

// Item is one record or event pushed to the CRM, under an id the plugin
// applies once.
type Item struct {
	ID     string
	Record Record
}

// Result is the outcome of one pushed item.
type Result struct {
	ID        string
	OK        bool
	Duplicate bool
	Error     string
}

// Impl is protocol v1 as one Go interface: the plugin side implements it,
// the host side's gRPC client satisfies it.
type Impl interface {
	Describe(ctx context.Context) (Description, error)
	Pull(ctx context.Context, req PullRequest, send func(Batch) error) error
	Push(ctx context.Context, items []Item) ([]Result, error)
}

// CheckRecord reports whether r is within the protocol's limits.
func CheckRecord(r Record) error {
	if _, ok := kinds[r.Kind]; !ok {
		return fmt.Errorf("record kind %q is unknown", r.Kind)
	}
	if r.ExternalID == "" || len(r.ExternalID) > MaxIDBytes || !utf8.ValidString(r.ExternalID) {
		return fmt.Errorf("record external id: empty, over %d bytes or not UTF-8", MaxIDBytes)
	}
	if r.Version < 1 {
		return fmt.Errorf("record %s version %d: versions start at 1", r.ExternalID, r.Version)
	}
	if len(r.Fields) > MaxFields {
		return fmt.Errorf("record %s has %d fields, over %d", r.ExternalID, len(r.Fields), MaxFields)
	}
	for k, v := range r.Fields {
		if len(k) > MaxIDBytes || len(v) > MaxFieldBytes || !utf8.ValidString(k) || !utf8.ValidString(v) {
			return fmt.Errorf("record %s field %.40q: over the size limit or not UTF-8", r.ExternalID, k)
		}
	}
	return nil
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
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	}
	return status.Error(codes.Unknown, err.Error())
}
