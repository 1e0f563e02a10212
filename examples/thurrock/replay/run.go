package replay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/grants/giving"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

// Options are the app's settings.
type Options struct {
	DB        string    // SQLite file or postgres:// URL; empty for a new SQLite file in a temporary folder
	Out       string    // where files are written; empty for the temporary folder
	Framework string    // the B3 framework file; empty to find it in the module
	Log       io.Writer // where slog writes (WARN and above); nil discards
	// KeepOpen leaves the database open after Run: Summary.Live then
	// holds the services, for a server, and its Close closes them.
	KeepOpen bool
	// Progress, when set, shows which step is running and for how long,
	// on steps longer than a second (give it a terminal, never a pipe).
	Progress io.Writer
	// Seed makes the ids of every record, and so the files' names,
	// the same on every run with the same seed; 0 means DefaultSeed.
	Seed uint64
	// Scale multiplies the synthetic borough for a load run: members and
	// exchanges, hub visits and volunteering, grant applications, gifts,
	// referrals and the dementia figures are Scale times the seed's. 0
	// or 1 is the seed's borough; at most MaxScale (see CheckScale).
	Scale int
}

// DefaultSeed is the seed of a run that names none.
const DefaultSeed = 1

// Live is the services over the database Run built, kept open.
type Live struct {
	Timebank    *timebank.Service
	Grants      *grants.Service
	Prescribing *prescribing.Service
	Outcomes    *outcomes.Service
	Hubs        *hubs.Service
	Giving      *giving.Service // the Local Giving campaign's
	Locality    *locality.Service
	Dementia    *dementia.Service
	Close       func() error
}

// clock is the app's clock: the generators replay history at its own
// dates, and every read of the clock moves it on a second, so records
// written at one date keep their order.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Run builds the programmes in one database, prints the officer's view to
// w and returns what it printed, as the domains' reports gave it.
func Run(ctx context.Context, w io.Writer, o Options) (sum *Summary, err error) {
	// Check every input before any work is done.
	if o.Scale == 0 {
		o.Scale = 1
	}
	if err := CheckScale(o.Scale); err != nil {
		return nil, fmt.Errorf("Options.Scale %w", err)
	}
	if o.Framework == "" {
		if o.Framework, err = findFramework(); err != nil {
			return nil, err
		}
	}
	fw, err := os.ReadFile(o.Framework)
	if err != nil {
		return nil, fmt.Errorf("framework: %w", err)
	}
	if !json.Valid(fw) {
		return nil, fmt.Errorf("framework %s: not valid JSON", o.Framework)
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	tmp := ""
	if o.DB == "" || o.Out == "" {
		if tmp, err = os.MkdirTemp("", "thurrock-"); err != nil {
			return nil, err
		}
		// A failed run leaves no partial folder behind.
		defer func() {
			if err != nil {
				os.RemoveAll(tmp)
			}
		}()
	}
	if o.DB == "" {
		o.DB = filepath.Join(tmp, "thurrock.db")
	}
	if o.Out == "" {
		o.Out = tmp
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, err
	}
	// Files of an earlier run into the same folder are replaced, not piled up.
	old, err := filepath.Glob(filepath.Join(o.Out, "referral-*.fhir.json"))
	if err != nil {
		return nil, err
	}
	for _, f := range old {
		if err := os.Remove(f); err != nil {
			return nil, err
		}
	}
	logTo := o.Log
	if logTo == nil {
		logTo = io.Discard
	}
	log := slog.New(slog.NewTextHandler(logTo, &slog.HandlerOptions{Level: slog.LevelWarn}))

	a, err := openApp(ctx, o.DB, log, o.Seed)
	if err != nil {
		return nil, err
	}
	a.scale = o.Scale
	keep := false
	defer func() {
		if !keep {
			a.db.Close()
		}
	}()
	// The app replays history into a new database: it will not add a
	// second copy to one that holds it already.
	if banks, err := a.timebank.Banks(ctx, timebank.BankFilter{Limit: 1}); err != nil {
		return nil, err
	} else if len(banks) > 0 {
		return nil, fmt.Errorf("%s holds data already: give -db a new SQLite file or an empty PostgreSQL schema", dbName(o.DB))
	}

	sum = &Summary{DB: o.DB, Out: o.Out}
	fmt.Fprintln(w, "STRONGER TOGETHER — THURROCK")
	fmt.Fprintf(w, "Database %s\n", dbName(o.DB))
	steps := []struct {
		name string
		run  func(context.Context, io.Writer, *Summary, string) error
	}{
		{"time bank", a.runTimebank}, {"community hubs", a.runHubs}, {"grants", a.runGrants}, {"local giving", a.runGiving}, {"social prescribing", a.runPrescribing},
		{"dementia", a.runDementia},
		{"outcome framework", func(ctx context.Context, w io.Writer, sum *Summary, out string) error {
			return a.runOutcomes(ctx, w, sum, out, o.Framework)
		}},
		{"locality", a.runLocality},
	}
	for i, step := range steps {
		done := showProgress(o.Progress, i+1, len(steps), step.name)
		err := step.run(ctx, w, sum, o.Out)
		done()
		if err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(w, "\nFiles written to %s\n", o.Out)
	if o.KeepOpen {
		keep = true
		sum.Live = &Live{Timebank: a.timebank, Grants: a.grants, Prescribing: a.prescribing, Outcomes: a.outcomes, Hubs: a.hubs, Giving: a.giving,
			Locality: a.locality, Dementia: a.dementia, Close: a.db.Close}
	}
	return sum, nil
}

// dbName is how the database is named in the report: the SQLite path, or
// "PostgreSQL host/database" with no password.
func dbName(db string) string {
	if !isPostgres(db) {
		return "SQLite " + db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "PostgreSQL"
	}
	return "PostgreSQL " + u.Host + u.Path
}

// findFramework finds examples/frameworks/thurrock-b3.json from the
// working directory or one of its parents (the module's root).
func findFramework() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "examples", "frameworks", "thurrock-b3.json")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("examples/frameworks/thurrock-b3.json not found: run from the module, or give -framework")
		}
		dir = parent
	}
}

// showProgress shows, on p, a line for step i of n once it has run for a
// second, updating its elapsed time, and clears it when the returned
// func is called. With p nil it shows nothing.
func showProgress(p io.Writer, i, n int, name string) (done func()) {
	if p == nil {
		return func() {}
	}
	stop := make(chan struct{})
	finished := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		shown := false
		for {
			select {
			case <-stop:
				if shown {
					fmt.Fprint(p, "\r\033[K")
				}
				return
			case <-tick.C:
				el := time.Since(start)
				if el < time.Second {
					continue
				}
				bar := strings.Repeat("█", i) + strings.Repeat("░", n-i)
				fmt.Fprintf(p, "\r\033[K%s step %d of %d: %s… %ds", bar, i, n, name, int(el.Seconds()))
				shown = true
			}
		}
	}()
	return func() { close(stop); <-finished }
}
