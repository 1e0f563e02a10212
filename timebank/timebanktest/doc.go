// Package timebanktest is the conformance suite for timebank.Store: the
// executable definition of what a store guarantees. A behaviour the suite
// does not check is not guaranteed.
//
// It works like dex's storage/conformance and the standard library's
// testing/fstest. Run is a table of named sub-tests; each gets a fresh,
// empty store from the caller's constructor, and each reports every
// difference it finds, not only the first. The suite covers every clause of
// the Store, Batch and filter doc comments in package timebank: round trips
// of every record field (nil pointers stay nil, times come back Equal and in
// UTC), versioned creates and updates, atomic batches, maintained balances,
// Bounds, ledger time, BalanceAt, statements, idempotency keys, the audit
// trail, every list's filters, order and paging, Tally, and concurrent
// writers (run it with -race). Its last sub-tests drive a timebank.Service
// over the store, for what the Service's promises need of it: one first
// administrator of any number of racing callers (BootstrapRace), keys
// scoped to their caller (KeyScoping), authority checked again on a replay
// (ReplayAfterDemotion) and before any state (AuthorityFirst), one email
// per network under concurrent Joins (EmailRace), and an erasure that
// leaves no copy of the person's name, email or phone in any text the
// store returns (Erasure).
//
// A store author runs the whole suite from one test:
//
//	func TestTimebankConformance(t *testing.T) {
//		timebanktest.Run(t, func(t *testing.T) timebank.Store { return memory.NewTimebankStore() })
//	}
//
// The constructor is called once per sub-test, so it must return an empty
// store each time; register any clean-up with t.Cleanup.
//
// BenchmarkTransfer and BenchmarkBalanceAt are shared benchmarks, so the
// stores' figures compare like with like; each store calls them from a
// one-line Benchmark function. The package only tests: synthetic histories
// for examples are built elsewhere, through the Service.
package timebanktest
