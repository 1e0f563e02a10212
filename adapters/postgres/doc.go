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
package postgres
