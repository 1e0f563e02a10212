// Package localitytest is the conformance suite every locality.Store
// passes (Run), in the style of testing/fstest, and its benchmarks. It
// only tests.
package localitytest
