package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/url"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
)

// Both DBs close the same way.
var _ io.Closer = (*postgres.DB)(nil)

// adminExec runs statements on the test server as the URL's own role.
func adminExec(t *testing.T, sqls ...string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, pgtest.URL())
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, s := range sqls {
		_, err := conn.Exec(ctx, s)
		require.NoError(t, err, s)
	}
}

func TestOpenCreatesTheMissingSchema(t *testing.T) {
	t.Parallel()
	u, name := pgtest.Schema(t) // dropped again when t ends
	adminExec(t, "DROP SCHEMA "+pgx.Identifier{name}.Sanitize())
	ctx := t.Context()
	const n = 4
	var (
		wg   sync.WaitGroup
		dbs  = make([]*postgres.DB, n)
		errs = make([]error, n)
	)
	for i := range n {
		wg.Go(func() { dbs[i], errs[i] = postgres.Open(ctx, u) })
	}
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "open %d: racing Opens create the schema once", i)
	}
	for _, db := range dbs {
		schema, err := db.QueryString(ctx, `SELECT current_schema()`)
		require.NoError(t, err)
		assert.Equal(t, name, schema)
		names, err := db.QueryString(ctx, `SELECT string_agg(name, ',' ORDER BY name) FROM migrations`)
		require.NoError(t, err)
		assert.Equal(t, migrationFiles(t), names)
		assert.NoError(t, db.Close())
	}
}

func TestOpenMissingSchemaWithoutTheRight(t *testing.T) {
	t.Parallel()
	var r [6]byte
	_, _ = rand.Read(r[:])
	role, schema := "stronger_norights_"+hex.EncodeToString(r[:]), "stronger_missing_"+hex.EncodeToString(r[:])
	adminExec(t, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN")
	t.Cleanup(func() { adminExec(t, "DROP ROLE IF EXISTS "+pgx.Identifier{role}.Sanitize()) })

	u, err := url.Parse(pgtest.URL())
	require.NoError(t, err)
	u.User = url.User(role)
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	_, err = postgres.Open(t.Context(), u.String())
	require.Error(t, err)
	assert.Contains(t, err.Error(), `schema "`+schema+`", the first the search_path names, does not exist and role "`+role+`" may not create it`)
	assert.Contains(t, err.Error(), `CREATE SCHEMA "`+schema+`" AUTHORIZATION "`+role+`"`, "it says what to run")
	assert.NotContains(t, err.Error(), "3F000", "not the raw error of a migration without a schema")
}

func TestFirstSchema(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]string{
		"council_a":           "council_a",
		" Council_A , public": "council_a",
		`"Council A", public`: "Council A",
		`"a""b",c`:            `a"b`,
		`"$user", public`:     "ann",
		"$user":               "ann",
		"":                    "",
	} {
		assert.Equal(t, want, postgres.FirstSchema(path, "ann"), "%q", path)
	}
}
