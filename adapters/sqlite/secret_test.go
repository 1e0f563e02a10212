package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReceiptSecretIsKeptWithTheDatabase(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "db.sqlite")
	db, err := Open(ctx, path)
	require.NoError(t, err)
	first, err := db.receiptSecret(ctx)
	require.NoError(t, err)
	assert.Len(t, first, 32)
	require.NoError(t, db.Close())

	db, err = Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	again, err := db.receiptSecret(ctx)
	require.NoError(t, err)
	assert.Equal(t, first, again, "the secret survives reopening")

	other, err := Open(ctx, filepath.Join(t.TempDir(), "other.sqlite"))
	require.NoError(t, err)
	defer other.Close()
	o, err := other.receiptSecret(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first, o, "each database makes its own")
}
