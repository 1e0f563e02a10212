package sqlite

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scrub empties the WAL even while two readers take turns holding
// snapshots, so that some reader holds one at every moment: the pattern
// in which SQLite's own TRUNCATE waits on a reader slot that never comes
// free.
func TestScrubWithOverlappingReaders(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	db, err := Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	require.NoError(t, db.write(ctx, func(tx *writeTx) error {
		return tx.script(`CREATE TABLE scrub_test (id INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT`)
	}))
	insert := func(v string) {
		require.NoError(t, db.write(ctx, func(tx *writeTx) error {
			_, err := tx.exec(`INSERT INTO scrub_test (v) VALUES (?)`, v)
			return err
		}))
	}
	for range 100 {
		insert("before the readers")
	}

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for r := range 2 {
		wg.Go(func() {
			time.Sleep(time.Duration(r) * 40 * time.Millisecond)
			for {
				select {
				case <-stop:
					return
				default:
				}
				rows, err := db.reader.QueryContext(context.Background(), `SELECT id FROM scrub_test`)
				if !assert.NoError(t, err) {
					return
				}
				rows.Next()
				time.Sleep(80 * time.Millisecond)
				assert.NoError(t, rows.Close())
			}
		})
	}
	defer func() { close(stop); wg.Wait() }()
	time.Sleep(100 * time.Millisecond) // both readers hold snapshots
	insert("the erased person")
	require.NoError(t, db.scrub(ctx))
	assert.Zero(t, walSize(t, path), "the WAL is empty after the scrub")
}
