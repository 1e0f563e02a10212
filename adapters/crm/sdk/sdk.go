// Package sdk is what a CRM plugin author imports. A plugin implements
// Source (Describe and Pull) and, when the CRM takes records back, Sink
// (Applied and Apply), and calls Serve from main. The SDK speaks protocol
// v1 over go-plugin and gRPC, routes logs through hclog to the host (a
// plugin's stdout belongs to the handshake), applies each pushed id once,
// and exits when the host dies.
package sdk

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/strongertogether/community/adapters/crm/internal/wire"
	"github.com/strongertogether/community/adapters/crm/record"
)

// Kind is the kind of a record (see the constants).
type Kind = record.Kind

// The kinds of record protocol v1 carries.
const (
	Person           = record.Person
	Organisation     = record.Organisation
	Volunteer        = record.Volunteer
	VolunteerSession = record.VolunteerSession
	HubVisit         = record.HubVisit
	HubEvent         = record.HubEvent
	GrantApplication = record.GrantApplication
	Referral         = record.Referral
	GrantAward       = record.GrantAward
	ReferralStatus   = record.ReferralStatus
	MemberJoined     = record.MemberJoined
)

// Capability is something a plugin can do.
type Capability = record.Capability

// The capabilities of protocol v1.
const (
	CanPull = record.CanPull
	CanPush = record.CanPush
)

// Description names a plugin, its version, kinds and capabilities.
type Description = record.Description

// Record is one CRM record: its kind, the CRM's id, a version that
// increases whenever the CRM changes it, and its fields.
type Record = record.Record

// Batch is a batch of records and the cursor that resumes after it.
type Batch = record.Batch

// PullRequest asks for the records of some kinds changed since a cursor.
type PullRequest = record.PullRequest

// Item is a record or event the host pushes, under an id.
type Item = record.Item

// Source is the first interface a plugin implements. Pull sends the
// records changed since req.Cursor in batches of at most req.BatchSize
// (when not 0), each with the cursor that resumes after it, and returns
// when it has sent them all. Cursors are the plugin's own opaque strings.
type Source interface {
	Describe(ctx context.Context) (Description, error)
	Pull(ctx context.Context, req PullRequest, send func(Batch) error) error
}

// Sink is the second interface, for a plugin whose CRM takes records
// back. Applied reports whether an item id was applied already (it must
// survive a restart of the plugin); Apply applies one item. The SDK calls
// Applied before Apply, so an item sent twice is applied once.
type Sink interface {
	Applied(ctx context.Context, id string) (bool, error)
	Apply(ctx context.Context, it Item) error
}

// Option configures Serve.
type Option func(*config)

type config struct {
	logger  hclog.Logger
	debug   bool
	reattch func(*plugin.ReattachConfig)
	poll    time.Duration
}

// WithLogger sets the plugin's logger. It must write to stderr (the
// default), which go-plugin hands to the host's logger.
func WithLogger(l hclog.Logger) Option { return func(c *config) { c.logger = l } }

// WithDebug serves the plugin in debug mode: started by hand (for example
// under a debugger) rather than by the host, it calls onReady with the
// config a host reattaches with (crm.Config.Reattach) and serves until
// the host closes it.
func WithDebug(onReady func(*plugin.ReattachConfig)) Option {
	return func(c *config) { c.debug, c.reattch = true, onReady }
}

// Logger returns the hclog logger a plugin should log through: JSON on
// stderr, which go-plugin hands to the host's logger. Log ids, never a
// person's name or contacts.
func Logger(name string) hclog.Logger {
	return hclog.New(&hclog.LoggerOptions{Name: name, Output: os.Stderr, JSONFormat: true, Level: hclog.Info})
}

// Serve serves src as a CRM plugin and returns when the host closes it.
// When src is also a Sink, Push is served; otherwise Push fails with
// codes.Unimplemented. Serve exits the process when its parent (the host)
// dies.
func Serve(src Source, opts ...Option) {
	c := &config{poll: 250 * time.Millisecond}
	for _, o := range opts {
		o(c)
	}
	if c.logger == nil {
		c.logger = Logger("crm-plugin")
	}
	sc := &plugin.ServeConfig{
		HandshakeConfig: wire.Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{
			wire.ProtocolVersion: {wire.PluginName: &wire.GRPCPlugin{Impl: Impl(src)}},
		},
		GRPCServer: plugin.DefaultGRPCServer,
		Logger:     c.logger,
	}
	if c.debug {
		ch := make(chan *plugin.ReattachConfig, 1)
		closed := make(chan struct{})
		sc.Test = &plugin.ServeTestConfig{Context: context.Background(), ReattachConfigCh: ch, CloseCh: closed}
		go func() {
			if rc := <-ch; rc != nil && c.reattch != nil {
				c.reattch(rc)
			}
		}()
		plugin.Serve(sc)
		<-closed
		return
	}
	go watchParent(c.logger, c.poll)
	plugin.Serve(sc)
}

// watchParent exits the process when its parent changes: the host died
// (a SIGKILL leaves go-plugin's plugins running under PID 1 otherwise),
// after removing the plugin's socket file.
func watchParent(log hclog.Logger, poll time.Duration) {
	parent := os.Getppid()
	// A write to the dead host's stderr pipe would kill the process with
	// SIGPIPE before it cleans up: take the signal as news of the death.
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		select {
		case <-t.C:
		case <-pipe:
		}
		if os.Getppid() != parent {
			log.Warn("the host died; exiting", "host_pid", parent)
			removeSockets()
			os.Exit(2)
		}
	}
}

// Impl returns src as protocol v1, as Serve serves it: for tests and
// crmtest.
func Impl(src Source) record.Protocol {
	a := &adapter{src: src}
	a.sink, _ = src.(Sink)
	return a
}

type adapter struct {
	src  Source
	sink Sink
	mu   sync.Mutex // orders pushes, so Applied and Apply of an id do not interleave
}

func (a *adapter) Describe(ctx context.Context) (Description, error) { return a.src.Describe(ctx) }

func (a *adapter) Pull(ctx context.Context, req PullRequest, send func(Batch) error) error {
	return a.src.Pull(ctx, req, func(b Batch) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		for i, r := range b.Records {
			if err := wire.CheckRecord(r); err != nil {
				// The plugin's own fault, not the host's request's: the
				// sync stops, naming the record.
				return status.Errorf(codes.Internal, "the plugin made a bad record, record %d of a batch of %d: %v", i+1, len(b.Records), err)
			}
		}
		return send(b)
	})
}

func (a *adapter) Push(ctx context.Context, items []Item) ([]record.Result, error) {
	if a.sink == nil {
		return nil, errUnimplemented
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]record.Result, len(items))
	for i, it := range items {
		out[i].ID = it.ID
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		done, err := a.sink.Applied(ctx, it.ID)
		if err != nil {
			out[i].Error = err.Error()
			continue
		}
		if done {
			out[i].OK, out[i].Duplicate = true, true
			continue
		}
		if err := a.sink.Apply(ctx, it); err != nil {
			out[i].Error = err.Error()
			continue
		}
		out[i].OK = true
	}
	return out, nil
}

// Result is the outcome of one pushed item.
type Result = record.Result

// ErrBadCursor is what Pull returns (wrapped) for a cursor the plugin did
// not make; the host sees codes.InvalidArgument.
var ErrBadCursor = record.ErrBadCursor
