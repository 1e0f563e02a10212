package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the database/sql driver "sqlite", for readers
)

// migrationFS holds the schema: every domain adds its own numbered files to
// migration/, and Open runs those not yet recorded, in name order.
//
//go:embed migration/*.sql
var migrationFS embed.FS

// busyTimeout is how long a connection waits for another process's lock
// (or a WAL checkpoint) before giving up with SQLITE_BUSY.
const busyTimeout = 10 * time.Second

// DB is an open SQLite database file shared by the stores of every domain
// (NewTimebankStore, NewGrantsStore, NewPrescribingStore,
// NewOutcomesStore, …). It holds:
//
//   - one writer connection, used by one goroutine at a time, whose
//     transactions start with BEGIN IMMEDIATE: writes from this process
//     queue in Go instead of racing for SQLite's single write lock (no
//     SQLITE_BUSY, no lost update between a balance read and its write),
//     and a write from another process is waited for (busy timeout);
//   - a database/sql pool of read-only connections which, thanks to WAL,
//     read a consistent snapshot without waiting for the writer.
//
// A DB is safe for concurrent use. Close it when done.
type DB struct {
	path string

	wsem chan struct{} // holds a token while w is in use: one writer at a time
	w    *conn         // nil once closed

	ckpt    *conn         // the checkpointer's connection
	kick    chan struct{} // a commit happened
	stop    chan struct{} // closed by Close
	stopped chan struct{} // closed when the checkpointer returns

	reader *sql.DB
	reads  *readPool // direct read-only connections, for long reads
	rmu    sync.Mutex
	rstmts map[string]*sql.Stmt // prepared on reader

	smu    sync.Mutex
	secret []byte // the receipt secret, once read (receiptSecret)

	werr      error // set when a failed ROLLBACK left the writer in a transaction
	closeOnce sync.Once
	closeErr  error
}

// Open opens the SQLite database at path, creating the file if needed, and
// brings its schema up to date by running the embedded migrations not yet
// recorded in its migrations table.
//
// Connections run with WAL journaling, foreign keys on, a busy timeout and
// synchronous=NORMAL. In WAL mode NORMAL syncs at checkpoints rather than
// at each commit: a commit is in the WAL file (the operating system's page
// cache) before Apply returns, so an acknowledged write survives the
// process being killed or crashing at any point, which is the guarantee
// the ledger needs (the crash test checks it). Only an operating-system
// crash or power cut may lose the last commits before the next checkpoint;
// the database stays consistent, as of an earlier commit. FULL would close
// that gap at the cost of an fsync on every commit.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: open: path is required")
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
		}
	}
	// The file holds personal data: only its owner may read it. SQLite
	// gives the -wal and -shm files the database file's permissions.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db := &DB{path: path, rstmts: make(map[string]*sql.Stmt), wsem: make(chan struct{}, 1), reads: newReadPool(path)}
	if db.w, err = openConn(path); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// The writer switches the file to WAL (a persistent setting) before any
	// reader opens it.
	if err := db.w.exec(fmt.Sprintf(`
		-- For a new file only. 8 KiB pages made BenchmarkTransfer's
		-- batch=8192 about a fifth faster than 4 KiB (fewer b-tree splits
		-- as postings pile up at each account's end) and single-transfer
		-- commits about a third slower (every dirty page is written, and
		-- checksummed, whole to the WAL).
		PRAGMA page_size = 8192;
		PRAGMA busy_timeout = %d;
		PRAGMA journal_mode = WAL;
		PRAGMA synchronous = NORMAL;
		PRAGMA foreign_keys = ON;
		-- Deleted and overwritten content is zeroed in the file, so an
		-- erased person's data does not linger in free pages.
		PRAGMA secure_delete = ON;
		-- A batch of thousands of transfers dirties many pages: keep them
		-- in memory until commit rather than spilling them to the WAL.
		PRAGMA cache_size = -65536;
		PRAGMA temp_store = MEMORY;
		-- The checkpointer, not the writer, copies the WAL back into the
		-- database file (see checkpoints).
		PRAGMA wal_autocheckpoint = 0;
		PRAGMA journal_size_limit = 67108864;`, busyTimeout.Milliseconds())); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if mode, err := db.w.pragmaText("journal_mode"); err != nil || !strings.EqualFold(mode, "wal") {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: journal mode %q, not wal: %v", path, mode, err)
	}

	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(busyTimeout.Milliseconds()))
	q.Set("_foreign_keys", "1")
	q.Set("_synchronous", "NORMAL")
	q.Set("_query_only", "1")
	if db.reader, err = sql.Open("sqlite", dsn(path, q)); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	db.reader.SetMaxOpenConns(n)
	db.reader.SetMaxIdleConns(n)

	if db.ckpt, err = openConn(path); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.ckpt.exec(fmt.Sprintf(`PRAGMA busy_timeout = %d; PRAGMA synchronous = NORMAL;`,
		busyTimeout.Milliseconds())); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.kick, db.stop, db.stopped = make(chan struct{}, 1), make(chan struct{}), make(chan struct{})
	go db.checkpoints()

	if err := db.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
}

