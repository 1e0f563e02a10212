package sqlite

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/timebank"
)

// openTemp opens a fresh database file in t's temporary directory and
// closes it when t ends.
func openTemp(t testing.TB) *DB {
	t.Helper()
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "test.db"))
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, db.Close()) })
	return db
}

func embeddedMigrations(t *testing.T) []string {
	t.Helper()
	entries, err := migrationFS.ReadDir("migration")
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	require.NotEmpty(t, names)
	return names
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	want := embeddedMigrations(t)

	db, err := Open(t.Context(), path)
	require.NoError(t, err)
	got, err := db.Migrations(t.Context())
	require.NoError(t, err)
	assert.Equal(t, want, got, "the migrations table lists every embedded file")

	var appliedAt int64
	require.NoError(t, db.reader.QueryRowContext(t.Context(),
		`SELECT applied_at FROM migrations WHERE name = ?`, want[0]).Scan(&appliedAt))
	var mode string
	require.NoError(t, db.reader.QueryRowContext(t.Context(), `PRAGMA journal_mode`).Scan(&mode))
	assert.Equal(t, "wal", mode)
	require.NoError(t, db.write(t.Context(), func(tx *writeTx) error {
		var fk int64
		require.NoError(t, tx.QueryRowContext(t.Context(), `PRAGMA foreign_keys`).Scan(&fk))
		assert.Equal(t, int64(1), fk, "foreign keys are on for the writer")
		return nil
	}))
	require.NoError(t, db.Close())

	// Opening again runs nothing twice: the table is unchanged and the
	// first run's timestamp stays.
	db, err = Open(t.Context(), path)
	require.NoError(t, err)
	got, err = db.Migrations(t.Context())
	require.NoError(t, err)
	assert.Equal(t, want, got)
	var again int64
	require.NoError(t, db.reader.QueryRowContext(t.Context(),
		`SELECT applied_at FROM migrations WHERE name = ?`, want[0]).Scan(&again))
	assert.Equal(t, appliedAt, again, "a recorded migration was run again")
	require.NoError(t, db.Close())
}

func TestOpenCreatesDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "c.db")
	db, err := Open(t.Context(), path)
	require.NoError(t, err)
	assert.Equal(t, path, db.Path())
	require.NoError(t, db.Close())
}

func TestOpenEmptyPath(t *testing.T) {
	_, err := Open(t.Context(), "")
	assert.Error(t, err)
}

func TestCloseTwiceAtOnce(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "close.db"))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = db.Close() }()
	}
	wg.Wait()
	require.Error(t, NewTimebankStore(db).Apply(t.Context(), &timebank.Batch{}), "a closed database refuses writes")
}

func TestOversizedValueIsAnError(t *testing.T) {
	db, err := Open(t.Context(), filepath.Join(t.TempDir(), "big.db"))
	require.NoError(t, err)
	defer db.Close()
	defer func(v int) { maxValue = v }(maxValue)
	maxValue = 1000
	err = db.write(t.Context(), func(tx *writeTx) error {
		st, err := tx.stmt(`SELECT ?`)
		if err != nil {
			return err
		}
		st.text(1, strings.Repeat("x", maxValue+1))
		return st.exec()
	})
	require.ErrorContains(t, err, "longer than")
	// The writer is fine afterwards.
	require.NoError(t, NewTimebankStore(db).Apply(t.Context(), &timebank.Batch{Banks: []*timebank.Bank{{ID: "b", Name: "B", Rounding: 15, Confirmation: timebank.ConfirmBoth, Version: 1}}}))
}
