package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
)

func TestReceiptSecretIsKeptWithTheDatabase(t *testing.T) {
	t.Parallel()
	url, _ := pgtest.Schema(t)
	ctx := t.Context()
	a, err := postgres.Open(ctx, url)
	require.NoError(t, err)
	defer a.Close()
	b, err := postgres.Open(ctx, url)
	require.NoError(t, err)
	defer b.Close()
	sa, err := a.ReceiptSecret(ctx)
	require.NoError(t, err)
	sb, err := b.ReceiptSecret(ctx)
	require.NoError(t, err)
	assert.Len(t, sa, 32)
	assert.Equal(t, sa, sb, "two pools on one database share one secret")

	other, _ := pgtest.Schema(t)
	c, err := postgres.Open(ctx, other)
	require.NoError(t, err)
	defer c.Close()
	sc, err := c.ReceiptSecret(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, sa, sc, "each database makes its own")
}
