// Command thurrock is the Stronger Together library wired end to end, as a
// council's Go developer would wire it: one embedded SQLite database, the
// time bank, Small Sparks grants, the social prescribing pilot and the
// outcome framework each running as its domain's Service over it, and the
// open standards the council publishes in (360Giving for grants, FHIR UK
// Core for referrals, SVG charts for the framework).
//
// It builds each programme's history as synthetic data through the
// library's own operations (the generators in timebanktest, grantstest
// and prescribingtest, seeded so every run is the same), then prints what
// an officer of Thurrock's Stronger Together partnership would read. Every
// figure printed is computed by the library from the data; the only
// numbers typed in are the seed documents' inputs — the generators'
// totals, the B3 framework's baselines and targets, and the action plan's
// +10% growth target.
//
//	go run ./examples/thurrock [-db path] [-out dir]
//
// Without -db the database is a new file in a temporary folder; files
// (the 360Giving package, a FHIR referral, one SVG chart per indicator)
// go to -out, or to that folder. Logs (ids only, never personal data) go
// to standard error at WARN level.
package main
