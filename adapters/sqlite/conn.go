package sqlite

import (
	"errors"
	"fmt"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// conn is one SQLite connection driven directly through
// modernc.org/sqlite/lib, SQLite's C API translated to Go, instead of
// through database/sql and the driver. The writer uses it: binding one
// parameter through database/sql and the driver converts, locks, allocates
// and copies, and for the multi-row INSERTs of a large batch of transfers
// that cost about as much as SQLite's own work (BenchmarkTransfer
// batch=8192 went from about 50,000 to about 85,000 transfers/s).
//
// A conn is not safe for concurrent use: DB serialises its users. It is
// opened with SQLITE_OPEN_NOMUTEX for that reason.
type conn struct {
	tls    *libc.TLS
	db     uintptr
	stmts  map[string]*stmt
	arena  arena
	frames uintptr // C memory the WAL hook writes to (see hookWAL)
}

// arena is C memory that text and blob parameters are copied into, and
// that SQLite reads them from (SQLITE_STATIC) until release: SQLite's code
// may be given only C memory, never Go memory, and binding by reference
// spares it a malloc and a copy per value. Blocks never move, so every
// value bound since the last release stays valid.
type arena struct {
	blocks []uintptr
	sizes  []int
	cur    int // the block being filled
	off    int // bytes used in it
}

// arenaBlock is the size of an arena block; a larger value gets a block
// of its own.
const arenaBlock = 64 << 10

// alloc returns the address of n bytes (at least one, so that an empty
// text has an address and does not read as NULL).
func (c *conn) alloc(n int) uintptr {
	a := &c.arena
	n = max(n, 1)
	if len(a.blocks) > 0 && a.off+n <= a.sizes[a.cur] {
		p := a.blocks[a.cur] + uintptr(a.off)
		a.off += n
		return p
	}
	if a.cur+1 < len(a.blocks) && n <= a.sizes[a.cur+1] {
		a.cur++
	} else {
		size := max(n, arenaBlock)
		p := cmalloc(libc.Xmalloc, c.tls, size)
		if p == 0 {
			panic("sqlite: out of memory")
		}
		a.blocks = append(a.blocks, p)
		a.sizes = append(a.sizes, size)
		a.cur = len(a.blocks) - 1
	}
	a.off = n
	return a.blocks[a.cur]
}

// release makes the arena's memory free for new values, keeping its first
// block. Call it only when no statement will run again without being
// bound anew: at the end of a transaction.
func (c *conn) release() {
	a := &c.arena
	if len(a.blocks) > 1 {
		for _, p := range a.blocks[1:] {
			libc.Xfree(c.tls, p)
		}
		a.blocks, a.sizes = a.blocks[:1], a.sizes[:1]
	}
	a.cur, a.off = 0, 0
}

// sqliteError is an error reported by SQLite.
type sqliteError struct {
	code int // extended result code
	msg  string
}

func (e *sqliteError) Error() string {
	return fmt.Sprintf("sqlite: %s (%d)", e.msg, e.code)
}

// isUnique reports whether err is a UNIQUE or PRIMARY KEY constraint
// violation.
func isUnique(err error) bool {
	var e *sqliteError
	if !errors.As(err, &e) {
		return false
	}
	return e.code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

// openConn opens (creating if needed) the database file at path.
func openConn(path string) (*conn, error) {
	c := &conn{tls: libc.NewTLS(), stmts: make(map[string]*stmt)}
	zPath, err := libc.CString(path)
	if err != nil {
		c.close()
		return nil, err
	}
	defer libc.Xfree(c.tls, zPath)
	pp := c.tls.Alloc(ptrSize)
	defer c.tls.Free(ptrSize)
	libc.AtomicStorePUintptr(pp, 0)
	rc := sqlite3.Xsqlite3_open_v2(c.tls, zPath, pp,
		sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_CREATE|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	c.db = libc.AtomicLoadPUintptr(pp)
	if rc != sqlite3.SQLITE_OK {
		err := c.err(rc)
		c.close()
		return nil, err
	}
	sqlite3.Xsqlite3_extended_result_codes(c.tls, c.db, 1)
	return c, nil
}

// err returns the error for result code rc, with SQLite's message.
func (c *conn) err(rc int32) error {
	if c.db == 0 {
		return &sqliteError{code: int(rc), msg: libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))}
	}
	return &sqliteError{
		code: int(sqlite3.Xsqlite3_extended_errcode(c.tls, c.db)),
		msg:  libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db)),
	}
}

