package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"time"

	sqlite3 "modernc.org/sqlite/lib"
)

// writeTx is a write transaction on the writer connection, given to the
// function passed to DB.write. Stores write through it, either with the
// typed fast path (stmt, then stmt.int64/text/… and stmt.exec) or with
// ExecContext and QueryRowContext, which take arguments as database/sql
// does. It must not be used after that function returns.
type writeTx struct {
	ctx context.Context
	c   *conn
}

// maxCachedStmts bounds the writer's statement cache: past it, the cache
// is emptied between transactions.
const maxCachedStmts = 1024

// stmt returns query prepared on the writer, cached for the next
// transaction. Pass only a bounded set of statement shapes (see
// rowChunks).
func (tx *writeTx) stmt(query string) (*stmt, error) {
	if err := tx.ctx.Err(); err != nil {
		return nil, err
	}
	return tx.c.prepare(query)
}

// exec runs query with args and returns the number of rows it changed.
func (tx *writeTx) exec(query string, args ...any) (int64, error) {
	s, err := tx.stmt(query)
	if err != nil {
		return 0, err
	}
	if err := s.bind(args...); err != nil {
		return 0, err
	}
	if err := s.exec(); err != nil {
		return 0, err
	}
	return tx.c.changes(), nil
}

// count runs a query whose first column is an integer, such as count(*),
// and returns it from the first row (0 if there is none).
func (tx *writeTx) count(query string, args ...any) (int64, error) {
	s, err := tx.stmt(query)
	if err != nil {
		return 0, err
	}
	if err := s.bind(args...); err != nil {
		return 0, err
	}
	ok, err := s.next()
	if err != nil || !ok {
		return 0, err
	}
	n := s.colInt64(0)
	s.reset()
	return n, nil
}

// script runs statements without parameters, such as a migration file.
func (tx *writeTx) script(sql string) error {
	if err := tx.ctx.Err(); err != nil {
		return err
	}
	return tx.c.exec(sql)
}

