// Command timebank shows the time bank end to end on the embedded SQLite
// store: it builds the Thurrock time bank's first eighteen months as
// synthetic data through the library's own operations, then prints what an
// officer would read — the period's figures (which reproduce the
// partnership's published ones because the report computes them from the
// ledger), growth between two half-years, hours by category, and one
// member's statement with balances at past dates.
//
//	go run ./examples/timebank [-db path]
package main
