package sqlite

import (
	"context"
	"fmt"
	"time"
)

// scrub copies every frame of the WAL into the database file and truncates
// the WAL to nothing, waiting (up to the busy timeout) for readers of older
// snapshots to finish. A store calls it after a write that erased a
// person: with secure_delete on, the database file then holds no copy of
// what was erased, and neither does the WAL.
func (db *DB) scrub(ctx context.Context) error {
	select {
	case db.wsem <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-db.wsem }()
	if db.w == nil {
		return fmt.Errorf("sqlite: database is closed")
	}
	// A TRUNCATE checkpoint that finds a reader (or the checkpointer) on an
	// older snapshot reports busy in its result row rather than failing.
	deadline := time.Now().Add(busyTimeout)
	for {
		busy, err := db.w.checkpointTruncate()
		if err == nil && !busy {
			return nil
		}
		if err == nil {
			err = fmt.Errorf("a reader holds an older snapshot")
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sqlite: the erasure is committed, but old copies remain in the WAL until the next checkpoint: %w", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// checkpointTruncate runs PRAGMA wal_checkpoint(TRUNCATE) and reports
// whether it was blocked before finishing.
func (c *conn) checkpointTruncate() (busy bool, err error) {
	s, err := c.prepare("PRAGMA wal_checkpoint(TRUNCATE)")
	if err != nil {
		return false, err
	}
	defer s.reset()
	ok, err := s.next()
	if err != nil || !ok {
		return false, err
	}
	return s.colInt64(0) != 0, nil
}
