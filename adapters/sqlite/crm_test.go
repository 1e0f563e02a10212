package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm/record/statetest"
	"github.com/strongertogether/community/adapters/sqlite"
)

func TestCRMStateConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T) statetest.Open {
		db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crm.db"))
		require.NoError(t, err)
		t.Cleanup(func() { assert.NoError(t, db.Close()) })
		return func(t *testing.T, source string) statetest.Full {
			s, err := sqlite.NewCRMState(db, source)
			require.NoError(t, err)
			return s
		}
	})
}

// The state survives the database being closed and opened again.
func TestCRMStateReopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "crm.db")
	db, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	s, err := sqlite.NewCRMState(db, "csv-folder")
	require.NoError(t, err)
	require.NoError(t, s.Commit(ctx, "v1;volunteer=10", nil))
	require.NoError(t, s.SetMark(ctx, "push:awards", "a4"))
	require.NoError(t, db.Close())

	db, err = sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer db.Close()
	s, err = sqlite.NewCRMState(db, "csv-folder")
	require.NoError(t, err)
	cur, err := s.Cursor(ctx)
	require.NoError(t, err)
	assert.Equal(t, "v1;volunteer=10", cur)
	m, err := s.Mark(ctx, "push:awards")
	require.NoError(t, err)
	assert.Equal(t, "a4", m)
	_, err = sqlite.NewCRMState(db, "")
	require.Error(t, err, "a state needs a source")
}
