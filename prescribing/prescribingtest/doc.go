// Package prescribingtest is the conformance suite for prescribing.Store:
// the executable definition of what a store guarantees. A behaviour the
// suite does not check is not guaranteed.
//
// Run is a table of named sub-tests; each gets a fresh, empty store
// from the caller's constructor and reports every difference it finds. It
// covers every clause of the Store and Batch doc comments: round trips of
// every record (nil pointers stay nil, times come back equal and in UTC),
// versioned creates and updates, NHS number uniqueness within a practice, atomic batches,
// caseload limits, idempotency keys, the audit trail, every list's filters,
// order and paging, and concurrent writers (run it with -race): many
// advisors' acceptances at once never take a caseload over its limit.
//
// A store author runs the whole suite from one test:
//
//	func TestPrescribingConformance(t *testing.T) {
//		prescribingtest.Run(t, func(t *testing.T) prescribing.Store { return memory.NewPrescribingStore() })
//	}
//
// BenchmarkTransition is the shared benchmark of the referral transition
// path; each store calls it from a one-line Benchmark function.
//
// Some sub-tests run a prescribing.Service over the store, because what
// they check needs the store's receipts and secret: of 8 callers racing to
// Bootstrap an empty store exactly one becomes its first manager; keys are
// scoped to their actor; a deactivated GP replaying an earlier key gets
// ErrForbidden; and an erased patient's name and NHS number are found in
// no stored text.
package prescribingtest
