// Package hubstest is the conformance suite of hubs.Store: Run checks a
// store through the hubs.Service and directly, each sub-test on a fresh,
// empty store, and the benchmarks measure directory search and concurrent
// booking. Every adapter runs it.
package hubstest
