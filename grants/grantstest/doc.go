// Package grantstest is the conformance suite for grants.Store: the
// executable definition of what a store guarantees. A behaviour the suite
// does not check is not guaranteed.
//
// It works like dex's storage/conformance and the standard library's
// testing/fstest. Run is a table of named sub-tests; each gets a fresh,
// empty store from the caller's constructor and reports every difference
// it finds. The suite covers the Store, Batch, Commit and Pay doc comments
// in package grants: round trips of every record, versioned creates and
// updates, atomic batches, idempotency keys, the budget and payment checks
// (including many writers at once: run it with -race), totals, the audit
// trail and every list's filters, order and paging.
//
// A store author runs the whole suite from one test:
//
//	func TestGrantsConformance(t *testing.T) {
//		grantstest.Run(t, func(t *testing.T) grants.Store { return memory.NewGrantsStore() })
//	}
//
// BenchmarkApprove is a shared benchmark of the approve path, so the
// stores' figures compare like with like.
//
// Every sub-test that needs the Service builds one over the store, so the
// suite also checks what a store must do for the Service: the first
// administrator appointed once among racing callers, keys scoped to their
// actor, replays that re-check authority, and an erasure that leaves no
// copy of a person's name, email or phone in any stored text.
package grantstest
