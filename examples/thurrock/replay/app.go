package replay

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/dementia"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/grants/giving"
	"github.com/strongertogether/community/hubs"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/outcomes/costs"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

// app is every domain's Service over one database (SQLite or
// PostgreSQL), sharing one clock and one logger.
type app struct {
	db            io.Closer
	clock         *clock
	timebank      *timebank.Service
	grants        *grants.Service
	prescribing   *prescribing.Service
	outcomes      *outcomes.Service
	hubsStore     hubs.Store    // the hubs' store: runHubs builds the Service on it
	hubs          *hubs.Service // set by runHubs
	giving        *giving.Service
	dementiaStore dementia.Store // the dementia step builds its Service on it
	funded        borough.Funded // the grant monitoring the giving report reads
	scale         int            // Options.Scale, at least 1

	localityStore locality.Store    // the locality programmes' store: runLocality builds the Service on it
	locality      *locality.Service // set by runLocality
	dementia      *dementia.Service // set by runDementia
	log           *slog.Logger
	ids           *ids
}

// ids makes record ids from a seeded generator: "app-" and 16 hex
// digits, the same sequence for the same seed, so a run's files have the
// same names every time. The services share one, so ids never collide.
type ids struct {
	mu  sync.Mutex
	rng *rand.Rand
}

func newIDs(seed uint64) *ids { return &ids{rng: rand.New(rand.NewPCG(seed, seed^0x7468757272))} }

func (g *ids) next(prefix string, _ time.Time) string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return fmt.Sprintf("%s-%016x", prefix, g.rng.Uint64())
}

// isPostgres reports whether db names a PostgreSQL database (a
// postgres:// or postgresql:// URL) rather than an SQLite file.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// openApp opens the database — PostgreSQL for a postgres:// URL, SQLite
// for anything else, taken as a file path — and builds the services on it.
func openApp(ctx context.Context, dsn string, log *slog.Logger, seed uint64) (*app, error) {
	c := &clock{}
	a := &app{clock: c}
	var (
		tb timebank.Store
		gr grants.Store
		pr prescribing.Store
		oc outcomes.Store
		hb hubs.Store
		gv giving.Store
	)
	if isPostgres(dsn) {
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL: %w", err)
		}
		a.db = db
		tb, gr, pr, oc = postgres.NewTimebankStore(db), postgres.NewGrantsStore(db), postgres.NewPrescribingStore(db), postgres.NewOutcomesStore(db)
		hb = postgres.NewHubsStore(db)
		gv = postgres.NewGivingStore(db)
		a.localityStore, a.dementiaStore = postgres.NewLocalityStore(db), postgres.NewDementiaStore(db)
	} else {
		// The replay builds a new database it can build again, so its
		// commits need not wait for the disk (see sqlite.SyncNormal):
		// a power cut loses a run, never a council's records.
		db, err := sqlite.Open(ctx, dsn, sqlite.WithSynchronous(sqlite.SyncNormal))
		if err != nil {
			return nil, fmt.Errorf("open SQLite %s: %w", dsn, err)
		}
		a.db = db
		tb, gr, pr, oc = sqlite.NewTimebankStore(db), sqlite.NewGrantsStore(db), sqlite.NewPrescribingStore(db), sqlite.NewOutcomesStore(db)
		hb = sqlite.NewHubsStore(db)
		gv = sqlite.NewGivingStore(db)
		a.localityStore, a.dementiaStore = sqlite.NewLocalityStore(db), sqlite.NewDementiaStore(db)
	}
	a.hubsStore = hb
	ids := newIDs(seed)
	a.ids, a.log = ids, log
	a.timebank = timebank.NewService(tb, timebank.WithClock(c.Now), timebank.WithLogger(log), timebank.WithIDs(ids.next))
	a.grants = grants.NewService(gr, grants.WithClock(c.Now), grants.WithLogger(log), grants.WithIDs(ids.next))
	a.prescribing = prescribing.NewService(pr, prescribing.WithClock(c.Now), prescribing.WithLogger(log), prescribing.WithIDs(ids.next))
	a.outcomes = outcomes.NewService(oc, outcomes.WithClock(c.Now), outcomes.WithLogger(log), outcomes.WithIDs(ids.next))
	a.giving = giving.NewService(gv, giving.WithClock(c.Now), giving.WithLogger(log), giving.WithIDs(ids.next), giving.WithMonitoring(&a.funded))
	return a, nil
}

// Summary is what run printed, as the domains' reports returned it, and
// where it wrote its files: the test compares it with fresh reports.
type Summary struct {
	DB, Out string

	Bank     string           // the time bank's id
	Timebank *timebank.Report // November 2014 to April 2016
	Growth   *timebank.Growth // May–October 2015 to November 2015–April 2016

	Fund            string         // Small Sparks' id
	Grants          *grants.Report // financial year 2014/15
	ThreeSixty      string         // the 360Giving package
	QualityWarnings int            // 360Giving data quality warnings

	Pilot       *borough.PilotRun   // the social prescribing pilot's ids
	Prescribing *prescribing.Report // the pilot's KPIs
	Referral    string              // the referral exported as FHIR
	FHIR        string              // its FHIR Bundle
	FHIRReader  string              // the advisor who read the referral for the export

	Hubs             []HubYear // each hub's pathfinder year, by name
	HubsFrom, HubsTo time.Time // the year: its first day and the day after its last

	Frameworks []string           // the frameworks reported on
	Outcomes   []*outcomes.Report // their reports, in that order
	Charts     []string           // one SVG per indicator

	Dementia *Dementia // the Dementia Friends count and the alliance

	Campaign string         // the Local Giving campaign's id
	Giving   *giving.Report // its year, 2014/15

	// Locality is the locality programmes' year, 2014/15: LAC by area,
	// the organisers by ward and the builders' asset map by locality.
	Locality *Locality
	// Costs is the costs LAC avoided in that year: gross, each
	// adjustment and net, as low–high ranges, with the assumptions.
	Costs *costs.Report
	// Matrix is the ward matrix across every programme, 2014/15 to
	// 2017/18, with what each column counts.
	Matrix *WardMatrix

	Live *Live // the open services, when Options.KeepOpen is set
}

// heading prints a programme's title.
func heading(w io.Writer, title string) {
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("=", len([]rune(title))))
}

// table returns an aligned writer; flush it when done.
func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }
