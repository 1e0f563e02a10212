package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// eventsLock namespaces the advisory locks that order the writers of an
// event table and its readers with After (see settledSeq); the second key
// is a hash of the schema and the table, so councils kept apart by schema,
// and domains, do not wait for each other.
const eventsLock = 0x5374_4576 // "StEv"

// eventsKey is the SQL of the advisory lock's two keys for an event table.
func eventsKey(table string) string {
	return fmt.Sprintf("%d, hashtext(coalesce(current_schema(), '') || '.%s')", eventsLock, table)
}

// eventWriter returns the options of a transaction that will write to the
// event table: it begins with the table's advisory lock taken in shared
// mode, in the same round trip as BEGIN, before any row lock and before
// any Seq is drawn, and holds it until it commits or rolls back. Writers
// do not wait for each other; a reader in settledSeq waits for them.
func eventWriter(table string) pgx.TxOptions {
	return pgx.TxOptions{BeginQuery: "BEGIN; SELECT pg_advisory_xact_lock_shared(" + eventsKey(table) + ")"}
}

// settledSeq returns a Seq of the event table at or below which no event
// can still commit: it takes the table's advisory lock in exclusive mode,
// which waits for every writer in flight (each holds the lock in shared
// mode from before it draws a Seq until it ends), reads the last Seq
// drawn, and lets the lock go, in one round trip (a pgx batch is one
// implicit transaction). Every Seq up to the one returned belongs to an
// event that has committed, and is visible to any later statement, or to
// a transaction that rolled back. Writers that begin while it waits
// queue behind it, so it is not starved.
func (db *DB) settledSeq(ctx context.Context, table string) (int64, error) {
	var b pgx.Batch
	b.Queue(`SELECT pg_advisory_xact_lock(` + eventsKey(table) + `)`)
	b.Queue(`SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence($1, 'seq')), 0)`, table)
	br := db.pool.SendBatch(ctx, &b)
	defer br.Close() //nolint:errcheck // the error is that of Exec or QueryRow
	if _, err := br.Exec(); err != nil {
		return 0, fmt.Errorf("wait for the writers of %s: %w", table, err)
	}
	var seq int64
	if err := br.QueryRow().Scan(&seq); err != nil {
		return 0, fmt.Errorf("last seq of %s: %w", table, err)
	}
	return seq, br.Close()
}

// beginEvents begins a transaction that writes events to table when
// events is true, as eventWriter says, and an ordinary one otherwise.
func (db *DB) beginEvents(ctx context.Context, table string, events bool) (pgx.Tx, error) {
	if !events {
		return db.pool.Begin(ctx)
	}
	return db.pool.BeginTx(ctx, eventWriter(table))
}
