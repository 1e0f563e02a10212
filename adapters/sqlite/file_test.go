package sqlite

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDatabaseFilesArePrivate(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "db.sqlite")
	db, err := Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.receiptSecret(ctx) // a write, so the WAL exists
	require.NoError(t, err)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		require.NoError(t, err, p)
		assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "%s is readable by others", filepath.Base(p))
	}
}

func TestScrubEmptiesTheWAL(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	db, err := Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.receiptSecret(ctx)
	require.NoError(t, err)
	require.NoError(t, db.scrub(ctx))
	fi, err := os.Stat(path + "-wal")
	require.NoError(t, err)
	assert.Zero(t, fi.Size())
	on, err := db.w.pragmaText("secure_delete")
	require.NoError(t, err)
	assert.Equal(t, "1", on)
}
