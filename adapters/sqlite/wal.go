package sqlite

import (
	"context"
	"errors"
	"time"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// The checkpointer's settings (see checkpoints).
const (
	// checkpointEvery is the least time between two passive checkpoints.
	checkpointEvery = 50 * time.Millisecond
	// walRestart is how much committed WAL makes the checkpointer hold up
	// this process's writes and start the WAL again from its beginning.
	walRestart = 16 << 20
	// walLimit is the journal_size_limit: the size a larger WAL file is
	// cut back to when the WAL starts again.
	walLimit = 32 << 20
	// walIdle is how long without a commit counts as a pause in the
	// writes, after which the checkpointer truncates the WAL to nothing.
	walIdle = 500 * time.Millisecond
	// ckptWait bounds each of the two waits of the checkpointer's RESTART
	// or TRUNCATE checkpoint for readers of older snapshots (see
	// fullCheckpoint).
	ckptWait = 500 * time.Millisecond
	// walFrameHeader is the size of a WAL frame's header; a frame holds
	// one page.
	walFrameHeader = 24
)

// checkpoints copies committed pages from the WAL back into the database
// file, on its own connection, until Close, so that commits do not: SQLite
// would otherwise do it inside the commit that crosses its threshold, and
// one write in a few would pay for copying and syncing everyone's pages.
//
// After commits (at most every checkpointEvery) it runs a PASSIVE
// checkpoint, which never waits for the writer or the readers and copies
// what it can. That alone does not bound the WAL: SQLite starts the WAL
// again from its beginning only when a write begins with every frame
// copied and no reader on an older snapshot, and with writes back to back
// (and, worse, a reader always holding a snapshot) that moment never
// comes: the WAL grew by gigabytes. So once a commit leaves walRestart
// bytes of frames in the WAL (the writer's WAL hook counts them), the
// checkpointer takes the writer and runs a RESTART checkpoint: it copies
// the rest and waits for the readers of older snapshots to finish, and
// the next write starts the WAL from its beginning, cutting the file back
// to walLimit. Writes of this process wait meanwhile: a few milliseconds
// without readers, as long as the longest read under way with them, and
// never more than twice ckptWait. If the readers outlast that, it tries
// again once another walRestart bytes have been committed. Should the
// checkpointer fall behind by another walRestart bytes, the writer does
// the same itself (walFull). So the WAL holds at most about twice
// walRestart of frames while reads are shorter than ckptWait. When no
// commit has come for walIdle, the checkpointer truncates the WAL to
// nothing the same way.
func (db *DB) checkpoints() {
	defer close(db.stopped)
	dirty := false // a commit since the WAL was last truncated
	idle := time.NewTimer(walIdle)
	defer idle.Stop()
	kick := db.kick
	var pause <-chan time.Time // set while passive checkpoints wait
	for {
		select {
		case <-db.stop:
			return
		case <-db.full:
			dirty = true
			db.restart()
		case <-kick:
			dirty = true
			// A PASSIVE checkpoint that failed (SQLITE_BUSY while another
			// process checkpoints) is retried after the next commit.
			db.ckmu.Lock()
			_, _ = db.ckpt.checkpoint("PASSIVE")
			db.ckmu.Unlock()
			kick, pause = nil, time.After(checkpointEvery)
		case <-pause:
			kick, pause = db.kick, nil
			continue
		case <-idle.C:
			if dirty {
				if _, err := db.checkpointAll("TRUNCATE"); err == nil {
					dirty = false
				} else {
					idle.Reset(walIdle)
				}
			}
			continue
		}
		idle.Reset(walIdle)
	}
}

// restart starts the WAL again from its beginning, if the writer's last
// commit left at least restartAt frames in it. A PASSIVE checkpoint first
// copies what it can while writes go on, so that what is left to copy
// (and sync) while writes wait is little. If readers or another process
// outlast the waits, the next try comes once another walRestart bytes
// have been committed.
func (db *DB) restart() {
	at := db.restartAt.Load()
	if db.w.walFrames() < at {
		return
	}
	// Two passes: the first copies most of the WAL, the second most of
	// what the writer added during the first. Not if the writer is
	// outrunning them.
	for i := 0; i < 2 && db.w.walFrames() < at+walRestart/2/db.frame; i++ {
		db.ckmu.Lock()
		_, _ = db.ckpt.checkpoint("PASSIVE")
		db.ckmu.Unlock()
	}
	select {
	case db.wsem <- struct{}{}:
	case <-db.stop:
		return
	}
	defer func() { <-db.wsem }()
	// The writer's commits since the signal may have found the WAL
	// started again already.
	if db.w == nil || db.w.walFrames() < db.restartAt.Load() {
		return
	}
	frames, err := db.writerCheckpoint("RESTART")
	next := walRestart / db.frame
	if err != nil {
		next += frames
	}
	db.restartAt.Store(next)
	// A signal sent meanwhile came from a commit before this checkpoint.
	select {
	case <-db.full:
	default:
	}
}

// walFull is called by write, holding the writer, after a commit that
// left frames (at least at, the restartAt it read) in the WAL. It asks
// the checkpointer to start the WAL again; if the WAL has grown by
// another walRestart bytes since, the checkpointer is falling behind (its
// passive checkpoints take long while the writer runs fast), and the
// writer starts the WAL again itself, at the cost of this write's time.
func (db *DB) walFull(frames, at int64) {
	if frames < at+walRestart/db.frame {
		select {
		case db.full <- struct{}{}:
		default:
		}
		return
	}
	frames, err := db.writerCheckpoint("RESTART")
	next := walRestart / db.frame
	if err != nil {
		next += frames
	}
	db.restartAt.Store(next)
}

// checkpointAll takes the writer, so that no write of this process adds
// frames meanwhile, and runs a RESTART or TRUNCATE checkpoint on the
// writer's connection (see writerCheckpoint).
func (db *DB) checkpointAll(mode string) (int64, error) {
	select {
	case db.wsem <- struct{}{}:
	case <-db.stop:
		return 0, errors.New("sqlite: database is closed")
	}
	defer func() { <-db.wsem }()
	if db.w == nil {
		return 0, errors.New("sqlite: database is closed")
	}
	return db.writerCheckpoint(mode)
}

// writerCheckpoint runs a RESTART or TRUNCATE checkpoint (see
// fullCheckpoint) on the writer's connection, waiting ckptWait at most;
// the caller holds the writer. Not on the checkpointer's: a TRUNCATE
// rewrites the WAL's index header, and a connection that finds the header
// changed by another drops its whole page cache, so after each pause in
// the writes the writer would read its working set back from the file. A
// connection keeps its cache through its own checkpoints.
func (db *DB) writerCheckpoint(mode string) (int64, error) {
	c := db.w
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, int32(ckptWait.Milliseconds()))
	defer sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, int32(busyTimeout.Milliseconds()))
	return db.fullCheckpoint(context.Background(), c, mode, ckptWait)
}

