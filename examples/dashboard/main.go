// Command dashboard serves the Stronger Together programmes of a
// synthetic Thurrock as web pages an officer or a resident can read: the
// outcome framework (a card per indicator with its rating, latest value
// and interval, trend chart and data table), the time bank, the community
// hubs, Small Sparks grants with the 360Giving download, social
// prescribing (totals only, never a patient), a directory search with the
// Open Referral UK API at /api/oruk, and a ward matrix of which
// programmes are active where.
//
//	go run ./examples/dashboard -addr 127.0.0.1:8080 [-db path-or-postgres-url] [-scale n]
//
// It replays the same data as examples/thurrock (package replay) into the
// database (by default a new SQLite file in a temporary folder, removed
// on exit) and serves it with net/http and html/template. The pages use
// the GOV.UK Design System's compiled CSS, vendored under static/ (see
// static/README.md), with no front-end build step. Every figure is
// computed from the data.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/strongertogether/community/examples/thurrock/replay"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to serve on")
	db := flag.String("db", "", "an SQLite file, or a postgres:// URL for PostgreSQL (default: a new SQLite file in a temporary folder)")
	scale := flag.Int("scale", 1, fmt.Sprintf("multiply the synthetic borough by this, 1 to %d, for a load run", replay.MaxScale))
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "dashboard serves the Stronger Together programmes of a synthetic Thurrock as web pages.\n\nUsage: go run ./examples/dashboard [flags]\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "dashboard: unexpected argument %q (see -h)\n", flag.Arg(0))
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := replay.CheckScale(*scale); err != nil {
		fmt.Fprintf(os.Stderr, "dashboard: -scale %v\n", err)
		os.Exit(2)
	}
	if err := serve(ctx, *addr, *db, *scale, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "dashboard:", err)
		os.Exit(1)
	}
}

// build replays Thurrock, scale times the seed's borough, into db (a new
// SQLite file under dir when empty) and returns the summary with its
// services open.
func build(ctx context.Context, db, dir string, scale int, log io.Writer) (*replay.Summary, error) {
	if db == "" {
		db = filepath.Join(dir, "thurrock.db")
	}
	return replay.Run(ctx, io.Discard, replay.Options{DB: db, Out: dir, Log: log, KeepOpen: true, Scale: scale})
}

// serve builds the data, scale times the seed's borough, and serves the
// pages on addr until ctx ends.
func serve(ctx context.Context, addr, db string, scale int, logTo io.Writer) error {
	dir, err := os.MkdirTemp("", "dashboard-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	log := slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelInfo}))
	log.Info("building the synthetic borough", "db", db, "scale", scale)
	sum, err := build(ctx, db, dir, scale, logTo)
	if err != nil {
		return err
	}
	defer sum.Live.Close()
	h, err := newServer(sum, log, time.Now)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	}()
	log.Info("serving", "url", "http://"+addr+"/")
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
