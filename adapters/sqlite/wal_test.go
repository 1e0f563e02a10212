package sqlite

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// walBound is the most the WAL file may reach while one writer commits
// back to back and readers hold snapshots the whole time: twice walRestart
// (see checkpoints), plus the frames of the commits a checkpoint takes to
// start, plus room for one restart that the readers outlast. Runs on a
// loaded two-core machine peaked at 16 to 32 MiB; before the fix, three
// seconds grew the WAL past 600 MiB.
const walBound = 48 << 20

// walSize returns the size of the database's WAL file, 0 if there is none.
func walSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path + "-wal")
	if os.IsNotExist(err) {
		return 0
	}
	require.NoError(t, err)
	return fi.Size()
}

// TestWALStaysBounded commits small transactions back to back for a few
// seconds while two readers take turns holding a snapshot, so that at
// every moment some reader holds one. The WAL file must stay under
// walBound all along, and shrink once the writes stop.
func TestWALStaysBounded(t *testing.T) {
	for name, mode := range map[string]Synchronous{"full": SyncFull, "normal": SyncNormal} {
		t.Run(name, func(t *testing.T) { testWALStaysBounded(t, mode) })
	}
}

func testWALStaysBounded(t *testing.T, mode Synchronous) {
	path := filepath.Join(t.TempDir(), "wal.db")
	db, err := Open(t.Context(), path, WithSynchronous(mode))
	require.NoError(t, err)
	defer db.Close()
	ctx := t.Context()
	require.NoError(t, db.write(ctx, func(tx *writeTx) error {
		return tx.script(`CREATE TABLE wal_test (id INTEGER PRIMARY KEY, k BLOB NOT NULL, v BLOB NOT NULL) STRICT;
			CREATE INDEX wal_test_k ON wal_test (k);`)
	}))

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var reads, held int
	var rmu sync.Mutex
	for r := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			time.Sleep(time.Duration(r) * 50 * time.Millisecond)
			for {
				select {
				case <-stop:
					return
				default:
				}
				// A read that holds its snapshot for 100 ms, as a slow
				// report would.
				rows, err := db.reader.QueryContext(context.Background(), `SELECT id FROM wal_test`)
				if !assert.NoError(t, err) {
					return
				}
				n := 0
				for rows.Next() && n < 10 {
					n++
				}
				time.Sleep(100 * time.Millisecond)
				assert.NoError(t, rows.Close())
				rmu.Lock()
				reads++
				held += n
				rmu.Unlock()
			}
		}()
	}

	var peak int64
	commits := 0
	v := make([]byte, 16<<10)
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); commits++ {
		k := make([]byte, 16)
		_, _ = rand.Read(k)
		_, _ = rand.Read(v)
		require.NoError(t, db.write(ctx, func(tx *writeTx) error {
			_, err := tx.exec(`INSERT INTO wal_test (k, v) VALUES (?, ?)`, k, v)
			return err
		}))
		if commits%16 == 0 {
			peak = max(peak, walSize(t, path))
		}
	}
	close(stop)
	wg.Wait()
	peak = max(peak, walSize(t, path))
	t.Logf("%d commits, %d reads, WAL peak %.1f MiB", commits, reads, float64(peak)/(1<<20))
	assert.Less(t, peak, int64(walBound), "the WAL outgrew its bound")

	// Once the writes stop, the WAL shrinks.
	require.Eventually(t, func() bool { return walSize(t, path) == 0 }, 10*time.Second, 50*time.Millisecond,
		"the WAL did not shrink after the writes stopped: %d bytes", walSize(t, path))
	var n int
	require.NoError(t, db.reader.QueryRowContext(ctx, `SELECT count(*) FROM wal_test`).Scan(&n))
	assert.Equal(t, commits, n, "every commit is in the database file")
}

// cacheMisses returns the pages c has read from the file, not its page
// cache, since the last call, and starts the count again.
func (c *conn) cacheMisses() int64 {
	p := cmalloc(libc.Xmalloc, c.tls, 16)
	defer libc.Xfree(c.tls, p)
	sqlite3.Xsqlite3_db_status(c.tls, c.db, sqlite3.SQLITE_DBSTATUS_CACHE_MISS, p, p+8, 1)
	return int64(libc.AtomicLoadPInt32(p))
}

// TestWriterKeepsItsCache starts the WAL again, both ways the
// checkpointer does (after walRestart bytes, and truncating when writes
// pause), and shows the writer still reading the table from its page
// cache afterwards, not the file.
func TestWriterKeepsItsCache(t *testing.T) {
	ctx := t.Context()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "cache.db"))
	require.NoError(t, err)
	defer db.Close()
	v := make([]byte, 4<<10)
	require.NoError(t, db.write(ctx, func(tx *writeTx) error {
		if err := tx.script(`CREATE TABLE cache_test (id INTEGER PRIMARY KEY, v BLOB NOT NULL) STRICT;`); err != nil {
			return err
		}
		for range 1000 {
			if _, err := tx.exec(`INSERT INTO cache_test (v) VALUES (?)`, v); err != nil {
				return err
			}
		}
		return nil
	}))
	scan := func() int64 {
		var misses int64
		require.NoError(t, db.write(ctx, func(tx *writeTx) error {
			db.w.cacheMisses()
			n, err := tx.count(`SELECT sum(length(v)) FROM cache_test`)
			if err != nil {
				return err
			}
			require.Equal(t, int64(1000*len(v)), n)
			misses = db.w.cacheMisses()
			return nil
		}))
		return misses
	}
	scan()
	require.Zero(t, scan(), "the writer reads a table it wrote from its cache")

	db.restartAt.Store(1)
	db.restart()
	assert.Zero(t, scan(), "pages read from the file after the WAL restarted")
	_, err = db.checkpointAll("TRUNCATE")
	require.NoError(t, err)
	assert.Zero(t, walSize(t, db.Path()), "the WAL was truncated")
	assert.Zero(t, scan(), "pages read from the file after the WAL was truncated")
}