// ExecContext runs query with args, as (*sql.Tx).ExecContext does.
func (tx *writeTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := tx.stmt(query)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// QueryRowContext runs query with args and returns its first row, as
// (*sql.Tx).QueryRowContext does: Scan returns sql.ErrNoRows if there is
// none.
func (tx *writeTx) QueryRowContext(ctx context.Context, query string, args ...any) *txRow {
	s, err := tx.stmt(query)
	if err != nil {
		return &txRow{err: err}
	}
	return s.QueryRowContext(ctx, args...)
}

// ExecContext runs the statement with args, as (*sql.Stmt).ExecContext
// does.
func (s *stmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.bind(args...); err != nil {
		return nil, err
	}
	if err := s.exec(); err != nil {
		return nil, err
	}
	return txResult{
		changes: s.c.changes(),
		lastID:  sqlite3.Xsqlite3_last_insert_rowid(s.c.tls, s.c.db),
	}, nil
}

// QueryRowContext runs the statement with args and returns its first row.
func (s *stmt) QueryRowContext(ctx context.Context, args ...any) *txRow {
	if err := ctx.Err(); err != nil {
		return &txRow{err: err}
	}
	if err := s.bind(args...); err != nil {
		return &txRow{err: err}
	}
	ok, err := s.next()
	if err != nil {
		return &txRow{err: err}
	}
	if !ok {
		return &txRow{err: sql.ErrNoRows}
	}
	r := &txRow{vals: make([]any, sqlite3.Xsqlite3_column_count(s.c.tls, s.p))}
	for i := range r.vals {
		r.vals[i] = s.colValue(i)
	}
	s.reset()
	return r
}

// txResult is the sql.Result of a writeTx or stmt ExecContext.
type txResult struct{ changes, lastID int64 }

func (r txResult) LastInsertId() (int64, error) { return r.lastID, nil }
func (r txResult) RowsAffected() (int64, error) { return r.changes, nil }

// txRow is the row QueryRowContext returns.
type txRow struct {
	vals []any
	err  error
}

// Scan copies the row's columns into dest, as (*sql.Row).Scan does. It
// takes pointers to int64, int, bool, float64, string, []byte, any, and
// sql.Scanner implementations (sql.NullInt64, sql.NullString, …).
func (r *txRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	if len(dest) != len(r.vals) {
		return fmt.Errorf("sqlite: scan: %d destinations for %d columns", len(dest), len(r.vals))
	}
	for i, d := range dest {
		if err := assign(d, r.vals[i]); err != nil {
			return fmt.Errorf("sqlite: scan column %d: %w", i, err)
		}
	}
	return nil
}

// colValue returns column i of the current row as int64, float64, string,
// []byte or nil.
func (s *stmt) colValue(i int) any {
	switch sqlite3.Xsqlite3_column_type(s.c.tls, s.p, int32(i)) {
	case sqlite3.SQLITE_INTEGER:
		return s.colInt64(i)
	case sqlite3.SQLITE_FLOAT:
		return sqlite3.Xsqlite3_column_double(s.c.tls, s.p, int32(i))
	case sqlite3.SQLITE_TEXT:
		return s.colText(i)
	case sqlite3.SQLITE_BLOB:
		return []byte(s.colText(i))
	default:
		return nil
	}
}

// assign stores src (int64, float64, string, []byte or nil) in dest.
func assign(dest, src any) error {
	if sc, ok := dest.(sql.Scanner); ok {
		return sc.Scan(src)
	}
	switch d := dest.(type) {
	case *any:
		*d = src
		return nil
	case *int64:
		if v, ok := src.(int64); ok {
			*d = v
			return nil
		}
	case *int:
		if v, ok := src.(int64); ok && v >= math.MinInt && v <= math.MaxInt {
			*d = int(v)
			return nil
		}
	case *bool:
		if v, ok := src.(int64); ok {
			*d = v != 0
			return nil
		}
	case *float64:
		switch v := src.(type) {
		case float64:
			*d = v
			return nil
		case int64:
			*d = float64(v)
			return nil
		}
	case *string:
		switch v := src.(type) {
		case string:
			*d = v
			return nil
		case []byte:
			*d = string(v)
			return nil
		}
	case *[]byte:
		switch v := src.(type) {
		case string:
			*d = []byte(v)
			return nil
		case []byte:
			*d = v
			return nil
		case nil:
			*d = nil
			return nil
		}
	default:
		return fmt.Errorf("unsupported destination %T", dest)
	}
	return fmt.Errorf("cannot store %T in %T", src, dest)
}

// bind binds args to parameters 1…len(args). It takes the types
// database/sql passes to a driver (int64, float64, bool, string, []byte,
// nil), the other integer types, and driver.Valuer implementations. Times
// are refused: this package stores them as microseconds (see micros).
func (s *stmt) bind(args ...any) error {
	if len(args) != s.n {
		return fmt.Errorf("sqlite: %d arguments for %d parameters", len(args), s.n)
	}
	for i, a := range args {
		if err := s.bindOne(i+1, a); err != nil {
			return fmt.Errorf("sqlite: argument %d: %w", i+1, err)
		}
	}
	return nil
}

func (s *stmt) bindOne(i int, a any) error {
	switch v := a.(type) {
	case nil:
		s.null(i)
	case int64:
		s.int64(i, v)
	case int:
		s.int64(i, int64(v))
	case int32:
		s.int64(i, int64(v))
	case int16:
		s.int64(i, int64(v))
	case int8:
		s.int64(i, int64(v))
	case uint32:
		s.int64(i, int64(v))
	case uint16:
		s.int64(i, int64(v))
	case uint8:
		s.int64(i, int64(v))
	case bool:
		s.int64(i, boolInt(v))
	case float64:
		sqlite3.Xsqlite3_bind_double(s.c.tls, s.p, int32(i), v)
	case float32:
		sqlite3.Xsqlite3_bind_double(s.c.tls, s.p, int32(i), float64(v))
	case string:
		s.text(i, v)
	case []byte:
		if v == nil {
			s.null(i)
		} else {
			s.blob(i, v)
		}
	case time.Time:
		return errors.New("time.Time: store micros(t) instead")
	case driver.Valuer:
		dv, err := v.Value()
		if err != nil {
			return err
		}
		if _, again := dv.(driver.Valuer); again {
			return fmt.Errorf("%T: Value returned a driver.Valuer", a)
		}
		return s.bindOne(i, dv)
	default:
		return fmt.Errorf("unsupported type %T", a)
	}
	return nil
}

// putReceipt records an idempotency key in a domain's receipts table
// within the transaction; a key already there is duplicate (the domain's
// ErrDuplicateKey). An empty key records nothing.
func (tx *writeTx) putReceipt(table, key, hash, result string, at time.Time, duplicate error) error {
	if key == "" {
		return nil
	}
	if _, err := tx.exec(`INSERT INTO `+table+` (key, hash, result, at) VALUES (?, ?, ?, ?)`, key, hash, result, micros(at)); err != nil {
		if isUnique(err) {
			return fmt.Errorf("key %q: %w", key, duplicate)
		}
		return err
	}
	return nil
}