// checkpointEvery is the least time between two checkpoints.
const checkpointEvery = 50 * time.Millisecond

// checkpoints copies committed pages from the WAL back into the database
// file, on its own connection, after commits (at most every
// checkpointEvery), until Close. SQLite would otherwise do it inside the
// commit that crosses its threshold, so one Apply in a few would also pay
// for copying and fsyncing everyone's pages; here the writer goes on while
// the checkpoint runs. A PASSIVE checkpoint never blocks the writer or the
// readers; what it cannot copy yet is copied by the next one.
func (db *DB) checkpoints() {
	defer close(db.stopped)
	for {
		select {
		case <-db.stop:
			return
		case <-db.kick:
		}
		// A failed checkpoint (SQLITE_BUSY while another process
		// checkpoints) is retried after the next commit.
		_ = db.ckpt.exec("PRAGMA wal_checkpoint(PASSIVE)")
		select {
		case <-db.stop:
			return
		case <-time.After(checkpointEvery):
		}
	}
}

// dsn builds a modernc.org/sqlite data source name for a file path.
func dsn(path string, q url.Values) string {
	u := url.URL{Scheme: "file", Opaque: (&url.URL{Path: path}).EscapedPath(), RawQuery: q.Encode()}
	return u.String()
}

// Path returns the file the database was opened from.
func (db *DB) Path() string { return db.path }

// Close closes the writer and the readers. Stores made from db must not be
// used afterwards.
func (db *DB) Close() error {
	db.closeOnce.Do(func() { db.closeErr = db.close() })
	return db.closeErr
}

// close does Close's work, once.
func (db *DB) close() error {
	var errs []error
	if db.stop != nil {
		select {
		case <-db.stop:
		default:
			close(db.stop)
		}
		<-db.stopped
	}
	if db.ckpt != nil {
		errs = append(errs, db.ckpt.close())
		db.ckpt = nil
	}
	if db.reads != nil {
		errs = append(errs, db.reads.close())
	}
	db.rmu.Lock()
	for k, s := range db.rstmts {
		errs = append(errs, s.Close())
		delete(db.rstmts, k)
	}
	db.rmu.Unlock()
	if db.reader != nil {
		errs = append(errs, db.reader.Close())
	}
	db.wsem <- struct{}{}
	if db.w != nil {
		// Closing the last connection checkpoints the WAL into the file.
		errs = append(errs, db.w.close())
		db.w = nil
	}
	<-db.wsem
	return errors.Join(errs...)
}

// migrate runs every migration/*.sql file not yet recorded, in name order,
// each in its own transaction together with its row in migrations, so a
// failed migration leaves no trace and is retried on the next Open. Names
// start with a number (0001_timebank.sql); a released file is never
// edited: a change is a new file.
func (db *DB) migrate(ctx context.Context) error {
	err := db.write(ctx, func(tx *writeTx) error {
		return tx.script(`CREATE TABLE IF NOT EXISTS migrations (
			name       TEXT PRIMARY KEY,
			applied_at INTEGER NOT NULL
		) STRICT`)
	})
	if err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migration/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		err := db.write(ctx, func(tx *writeTx) error {
			base := filepath.Base(name)
			n, err := tx.count(`SELECT count(*) FROM migrations WHERE name = ?`, base)
			if err != nil || n > 0 {
				return err
			}
			buf, err := fs.ReadFile(migrationFS, name)
			if err != nil {
				return err
			}
			if err := tx.script(string(buf)); err != nil {
				return err
			}
			_, err = tx.exec(`INSERT INTO migrations (name, applied_at) VALUES (?, ?)`, base, time.Now().UnixMicro())
			return err
		})
		if err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// Migrations returns the names of the migrations applied to db, in order.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.reader.QueryContext(ctx, `SELECT name FROM migrations ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: migrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("sqlite: migrations: %w", err)
		}
		names = append(names, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: migrations: %w", err)
	}
	return names, nil
}

