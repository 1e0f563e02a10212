package crm

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/strongertogether/community/adapters/crm/internal/wire"
	"github.com/strongertogether/community/adapters/crm/record"
)

// Kind is the kind of a record.
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

// Record is one CRM record (see sdk.Record).
type Record = record.Record

// Batch is one batch of a pull.
type Batch = record.Batch

// PullRequest asks a plugin for records.
type PullRequest = record.PullRequest

// Description is what a plugin says of itself.
type Description = record.Description

// Item is a record or event pushed to a CRM.
type Item = record.Item

// Result is the outcome of one pushed item.
type Result = record.Result

// ProtocolVersion is the plugin protocol version this host speaks.
const ProtocolVersion = wire.ProtocolVersion

// Errors of the host, matched with errors.Is.
var (
	// ErrChecksum: the plugin binary is not the one its checksum pins.
	ErrChecksum = errors.New("crm: the plugin binary does not match its SHA-256 checksum")
	// ErrDeadline: the plugin did not answer within its deadline.
	ErrDeadline = errors.New("crm: the plugin did not answer within its deadline")
	// ErrPlugin: the plugin crashed, refused, or sent something malformed.
	ErrPlugin = errors.New("crm: plugin failure")
	// ErrUnsupported: the plugin does not implement the call (a Push to a
	// plugin that takes no pushes). Trying again cannot help. It wraps
	// ErrPlugin.
	ErrUnsupported = fmt.Errorf("crm: the plugin does not implement this call: %w", ErrPlugin)
)

// Config says which plugin to start and how to call it.
type Config struct {
	// Path is the plugin binary; Args its arguments.
	Path string
	Args []string
	// SHA256 is the binary's checksum (ChecksumFile). Start refuses a
	// binary that does not match it. It is required unless Reattach is set.
	SHA256 []byte
	// Reattach connects to a plugin already running in debug mode
	// (sdk.WithDebug) instead of starting one.
	Reattach *plugin.ReattachConfig
	// Logger receives the plugin's logs (default: discarded).
	Logger hclog.Logger
	// CallTimeout bounds Describe, Push and Ping (default 30s).
	CallTimeout time.Duration
	// BatchTimeout bounds the wait for each batch of a pull (default 30s).
	BatchTimeout time.Duration
	// StartTimeout bounds the handshake (default 10s).
	StartTimeout time.Duration
}

// Plugin is a running plugin. It is safe for concurrent use.
type Plugin struct {
	client *plugin.Client
	impl   wire.Impl
	cfg    Config
}

// ChecksumFile returns the SHA-256 of the file at path, for Config.SHA256.
func ChecksumFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checksum %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("checksum %s: %w", path, err)
	}
	return h.Sum(nil), nil
}

// Start starts the plugin (or reattaches to it), completes the handshake
// with mutual TLS, and checks it speaks protocol v1. Plugins started with
// Start are managed: CleanupClients stops them all.
func Start(ctx context.Context, cfg Config) (*Plugin, error) {
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 30 * time.Second
	}
	if cfg.BatchTimeout <= 0 {
		cfg.BatchTimeout = 30 * time.Second
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = 10 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	cc := &plugin.ClientConfig{
		HandshakeConfig: wire.Handshake,
		VersionedPlugins: map[int]plugin.PluginSet{
			wire.ProtocolVersion: {wire.PluginName: &wire.GRPCPlugin{}},
		},
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		Managed:          true,
		Logger:           cfg.Logger,
		StartTimeout:     cfg.StartTimeout,
		SyncStdout:       io.Discard,
		SyncStderr:       io.Discard,
	}
	if cfg.Reattach != nil {
		cc.Reattach = cfg.Reattach
		// go-plugin picks the plugin set by negotiation only when it
		// starts the process; a reattach names the version itself.
		cc.Plugins = cc.VersionedPlugins[wire.ProtocolVersion]
	} else {
		if len(cfg.SHA256) != sha256.Size {
			return nil, fmt.Errorf("start plugin %s: Config.SHA256 must hold the binary's SHA-256 (%d bytes)", cfg.Path, sha256.Size)
		}
		cc.Cmd = exec.Command(cfg.Path, cfg.Args...)
		cc.SecureConfig = &plugin.SecureConfig{Checksum: cfg.SHA256, Hash: sha256.New()}
	}
	c := plugin.NewClient(cc)
	rpc, err := c.Client()
	if err != nil {
		c.Kill()
		if errors.Is(err, plugin.ErrChecksumsDoNotMatch) {
			return nil, fmt.Errorf("start plugin %s: %w", cfg.Path, ErrChecksum)
		}
		if strings.Contains(err.Error(), "Unrecognized remote plugin message") {
			return nil, fmt.Errorf("start plugin %s: %w: its first line on stdout was not go-plugin's handshake: "+
				"a plugin must not write to stdout (log through sdk.Logger, to stderr): %w", cfg.Path, ErrPlugin, err)
		}
		return nil, fmt.Errorf("start plugin %s: %w: %w", cfg.Path, ErrPlugin, err)
	}
	if v := c.NegotiatedVersion(); v != wire.ProtocolVersion {
		c.Kill()
		return nil, fmt.Errorf("start plugin %s: %w: it speaks protocol %d, not %d", cfg.Path, ErrPlugin, v, wire.ProtocolVersion)
	}
	raw, err := rpc.Dispense(wire.PluginName)
	if err != nil {
		c.Kill()
		return nil, fmt.Errorf("start plugin %s: %w: %w", cfg.Path, ErrPlugin, err)
	}
	impl, ok := raw.(wire.Impl)
	if !ok {
		c.Kill()
		return nil, fmt.Errorf("start plugin %s: %w: dispensed %T", cfg.Path, ErrPlugin, raw)
	}
	return &Plugin{client: c, impl: impl, cfg: cfg}, nil
}

