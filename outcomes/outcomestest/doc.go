// Package outcomestest is the conformance suite for outcomes.Store: the
// executable definition of what a store guarantees. A behaviour the suite
// does not check is not guaranteed.
//
// It works like dex's storage/conformance and the standard library's
// testing/fstest: Run is a table of named sub-tests, each given a fresh,
// empty store from the caller's constructor, each reporting every
// difference it finds. It covers every clause of the Store, Batch and
// filter doc comments in package outcomes: round trips of every record
// field (nil pointers stay nil, decimals keep their value, times come back
// Equal and in UTC), versioned creates and updates, measurement revisions
// and their history, AsOf, atomic batches, idempotency keys, the audit
// trail, every list's filters, order and paging, copies in and out, and
// concurrent writers (run it with -race). Some sub-tests run an
// outcomes.Service over the store, for what the store must hold atomically
// for the Service's rules to hold: of 8 racing Bootstrap calls exactly one
// wins; keys are scoped to their actor; a replay by an actor who lost
// their role is ErrForbidden; a stranger learns nothing from an unknown
// id; EraseStory leaves no copy of what a teller told in any stored text.
//
// A store author runs the whole suite from one test:
//
//	func TestOutcomesConformance(t *testing.T) {
//		outcomestest.Run(t, func(t *testing.T) outcomes.Store { return memory.NewOutcomesStore() })
//	}
//
// BenchmarkReport and BenchmarkTrajectory are shared benchmarks, so the
// stores' figures compare like with like; each store calls them from a
// one-line Benchmark function.
package outcomestest
