package sqlite

import (
	"context"
	"fmt"
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
	// On the writer, whose busy timeout bounds the waits. fullCheckpoint
	// keeps the checkpointer's own checkpoints out of the way, and takes a
	// checkpoint that readers held back (a busy result row, not an error)
	// for the failure it is.
	if _, err := db.fullCheckpoint(ctx, db.w, "TRUNCATE", busyTimeout); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("sqlite: the erasure is committed, but old copies remain in the WAL until the next checkpoint: %w", err)
	}
	return nil
}
