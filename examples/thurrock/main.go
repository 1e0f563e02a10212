package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/strongertogether/community/examples/thurrock/replay"
)

func main() {
	var o replay.Options
	flag.StringVar(&o.DB, "db", "", "an SQLite file, or a postgres:// URL for PostgreSQL (default: a new SQLite file in a temporary folder)")
	flag.StringVar(&o.Out, "out", "", "folder to write the 360Giving, FHIR and chart files to (default: the temporary folder)")
	flag.StringVar(&o.Framework, "framework", "", "outcome framework file (default: examples/frameworks/thurrock-b3.json in the module)")
	flag.Uint64Var(&o.Seed, "seed", replay.DefaultSeed, "seed of the synthetic data's ids: the same seed gives the same ids and file names")
	flag.IntVar(&o.Scale, "scale", 1, fmt.Sprintf("multiply the synthetic borough for a load run, from 1 (the seed documents' figures) to %d", replay.MaxScale))
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), `thurrock replays a synthetic Thurrock (time bank, Small Sparks grants,
social prescribing pilot and the B3 outcome framework) into one database,
prints the officer's report, and writes the 360Giving, FHIR and chart files.

Usage: go run ./examples/thurrock [flags]

`)
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "thurrock: unexpected argument %q (flags go before any argument; see -h)\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := replay.CheckScale(o.Scale); err != nil {
		fmt.Fprintf(os.Stderr, "thurrock: -scale %v (see -h)\n", err)
		os.Exit(2)
	}
	o.Log = os.Stderr
	if terminal(os.Stderr) && os.Getenv("CI") != "true" {
		o.Progress = os.Stderr
	}
	if _, err := replay.Run(context.Background(), os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "thurrock:", err)
		os.Exit(1)
	}
}

// terminal reports whether f is a terminal (a character device), not a
// pipe or a file.
func terminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
