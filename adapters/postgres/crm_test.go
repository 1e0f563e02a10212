package postgres_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/crm/record/statetest"
	"github.com/strongertogether/community/adapters/postgres"
	"github.com/strongertogether/community/adapters/postgres/pgtest"
)

func TestCRMStateConformance(t *testing.T) {
	t.Parallel()
	statetest.Run(t, func(t *testing.T) statetest.Open {
		db := pgtest.Open(t)
		return func(t *testing.T, source string) statetest.Full {
			s, err := postgres.NewCRMState(db, source)
			require.NoError(t, err)
			return s
		}
	})
	_, err := postgres.NewCRMState(pgtest.Open(t), " ")
	require.Error(t, err, "a state needs a source")
}