// fullCheckpoint runs a RESTART or TRUNCATE checkpoint on c, which waits
// for c's busy timeout at most: every frame is copied, no reader is left
// on an older snapshot, and the WAL starts again from its beginning (at
// the next write, for RESTART; at once and with the file cut to nothing,
// for TRUNCATE). The caller holds the writer. It returns the frames the
// WAL held, and errCheckpointBusy if readers or another process
// outlasted the waits.
//
// It first copies every frame with PASSIVE checkpoints, retried every
// millisecond for at most wait (or until ctx ends), rather than letting
// the RESTART wait for the readers of old snapshots itself: SQLite's
// checkpoint waits for the lock of the reader slot that held the oldest
// snapshot, and overlapping new readers that reuse that slot can hold it
// for ever (the tests' two readers did). A PASSIVE checkpoint looks at
// the slots afresh each time. Once every frame is copied, new readers
// read the database file alone, and the RESTART waits only for the
// readers already under way.
func (db *DB) fullCheckpoint(ctx context.Context, c *conn, mode string, wait time.Duration) (int64, error) {
	db.ckmu.Lock()
	defer db.ckmu.Unlock()
	deadline := time.Now().Add(wait)
	for {
		frames, err := c.checkpoint("PASSIVE")
		if err == nil {
			break
		}
		if !errors.Is(err, errCheckpointBusy) || time.Now().After(deadline) {
			return frames, err
		}
		select {
		case <-db.stop:
			return frames, err
		case <-ctx.Done():
			return frames, ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
	return c.checkpoint(mode)
}

// errCheckpointBusy is checkpoint's error when the checkpoint could not
// complete: a reader or another process was in the way.
var errCheckpointBusy = errors.New("sqlite: checkpoint incomplete: the WAL is in use")

// checkpoint runs PRAGMA wal_checkpoint(mode) and returns the frames in
// the WAL. A checkpoint that could not copy every frame, or (RESTART,
// TRUNCATE) could not wait out the readers, is errCheckpointBusy.
func (c *conn) checkpoint(mode string) (int64, error) {
	s, err := c.prepare("PRAGMA wal_checkpoint(" + mode + ")")
	if err != nil {
		return 0, err
	}
	ok, err := s.next()
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errCheckpointBusy
	}
	busy, frames, done := s.colInt64(0), s.colInt64(1), s.colInt64(2)
	s.reset()
	if busy != 0 || frames != done {
		return frames, errCheckpointBusy
	}
	return frames, nil
}

// hookWAL makes SQLite tell c, at each commit, how many frames the WAL
// holds; walFrames returns the count. SQLite calls the hook inside
// COMMIT, on the goroutine that runs it, so it costs a store.
func (c *conn) hookWAL() error {
	if c.frames == 0 {
		if c.frames = cmalloc(libc.Xmalloc, c.tls, 4); c.frames == 0 {
			return errors.New("sqlite: out of memory")
		}
		libc.AtomicStorePInt32(c.frames, 0)
	}
	sqlite3.Xsqlite3_wal_hook(c.tls, c.db, cFuncPointer(walHook), c.frames)
	return nil
}

// walFrames returns the frames the WAL held after c's last commit, or 0
// if c has no WAL hook.
func (c *conn) walFrames() int64 {
	if c.frames == 0 {
		return 0
	}
	return int64(libc.AtomicLoadPInt32(c.frames))
}

// walHook is the WAL hook hookWAL sets: it keeps the count where arg
// points.
func walHook(_ *libc.TLS, arg, _, _ uintptr, frames int32) int32 {
	libc.AtomicStorePInt32(arg, frames)
	return sqlite3.SQLITE_OK
}

// cFuncPointer returns f, a function declared at package level (not a
// closure), as the C function pointer that SQLite's translated code
// calls: a pointer to the function value.
func cFuncPointer[T any](f T) uintptr {
	return *(*uintptr)(unsafe.Pointer(&struct{ f T }{f}))
}
