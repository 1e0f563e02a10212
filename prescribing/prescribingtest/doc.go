// Package prescribingtest is the conformance suite for prescribing.Store:
// the executable definition of what a store guarantees. A behaviour the
// suite does not check is not guaranteed.
//
// Run is a table of named sub-tests, in the style of dex's
// storage/conformance and testing/fstest; each gets a fresh, empty store
// from the caller's constructor and reports every difference it finds. It
// covers every clause of the Store and Batch doc comments: round trips of
// every record (nil pointers stay nil, times come back equal and in UTC),
// versioned creates and updates, NHS number uniqueness, atomic batches,
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
// Generate builds a social prescribing pilot through the Service —
// practice lists with risk scores, stratification, MDT meetings, referrals
// through their lifecycle and wellbeing before and after — pseudo-random
// from a seed (ThurrockPilot: the four practices of the seed's pilot), for
// tests and examples.
package prescribingtest
