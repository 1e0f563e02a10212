package sqlite_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/sqlite"
	"github.com/strongertogether/community/call"
	"github.com/strongertogether/community/grants"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/hubs/locality/localitytest"
	"github.com/strongertogether/community/internal/borough"
	"github.com/strongertogether/community/prescribing"
	"github.com/strongertogether/community/timebank"
)

func newLocalityStore(tb testing.TB) locality.Store {
	db, err := sqlite.Open(tb.Context(), filepath.Join(tb.TempDir(), "locality.db"))
	require.NoError(tb, err)
	tb.Cleanup(func() { assert.NoError(tb, db.Close()) })
	return sqlite.NewLocalityStore(db)
}

func TestLocalityConformance(t *testing.T) {
	localitytest.Run(t, func(t *testing.T) locality.Store { return newLocalityStore(t) })
}

// BenchmarkLocalityWardMatrix composes the ward matrix of Thurrock's 20
// wards over five years on one SQLite database holding every domain: the
// locality programmes (five years, written by the suite) and the
// synthetic borough's time bank, hubs, Small Sparks grants, social
// prescribing pilot and Dementia Action Alliance, each column read from
// its domain's store through its Service's WardCounts on every
// iteration, as the thurrock example composes it ("every domain"); and,
// for the ratio, the same matrix with fixed columns standing for the
// other domains ("locality only").
func BenchmarkLocalityWardMatrix(b *testing.B) {
	b.Run("locality only", func(b *testing.B) {
		localitytest.BenchmarkWardMatrixOver(b, newLocalityStoreB, borough.Wards())
	})
	b.Run("every domain", benchWardMatrixEveryDomain)
}

func newLocalityStoreB(b *testing.B) locality.Store { return newLocalityStore(b) }

func benchWardMatrixEveryDomain(b *testing.B) {
	ctx := b.Context()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "borough.db"))
	require.NoError(b, err)
	b.Cleanup(func() { assert.NoError(b, db.Close()) })
	var mu sync.Mutex
	now := time.Date(2013, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); now = now.Add(time.Second); return now }
	set := func(t time.Time) { mu.Lock(); defer mu.Unlock(); now = t }

	hw, err := borough.NewHubsWorld(ctx, sqlite.NewHubsStore(db), 1)
	require.NoError(b, err)
	_, _, err = hw.PathfinderYear(ctx)
	require.NoError(b, err)
	require.NoError(b, hw.Directory(ctx, 60))
	tb := timebank.NewService(sqlite.NewTimebankStore(db), timebank.WithClock(clock))
	bank, _, err := borough.GenerateTimebank(ctx, tb, set, call.As("officer"), borough.TimebankFrom, borough.TimebankTo, borough.ThurrockTimebank, 2016)
	require.NoError(b, err)
	gr := grants.NewService(sqlite.NewGrantsStore(db), grants.WithClock(clock))
	fund, err := borough.GenerateGrants(ctx, gr, set, borough.SmallSparks, 2014)
	require.NoError(b, err)
	rx := prescribing.NewService(sqlite.NewPrescribingStore(db), prescribing.WithClock(clock))
	pilot, err := borough.GeneratePilot(ctx, rx, set, borough.HubsDirectory{Hubs: hw.Service}, borough.ThurrockPilot(), 2016)
	require.NoError(b, err)
	dw, err := borough.NewDementiaWorld(ctx, sqlite.NewDementiaStore(db), 1)
	require.NoError(b, err)
	require.NoError(b, dw.Thurrock2016(ctx))

	column := func(p string, f func(ctx context.Context, from, to time.Time) (map[string]int64, error)) localitytest.ColumnFunc {
		return func(ctx context.Context, from, to time.Time) (locality.Column, error) {
			c, err := f(ctx, from, to)
			return locality.Column{Programme: p, Counts: c}, err
		}
	}
	localitytest.BenchmarkWardMatrixOver(b, func(*testing.B) locality.Store { return sqlite.NewLocalityStore(db) }, borough.Wards(),
		column("timebank", func(ctx context.Context, from, to time.Time) (map[string]int64, error) {
			return tb.WardCounts(ctx, bank.ID, from, to)
		}),
		column("hubs", hw.Service.WardCounts),
		column("grants", func(ctx context.Context, from, to time.Time) (map[string]int64, error) {
			return gr.WardCounts(ctx, fund.ID, from, to)
		}),
		column("prescribing", func(ctx context.Context, from, to time.Time) (map[string]int64, error) {
			return rx.WardCounts(ctx, call.As(pilot.Manager), from, to)
		}),
		column("dementia", dw.Service.WardCounts))
}
