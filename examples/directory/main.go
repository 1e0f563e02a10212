// Command directory serves the Stronger Together directory over the Open
// Referral UK v3 API (adapters/oruk), at the root of -addr, over
// Thurrock's synthetic directory: a few hundred services across the six
// community hubs, on the embedded SQLite store.
//
//	go run ./examples/directory -addr 127.0.0.1:8080
//	curl 'http://127.0.0.1:8080/services?search=advice&day=tuesday'
//
// The first run on a database generates the directory; later runs on
// the same -db serve what is there. It stops cleanly on SIGINT or
// SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/strongertogether/community/adapters/oruk"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/internal/borough"
)

func main() {
	var o Options
	flag.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to serve the ORUK API on")
	flag.StringVar(&o.DB, "db", "", "SQLite file to use (default: directory.sqlite in the user cache folder, or a temporary folder)")
	flag.IntVar(&o.Services, "services", 300, "how many services to generate in a new database")
	flag.Parse()
	o.Log = os.Stderr
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "directory:", err)
		os.Exit(1)
	}
}

// Options are the app's settings.
type Options struct {
	Addr     string    // where to listen ("127.0.0.1:0" for any free port)
	DB       string    // SQLite file; empty for the default
	Services int       // services to generate in a new database (default 300)
	Log      io.Writer // where slog writes; nil discards
	// Ready, if set, is called with the address served once the
	// listener is open.
	Ready func(addr net.Addr)
}

// defaultDB is directory.sqlite in the user cache folder, or in a new
// temporary folder when there is none.
func defaultDB() (string, error) {
	if dir, err := os.UserCacheDir(); err == nil {
		dir = filepath.Join(dir, "stronger-together")
		if err := os.MkdirAll(dir, 0o700); err == nil {
			return filepath.Join(dir, "directory.sqlite"), nil
		}
	}
	dir, err := os.MkdirTemp("", "stronger-together-*")
	if err != nil {
		return "", fmt.Errorf("temporary folder: %w", err)
	}
	return filepath.Join(dir, "directory.sqlite"), nil
}

// run opens the database, generates the directory if it has none, and
// serves the ORUK API until ctx is done, then shuts the server down,
// letting requests in flight finish.
func run(ctx context.Context, o Options) error {
	w := o.Log
	if w == nil {
		w = io.Discard
	}
	log := slog.New(slog.NewTextHandler(w, nil))
	if o.DB == "" {
		p, err := defaultDB()
		if err != nil {
			return err
		}
		o.DB = p
	}
	if o.Services <= 0 {
		o.Services = 300
	}
	db, err := sqlite.Open(ctx, o.DB)
	if err != nil {
		return fmt.Errorf("open %s: %w", o.DB, err)
	}
	defer db.Close()
	svc, err := directory(ctx, sqlite.NewHubsStore(db), o.Services, log)
	if err != nil {
		return fmt.Errorf("directory in %s: %w", o.DB, err)
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{Handler: oruk.NewHandler(svc, oruk.Options{StateProvince: "Essex"}), ReadHeaderTimeout: 10 * time.Second,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	log.Info("serving the ORUK API", "addr", ln.Addr().String(), "db", o.DB)
	if o.Ready != nil {
		o.Ready(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	log.Info("stopped")
	return nil
}

// directory returns a Service over store: the directory already there,
// or, in an empty store, Thurrock's six hubs and n generated services.
func directory(ctx context.Context, store hubs.Store, n int, log *slog.Logger) (*hubs.Service, error) {
	svc := hubs.NewService(store, hubs.WithLogger(log))
	have, err := svc.Listings(ctx, hubs.ListingFilter{Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(have) > 0 {
		return svc, nil
	}
	world, err := borough.NewHubsWorld(ctx, store, 2016)
	if err != nil {
		return nil, fmt.Errorf("generate the hubs (a database from an interrupted run? start a new -db): %w", err)
	}
	if err := world.Directory(ctx, n); err != nil {
		return nil, fmt.Errorf("generate the directory: %w", err)
	}
	log.Info("generated the directory", "services", n)
	return world.Service, nil
}
