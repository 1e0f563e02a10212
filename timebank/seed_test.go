package timebank_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/timebank"
)

// TestSeedFigures loads the seed's time bank period (November 2014 to
// April 2016) as synthetic data made through the Service, with noise that
// must not count (members who left before, joined after, exchanges pending,
// voided, reversed or outside the period), and checks the report computes
// the seed's figures: 10,970 hours, 206 individual members, 474
// transactions, 42 organisations.
func TestSeedFigures(t *testing.T) {
	ctx := context.Background()
	c := newClock(borough.TimebankFrom)
	store := memory.NewTimebankStore()
	svc := timebank.NewService(store, timebank.WithClock(c.Now))
	bank, _, err := borough.GenerateTimebank(ctx, svc, c.Set, call.As("officer"), borough.TimebankFrom, borough.TimebankTo, borough.ThurrockTimebank, 2016)
	require.NoError(t, err)

	r, err := svc.Report(ctx, bank.ID, borough.TimebankFrom, borough.TimebankTo)
	require.NoError(t, err)
	assert.Equal(t, "10970", r.Hours().String(), "hours exchanged")
	assert.Equal(t, 206, r.Individuals, "individual members")
	assert.Equal(t, 474, r.Exchanges, "transactions")
	assert.Equal(t, 42, r.Organisations, "organisations")

	// The noise is there: the whole history has more than the period.
	all, err := svc.Report(ctx, bank.ID, borough.TimebankFrom.AddDate(-1, 0, 0), borough.TimebankTo.AddDate(1, 0, 0))
	require.NoError(t, err)
	assert.Greater(t, all.Exchanges, r.Exchanges)
	assert.Greater(t, all.Individuals, r.Individuals)
	assert.Greater(t, all.Organisations, r.Organisations)
	requireZeroSum(t, store)
}
