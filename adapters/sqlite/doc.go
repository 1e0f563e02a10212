// Package sqlite is the embedded default store: one SQLite file, opened
// with modernc.org/sqlite (pure Go, no cgo), that holds every domain's
// records.
//
// Open opens or creates the file, switches it to WAL, turns on foreign
// keys and a busy timeout, and brings the schema up to date by running the
// SQL files embedded from migration/ in name order, each in its own
// transaction and recorded in the migrations table. A domain adds its
// tables as a new numbered file there (migration/README.md lists the
// numbers, the gaps and why) and its store as a type built on the same
// *DB, as NewTimebankStore does for package timebank (the Time Bank of
// seed documents 000 and 002).
//
// SQLite allows one writer at a time. A DB writes through a single
// connection, one transaction at a time, each begun IMMEDIATE: concurrent
// Apply calls queue instead of failing with SQLITE_BUSY, and a balance read
// inside a transaction cannot be overtaken by another writer, in this
// process or another. That connection is driven through SQLite's C API
// (modernc.org/sqlite/lib) rather than database/sql, whose per-parameter
// cost dominated large batches; reads use a database/sql pool that, in WAL
// mode, never waits for the writer. A background checkpointer copies the
// WAL back into the file so that commits do not, keeps the WAL file to
// tens of MiB under continuous writes, even while readers hold snapshots,
// and truncates it once writes pause.
//
// Commits are synced to the disk before they are acknowledged
// (synchronous=FULL), so an acknowledged write survives a power cut;
// WithSynchronous(SyncNormal) trades that for speed, and its doc says
// what it risks.
//
// TimebankStore keeps each account's balance on its row and every posting
// with the balance it left, clustered by (account, at, seq), so Account is
// one row and BalanceAt is one b-tree descent. Apply posts a batch of
// transfers with a handful of multi-row statements: it loads the accounts
// the batch touches once, computes postings, bounds and running balances
// in Go, inserts transfers and postings hundreds of rows per statement and
// writes each moved balance once.
//
// Times are stored as INTEGER microseconds since the Unix epoch, UTC, and
// read back in UTC; a nil pointer is NULL.
package sqlite