// exec runs one or more statements without parameters.
func (c *conn) exec(query string) error {
	z, err := libc.CString(query)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, z)
	if rc := sqlite3.Xsqlite3_exec(c.tls, c.db, z, 0, 0, 0); rc != sqlite3.SQLITE_OK {
		return c.err(rc)
	}
	return nil
}

// prepare returns query compiled, compiling it once per connection. Only a
// bounded set of statement shapes may be passed (see rowChunks).
func (c *conn) prepare(query string) (*stmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	z, err := libc.CString(query)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, z)
	pp := c.tls.Alloc(ptrSize)
	defer c.tls.Free(ptrSize)
	libc.AtomicStorePUintptr(pp, 0)
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, z, -1, pp, 0); rc != sqlite3.SQLITE_OK {
		return nil, c.err(rc)
	}
	s := &stmt{c: c, p: libc.AtomicLoadPUintptr(pp)}
	if s.p == 0 {
		return nil, fmt.Errorf("sqlite: prepare %.40q: no statement", query)
	}
	s.n = int(sqlite3.Xsqlite3_bind_parameter_count(c.tls, s.p))
	c.stmts[query] = s
	return s, nil
}

// trim finalizes every cached statement if there are more than
// maxCachedStmts. Call it only when no statement is in use.
func (c *conn) trim() {
	if len(c.stmts) <= maxCachedStmts {
		return
	}
	for q, s := range c.stmts {
		sqlite3.Xsqlite3_finalize(c.tls, s.p)
		delete(c.stmts, q)
	}
}

// close finalizes the prepared statements and closes the connection.
func (c *conn) close() error {
	var err error
	for q, s := range c.stmts {
		sqlite3.Xsqlite3_finalize(c.tls, s.p)
		delete(c.stmts, q)
	}
	if c.db != 0 {
		if rc := sqlite3.Xsqlite3_close_v2(c.tls, c.db); rc != sqlite3.SQLITE_OK {
			err = c.err(rc)
		}
		c.db = 0
	}
	for _, p := range c.arena.blocks {
		libc.Xfree(c.tls, p)
	}
	if c.frames != 0 {
		libc.Xfree(c.tls, c.frames)
		c.frames = 0
	}
	c.arena = arena{}
	c.tls.Close()
	return err
}

// stmt is a prepared statement of a conn. Parameters are numbered from 1;
// every parameter is bound before each run (text refers to the arena,
// valid only until the transaction ends). A statement is reset, ready to
// be bound and run again, after exec, or after next returns false or an
// error, or by reset.
type stmt struct {
	c   *conn
	p   uintptr
	n   int   // number of parameters
	err error // a value that could not be bound, reported by the next run
}

// maxValue is the longest text or blob bound: SQLite's default
// SQLITE_MAX_LENGTH, and well within the int32 length the C API takes.
// Only tests change it.
var maxValue = 1_000_000_000

// int64 binds v to parameter i.
func (s *stmt) int64(i int, v int64) {
	sqlite3.Xsqlite3_bind_int64(s.c.tls, s.p, int32(i), v)
}

// text binds v to parameter i. The value is copied into the arena,
// where SQLite reads it until the transaction ends.
func (s *stmt) text(i int, v string) {
	if len(v) > maxValue {
		s.err = fmt.Errorf("sqlite: parameter %d: a value of %d bytes is longer than %d", i, len(v), maxValue)
		return
	}
	c := s.c
	p := c.alloc(len(v))
	copy(libc.GoBytes(p, len(v)), v)
	sqlite3.Xsqlite3_bind_text(c.tls, s.p, int32(i), p, int32(len(v)), sqlite3.SQLITE_STATIC)
}

