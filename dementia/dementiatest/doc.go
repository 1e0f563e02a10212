// Package dementiatest is the conformance suite of dementia.Store: Run
// checks a store behaves as the interface's documentation says, through
// the Service, and the benchmarks measure the reads the coordinator's
// view needs. Every store in adapters/ runs it.
package dementiatest