// write runs fn in a write transaction and commits it if fn returns nil;
// otherwise, or if fn panics, it rolls back. Transactions from this
// process run one at a time; BEGIN IMMEDIATE takes SQLite's write lock up
// front (waiting up to busyTimeout for another process), so a transaction
// never fails half way for want of it.
func (db *DB) write(ctx context.Context, fn func(tx *writeTx) error) (err error) {
	// Wait for the writer, or for ctx to end.
	select {
	case db.wsem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-db.wsem }()
	if db.w == nil {
		return errors.New("sqlite: database is closed")
	}
	if db.werr != nil {
		return fmt.Errorf("sqlite: the writer is unusable after a failed rollback; reopen the database: %w", db.werr)
	}
	defer db.w.trim()
	defer db.w.release()
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.w.exec("BEGIN IMMEDIATE"); err != nil {
		return err
	}
	tx := &writeTx{ctx: ctx, c: db.w}
	done := false
	defer func() {
		if !done {
			// ROLLBACK fails harmlessly if SQLite rolled back already (an
			// INSERT OR ROLLBACK that failed). If the connection is still
			// in the transaction, no later write may run on it.
			if err := db.w.exec("ROLLBACK"); err != nil && !db.w.autocommit() {
				db.werr = err
			}
		}
	}()
	if err := fn(tx); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := db.w.exec("COMMIT"); err != nil {
		return err
	}
	done = true
	select {
	case db.kick <- struct{}{}:
	default:
	}
	return nil
}

// pragmaText returns the value of a PRAGMA that reports one text value.
func (c *conn) pragmaText(name string) (string, error) {
	s, err := c.prepare("PRAGMA " + name)
	if err != nil {
		return "", err
	}
	ok, err := s.next()
	if err != nil || !ok {
		return "", err
	}
	v := s.colText(0)
	s.reset()
	return v, nil
}

// readStmt returns query prepared on the reader pool.
func (db *DB) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	db.rmu.Lock()
	s, ok := db.rstmts[query]
	db.rmu.Unlock()
	if ok {
		return s, nil
	}
	s, err := db.reader.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	db.rmu.Lock()
	defer db.rmu.Unlock()
	if old, ok := db.rstmts[query]; ok {
		_ = s.Close()
		return old, nil
	}
	db.rstmts[query] = s
	return s, nil
}

// Times are stored as INTEGER microseconds since the Unix epoch, UTC. The
// zero time.Time is stored as its own (negative) value and reads back as
// the zero time, so it round-trips; a nil *time.Time is NULL.

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

func fromNullMicros(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

func nullInt(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

func fromNullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	n := v.Int64
	return &n
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// limitOffset returns the LIMIT clause for a list filter; Limit 0 is no
// limit.
func limitOffset(limit, offset int) string {
	if limit <= 0 && offset <= 0 {
		return ""
	}
	if limit <= 0 {
		limit = -1
	}
	return fmt.Sprintf(" LIMIT %d OFFSET %d", limit, max(offset, 0))
}

// placeholders returns "?, ?, …" with n marks.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// valuesRows returns "(?, ?), (?, ?), …": rows groups of cols marks.
func valuesRows(rows, cols int) string {
	one := "(" + placeholders(cols) + ")"
	var b strings.Builder
	b.Grow(rows * (len(one) + 2))
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(one)
	}
	return b.String()
}

// rowChunks splits n rows into statement sizes: as many full chunks of
// size (a power of two) as fit, then the remainder in powers of two.
// Multi-row statements of these few shapes are prepared once and reused.
func rowChunks(n, size int) []int {
	var out []int
	for n >= size {
		out = append(out, size)
		n -= size
	}
	for p := size / 2; p >= 1; p /= 2 {
		if n >= p {
			out = append(out, p)
			n -= p
		}
	}
	return out
}