// blob binds v to parameter i, as text does.
func (s *stmt) blob(i int, v []byte) {
	if len(v) > maxValue {
		s.err = fmt.Errorf("sqlite: parameter %d: a value of %d bytes is longer than %d", i, len(v), maxValue)
		return
	}
	c := s.c
	p := c.alloc(len(v))
	copy(libc.GoBytes(p, len(v)), v)
	sqlite3.Xsqlite3_bind_blob(c.tls, s.p, int32(i), p, int32(len(v)), sqlite3.SQLITE_STATIC)
}

// null binds NULL to parameter i.
func (s *stmt) null(i int) {
	sqlite3.Xsqlite3_bind_null(s.c.tls, s.p, int32(i))
}

// exec runs the statement to completion and resets it.
func (s *stmt) exec() error {
	if err := s.bindErr(); err != nil {
		return err
	}
	rc := sqlite3.Xsqlite3_step(s.c.tls, s.p)
	for rc == sqlite3.SQLITE_ROW {
		rc = sqlite3.Xsqlite3_step(s.c.tls, s.p)
	}
	if rc != sqlite3.SQLITE_DONE {
		err := s.c.err(rc)
		sqlite3.Xsqlite3_reset(s.c.tls, s.p)
		return err
	}
	sqlite3.Xsqlite3_reset(s.c.tls, s.p)
	return nil
}

// next steps to the next row: true if there is one. At the end, or on an
// error, it resets the statement.
func (s *stmt) next() (bool, error) {
	if err := s.bindErr(); err != nil {
		return false, err
	}
	switch rc := sqlite3.Xsqlite3_step(s.c.tls, s.p); rc {
	case sqlite3.SQLITE_ROW:
		return true, nil
	case sqlite3.SQLITE_DONE:
		sqlite3.Xsqlite3_reset(s.c.tls, s.p)
		return false, nil
	default:
		err := s.c.err(rc)
		sqlite3.Xsqlite3_reset(s.c.tls, s.p)
		return false, err
	}
}

// bindErr returns, once, the error of a value that could not be bound,
// and resets the statement.
func (s *stmt) bindErr() error {
	err := s.err
	if err != nil {
		s.err = nil
		sqlite3.Xsqlite3_reset(s.c.tls, s.p)
	}
	return err
}

// autocommit reports whether the connection is outside any transaction.
func (c *conn) autocommit() bool { return sqlite3.Xsqlite3_get_autocommit(c.tls, c.db) != 0 }

// reset ends a query early.
func (s *stmt) reset() { sqlite3.Xsqlite3_reset(s.c.tls, s.p) }

// colInt64 returns column i (from 0) of the current row.
func (s *stmt) colInt64(i int) int64 {
	return sqlite3.Xsqlite3_column_int64(s.c.tls, s.p, int32(i))
}

// colNull reports whether column i of the current row is NULL.
func (s *stmt) colNull(i int) bool {
	return sqlite3.Xsqlite3_column_type(s.c.tls, s.p, int32(i)) == sqlite3.SQLITE_NULL
}

// colText returns column i of the current row as a string.
func (s *stmt) colText(i int) string {
	p := sqlite3.Xsqlite3_column_text(s.c.tls, s.p, int32(i))
	n := sqlite3.Xsqlite3_column_bytes(s.c.tls, s.p, int32(i))
	if p == 0 || n == 0 {
		return ""
	}
	return string(libc.GoBytes(p, int(n)))
}

// ptrSize is the size of a C pointer.
const ptrSize = int(unsafe.Sizeof(uintptr(0)))

// cmalloc calls malloc, whose size type differs between platforms.
func cmalloc[T ~uint32 | ~uint64](malloc func(*libc.TLS, T) uintptr, tls *libc.TLS, n int) uintptr {
	return malloc(tls, T(n))
}

// changes returns the number of rows the last statement changed.
func (c *conn) changes() int64 {
	return sqlite3.Xsqlite3_changes64(c.tls, c.db)
}
