package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/outcomes"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

// app is every domain's Service over one SQLite database, sharing one
// clock and one logger.
type app struct {
	db          *sqlite.DB
	clock       *clock
	timebank    *timebank.Service
	grants      *grants.Service
	prescribing *prescribing.Service
	outcomes    *outcomes.Service
}

// openApp opens the database and builds the services on it.
func openApp(ctx context.Context, path string, log *slog.Logger) (*app, error) {
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	c := &clock{}
	return &app{
		db:          db,
		clock:       c,
		timebank:    timebank.NewService(sqlite.NewTimebankStore(db), timebank.WithClock(c.Now), timebank.WithLogger(log)),
		grants:      grants.NewService(sqlite.NewGrantsStore(db), grants.WithClock(c.Now), grants.WithLogger(log)),
		prescribing: prescribing.NewService(sqlite.NewPrescribingStore(db), prescribing.WithClock(c.Now), prescribing.WithLogger(log)),
		outcomes:    outcomes.NewService(sqlite.NewOutcomesStore(db), outcomes.WithClock(c.Now), outcomes.WithLogger(log)),
	}, nil
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

	Frameworks []string           // the frameworks reported on
	Outcomes   []*outcomes.Report // their reports, in that order
	Charts     []string           // one SVG per indicator
}

// heading prints a programme's title.
func heading(w io.Writer, title string) {
	fmt.Fprintf(w, "\n%s\n%s\n", title, strings.Repeat("=", len([]rune(title))))
}

// table returns an aligned writer; flush it when done.
func table(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0) }
