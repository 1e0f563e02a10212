// Command thurrock is the Stronger Together library wired end to end, as a
// council's Go developer would wire it: one database, the time bank, the
// community hubs, Small Sparks grants, the social prescribing pilot and the
// outcome framework each running as its domain's Service over it, and the
// open standards the council publishes in (360Giving for grants, FHIR UK
// Core for referrals, SVG charts for the framework).
//
// It builds each programme's history as synthetic data through the
// library's own operations (the generators in internal/borough, seeded,
// with ids from a seeded generator, so every run with the same -seed is
// the same), then prints what
// an officer of Thurrock's Stronger Together partnership would read. Every
// figure printed is computed by the library from the data; the only
// numbers typed in are the seed documents' inputs — the generators'
// totals, the B3 framework's baselines and targets, and the action plan's
// +10% growth target.
//
//	go run ./examples/thurrock [-db path|postgres://…] [-out dir] [-seed n] [-framework file]
//
// -db takes an SQLite file path or a postgres:// URL (PostgreSQL). Without
// -db the database is a new SQLite file in a temporary folder; files
// (the 360Giving package, a FHIR referral, one SVG chart per indicator)
// go to -out, or to that folder. Logs (ids only, never personal data) go
// to standard error at WARN level.
package main
