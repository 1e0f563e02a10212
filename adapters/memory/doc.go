// Package memory holds in-memory implementations of the domains' stores,
// for tests and small demos: nothing survives the process.
//
// TimebankStore, GrantsStore, OutcomesStore and PrescribingStore implement
// the Store interfaces of timebank, grants, outcomes and prescribing and
// pass their conformance suites, like the SQLite and PostgreSQL stores.
// Each is safe for concurrent use, copies records in and out so callers
// never share memory with it, and writes a batch only after checking all
// of it.
package memory
