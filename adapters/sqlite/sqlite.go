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
	"sync/atomic"
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

	ckpt      *conn         // the checkpointer's connection
	ckmu      sync.Mutex    // held by every checkpoint this process runs
	frame     int64         // the size of a WAL frame: a page and its header
	restartAt atomic.Int64  // WAL frames at which a commit sends on full
	kick      chan struct{} // a commit happened
	full      chan struct{} // a commit left restartAt frames or more in the WAL
	stop      chan struct{} // closed by Close
	stopped   chan struct{} // closed when the checkpointer returns

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

// Synchronous is how far a commit goes towards the disk before the write
// that made it returns: SQLite's PRAGMA synchronous, in WAL mode.
type Synchronous int

const (
	// SyncFull syncs the WAL to the disk at every commit, before the write
	// returns: an acknowledged write survives a power cut or an
	// operating-system crash, as well as the process being killed. It is
	// the default. It costs an fsync per commit, which dominates small
	// writes (see BenchmarkSynchronous).
	SyncFull Synchronous = iota
	// SyncNormal leaves a commit in the WAL file in the operating
	// system's page cache when the write returns and syncs only at
	// checkpoints. An acknowledged write still survives the process being
	// killed or crashing at any point, but a power cut or an
	// operating-system crash may lose the commits since the WAL was last
	// synced (usually the last fraction of a second of writes; longer
	// while readers of old snapshots hold the checkpointer back): writes
	// the caller was told had succeeded, such as a confirmed exchange.
	// The database stays consistent, as of an earlier commit. Choose it
	// only where losing the last writes on power loss is acceptable, or
	// where the disk and its cache survive power loss. Single-write
	// commits run several times faster with it.
	SyncNormal
)

// pragma returns the value PRAGMA synchronous takes for s.
func (s Synchronous) pragma() (string, error) {
	switch s {
	case SyncFull:
		return "FULL", nil
	case SyncNormal:
		return "NORMAL", nil
	}
	return "", fmt.Errorf("synchronous %d is neither SyncFull nor SyncNormal", int(s))
}

// Option changes how Open opens a database.
type Option func(*options)

type options struct {
	sync Synchronous
}

// WithSynchronous sets how far a commit goes towards the disk before the
// write returns; the default is SyncFull. See SyncNormal for what the
// faster setting risks.
func WithSynchronous(s Synchronous) Option { return func(o *options) { o.sync = s } }

// Open opens the SQLite database at path, creating the file (readable and
// writable by its owner only) if needed, and brings its schema up to date
// by running the embedded migrations not yet recorded in its migrations
// table.
//
// Connections run with WAL journaling, foreign keys on, secure_delete on,
// a busy timeout and synchronous=FULL unless WithSynchronous says
// otherwise: every acknowledged write survives a power cut. A background
// checkpointer keeps the WAL bounded (see checkpoints) and truncates it
// once writes pause.
func Open(ctx context.Context, path string, opts ...Option) (*DB, error) {
	var o options
	for _, f := range opts {
		f(&o)
	}
	syncMode, err := o.sync.pragma()
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
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
		PRAGMA synchronous = %s;
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
		-- When the WAL starts again from its beginning, the first commit
		-- cuts a larger file back to this size.
		PRAGMA journal_size_limit = %d;`, busyTimeout.Milliseconds(), syncMode, walLimit)); err != nil {
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
	q.Set("_synchronous", syncMode)
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
	// The checkpointer's connection runs the PASSIVE checkpoints, which
	// copy what they can while writes go on; the RESTART and TRUNCATE
	// checkpoints run on the writer's (see writerCheckpoint). Its busy
	// timeout bounds how long it waits for a lock another process holds.
	if err := db.ckpt.exec(fmt.Sprintf(`PRAGMA busy_timeout = %d; PRAGMA synchronous = %s;`,
		ckptWait.Milliseconds(), syncMode)); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if db.frame, err = db.ckpt.pragmaInt("page_size"); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.frame += walFrameHeader
	db.restartAt.Store(walRestart / db.frame)
	if err := db.w.hookWAL(); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.kick, db.full = make(chan struct{}, 1), make(chan struct{}, 1)
	db.stop, db.stopped = make(chan struct{}), make(chan struct{})
	go db.checkpoints()

	if err := db.migrate(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := db.foldEmailKeys(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return db, nil
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
	if f, at := db.w.walFrames(), db.restartAt.Load(); f >= at {
		db.walFull(f, at)
	}
	select {
	case db.kick <- struct{}{}:
	default:
	}
	return nil
}

// pragmaInt returns the value of a PRAGMA that reports one integer.
func (c *conn) pragmaInt(name string) (int64, error) {
	s, err := c.prepare("PRAGMA " + name)
	if err != nil {
		return 0, err
	}
	ok, err := s.next()
	if err != nil || !ok {
		return 0, fmt.Errorf("pragma %s: no value: %w", name, err)
	}
	v := s.colInt64(0)
	s.reset()
	return v, nil
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
