package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
	"github.com/strongertogether/community/timebank/timebanktest"
)

func TestSynchronous(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		opts []Option
		want int64 // PRAGMA synchronous: 1 NORMAL, 2 FULL
	}{
		{nil, 2},
		{[]Option{WithSynchronous(SyncFull)}, 2},
		{[]Option{WithSynchronous(SyncNormal)}, 1},
	} {
		db, err := Open(t.Context(), filepath.Join(t.TempDir(), "s.db"), c.opts...)
		require.NoError(t, err)
		// Holding the writer and the checkpoint lock, as their users do.
		db.wsem <- struct{}{}
		db.ckmu.Lock()
		for _, conn := range []*conn{db.w, db.ckpt} {
			got, err := conn.pragmaInt("synchronous")
			require.NoError(t, err)
			assert.Equal(t, c.want, got, "the writer and the checkpointer commit as asked")
		}
		db.ckmu.Unlock()
		<-db.wsem
		var got int64
		require.NoError(t, db.reader.QueryRowContext(t.Context(), `PRAGMA synchronous`).Scan(&got))
		assert.Equal(t, c.want, got, "readers too")
		require.NoError(t, db.Close())
	}
	_, err := Open(t.Context(), filepath.Join(t.TempDir(), "s.db"), WithSynchronous(Synchronous(7)))
	assert.ErrorContains(t, err, "neither SyncFull nor SyncNormal")
}

// BenchmarkSynchronous is BenchmarkTransfer under each setting of
// WithSynchronous, so that their cost compares in one run:
//
//	go test -run '^$' -bench 'Synchronous/.*/batch=1$' -benchmem ./adapters/sqlite
func BenchmarkSynchronous(b *testing.B) {
	for _, c := range []struct {
		name string
		sync Synchronous
	}{{"full", SyncFull}, {"normal", SyncNormal}} {
		b.Run(c.name, func(b *testing.B) {
			timebanktest.BenchmarkTransfer(b, func(b *testing.B) timebank.Store {
				db, err := Open(b.Context(), filepath.Join(b.TempDir(), "timebank.db"), WithSynchronous(c.sync))
				require.NoError(b, err)
				b.Cleanup(func() { assert.NoError(b, db.Close()) })
				return NewTimebankStore(db)
			})
		})
	}
}
