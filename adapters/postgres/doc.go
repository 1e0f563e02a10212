// Package postgres stores the library's domains in PostgreSQL, with
// github.com/jackc/pgx/v5, for councils that outgrow one machine or run
// several sites against one database. adapters/sqlite is the embedded
// default; both pass the same conformance suites (timebank/timebanktest, …).
//
// # Opening a database
//
// Open connects a pgxpool and brings the schema up to date by running the
// embedded migration/*.sql files that the migrations table does not list
// yet, in name order, each in its own transaction under a transaction-level
// advisory lock, so several processes may Open the same database at once.
// Tables go in the first existing schema of the connection's search_path:
// put search_path in the URL (…?search_path=council_a) to keep several
// councils, or tests, apart in one database. If the schema does not exist,
// Open creates it, or, when the role may not, says what to run. Times
// come back in UTC. Close closes the pool and returns an error, as
// sqlite.DB.Close does.
//
// # Adding a domain
//
// A domain adds its tables in a new migration file with the number it
// was given (migration/README.md lists the numbers of every domain, the
// gaps and why), named 00NN_<domain>_<what>.sql, with table names
// prefixed by the domain (hubs_…), and a store type built on the same
// *DB, as NewTimebankStore is. A released migration file is never edited;
// a change is a new file.
// Text columns that lists are ordered by are declared COLLATE "C", so that
// they sort byte by byte, as Go and the other stores do, whatever the
// database's own collation (0008_collate_c.sql did so for the tables
// before it).
// Tests of such a store get a fresh schema per test from package
// adapters/postgres/pgtest.
//
// # The time bank
//
// TimebankStore implements timebank.Store, the Time Bank of the Stronger
// Together partnership (seed documents 000 and 002). Apply runs in one
// read-committed transaction: it writes the idempotency receipt first,
// then the versioned records (INSERT … ON CONFLICT DO NOTHING for Version
// 1, UPDATE … WHERE version = n-1 otherwise), locks the accounts the
// transfers move with SELECT … FOR NO KEY UPDATE in id order (so writers
// cannot deadlock), posts the transfers in Go against the locked balances,
// checking ledger time and timebank.Bounds, and writes transfers and
// postings with INSERT … unnest, or COPY for large batches, and the new
// balances with one UPDATE … FROM unnest. Each posting keeps the balance
// it left and a per-account sequence number, and the postings' primary
// key is (account, at, seq), so BalanceAt is one index descent however
// long an account's history.
//
// # Events in Seq order
//
// The grants, prescribing and timebank stores number their events from
// a sequence (bigserial), and a reader that keeps the last Seq it saw,
// as the CRM feeds of adapters/crm do, reads with EventFilter.After. A
// sequence hands out numbers when rows are inserted, not when their
// transactions commit: a transaction that drew 10 can still be open when
// one that drew 11 commits, and a reader between the two commits would
// see 11, move its mark past 10, and never read it. So each event table
// has an advisory lock (keyed by schema and table). A transaction that
// writes events takes it in shared mode in the round trip of its BEGIN,
// before it draws a Seq or locks a row, and holds it until it ends;
// writers do not wait for each other. Events takes it in exclusive mode,
// which waits for the writers in flight, reads the sequence's last value
// and lets it go, in one round trip, and returns only events up to that
// value: every Seq at or below it belongs to a transaction that has
// ended, so none can still commit below an event the reader is given.
// Writers that begin while a read waits queue behind it, so the read is
// not starved; it waits at most as long as the longest write in flight,
// and holds no lock while it reads the rows.
//
// Two other ways were weighed. Taking the Seq from a counter row locked
// until commit makes Seq order commit order, but serialises every writer
// of a domain from the counter's update to its commit, fsync included,
// where this lock costs writers nothing while no one reads. Recording
// each event's transaction id (pg_current_xact_id) and returning only
// events whose transaction is older than the snapshot's xmin is not
// enough on its own: an older transaction can draw a later Seq, commit
// first and pass the test while a younger one holding a lower Seq is
// still open. Closing that gap needs, per event, a bound on the
// transactions alive when its Seq was drawn, read after the draw, and
// the INSERT's own snapshot is taken before it. The sequences keep CACHE
// 1, the bigserial default: a session caching numbers would draw below
// the last value after a read had passed it.
package postgres
