package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/outcomes"
)

// After EraseStory, neither the database file nor its WAL holds the
// teller's name or phone number anywhere in its bytes.
func TestOutcomesEraseStoryRawBytes(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "outcomes.db")
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	svc := outcomes.NewService(sqlite.NewOutcomesStore(db))
	admin := call.As("admin")
	require.NoError(t, svc.Bootstrap(ctx, admin))
	_, err = svc.CreateFramework(ctx, admin.Key("fw"), outcomes.NewFramework{ID: "fw", Title: "F", Area: "E06000034"})
	require.NoError(t, err)
	const name, phone = "Winifred Openshaw", "07700 900461"
	var ids []string
	for i, key := range []string{"a", "b", "c"} {
		st, err := svc.AddStory(ctx, admin.Key(key), outcomes.NewStory{Framework: "fw", Programme: "cafe",
			Title: name + " " + key, Body: name + " (" + phone + ") told us this.", Date: time.Date(2018, 1, 1+i, 0, 0, 0, 0, time.UTC),
			Tags: []string{"openshaw"}})
		require.NoError(t, err)
		_, err = svc.WithdrawStory(ctx, admin.Key("w"+key), st.ID, "withdrawn at "+name+"'s request")
		require.NoError(t, err)
		ids = append(ids, st.ID)
	}
	raw := func() []byte {
		var all []byte
		for _, p := range []string{path, path + "-wal"} {
			b, err := os.ReadFile(p)
			if !os.IsNotExist(err) {
				require.NoError(t, err)
			}
			all = append(all, b...)
		}
		return all
	}
	require.True(t, bytes.Contains(raw(), []byte("Openshaw")), "the test sees the name before the erasure")
	for i, id := range ids {
		_, err := svc.EraseStory(ctx, admin.Key("erase-"+string(rune('a'+i))), id)
		require.NoError(t, err)
	}
	b := raw()
	for _, needle := range []string{"Winifred", "Openshaw", "openshaw", phone} {
		assert.False(t, bytes.Contains(b, []byte(needle)), "%q is still in the database files", needle)
	}
}
