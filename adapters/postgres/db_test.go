package postgres_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
)

// migrationFiles returns the names of the files in migration/, in order.
func migrationFiles(t *testing.T) string {
	t.Helper()
	paths, err := filepath.Glob("migration/*.sql")
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	slices.Sort(names)
	return strings.Join(names, ",")
}

func TestOpenIsIdempotent(t *testing.T) {
	t.Parallel()
	url, name := pgtest.Schema(t)
	ctx := t.Context()
	for i := range 2 {
		db, err := postgres.Open(ctx, url)
		require.NoError(t, err, "open %d", i+1)
		names, err := db.QueryString(ctx, `SELECT string_agg(name, ',' ORDER BY name) FROM migrations`)
		assert.NoError(t, err)
		assert.Equal(t, migrationFiles(t), names, "open %d: migrations recorded", i+1)
		schema, err := db.QueryString(ctx, `SELECT current_schema()`)
		assert.NoError(t, err)
		assert.Equal(t, name, schema, "tables live in the schema the search_path names")
		tables, err := db.QueryInt(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'timebank_postings'`, name)
		assert.NoError(t, err)
		assert.Equal(t, int64(1), tables, "open %d: timebank_postings in schema %s", i+1, name)
		db.Close()
	}
}

func TestOpenConcurrently(t *testing.T) {
	t.Parallel()
	url, _ := pgtest.Schema(t)
	ctx := t.Context()
	const n = 4
	var (
		wg   sync.WaitGroup
		errs = make([]error, n)
		dbs  = make([]*postgres.DB, n)
	)
	for i := range n {
		wg.Go(func() { dbs[i], errs[i] = postgres.Open(ctx, url) })
	}
	wg.Wait()
	for i := range n {
		if assert.NoError(t, errs[i], "open %d", i) {
			defer dbs[i].Close()
		}
	}
	require.NotNil(t, dbs[0])
	names, err := dbs[0].QueryString(ctx, `SELECT string_agg(name, ',' ORDER BY name) FROM migrations`)
	require.NoError(t, err)
	assert.Equal(t, migrationFiles(t), names, "each migration is recorded once")
}

func TestOpenBadURL(t *testing.T) {
	t.Parallel()
	_, err := postgres.Open(t.Context(), "postgres://postgres@127.0.0.1:5432/test?sslmode=bogus")
	assert.Error(t, err)
}

func TestSchemaDroppedAfterCleanup(t *testing.T) {
	t.Parallel()
	var name string
	t.Run("inner", func(t *testing.T) {
		db := pgtest.Open(t)
		var err error
		name, err = db.QueryString(t.Context(), `SELECT current_schema()`)
		require.NoError(t, err)
		n, err := db.QueryInt(t.Context(), `SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1`, name)
		require.NoError(t, err)
		require.Equal(t, int64(1), n, "schema %s exists while the test runs", name)
	})
	require.NotEmpty(t, name)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL())
	require.NoError(t, err)
	defer conn.Close(ctx)
	var n int
	require.NoError(t, conn.QueryRow(ctx, `SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1`, name).Scan(&n))
	assert.Zero(t, n, "schema %s is dropped when its test ends", name)
}