// Reattach returns the config that attaches a host to a plugin serving in
// debug mode (sdk.WithDebug) at addr on network ("unix" or "tcp").
func Reattach(network, addr string, pid int) (*plugin.ReattachConfig, error) {
	var a net.Addr
	var err error
	switch network {
	case "unix":
		a, err = net.ResolveUnixAddr("unix", addr)
	case "tcp":
		a, err = net.ResolveTCPAddr("tcp", addr)
	default:
		err = fmt.Errorf("network %q is not unix or tcp", network)
	}
	if err != nil {
		return nil, fmt.Errorf("reattach: %w", err)
	}
	return &plugin.ReattachConfig{Protocol: plugin.ProtocolGRPC, ProtocolVersion: wire.ProtocolVersion, Addr: a, Pid: pid, Test: true}, nil
}

// CleanupClients stops every managed plugin: call it (deferred) in main.
func CleanupClients() { plugin.CleanupClients() }

// ReattachConfig returns what a host needs to reattach to this plugin.
func (p *Plugin) ReattachConfig() *plugin.ReattachConfig { return p.client.ReattachConfig() }

// Exited reports whether the plugin process has exited.
func (p *Plugin) Exited() bool { return p.client.Exited() }

// Close stops the plugin.
func (p *Plugin) Close() { p.client.Kill() }

// classify wraps a call's error with ErrDeadline or ErrPlugin.
func classify(op string, err error, ctx context.Context) error {
	if err == nil {
		return nil
	}
	// gRPC's own deadline timer may end the call a moment before the
	// context's is seen to have fired: its DeadlineExceeded status is the
	// same deadline.
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(context.Cause(ctx), ErrDeadline) ||
		status.Code(err) == codes.DeadlineExceeded {
		return fmt.Errorf("%s: %w: %w", op, ErrDeadline, err)
	}
	if status.Code(err) == codes.Unimplemented {
		return fmt.Errorf("%s: %w: %w", op, ErrUnsupported, err)
	}
	return fmt.Errorf("%s: %w: %w", op, ErrPlugin, err)
}

// Ping checks the plugin is alive (gRPC health check), within CallTimeout.
func (p *Plugin) Ping(ctx context.Context) error {
	rpc, err := p.client.Client()
	if err != nil {
		return fmt.Errorf("ping: %w: %w", ErrPlugin, err)
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.CallTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- rpc.Ping() }()
	select {
	case err := <-done:
		return classify("ping", err, ctx)
	case <-ctx.Done():
		return fmt.Errorf("ping: %w", ErrDeadline)
	}
}

// Describe asks the plugin what it is, within CallTimeout.
func (p *Plugin) Describe(ctx context.Context) (Description, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.CallTimeout)
	defer cancel()
	d, err := p.impl.Describe(ctx)
	return d, classify("describe", err, ctx)
}

// Push pushes items within CallTimeout and returns one result per item.
func (p *Plugin) Push(ctx context.Context, items []Item) ([]Result, error) {
	ctx, cancel := context.WithTimeout(ctx, p.cfg.CallTimeout)
	defer cancel()
	r, err := p.impl.Push(ctx, items)
	return r, classify("push", err, ctx)
}

// Pull pulls records, handing send each batch; the plugin must send each
// batch within BatchTimeout of the last, or Pull fails with ErrDeadline.
// An error from send ends the pull and is returned as it is.
func (p *Plugin) Pull(ctx context.Context, req PullRequest, send func(Batch) error) error {
	return pullWithin(ctx, p.impl, p.cfg.BatchTimeout, req, send)
}

var errSend = errors.New("send")

// pullWithin pulls from impl with a deadline per batch.
func pullWithin(ctx context.Context, impl wire.Impl, per time.Duration, req PullRequest, send func(Batch) error) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	t := time.AfterFunc(per, func() { cancel(ErrDeadline) })
	defer t.Stop()
	var sendErr error
	err := impl.Pull(ctx, req, func(b Batch) error {
		t.Stop()
		if err := send(b); err != nil {
			sendErr = err
			return errSend
		}
		t.Reset(per)
		return nil
	})
	if sendErr != nil {
		return sendErr
	}
	if err == nil {
		return nil
	}
	if errors.Is(context.Cause(ctx), ErrDeadline) {
		return fmt.Errorf("pull: no batch within %s: %w: %w", per, ErrDeadline, err)
	}
	return classify("pull", err, ctx)
}
