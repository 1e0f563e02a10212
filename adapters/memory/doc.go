// Package memory holds in-memory implementations of the domains' stores,
// for tests and small demos: nothing survives the process.
//
// TimebankStore implements timebank.Store and passes the conformance suite
// in timebank/timebanktest, like the SQLite and PostgreSQL stores. It is
// safe for concurrent use, copies records in and out so callers never share
// memory with it, and writes a batch only after checking all of it. Stores
// for the other domains (hubs, grants, prescribing, dementia, outcomes)
// will join it here.
package memory
