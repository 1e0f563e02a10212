// Command thurrock is the Stronger Together library wired end to end, as a
// council's Go developer would wire it: one database (an embedded SQLite
// file by default, or PostgreSQL), and each programme running as its
// domain's Service over it — the time bank, the community hubs and the
// Stronger Together directory, Small Sparks grants and the Local Giving
// campaign, the social prescribing pilot (matching people to the
// directory's services), the Dementia Action Alliance, the outcome
// framework, and the locality programmes (Local Area Coordination,
// Community Organisers, Community Builders) with the costs LAC avoided,
// as a low–high range after deadweight, attribution and optimism bias,
// and the ward matrix of which programmes are active in each ward — with the open standards the council publishes in (360Giving
// for grants, FHIR UK Core for referrals, SVG charts for the framework).
//
// It builds each programme's synthetic history through the library's own
// operations (the generators of internal/borough, seeded so every run is
// the same; package replay holds the engine, which the dashboard example
// serves too), then prints what an officer of Thurrock's Stronger
// Together partnership would read. Every figure printed is computed by
// the library from the data; the only numbers typed in are the seed
// documents' inputs: the generators' totals, the framework's baselines
// and targets, and the action plan's growth target.
//
//	go run ./examples/thurrock [-db path|postgres://…] [-out dir] [-seed n] [-scale n] [-framework file]
//
// Without -db the database is a new SQLite file in a temporary folder;
// files (the 360Giving package, a FHIR referral, one SVG chart per
// indicator) go to -out, or to that folder. Logs (ids only, never personal
// data) go to standard error at WARN level. -scale n (1 to 100) builds a
// borough n times the seed's, for a load run; 1 is the seed's.
package main
