package locality_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/strongertogether/community/adapters/memory"
	"github.com/strongertogether/community/hubs/locality"
	"github.com/strongertogether/community/hubs/locality/localitytest"
)

// dir knows listing "l-1" and hubs event "e-1".
type dir struct{}

func (dir) ListingExists(_ context.Context, id string) error {
	if id == "l-1" {
		return nil
	}
	return errors.New("no such listing")
}

func (dir) EventExists(_ context.Context, id string) error {
	if id == "e-1" {
		return nil
	}
	return errors.New("no such event")
}

// TestDirectory checks that connections to services, assets listed and
// Community of Practice events are checked against the Directory when one
// is set.
func TestDirectory(t *testing.T) {
	ctx := t.Context()
	s := memory.NewLocalityStore()
	w := localitytest.NewWorld(t, s)
	svc := locality.NewService(s, locality.WithDirectory(dir{}))
	on := time.Date(2014, 6, 1, 0, 0, 0, 0, time.UTC)
	c, err := svc.Introduce(ctx, w.Key(localitytest.Coordinator), locality.NewCase{Area: localitytest.LACArea, Route: locality.RouteHub, AgeBand: "55-64", Name: "x", Introduced: on})
	require.NoError(t, err)
	_, err = svc.Connect(ctx, w.Key(localitytest.Coordinator), c.ID, locality.Connection{On: on, Kind: locality.ToService, To: "l-2"})
	assert.ErrorIs(t, err, locality.ErrNotFound)
	c, err = svc.Connect(ctx, w.Key(localitytest.Coordinator), c.ID, locality.Connection{On: on, Kind: locality.ToService, To: "l-1"})
	require.NoError(t, err)
	assert.Len(t, c.Connections, 1)

	a, err := svc.AddAsset(ctx, w.Key(localitytest.Builder), locality.NewAsset{Area: localitytest.BuilderArea, Kind: locality.Place, Name: "hall"})
	require.NoError(t, err)
	_, err = svc.ListAsset(ctx, w.Key(localitytest.Builder), a.ID, "l-9")
	assert.ErrorIs(t, err, locality.ErrNotFound)
	_, err = svc.HoldPractice(ctx, w.Key(localitytest.Builder), locality.NewPractice{Area: localitytest.BuilderArea, On: on, Place: "Aveley", HubEvent: "e-2"})
	assert.ErrorIs(t, err, locality.ErrNotFound)
	p, err := svc.HoldPractice(ctx, w.Key(localitytest.Builder), locality.NewPractice{Area: localitytest.BuilderArea, On: on, Place: "Aveley", Attendance: 12, HubEvent: "e-1"})
	require.NoError(t, err)
	assert.Equal(t, "e-1", p.HubEvent)
}
