package postgres

import "context"

// QueryInt runs a query returning one integer, for tests that look inside
// the database.
func (db *DB) QueryInt(ctx context.Context, sql string, args ...any) (int64, error) {
	var n int64
	err := db.pool.QueryRow(ctx, sql, args...).Scan(&n)
	return n, err
}

// QueryString runs a query returning one string.
func (db *DB) QueryString(ctx context.Context, sql string, args ...any) (string, error) {
	var s string
	err := db.pool.QueryRow(ctx, sql, args...).Scan(&s)
	return s, err
}

// ReceiptSecret returns the database's receipt secret.
func (db *DB) ReceiptSecret(ctx context.Context) ([]byte, error) { return db.receiptSecret(ctx) }

// FirstSchema is firstSchema, for its table test.
var FirstSchema = firstSchema

// SettledSeq is settledSeq, for the benchmark of event reads.
func (db *DB) SettledSeq(ctx context.Context, table string) (int64, error) {
	return db.settledSeq(ctx, table)
}

// BeginCommit begins a transaction as a writer of table's events does
// when events is true, or an ordinary one otherwise, and commits it, for
// the benchmark of the write path.
func (db *DB) BeginCommit(ctx context.Context, table string, events bool) error {
	tx, err := db.beginEvents(ctx, table, events)
	if err != nil {
		return err
	}
	return tx.Commit(ctx)
}
